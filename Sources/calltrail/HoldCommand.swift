import ArgumentParser
import CalltrailCore
import CalltrailRecordings
import CalltrailStore
import Foundation

struct HoldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold",
        abstract: "Legal holds: what a case keeps from purge and erasure, calls synced later included.",
        subcommands: [HoldAddCommand.self, HoldListCommand.self, HoldReleaseCommand.self]
    )
}

struct HoldAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Hold a customer's number, an agent, a call or a period for a case.",
        discussion: "Example: calltrail hold add --case 4711 --number '+598 99 123 456' --reason 'claim 2026/118'. Repeat to add criteria to a case."
    )

    @Option(help: "Configuration file.")
    var config = Configuration.defaultPath

    @Option(name: .customLong("case"), help: "The case's id.")
    var caseID: String

    @Option(help: "Hold every call of this customer number (compared as E.164 under [compliance] country_code and trunk_prefix).")
    var number: String?

    @Option(help: "Hold every call of this agent.")
    var agent: String?

    @Option(name: .customLong("call"), help: "Hold this call id.")
    var call: String?

    @OptionGroup var range: RangeOptions

    @Option(help: "Why, for the audit log (required).")
    var reason: String

    func validate() throws {
        let period = range.from != nil || range.to != nil
        let given = [number != nil, agent != nil, call != nil, period].filter { $0 }.count
        guard given == 1 else {
            throw ValidationError("hold add takes one of --number, --agent, --call or --from/--to: add one criterion per command")
        }
        if period && (range.from == nil || range.to == nil) { throw ValidationError("a held period needs both --from and --to") }
        if caseID.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--case is empty: give the case's id") }
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason is empty: say why the calls are held") }
    }

    func run() async throws {
        let configuration = try Configuration.load(path: config)
        let store = try configuration.auditedStore()
        let (from, to) = try range.resolve(in: configuration.timeZone)
        let user = OSUser.name
        let e164 = try number.map(configuration.customerNumber)
        try await store.normalizeNumbers(adopting: configuration.compliance.numberPlan)
        let hold = LegalHold(caseId: caseID, number: number, numberE164: e164, agent: agent, callId: call, fromAt: from, toAt: to, reason: reason, createdBy: user)
        _ = try await store.addHold(hold, key: try configuration.subjectKey())
        let covered = try await store.heldCases().first { $0.caseID == caseID }
        print("case \(caseID): holds \(hold.criterion); covers \(covered?.calls ?? 0) calls and \(covered?.recordings ?? 0) recordings now")
    }
}

struct HoldListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the cases, their criteria and what they cover now.")

    @Option(help: "Configuration file.")
    var config = Configuration.defaultPath

    @Flag(help: "Show released cases too.")
    var all = false

    func run() async throws {
        let configuration = try Configuration.load(path: config)
        let store = try CallStore(path: configuration.databasePath)
        try await store.normalizeNumbers(adopting: configuration.compliance.numberPlan)
        let cases = try await store.heldCases(includeReleased: all)
        if cases.isEmpty { print(all ? "no legal holds" : "no active legal holds") }
        for heldCase in cases {
            print("case \(heldCase.caseID): \(heldCase.active ? "active" : "released"), \(heldCase.calls) calls, \(heldCase.recordings) recordings")
            for hold in heldCase.holds {
                let state = hold.releasedAt.map { "released \(LocalDateTime($0, in: configuration.timeZone)) by \(hold.releasedBy ?? "?")" } ?? "active"
                print("  \(hold.criterion) — \(hold.reason) (added \(LocalDateTime(hold.createdAt, in: configuration.timeZone)) by \(hold.createdBy); \(state))")
            }
        }
    }
}

struct HoldReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "release", abstract: "Release every criterion of a case.")

    @Option(help: "Configuration file.")
    var config = Configuration.defaultPath

    @Option(name: .customLong("case"), help: "The case's id.")
    var caseID: String

    func run() async throws {
        let configuration = try Configuration.load(path: config)
        let store = try configuration.auditedStore()
        let released = try await store.releaseHold(caseID: caseID, by: OSUser.name)
        guard released > 0 else {
            throw CalltrailError.configuration("case \(caseID) has no active hold: see `calltrail hold list --all`")
        }
        print("case \(caseID): \(released) criteria released")
    }
}
