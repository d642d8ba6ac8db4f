import ArgumentParser
import CalltrailArchive
import CalltrailCompliance
import CalltrailCore
import CalltrailNightly
import CalltrailRecordings
import CalltrailStore
import Foundation

struct EraseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase a customer (a data subject's request): their recordings and their number, everywhere Calltrail stored them.",
        discussion: """
            Calls a legal hold covers are listed and left (exit 1 then: the request is not complete). The request is recorded
            with the number's keyed hash only; the number is masked in the report folders Calltrail wrote; the database is
            then checkpointed and vacuumed so the number's bytes leave the file and its WAL. A reader holding the database
            longer than --compact-wait leaves them there (exit 1): `calltrail erase --compact` finishes the job. Report files
            already handed out and backups are out of reach: see README, Compliance.
            """
    )

    @Option(help: "Configuration file.")
    var config = Configuration.defaultPath

    @OptionGroup var waiting: LockOptions

    @Option(help: "The customer's number (compared as E.164 under [compliance] country_code and trunk_prefix; exactly).")
    var number: String?

    @Flag(help: "List what would be erased and what a hold keeps; change nothing.")
    var dryRun = false

    @Flag(help: "Only rebuild the database and truncate its WAL: finishes an erasure whose compaction a reader kept from finishing.")
    var compact = false

    @Option(help: "Wait up to SECONDS for readers to let go of the database before it is rebuilt.")
    var compactWait: Double = 30

    func validate() throws {
        if (number == nil) == !compact { throw ValidationError("erase takes --number N, or --compact alone") }
        if compact && dryRun { throw ValidationError("--compact changes no row; leave out --dry-run") }
        guard compactWait.isFinite, (0...3600).contains(compactWait) else {
            throw ValidationError("--compact-wait \(compactWait) is out of range: use 0 to 3600 seconds")
        }
    }

    func run() async throws {
        let configuration = try Configuration.load(path: config)
        if let number { _ = try configuration.customerNumber(number) }
        // Not beside a nightly: its sync or recordings stage could write what this removes.
        let lock = try waiting.take(configuration)
        defer { withExtendedLifetime(lock) {} }
        let store = try configuration.auditedStore()
        let wait = Duration.milliseconds(Int64(compactWait * 1000))
        guard let number else {
            guard try await store.compact(waitingUpTo: wait) else { throw Self.notCompacted(configuration, wait: compactWait) }
            print("compacted \(configuration.databasePath): what was erased is no longer in the file or its WAL")
            return
        }
        let erasure = Erasure(store: store, archive: RecordingArchive(root: URL(fileURLWithPath: configuration.recordings.folder),
                                                                      timeZone: configuration.timeZone),
                              key: try configuration.subjectKey(), numbers: configuration.compliance.numberPlan,
                              reportFolders: [URL(fileURLWithPath: configuration.databasePath).deletingLastPathComponent().appendingPathComponent("reports")])
        if dryRun {
            report(try await erasure.plan(number: number), verb: "would erase", configuration)
            return
        }
        let result = try await erasure.run(number: number, compactWait: wait)
        report(result.plan, verb: "erased", configuration)
        for file in result.reportFiles { print("masked the number in \(file)") }
        for failure in result.reportFailures { print("could not mask the number in \(failure)") }
        let plan = result.plan
        if !plan.held.isEmpty {
            let cases = Set(plan.held.flatMap(\.cases)).sorted().joined(separator: ", ")
            throw CalltrailError.failure("\(plan.held.count) calls of the number are under legal hold (case \(cases)) and were not erased: erase again once `calltrail hold release` frees them")
        }
        if !result.compacted { throw Self.notCompacted(configuration, wait: compactWait) }
        if !result.reportFailures.isEmpty {
            throw CalltrailError.failure("\(result.reportFailures.count) report files still hold the number: remove them as listed above")
        }
    }

    func report(_ plan: Erasure.Plan, verb: String, _ configuration: Configuration) {
        for earlier in plan.earlierRequests {
            print("an erasure for this number was already made on \(LocalDateTime(earlier, in: configuration.timeZone))")
        }
        for held in plan.held { print("held, left: \(held.source) \(held.callID) (case \(held.cases.joined(separator: ", ")))") }
        print("\(verb) \(plan.calls.count) calls and \(plan.recordings.count) recordings; \(plan.held.count) calls under legal hold left")
    }

    static func notCompacted(_ configuration: Configuration, wait: Double) -> CalltrailError {
        .failure("a reader held \(configuration.databasePath) for over \(Int(wait)) s, so the erased bytes are still in the file and its WAL: run `calltrail erase --compact` once it is free to finish the job")
    }
}
