import CalltrailCore
@_spi(Connections) import CalltrailStore
import CalltrailTestSupport
import Foundation
import GRDB
import Testing

/// An audit trail whose tail cannot be cut: rows keyed with the compliance key, and every head
/// appended to the anchor file, so `audit verify` fails on a removed newest row, a row written
/// without the key, and a database restored from an older copy, naming why.
extension ComplianceTests {
    func verify(_ setup: Setup) async throws -> CalltrailBinary.Result {
        try await binary(setup, ["audit", "verify"])
    }

    func dropAuditTriggers(_ setup: Setup) async throws {
        try await setup.store.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_log_is_append_only_update; DROP TRIGGER IF EXISTS audit_log_is_append_only_delete")
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func aCutTailAForgedRowAndAnOlderCopyOfTheDatabaseEachFailAuditVerify() async throws {
        let setup = try await setUp("anchor", retention: "")
        do {
            for case_ in ["X", "Y"] {
                let result = try await binary(setup, ["hold", "add", "--case", case_, "--agent", "ana.perez", "--reason", "review"])
                #expect(result.status == 0, "\(result.stderr)")
            }
            // Yesterday's copy of the database, as a backup would keep it.
            let yesterday = setup.harness.folder.appendingPathComponent("anchor-yesterday.sqlite").path
            try DatabaseQueue(path: setup.configuration.databasePath).backup(to: DatabaseQueue(path: yesterday))
            var result = try await binary(setup, ["hold", "add", "--case", "Z", "--agent", "ana.perez", "--reason", "review"])
            #expect(result.status == 0, "\(result.stderr)")

            // One line a write, 0600, beside the database.
            let anchor = setup.configuration.databasePath + ".audit-anchor"
            let lines = try String(contentsOfFile: anchor, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 3)
            let log = try await setup.store.auditLog()
            #expect(lines.last?.hasPrefix("3 \(log[2].rowHash) ") == true, "\(lines)")
            #expect(log.allSatisfy { $0.rowHash.hasPrefix("hmac:") })
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: anchor)[.posixPermissions] as? NSNumber).intValue
            #expect(mode == 0o600)
            result = try await verify(setup)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("3 audit rows verify against 3 anchored heads"), "\(result.stdout)")

            // A row appended with the triggers dropped, hashed as the chain does but without the key.
            try await dropAuditTriggers(setup)
            try await setup.store.write { db in
                var forged = AuditEntry(osUser: "intruder", action: "hold release", filters: "{\"case\":\"X\"}", count: 1)
                forged.id = 4
                forged.prevHash = log[2].rowHash
                forged.rowHash = AuditChain.keyedHash(forged, previous: log[2].rowHash, key: SubjectKey(bytes: Array(repeating: 9, count: 32)))
                try forged.insert(db)
            }
            result = try await verify(setup)
            #expect(result.status == 1)
            #expect(result.stderr.contains("audit_log row 4 does not verify: its keyed hash does not match its fields: the row was edited, or written without the compliance key"),
                    "\(result.stderr)")
            // The same row with a plain hash, as rows before the key had.
            try await setup.store.write { db in
                try db.execute(sql: "UPDATE audit_log SET row_hash = ? WHERE id = 4", arguments: [String(repeating: "a", count: 64)])
            }
            result = try await verify(setup)
            #expect(result.stderr.contains("audit_log row 4 does not verify: it has no keyed hash after keyed rows"), "\(result.stderr)")
            try await setup.store.write { db in try db.execute(sql: "DELETE FROM audit_log WHERE id = 4") }
            result = try await verify(setup)
            #expect(result.status == 0, "without the forged row the log is the anchored one again: \(result.stderr)")

            // The newest row removed: every remaining row still chains, the anchor names what is missing.
            try await setup.store.write { db in try db.execute(sql: "DELETE FROM audit_log WHERE id = 3") }
            result = try await verify(setup)
            #expect(result.status == 1)
            #expect(result.stderr.contains("the anchor file's line 3 records row 3"), "\(result.stderr)")
            #expect(result.stderr.contains("but the log ends at row 2: its newest rows were removed, or the database was restored from an older copy"),
                    "\(result.stderr)")

            // Yesterday's copy restored over the database, and written since: row 3 is another row.
            try DatabaseQueue(path: yesterday).backup(to: DatabaseQueue(path: setup.configuration.databasePath))
            result = try await binary(setup, ["hold", "add", "--case", "W", "--agent", "ana.perez", "--reason", "review"])
            #expect(result.status == 0, "\(result.stderr)")
            result = try await verify(setup)
            #expect(result.status == 1)
            #expect(result.stderr.contains("row 3 is not the row anchored at line 3 of the anchor file"), "\(result.stderr)")
            #expect(result.stderr.contains("restored from an older one and written since"), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")

            // Without the key file, verify makes no new key (it would call every row forged): it says what is missing.
            let keyFile = setup.configuration.compliance.keyFile
            try FileManager.default.moveItem(atPath: keyFile, toPath: keyFile + ".away")
            result = try await verify(setup)
            #expect(result.status == 1)
            #expect(result.stderr.contains("the compliance key \(keyFile) is missing, so the 3 keyed audit rows cannot be checked"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: keyFile))
            try FileManager.default.moveItem(atPath: keyFile + ".away", toPath: keyFile)
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }
}
