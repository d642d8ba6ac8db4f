import ArgumentParser
import CalltrailCore
import CalltrailNightly
import CalltrailRecordings
import CalltrailReports
import CalltrailSimulator
import CalltrailStore
import CalltrailVendors
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
        // The last demo's database, archive and report shelf (its day, week and month folders too).
        let shelved = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasPrefix("week-") || $0.hasPrefix("month-") }
        for name in ["calltrail.sqlite", "calltrail.sqlite-wal", "calltrail.sqlite-shm", "recordings", "report", "report-month",
                     "index.html", "shelf.json"] + shelved {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        let demoSources = sim.demoSources(baseURL: baseURL)
        let configFile = folder.appendingPathComponent("calltrail.toml")
        let toml = DemoConfiguration.toml(sources: demoSources, baseURL: baseURL, timeZone: options.timeZone)
        for source in demoSources {
            FileManager.default.createFile(atPath: folder.appendingPathComponent("\(source.kind).secret").path, contents: Data(source.secret.utf8),
                                           attributes: [.posixPermissions: 0o600])
        }
        try toml.write(to: configFile, atomically: true, encoding: .utf8)

        let configuration = try Configuration.load(path: configFile.path)
        // A case holding the history's first whole morning (08:00 to 14:00 on the center's clock), added
        // before any call is synced: the nightly's retention stage must keep what it covers. A morning,
        // not the history's first hours: those start at whatever time the demo runs, at night often, when
        // the campaign whose recordings retention purges makes no calls.
        let holdStore = try configuration.auditedStore()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = options.timeZone
        let firstMorning = calendar.date(bySettingHour: 8, minute: 0, second: 0, of: options.start)!
        let heldDay = DateInterval(start: firstMorning >= options.start ? firstMorning : calendar.date(byAdding: .day, value: 1, to: firstMorning)!,
                                   duration: 6 * 3600)
        _ = try await holdStore.addHold(
            LegalHold(caseId: "DEMO-1", fromAt: heldDay.start, toAt: heldDay.end, reason: "demo: a disputed morning", createdBy: OSUser.name),
            key: nil)
        let histories = sim.histories.map { "\($0.calls) \($0.vendor)" }
        let calls = histories.dropLast().joined(separator: ", ") + (histories.count > 1 ? " and " : "") + (histories.last ?? "no")
        print("simulator on \(baseURL): \(calls) calls over \(options.days) days, faults: \(faults)")
        print("config  \(configFile.path)")
        // The whole nightly job: sync → recordings → retention → yesterday's report, run at the history's
        // end (the start of the current minute, unless the hidden --end gave another).
        let logger = logging.makeLogger("calltrail.demo")
        func night() async throws -> NightlySummary {
            let display = ProgressDisplay(quiet: logging.quiet, logger: logger)
            defer { display.finish() }
            return try await NightlyPipeline(configuration: configuration, logger: logger)
                .run(now: options.end, reportFolder: folder.appendingPathComponent("report"), syncUntil: options.end, progress: display.handler)
        }
        func syncFailure(_ summary: NightlySummary) -> StageSummary? { summary.stages.first { $0.stage == "sync" && $0.failures > 0 } }
        let summary = try await night()
        for line in summary.stageLines { print(line) }
        var last = summary
        if syncFailure(summary) != nil {
            // The simulator's 500s and 429s come on fixed request numbers; with windows read at once, a page
            // can meet one on each of its attempts; records arriving while paging can keep a window's count
            // from holding through its passes. Either is kept open and the next run reads it from the
            // cursor, as the next night would: the demo runs that night now.
            print("next run (a page failed after its retries, or a window's count did not hold, and was kept for it):")
            last = try await night()
            for line in last.stageLines { print("  \(line)") }
        }

        // What each simulated vendor served (late arrivals included) beside what each source stored.
        let store = try CallStore(path: configuration.databasePath)
        var mismatch: String?
        for demo in demoSources {
            let (source, counts) = (demo.kind, await demo.served())
            let (served, undecodable, generated) = (counts.records, counts.undecodable, counts.generated)
            let stored = try await store.callCount(source: source)
            print("\(source): simulator served \(served) records (\(served - generated) arrived while paging\(undecodable > 0 ? ", \(undecodable) malformed" : "")), database holds \(stored) calls")
            if stored != served - undecodable { mismatch = mismatch ?? "\(source): the demo stored \(stored) calls of \(served - undecodable) served" }
        }
        let outcomes = try await OutcomeCounts.line(store)
        print("database \(configuration.databasePath) holds \(try await store.callCount()) calls: \(outcomes)")
        print("recordings in \(configuration.recordings.folder)")
        if let retention = summary.stages.first(where: { $0.stage == "retention" }), let rules = configuration.retention {
            // The rules as the demo's configuration states them (DemoConfiguration), not a copy of them.
            let general = rules.recordingsDays.map { ["recordings \($0) days"] } ?? []
            let overrides = rules.overrides.compactMap { rule in rule.recordingsDays.map { "the \(rule.queue ?? rule.source ?? "override")'s \($0) day\($0 == 1 ? "" : "s")" } }
            let counts = retention.counts
            print("retention (\((general + overrides).joined(separator: ", "))): purged \(counts["purged_recordings"] ?? 0) recordings, kept \(counts["held_recordings"] ?? 0) under legal hold")
        }
        for held in try await store.heldCases() {
            let criteria = held.holds.map(\.criterion).joined(separator: ", ")
            print("legal hold \(held.caseID) (\(held.active ? "active" : "released"), \(criteria)): \(held.calls) calls, \(held.recordings) recordings kept")
        }
        if let report = summary.report { print("open    \(report)") }
        // The month holding yesterday, beside the night's day report: by_week, by_month and the month's days.
        let zone = configuration.timeZone
        let month = ReportPeriod.month.bounds(containing: ReportParameters.yesterday(in: zone, now: options.end).0, in: zone)
        let monthParameters = ReportParameters(from: month.from, to: month.to, timeZone: zone, period: .month)
        let monthly = try await ReportPipeline(store: store).render(monthParameters, into: folder.appendingPathComponent("report-month"))
        if let html = monthly.html { print("month   \(html.path)") }
        // The nightly's shelf is the folder its report went to: the month joins it.
        let shelf = ReportShelf(root: folder)
        try shelf.record(ReportShelf.Entry(period: .month, parameters: monthParameters, folder: "report-month", headline: monthly.figures.headline))
        print("shelf   \(shelf.index.path)")
        print(last.line)
        if let mismatch { throw CalltrailError.failure("\(mismatch): see sync_runs in \(configuration.databasePath)") }
        if let stage = syncFailure(last) {
            throw CalltrailError.failure("sync failed: \(stage.error ?? "see sync_runs")")
        }
    }
}
