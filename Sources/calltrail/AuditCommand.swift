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
        abstract: "Re-compute the audit log's keyed hash chain, check it against the anchor file and re-hash each pull's manifest; exit 1 naming why.",
        discussion: """
            Each row's HMAC-SHA256 is re-computed with the compliance key ([compliance] key_file), so a row written without
            it fails; every head in the anchor file ([compliance] anchor_file) must be in the log with its hash and the log
            must end at the last one, so a cut tail or an older copy of the database fails.
            """
    )

    @Option(help: "Configuration file.")
    var config = Configuration.defaultPath

    @Option(help: "Verify a case folder `recordings pull` wrote, without the database: every file against SHA256SUMS and manifest.csv.")
    var folder: String?

    func run() async throws {
        if let folder {
            do {
                let result = try CaseFolderCheck.verify(URL(fileURLWithPath: folder))
                print("\(result.files) files in \(folder) verify against SHA256SUMS and manifest.csv")
                if let head = result.auditHead { print("pulled as \(head): look for that row with `calltrail audit verify` where the database is") }
            } catch let failure as CaseFolderCheck.Failure {
                throw CalltrailError.failure(failure.description)
            }
            return
        }
        let configuration = try Configuration.load(path: config)
        let store = try CallStore(path: configuration.databasePath)
        let anchor = AuditAnchor(path: configuration.auditAnchorPath)
        // Never a new key here: one made now would call every keyed row forged.
        let keyFile = configuration.compliance.keyFile
        let key = FileManager.default.fileExists(atPath: keyFile) ? try configuration.subjectKey() : nil
        let result: AuditVerifier.Result
        do {
            result = try await AuditVerifier(store: store, key: key, anchor: anchor).verify()
        } catch let unreadable as AuditAnchor.Unwritable {
            throw CalltrailError.failure(unreadable.description)
        }
        if key == nil && result.keyedRows > 0 {
            throw CalltrailError.failure("the compliance key \(keyFile) is missing, so the \(result.keyedRows) keyed audit rows cannot be checked: restore it from backup, or point [compliance] key_file at it")
        }
        if let bad = result.firstBad {
            throw CalltrailError.failure("audit_log row \(bad.id) does not verify: \(bad.problem)")
        }
        if let problem = result.anchorProblem {
            throw CalltrailError.failure("the audit log does not match its anchor: \(problem)")
        }
        print("\(result.rows) audit rows verify against \(result.anchorLines) anchored heads (\(anchor.path)); \(result.manifestsChecked) manifests re-hashed, \(result.manifestsAbsent) no longer where they were written")
        print("head: row \(result.head.id) hash \(result.head.hash)")
    }
}
