import CalltrailCore
import CalltrailReports
import CalltrailStore
import Foundation

/// A temporary store filled with hand-built calls, and the report's parameters over it.
struct ReportFixture {
    let store: CallStore
    let folder: URL
    let zone: TimeZone

    init(zone: String = "America/Montevideo") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try CallStore(path: folder.appendingPathComponent("calls.sqlite").path)
        self.zone = TimeZone(identifier: zone)!
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    func at(_ local: String) -> Date { LocalDateTime(parsing: local)!.date(in: zone) }

    /// An inbound call offered at `local` that waited `wait` seconds.
    func inbound(_ id: String, _ local: String, wait: Double, outcome: Outcome, queue: String = "Soporte<-",
                 talk: Double = 120, hold: Double = 0, agent: String? = "ana", number: String = "099000001",
                 transfers: Int = 0) -> CallRecord {
        let queued = at(local)
        let answered = outcome == .answered
        return CallRecord(
            source: "test", callID: id, direction: .inbound, outcome: outcome, queue: queue,
            agent: answered ? agent : nil, customerNumber: number, did: "26001000", startedAt: queued, queuedAt: queued,
            answeredAt: answered ? queued.addingTimeInterval(wait) : nil,
            endedAt: queued.addingTimeInterval(wait + (answered ? talk + hold : 0)), waitS: wait,
            talkS: answered ? talk : 0, holdS: answered ? hold : 0, transfers: transfers)
    }

    func outbound(_ id: String, _ local: String, connected: Bool, agent: String = "eva", talk: Double = 60) -> CallRecord {
        let start = at(local)
        return CallRecord(
            source: "test", callID: id, direction: .outbound, outcome: connected ? .outboundAnswered : .outboundUnanswered,
            queue: "Ventas->", agent: agent, customerNumber: "098000000", did: "26002000", startedAt: start,
            answeredAt: connected ? start.addingTimeInterval(10) : nil, endedAt: start.addingTimeInterval(10 + (connected ? talk : 0)),
            talkS: connected ? talk : 0)
    }

    func parameters(_ from: String, _ to: String, interval: Int = 30, threshold: Double = 20, shortAbandon: Double = 5,
                    queues: [String] = []) -> ReportParameters {
        ReportParameters(from: at(from), to: at(to), timeZone: zone, interval: interval, threshold: threshold,
                         shortAbandon: shortAbandon, queues: queues)
    }

    func run(_ name: String, _ parameters: ReportParameters) async throws -> Dataset {
        try await QueryRunner(store: store).run(name, parameters: parameters)
    }
}
