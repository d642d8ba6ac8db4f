import ArgumentParser
import CalltrailArchive
import CalltrailCore
import CalltrailNightly
import CalltrailRecordings
import CalltrailStore
import CalltrailVendors
import Foundation

struct RecordingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recordings",
        abstract: "Fetch, pull and verify call recordings.",
        subcommands: [RecordingsFetchCommand.self, RecordingsPullCommand.self, RecordingsVerifyCommand.self, RecordingsPurgeCommand.self]
    )
}

/// Which calls: `--from/--to`, `--call`, `--number`, `--agent`.
struct CallFilterOptions: ParsableArguments {
    @Option(help: "Configuration file.")
    var config = Configuration.defaultPath

    @OptionGroup var range: RangeOptions

    @Option(name: .customLong("call"), help: "Only this call id; repeatable.")
    var calls: [String] = []

    @Option(help: "Only calls with this customer number (compared as E.164 under [compliance] country_code and trunk_prefix).")
    var number: String?

    @Option(help: "Only calls of this agent.")
    var agent: String?

    @Option(name: .customLong("case"), help: "Only the calls a legal hold of this case covers now (`calltrail hold list`).")
    var caseID: String?

    /// The filter, its number as E.164; the store's numbers (and holds, for --case) are normalized first.
    func filter(_ configuration: Configuration, store: CallStore) async throws -> CallFilter {
        let (from, to) = try range.resolve(in: configuration.timeZone)
        let e164 = try number.map(configuration.customerNumber)
        if e164 != nil || caseID != nil { try await store.normalizeNumbers(adopting: configuration.compliance.numberPlan) }
        return CallFilter(from: from, to: to, callIDs: calls, number: e164, agent: agent, caseID: caseID)
    }

    func archive(_ configuration: Configuration) -> RecordingArchive {
        RecordingArchive(root: URL(fileURLWithPath: configuration.recordings.folder), timeZone: configuration.timeZone)
    }
}

struct RecordingsFetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Resolve and download the recordings of synced calls into the archive.",
        discussion: """
            Each source's recordings are looked for where its vendor keeps them (docs/VENDORS.md): MP3 is
            archived as served, GSM and WAV are converted to MP3 (by the vendor's own service where it has
            one, else here with libgsm and libmp3lame). Each outcome goes into the recordings ledger; failed
            and missing ones are tried again by the next run.
            """
    )

    @OptionGroup var filter: CallFilterOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var tls: TLSOptions

    @Option(help: "Recordings fetched at once.")
    var concurrency: Int?

    @OptionGroup var waiting: LockOptions

    func validate() throws {
        if let concurrency, !(1...64).contains(concurrency) { throw ValidationError("--concurrency \(concurrency) is out of range: use 1 to 64") }
    }

    func run() async throws {
        var configuration = try Configuration.load(path: filter.config)
        tls.apply(to: &configuration)
        // Not beside a nightly or another fetch: they write the same ledger rows and temporary files.
        let lock = try waiting.take(configuration)
        defer { withExtendedLifetime(lock) {} }
        let store = try CallStore(path: configuration.databasePath)
        let logger = logging.makeLogger("calltrail.recordings")
        let display = ProgressDisplay(quiet: logging.quiet, logger: logger)
        let summary = try await RecordingsStage.run(
            configuration: configuration, store: store, filter: try await filter.filter(configuration, store: store),
            concurrency: concurrency ?? configuration.recordings.concurrency, resolvers: Platforms(), logger: logger,
            progress: display.handler)
        display.finish()
        for line in RecordingsReport.lines(summary) { print(line) }
        if summary.failed > 0 {
            throw CalltrailError.failure("\(summary.failed) recordings failed (kept in the ledger with their error); the next run tries them again")
        }
    }
}

enum RecordingsReport {
    static func lines(_ summary: RecordingsSummary) -> [String] {
        let states = RecordingEntryStates.order.map { "\(summary.states[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        let locations = ["telephony-day", "telephony", "backup-day", "backup", "url"]
            .compactMap { key in summary.locations[key].map { "\($0) \(key)" } }.joined(separator: ", ")
        var lines = ["recordings: \(summary.attempted) tried: \(states)"]
        lines.append("  from: \(locations.isEmpty ? "none" : locations); converted by the platform \(summary.convertedOnServer), here \(summary.convertedLocally)")
        if summary.attempted > 0 {
            let perFile = String(format: "%.2f", Double(summary.requests) / Double(summary.attempted))
            lines.append("  \(summary.requests) HTTP requests to recording servers, \(perFile) a recording")
        }
        for failure in summary.failures { lines.append("  failed \(failure)") }
        for note in summary.notes { lines.append("  note \(note)") }
        return lines
    }
}

enum RecordingEntryStates {
    static let order: [RecordingEntry.State] = [.found, .converted, .missing, .failed, .pending]
}

struct RecordingsPullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Copy the matching recordings into --out with manifest.csv (sha256 of each file) and an audit-log row.",
        discussion: "Example: calltrail recordings pull --number '+1 555 0100' --from 2026-03-01 --to 2026-03-15 --out case-4711"
    )

    @OptionGroup var filter: CallFilterOptions

    @Option(help: "Folder to copy the recordings and manifest.csv into.")
    var out: String

    func validate() throws {
        if filter.calls.isEmpty && filter.number == nil && filter.agent == nil && filter.range.from == nil && filter.caseID == nil {
            throw ValidationError("pull needs a filter: give --case, --number, --agent, --call or --from/--to")
        }
    }

    func run() async throws {
        let configuration = try Configuration.load(path: filter.config)
        let store = try configuration.auditedStore()
        let pull = CompliancePull(store: store, archive: filter.archive(configuration), key: try configuration.subjectKey())
        do {
            let result = try await pull.pull(try await filter.filter(configuration, store: store), into: URL(fileURLWithPath: out))
            print("\(result.files) recordings (\(result.bytes) bytes) in \(out)")
            print("manifest \(result.manifest.path) sha256 \(result.manifestSHA256)")
        } catch let mismatch as CompliancePull.Mismatch {
            throw CalltrailError.failure(mismatch.description)
        }
    }
}

struct RecordingsVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-hash the stored recordings against the ledger; exit 1 on any mismatch or missing file.",
        discussion: """
            --sample 10 re-hashes the tenth of the matching recordings verified longest ago (never-verified first), so a
            nightly `recordings verify --sample 10` goes over the whole archive every 10 nights.
            """
    )

    @OptionGroup var filter: CallFilterOptions

    @Option(help: "Re-hash only this share (percent, rounded up) of the recordings, those verified longest ago.")
    var sample: Double?

    func validate() throws {
        if let sample, !(sample > 0 && sample <= 100) { throw ValidationError("--sample \(sample) is out of range: use a percent from 0.1 to 100") }
    }

    func run() async throws {
        let configuration = try Configuration.load(path: filter.config)
        let store = try configuration.auditedStore()
        let verifier = RecordingVerifier(store: store, archive: filter.archive(configuration), key: try configuration.subjectKey())
        let result = try await verifier.verify(try await filter.filter(configuration, store: store), sample: sample)
        for problem in result.problems { print("MISMATCH \(problem)") }
        print("\(result.checked) recordings checked, \(result.problems.count) problems")
        if !result.problems.isEmpty {
            throw CalltrailError.failure("\(result.problems.count) of \(result.checked) recordings do not match the ledger: see the lines above")
        }
    }
}
