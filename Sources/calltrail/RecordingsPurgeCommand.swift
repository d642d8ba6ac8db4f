import ArgumentParser
import CalltrailArchive
import CalltrailCompliance
import CalltrailCore
import CalltrailNightly
import CalltrailRecordings
import CalltrailStore
import Foundation

struct RecordingsPurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Remove recordings (and calls) older than [retention] keeps them, except what a legal hold covers.",
        discussion: """
            Each purged recording keeps its ledger row as `purged`, with when, under which rule and its sha256; the audit
            log gets one row. --dry-run lists what would go and changes nothing.
            """
    )

    @Option(help: "Configuration file.")
    var config = Configuration.defaultPath

    @OptionGroup var waiting: LockOptions

    @Flag(help: "List what would be removed; change nothing.")
    var dryRun = false

    func run() async throws {
        let configuration = try Configuration.load(path: config)
        guard let retention = configuration.retention else {
            throw CalltrailError.configuration("\(configuration.file.lastPathComponent) has no [retention]: add recordings_days = 365 (nothing is purged without it)")
        }
        // Not beside a nightly: its sync or recordings stage could write what this removes.
        let lock = try waiting.take(configuration)
        defer { withExtendedLifetime(lock) {} }
        let store = try configuration.auditedStore()
        let purge = RetentionPurge(store: store, archive: RecordingArchive(root: URL(fileURLWithPath: configuration.recordings.folder),
                                                                           timeZone: configuration.timeZone),
                                   retention: retention, numbers: configuration.compliance.numberPlan)
        if dryRun {
            let plan = try await purge.plan()
            for recording in plan.recordings { print("would purge \(recording.path) (\(recording.source) \(recording.callID)): \(recording.rule)") }
            for call in plan.calls { print("would delete call \(call.source) \(call.callID): \(call.rule)") }
            print(RetentionSummary.line(plan, verb: "would purge"))
            return
        }
        let result = try await purge.run()
        print(RetentionSummary.line(result.plan, verb: "purged"))
    }
}

enum RetentionSummary {
    static func line(_ plan: RetentionPurge.Plan, verb: String) -> String {
        var parts = ["\(verb) \(plan.recordings.count) recordings (\(plan.bytes) bytes) and \(plan.calls.count) calls"]
        if plan.heldRecordings + plan.heldCalls > 0 {
            parts.append("kept under legal hold: \(plan.heldRecordings) recordings, \(plan.heldCalls) calls")
        }
        return parts.joined(separator: "; ")
    }
}
