import CalltrailCore
import CalltrailSimulator
import CalltrailTestSupport
import Foundation
import GRDB
import Testing

/// Issue #32's property: no value a vendor sends can crash the process. For every kind of number
/// (each record's fields in turn, each page's totals and counts, Retry-After, Total, Content-Range,
/// Content-Length) and every hostile value (`inf`, `-inf`, `nan`, `1e20`, `-1`, 2⁶³, `""`, a string,
/// and JSON's own `1e400`), the real binary runs a whole nightly (the four vendors' listings and
/// supplements, the recording servers and Vonage's content API, retention, the report) through a
/// loopback proxy that answers with the simulator's bodies so altered. It must end by exit 0 or 1,
/// never by a signal; records with such a value are kept raw with their error.
@Suite(.serialized) struct HostileValueTests {
    /// A small history (yesterday, a light load) so that 36 nightly runs stay short.
    static func simulator() -> Simulator {
        var options = SimulatorOptions()
        options.days = 1
        let zone = options.timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        options.end = calendar.startOfDay(for: Date())
        options.model.inboundPerDay = 40
        options.model.outboundPerDay = 10
        return Simulator(options: options)
    }

    /// The demo's configuration for `baseURL`, with short timeouts and two attempts a request.
    static func configure(_ simulator: Simulator, baseURL: String, in folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let sources = simulator.demoSources(baseURL: baseURL).map { source in
            var source = source
            source.keys += [("timeout_seconds", .number(5)), ("max_attempts", .integer(2)), ("max_retry_after_seconds", .integer(2))]
            return source
        }
        for source in sources {
            FileManager.default.createFile(atPath: folder.appendingPathComponent("\(source.kind).secret").path,
                                           contents: Data(source.secret.utf8), attributes: [.posixPermissions: 0o600])
        }
        let url = folder.appendingPathComponent("calltrail.toml")
        try DemoConfiguration.toml(sources: sources, baseURL: baseURL, timeZone: simulator.options.timeZone)
            .write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func noVendorValueEndsTheProcessBySignal() async throws {
        let simulator = Self.simulator()
        let running = try await simulator.start()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-hostile-\(UUID().uuidString)")
        var tried = 0
        var replaced = 0
        var keptRaw = 0
        var outcomes: [String: Int] = [:]
        for mode in HostileMode.allCases {
            for (index, value) in HostileValue.all.enumerated() {
                let proxy = try HostileProxy(upstreamPort: running.port, mode: mode, value: value)
                let folder = root.appendingPathComponent("\(mode.rawValue)-\(index)")
                let config = try Self.configure(simulator, baseURL: proxy.baseURL, in: folder)
                let result = try await CalltrailBinary.run(["nightly", "--config", config.path, "--quiet"], timeout: 180)
                proxy.stop()
                tried += 1
                replaced += proxy.replaced
                outcomes["\(result.signaled ? "signal" : "exit") \(result.status)", default: 0] += 1
                #expect(!result.signaled, "\(mode) = \(value): ended by signal \(result.status)\n\(result.stderr.suffix(2000))")
                #expect(result.status == 0 || result.status == 1, "\(mode) = \(value): exit \(result.status)\n\(result.stderr.suffix(2000))")
                if mode == .headers && value.header == "-1" {
                    // With a Retry-After that is ignored (-1), downloads go on, are cut, and resume: they met the
                    // hostile Content-Range.
                    #expect(proxy.contentRanges > 0, "no download resumed with a range: Content-Range was never read")
                }
                if mode == .recordNumbers {
                    let database = try DatabaseQueue(path: folder.appendingPathComponent("calltrail.sqlite").path)
                    let raw = try await database.read { db in
                        try Int.fetchOne(db, sql: "SELECT count(*) FROM raw_records WHERE decode_error IS NOT NULL") ?? 0
                    }
                    try database.close()
                    keptRaw += raw
                    // Every value but the harmless -1 of a field where -1 is no number Calltrail reads
                    // makes some record fail its check; those are kept raw with their error.
                    #expect(raw > 0, "\(mode) = \(value): no record was kept raw with its error")
                }
            }
        }
        await running.stop()
        try? FileManager.default.removeItem(at: root)
        print("hostile values: \(tried) cases tried (\(HostileMode.allCases.count) kinds × \(HostileValue.all.count) values), \(replaced) values and headers replaced, \(keptRaw) records kept raw with their error; outcomes \(outcomes.sorted { $0.key < $1.key })")
        #expect(tried == HostileMode.allCases.count * HostileValue.all.count)
    }
}
