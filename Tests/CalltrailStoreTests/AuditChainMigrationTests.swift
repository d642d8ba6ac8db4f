import CalltrailCore
@_spi(Connections) @testable import CalltrailStore
import Foundation
import GRDB
import Testing

/// Migration v11 on a database that already has audit rows and recordings: the rows keep their
/// fields and are chained in their order, the ledger keeps every row, and appending goes on from the
/// chain's head.
@Suite struct AuditChainMigrationTests {
    @Test func earlierRowsAreChainedAndTheLedgerKept() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("v10-\(UUID().uuidString).sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v10: mapping checks on every record")
        try await queue.write { db in
            for (index, action) in ["pull", "verify", "pull"].enumerated() {
                try db.execute(sql: "INSERT INTO audit_log (at, os_user, action, filters, count, problems) VALUES (?, 'officer', ?, '{}', ?, 0)",
                               arguments: [1_772_000_000.25 + Double(index), action, index])
            }
            try db.execute(sql: "INSERT INTO recordings (source, call_id, state, sha256, path) VALUES ('ucontact', 'g1', 'found', 'abc', '2026/03/02/ucontact-g1.mp3')")
        }
        try queue.close()

        let key = SubjectKey(bytes: Array(repeating: 3, count: 32))
        let store = try CallStore(path: path, audit: AuditTrail(key: key, anchor: AuditAnchor(path: path + ".audit-anchor")))
        let log = try await store.auditLog()
        #expect(log.map(\.action) == ["pull", "verify", "pull"])
        #expect(log.map(\.count) == [0, 1, 2])
        #expect(AuditChain.firstBreak(log, key: key) == nil)
        #expect(log.first?.prevHash == AuditChain.genesis)
        let appended = try await store.appendAudit(AuditEntry(osUser: "officer", action: "purge", filters: "{}", count: 0))
        #expect(appended.id == 4 && appended.prevHash == log.last?.rowHash)
        #expect(AuditChain.firstBreak(try await store.auditLog(), key: key) == nil)
        #expect(appended.rowHash.hasPrefix("hmac:"), "rows are keyed from now on, after the unkeyed ones")
        // The anchor holds the keyed rows' heads alone, one line a write.
        let anchor = try String(contentsOfFile: path + ".audit-anchor", encoding: .utf8).split(separator: "\n")
        #expect(anchor.count == 1 && anchor[0].hasPrefix("4 \(appended.rowHash) "), "\(anchor)")
        // Another key never chains on from a row this one wrote: nothing is written.
        let stranger = try CallStore(path: path, audit: AuditTrail(key: SubjectKey(bytes: Array(repeating: 4, count: 32)),
                                                                   anchor: AuditAnchor(path: path + ".audit-anchor")))
        await #expect(throws: AuditKeyMismatch.self) {
            try await stranger.appendAudit(AuditEntry(osUser: "officer", action: "purge", filters: "{}", count: 0))
        }
        #expect(try await store.auditLog().count == 4)
        #expect(AuditChain.firstBreak(try await store.auditLog(), key: SubjectKey(bytes: Array(repeating: 4, count: 32)))?.id == 4,
                "another key does not verify the keyed row")
        let entry = try await store.read { db in try RecordingEntry.fetchOne(db, key: ["source": "ucontact", "call_id": "g1"]) }
        #expect(entry?.sha256 == "abc" && entry?.state == .found)
        // The rebuilt log is still append-only.
        await #expect(throws: DatabaseError.self) {
            try await store.write { db in try db.execute(sql: "UPDATE audit_log SET count = 9 WHERE id = 1") }
        }
    }
}
