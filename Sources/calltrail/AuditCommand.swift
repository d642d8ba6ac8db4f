import ArgumentParser
import CalltrailCompliance
import CalltrailCore
import CalltrailStore
import Foundation

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The audit log of pulls, verifications, purges, holds and erasures.",
        subcommands: [AuditVerifyCommand.self]
    )
}

struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-compute the audit log's hash chain and re-hash each pull's manifest; exit 1 naming the first bad row.",
        discussion: "The last line prints the chain's head (row id and sha256): keep it outside, and a later truncation shows."
    )

    @Option(help: "Configuration file.")
    var config = Configuration.defaultPath

    func run() async throws {
        let configuration = try Configuration.load(path: config)
        let store = try CallStore(path: configuration.databasePath)
        let result = try await AuditVerifier(store: store).verify()
        if let bad = result.firstBad {
            throw CalltrailError.failure("audit_log row \(bad.id) does not verify: \(bad.problem)")
        }
        print("\(result.rows) audit rows verify; \(result.manifestsChecked) manifests re-hashed, \(result.manifestsAbsent) no longer where they were written")
        print("head: row \(result.head.id) sha256 \(result.head.hash)")
    }
}
