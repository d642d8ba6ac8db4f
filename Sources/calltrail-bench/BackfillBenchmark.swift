import CalltrailArchive
import CalltrailCore
import CalltrailRecordings
import CalltrailSimulator
@_spi(Connections) import CalltrailStore
import CalltrailSync
import CalltrailVendors
import Foundation
import GRDB
import Logging

/// A first sync of 90 days of every vendor from the simulator answering each request after a round
/// trip (`latencyMS`), at several window concurrencies, beside the floor the vendor sets: the run's
/// requests (pages, logins, supplements) ÷ the windows it allows at once × the round trip, and no
/// faster than its documented rate (CCAI: 10 requests a second).
/// Every run must store the same calls (count and a hash over the call rows).
enum BackfillBenchmark {
    struct Figure {
        var source: String
        /// The concurrency asked for, and what the vendor allows of it.
        var asked: Int
        var concurrency: Int
        var pages: Int
        var requests: Int
        var seconds: Double
        var floor: Double
        var calls: Int
        var hash: String
    }

    static let days = 90

    static func run(concurrencies: [Int], latencyMS: Int, in work: URL) async throws -> [Figure] {
        let zone = BenchmarkData.zone
        var options = SimulatorOptions()
        options.seed = 90
        options.days = days
        options.end = LocalDateTime(year: 2025, month: 6, day: 1).date(in: zone)
        options.timeZone = zone
        options.latencyMS = latencyMS
        // The vendor's limit on requests in flight: above the largest concurrency, so 429s measure nothing.
        options.maxConcurrent = (concurrencies.max() ?? 1) + 4
        let simulator = Simulator(options: options)
        let running = try await simulator.start()
        let baseURL = running.baseURL
        let demo = simulator.demoSources(baseURL: baseURL)
        var logger = Logger(label: "calltrail-bench")
        logger.logLevel = .critical
        var figures: [Figure] = []
        for concurrency in concurrencies {
            let folder = work.appendingPathComponent("backfill-\(concurrency)")
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for source in demo {
                FileManager.default.createFile(atPath: folder.appendingPathComponent("\(source.kind).secret").path,
                                               contents: Data(source.secret.utf8), attributes: [.posixPermissions: 0o600])
            }
            let file = folder.appendingPathComponent("calltrail.toml")
            try DemoConfiguration.toml(sources: demo, baseURL: baseURL, timeZone: zone).write(to: file, atomically: true, encoding: .utf8)
            let configuration = try Configuration.load(path: file.path)
            let store = try CallStore(path: configuration.databasePath)
            for var source in configuration.sources {
                let schema = Platforms.platform(of: source)
                source.concurrency = schema.concurrency.range.clamp(concurrency)
                var runs: [SyncRun] = []
                let seconds = try await Measure.seconds {
                    runs = try await SyncCoordinator.run(sources: [source], platforms: Platforms(), store: store, from: nil, to: options.end, logger: logger)
                }
                guard runs.allSatisfy({ $0.status == .ok }) else {
                    throw BenchError("backfill of \(source.name) at concurrency \(concurrency): \(runs.compactMap(\.lastError))")
                }
                let pages = runs.reduce(0) { $0 + $1.pages }
                let requests = runs.reduce(0) { $0 + $1.requests }
                // The vendor's floor: its requests one round trip each, as many at once as it allows,
                // and no faster than its documented rate.
                var spacing = Double(latencyMS) / 1000 / Double(source.concurrency)
                if let rate = source.maxRequestsPerSecond { spacing = max(spacing, 1 / rate) }
                let (calls, hash) = try await rows(store, source: source.name)
                figures.append(Figure(source: source.name, asked: concurrency, concurrency: source.concurrency, pages: pages,
                                      requests: requests, seconds: seconds, floor: Double(requests) * spacing, calls: calls, hash: hash))
            }
            try? FileManager.default.removeItem(at: folder)
        }
        await running.stop()
        return figures
    }

    /// The calls of `source` and a SHA-256 over their rows in key order (every column but `synced_at`).
    static func rows(_ store: CallStore, source: String) async throws -> (Int, String) {
        try await store.read { db in
            var text = Data()
            var count = 0
            let rows = try Row.fetchCursor(db, sql: """
                SELECT call_id, direction, outcome, queue, agent, customer_number, did, started_at, queued_at, answered_at,
                       ended_at, wait_s, talk_s, hold_s, wrap_s, transfers, disposition, recording_ref
                FROM calls WHERE source = ? ORDER BY call_id
                """, arguments: [source])
            while let row = try rows.next() {
                count += 1
                let line = row.databaseValues.map { $0.description }.joined(separator: "\u{1F}") + "\n"
                text.append(contentsOf: Array(line.utf8))
            }
            return (count, FileHash.sha256(text))
        }
    }
}

extension ClosedRange where Bound == Int {
    func clamp(_ value: Int) -> Int { Swift.min(Swift.max(value, lowerBound), upperBound) }
}
