import ArgumentParser
import CalltrailCore
import CalltrailNightly
import CalltrailRecordings
import CalltrailStore
import CalltrailSync
import CalltrailVendors
import Foundation

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Page every configured source from its cursor (or --from/--to) into the database.",
        discussion: """
            Each page is stored together with the cursor move, so an interrupted sync resumes where it
            stopped. Failed pages are recorded in sync_runs and retried by the next run (exit 1).

            A case sync (--number and/or --agent, with --source, --from and --to) asks the vendor for
            only that customer's or agent's calls, in both directions, stores them like any other, and
            leaves the nightly cursor where it was. Then `calltrail recordings fetch --number N`.

            A window whose vendor count still exceeds the records read after its passes stays open: the
            run fails (exit 1) naming it and every later run reads it again. When the vendor's count is
            known to be wrong, `--source NAME --close-window START --reason TEXT` closes it (logged in
            sync_runs with the OS user and the reason); the next run moves the cursor over it.
            """
    )

    @Option(help: "Configuration file.")
    var config = Configuration.defaultPath

    @Option(name: .customLong("source"), help: "Sync only this source (by name); repeatable.")
    var sources: [String] = []

    @Option(help: "Case sync: only this customer's calls (inbound from it, outbound to it); needs --source, --from and --to.")
    var number: String?

    @Option(help: "Case sync: only this agent's calls; needs --source, --from and --to.")
    var agent: String?

    @Option(help: ArgumentHelp("Close the window left open at this start (as the failed run printed it); needs --source and --reason.",
                               valueName: "START"))
    var closeWindow: String?

    @Option(help: "Why the window is closed although its count never held (kept in sync_runs).")
    var reason: String?

    @OptionGroup var range: RangeOptions
    @OptionGroup var waiting: LockOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var tls: TLSOptions

    func validate() throws {
        if let closeWindow {
            _ = try RangeOptions.parse(closeWindow, option: "--close-window")
            if sources.count != 1 { throw ValidationError("--close-window closes one source's window: add --source NAME once") }
            guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--close-window needs --reason TEXT: say why the window is closed with its count unmatched")
            }
            if number != nil || agent != nil || range.from != nil || range.to != nil {
                throw ValidationError("--close-window reads nothing: leave out --number, --agent, --from and --to")
            }
            return
        }
        if reason != nil { throw ValidationError("--reason goes with --close-window") }
        guard number != nil || agent != nil else { return }
        if let number, number.isEmpty { throw ValidationError("--number is empty: pass the customer's number as the calls store it") }
        if let agent, agent.isEmpty { throw ValidationError("--agent is empty: pass the agent's id as the calls store it") }
        if sources.isEmpty { throw ValidationError("a case sync reads one source: add --source NAME") }
        if range.from == nil || range.to == nil {
            throw ValidationError("a case sync needs its period: add --from and --to (it never moves the nightly cursor)")
        }
    }

    var subject: CaseSubject? { number != nil || agent != nil ? CaseSubject(number: number, agent: agent) : nil }

    func run() async throws {
        var configuration = try Configuration.load(path: config)
        tls.apply(to: &configuration)
        let selected = try configuration.selectSources(sources)
        let (from, to) = try range.resolve(in: configuration.timeZone)
        // The vendor is asked with the number as given; one that is no number under [compliance] is refused first.
        if let number { _ = try configuration.customerNumber(number) }
        let lock = try waiting.take(configuration)
        defer { withExtendedLifetime(lock) {} }
        let store = try CallStore(path: configuration.databasePath)
        let logger = logging.makeLogger("calltrail.sync")
        if let closeWindow, let source = selected.first, let reason {
            let start = try RangeOptions.parse(closeWindow, option: "--close-window").date(in: configuration.timeZone)
            guard let (_, run) = try await store.closeSyncWindow(source: source.name, startingIn: start, user: OSUser.name, reason: reason) else {
                throw CalltrailError.configuration("source '\(source.name)' has no open window starting at \(closeWindow): copy START from the failed run's error (sync_runs.last_error)")
            }
            for warning in run.warnings {
                logger.notice("\(warning)", metadata: ["source": "\(source.name)"])
                print("\(source.name): \(warning)")
            }
            return
        }
        let display = ProgressDisplay(quiet: logging.quiet, logger: logger)
        let runs = try await SyncCoordinator.run(sources: selected, platforms: Platforms(), store: store, from: from, to: to, subject: subject, logger: logger,
                                                 progress: display.handler, insecureTLS: configuration.insecureTLS)
        // The interval tallies follow the calls, so the sqlite3 shell's queries read them fresh.
        try await store.refreshTallies(keepingTheirZoneOr: configuration.timeZone)
        display.finish()
        for run in runs {
            print(SyncReport.line(run))
            for warning in run.warnings { print("\(run.source): warning: \(warning)") }
        }
        print("calls in \(configuration.databasePath): \(try await store.callCount())")
        if let failed = runs.first(where: { $0.status != .ok }) {
            throw CalltrailError.failure(failed.lastError ?? "source \(failed.source) failed; it is retried next run")
        }
    }
}

enum SyncReport {
    static func line(_ run: SyncRun) -> String {
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        var parts = [count(run.windows, "window"), count(run.pages, "page"), count(run.records, "record")]
        if run.decodeErrors > 0 { parts.append("\(run.decodeErrors) undecodable (kept raw)") }
        if run.unknownOutcomes > 0 { parts.append("\(run.unknownOutcomes) with unknown outcome") }
        parts.append(run.retries == 1 ? "1 retry" : "\(run.retries) retries")
        if run.rereads > 0 { parts.append(count(run.rereads, "window") + " re-read") }
        if run.failures > 0 { parts.append("\(run.failures) failed") }
        if !run.warnings.isEmpty { parts.append(count(run.warnings.count, "warning")) }
        return "\(run.source): " + parts.joined(separator: ", ") + " — \(run.status.rawValue)"
    }
}
