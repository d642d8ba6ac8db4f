import ArgumentParser
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
            with the number's keyed hash only; the database is then checkpointed and vacuumed so the number's bytes leave the
            file and its WAL. Report files already handed out and backups are out of reach: see README, Compliance.
            """
    )

    @Option(help: "Configuration file.")
    var config = Configuration.defaultPath

    @OptionGroup var waiting: LockOptions

    @Option(help: "The customer's number (compared as E.164 under [compliance] country_code and trunk_prefix; exactly).")
    var number: String

    @Flag(help: "List what would be erased and what a hold keeps; change nothing.")
    var dryRun = false

    func run() async throws {
        let configuration = try Configuration.load(path: config)
        _ = try configuration.customerNumber(number)
        // Not beside a nightly: its sync or recordings stage could write what this removes.
        let lock = try waiting.take(configuration)
        defer { withExtendedLifetime(lock) {} }
        let store = try configuration.auditedStore()
        let erasure = Erasure(store: store, archive: RecordingArchive(root: URL(fileURLWithPath: configuration.recordings.folder),
                                                                      timeZone: configuration.timeZone),
                              key: try configuration.subjectKey(), numbers: configuration.compliance.numberPlan)
        let plan = try await dryRun ? erasure.plan(number: number) : erasure.run(number: number).plan
        for earlier in plan.earlierRequests {
            print("an erasure for this number was already made on \(LocalDateTime(earlier, in: configuration.timeZone))")
        }
        for held in plan.held { print("held, left: \(held.source) \(held.callID) (case \(held.cases.joined(separator: ", ")))") }
        let verb = dryRun ? "would erase" : "erased"
        print("\(verb) \(plan.calls.count) calls and \(plan.recordings.count) recordings; \(plan.held.count) calls under legal hold left")
        if !plan.held.isEmpty && !dryRun {
            let cases = Set(plan.held.flatMap(\.cases)).sorted().joined(separator: ", ")
            throw CalltrailError.failure("\(plan.held.count) calls of the number are under legal hold (case \(cases)) and were not erased: erase again once `calltrail hold release` frees them")
        }
    }
}
