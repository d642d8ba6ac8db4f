import ArgumentParser
import CalltrailCore
import CalltrailNightly
import CalltrailRecordings
import CalltrailReports
import CalltrailSimulator
import CalltrailSources
import CalltrailStore
import Foundation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run Calltrail end to end against the built-in simulator, into --out (default ./demo).",
        discussion: """
            Starts the simulator on a free loopback port, writes DIR/calltrail.toml (so every other command
            can be tried on the demo data afterwards), syncs into DIR/calltrail.sqlite, renders yesterday's
            report into DIR/report/ and prints what it did.
            The demo database is rebuilt on each run.
            """
    )

    @Option(help: "Folder for the demo's configuration and database.")
    var out = "demo"

    @OptionGroup var simulator: SimulatorArguments
    @OptionGroup var logging: LoggingOptions

    @Option(help: FaultsHelp.text)
    var faults = "rate-limit,server-errors,token-expiry,late-arrivals"

    func validate() throws {
        _ = try FaultPlan.validated(faults)
    }

    func run() async throws {
        let options = try simulator.options(faults: faults)
        let sim = Simulator(options: options)
        let running = try await sim.start()
        do {
            try await demo(sim: sim, options: options, baseURL: running.baseURL)
        } catch {
            await running.stop()
            throw error
        }
        await running.stop()
    }

    func demo(sim: Simulator, options: SimulatorOptions, baseURL: String) async throws {
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        for name in ["calltrail.sqlite", "calltrail.sqlite-wal", "calltrail.sqlite-shm", "recordings", "report"] {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        for (file, value) in [("ucontact.secret", options.password), ("meiqia.secret", options.meiqiaToken), ("ccai.secret", options.ccaiToken), ("vonage.secret", options.vonageClientSecret)] {
            FileManager.default.createFile(atPath: folder.appendingPathComponent(file).path, contents: Data(value.utf8),
                                           attributes: [.posixPermissions: 0o600])
        }
        let configFile = folder.appendingPathComponent("calltrail.toml")
        let since = LocalDateTime(options.start, in: options.timeZone)
        let toml = """
            # Written by `calltrail demo` against the simulator at \(baseURL).
            # Start it again with `calltrail simulate --port \(URL(string: baseURL)!.port!)` to reuse this file.
            database = "calltrail.sqlite"
            timezone = "\(options.timeZone.identifier)"

            [[source]]
            kind = "ucontact"
            base_url = "\(baseURL)"
            user = "\(options.user)"
            password_file = "ucontact.secret"
            timezone = "\(options.timeZone.identifier)"
            since = "\(since)"
            window_hours = 24
            page_size = 100
            settle_minutes = 0
            retry_base_seconds = 0.1
            telephony_records_url = "\(baseURL)/telephony"
            backup_records_url = "\(baseURL)/backup"

            [[source]]
            kind = "meiqia"
            base_url = "\(baseURL)"
            password_file = "meiqia.secret"
            timezone = "Asia/Shanghai"
            since = "\(LocalDateTime(options.start, in: TimeZone(identifier: "Asia/Shanghai")!))"
            page_size = 100
            settle_minutes = 0
            retry_base_seconds = 0.1

            [[source]]
            kind = "ccai"
            base_url = "\(baseURL)"
            user = "\(options.ccaiCompanyKey)"
            password_file = "ccai.secret"
            since = "\(since)"
            settle_minutes = 0
            retry_base_seconds = 0.1

            [[source]]
            kind = "vonage"
            base_url = "\(baseURL)"
            user = "\(options.vonageClientID)"
            password_file = "vonage.secret"
            since = "\(since)"
            settle_minutes = 0
            retry_base_seconds = 0.1

            [recordings]
            folder = "recordings"
            concurrency = 8

            """
        try toml.write(to: configFile, atomically: true, encoding: .utf8)

        let configuration = try Configuration.load(path: configFile.path)
        print("simulator on \(baseURL): \(sim.generatedCalls) uContact, \(sim.meiqiaCalls) Meiqia, \(sim.ccaiCalls) CCAI and \(sim.vonageCalls) Vonage calls over \(options.days) days, faults: \(faults)")
        print("config  \(configFile.path)")
        // The whole nightly job: sync → recordings → yesterday's report.
        let logger = logging.makeLogger("calltrail.demo")
        let display = ProgressDisplay(quiet: logging.quiet, logger: logger)
        let summary = try await NightlyPipeline(configuration: configuration, logger: logger)
            .run(reportFolder: folder.appendingPathComponent("report"), syncUntil: options.end, progress: display.handler)
        display.finish()
        for line in summary.stageLines { print(line) }

        // What each simulated vendor served (late arrivals included) beside what each source stored.
        let store = try CallStore(path: configuration.databasePath)
        let vendors: [(String, Int, Int, Int)] = [
            ("ucontact", await sim.ucontact.recordCount, await sim.ucontact.undecodable, sim.generatedCalls),
            ("meiqia", await sim.meiqia.recordCount, await sim.meiqia.undecodable, sim.meiqiaCalls),
            ("ccai", await sim.ccai.recordCount, await sim.ccai.undecodable, await sim.ccai.recordCount),
            ("vonage", await sim.vonage.recordCount, await sim.vonage.undecodable, sim.vonageCalls),
        ]
        var mismatch: String?
        for (source, served, undecodable, generated) in vendors {
            let stored = try await store.callCount(source: source)
            print("\(source): simulator served \(served) records (\(served - generated) arrived while paging\(undecodable > 0 ? ", \(undecodable) malformed" : "")), database holds \(stored) calls")
            if stored != served - undecodable { mismatch = mismatch ?? "\(source): the demo stored \(stored) calls of \(served - undecodable) served" }
        }
        let outcomes = try await store.read { db in try OutcomeCounts.fetch(db) }
        print("database \(configuration.databasePath) holds \(try await store.callCount()) calls: \(outcomes)")
        print("recordings in \(configuration.recordings.folder)")
        if let report = summary.report { print("open    \(report)") }
        print(summary.line)
        if let mismatch { throw CalltrailError.failure("\(mismatch): see sync_runs in \(configuration.databasePath)") }
        if let stage = summary.stages.first(where: { $0.stage == "sync" && $0.failures > 0 }) {
            throw CalltrailError.failure("sync failed: \(stage.error ?? "see sync_runs")")
        }
    }
}
