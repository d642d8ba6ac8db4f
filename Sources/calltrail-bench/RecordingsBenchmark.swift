import CalltrailCore
import CalltrailRecordings
import CalltrailSimulator
@_spi(Connections) import CalltrailStore
import CalltrailSync
import CalltrailVendors
import Foundation
import GRDB
import Logging

/// Recordings resolved and downloaded per second from the simulator over loopback, each file kept at
/// the last of uContact's four locations (three probes miss before it is found), through the real
/// recordings stage (probe, download, check, hash, ledger), at several concurrencies. The resolver
/// learns where a day's recordings are, so after the first hit a file costs a probe and a download.
enum RecordingsBenchmark {
    struct Figure {
        var concurrency: Int
        var files: Int
        var seconds: Double
        var requests: Int
        var rate: Double { Double(files) / seconds }
    }

    /// - Parameter latencyMS: every response of the simulator waits this long (±25 %).
    static func run(concurrencies: [Int], latencyMS: Int = 0, days: Int = 2, in work: URL) async throws -> [Figure] {
        let zone = BenchmarkData.zone
        var options = SimulatorOptions()
        options.seed = 42
        options.days = days
        options.latencyMS = latencyMS
        options.end = LocalDateTime(year: 2025, month: 3, day: 4).date(in: zone)
        options.timeZone = zone
        let simulator = Simulator(options: options)
        let running = try await simulator.start()
        let folder = work.appendingPathComponent("recordings-bench")
        // A run stopped half-way leaves its database: start from none.
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: folder.appendingPathComponent("ucontact.secret").path, contents: Data(options.password.utf8),
                                       attributes: [.posixPermissions: 0o600])
        let configurationFile = folder.appendingPathComponent("calltrail.toml")
        try """
            database = "calltrail.sqlite"
            timezone = "\(zone.identifier)"

            [[source]]
            kind = "ucontact"
            base_url = "\(running.baseURL)"
            user = "\(options.user)"
            password_file = "ucontact.secret"
            since = "\(LocalDateTime(options.start, in: zone))"
            window_hours = 24
            page_size = 500
            settle_minutes = 0
            telephony_records_url = "\(running.telephonyURL)"
            backup_records_url = "\(running.backupURL)"

            [recordings]
            folder = "recordings"
            """.write(to: configurationFile, atomically: true, encoding: .utf8)
        let configuration = try Configuration.load(path: configurationFile.path)
        var logger = Logger(label: "calltrail-bench")
        logger.logLevel = .critical
        let store = try CallStore(path: configuration.databasePath)
        _ = try await SyncCoordinator.run(sources: configuration.sources, platforms: Platforms(), store: store, from: nil, to: options.end, logger: logger)

        // Every recording moved to the backup server's flat folder, the last place the resolver looks.
        let guids = try await store.read { db in try String.fetchAll(db, sql: "SELECT recording_ref FROM calls WHERE recording_ref IS NOT NULL") }
        for guid in guids { await simulator.recordings.place(guid, .mp3(.backup)) }

        var figures: [Figure] = []
        for concurrency in concurrencies {
            try await store.write { db in try db.execute(sql: "DELETE FROM recordings") }
            try? FileManager.default.removeItem(atPath: configuration.recordings.folder)
            let requestsBefore = await simulator.recordings.fileRequests
            var found = 0
            var failures: [String] = []
            let seconds = try await Measure.seconds {
                let summary = try await RecordingsStage.run(configuration: configuration, store: store, filter: CallFilter(),
                                                            concurrency: concurrency, resolvers: Platforms(), logger: logger)
                found = summary.states[.found] ?? 0
                failures = summary.failures
            }
            guard found == guids.count else {
                throw BenchError("recordings at concurrency \(concurrency): \(found) of \(guids.count) found (\(failures))")
            }
            let requests = await simulator.recordings.fileRequests - requestsBefore
            figures.append(Figure(concurrency: concurrency, files: found, seconds: seconds, requests: requests))
        }
        await running.stop()
        try? FileManager.default.removeItem(at: folder)
        return figures
    }
}
