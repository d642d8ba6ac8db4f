import CalltrailCore
@_spi(Connections) import CalltrailStore
import CalltrailTestSupport
import Foundation
import GRDB
import Testing

/// Erasure leaves nothing behind: the ledger's URLs, notes and errors, the report folders Calltrail
/// wrote, and the database file and its WAL, also when a reader holds a snapshot during the erasure
/// (the command then says `calltrail erase --compact` finishes the job, and it does).
extension ComplianceTests {
    @Test(.timeLimit(.minutes(4)))
    func afterAnErasureWithAReaderHoldingASnapshotTheNumberIsInNoFileCalltrailWrote() async throws {
        let setup = try await setUp("traces", retention: "")
        do {
            try await sync(setup)
            let customer = try #require(try await customersWithRecordings(setup).first)
            let others = try await ids(setup.store, "SELECT call_id FROM calls WHERE recording_ref IS NOT NULL AND customer_number <> ? ORDER BY started_at LIMIT 2",
                                       [customer.number])
            try await fetch(setup, customer.calls + others)
            let e164Digits = "598" + customer.number.dropFirst()
            // A vendor whose recording URLs, notes and errors carry the number.
            try await setup.store.write { db in
                try db.execute(sql: """
                    UPDATE recordings SET origin_url = 'https://rec.example.com/get?caller=' || ?1, note = 'caller +' || ?2, last_error = 'HTTP 500 for ' || ?1
                    WHERE call_id = ?3
                    """, arguments: [customer.number, e164Digits, customer.calls[0]])
                // And one that puts the caller in the number dialled, which keys an interval tally.
                try db.execute(sql: "UPDATE calls SET did = ? WHERE call_id IN (SELECT call_id FROM calls WHERE customer_number = ? AND queued_at IS NOT NULL AND direction = 'inbound' LIMIT 1)",
                               arguments: [customer.number, customer.number])
            }
            // A report over the whole history, in a folder of its own.
            let first = try #require(try await setup.store.read { db in try Double.fetchOne(db, sql: "SELECT min(started_at) FROM calls") })
            let last = try #require(try await setup.store.read { db in try Double.fetchOne(db, sql: "SELECT max(started_at) FROM calls") })
            let from = LocalDateTime(Date(timeIntervalSince1970: first), in: SyncHarness.zone).description.prefix(10)
            let to = LocalDateTime(Date(timeIntervalSince1970: last + 86_400), in: SyncHarness.zone).description.prefix(10)
            let reports = setup.harness.folder.appendingPathComponent("traces-report")
            var result = try await binary(setup, ["report", "--from", String(from), "--to", String(to), "--out", reports.path])
            #expect(result.status == 0, "\(result.stderr)")
            let reportFiles = try FileManager.default.contentsOfDirectory(at: reports, includingPropertiesForKeys: nil)
            #expect(try reportFiles.contains { try Self.contains($0, customer.number) }, "the report lists the customer before")

            // A reader holds a snapshot through the erasure.
            var held = GRDB.Configuration()
            held.allowsUnsafeTransactions = true
            let reader = try DatabaseQueue(path: setup.configuration.databasePath, configuration: held)
            try reader.inDatabase { db in
                try db.execute(sql: "BEGIN")
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM calls")
            }
            result = try await binary(setup, ["erase", "--number", customer.number, "--compact-wait", "1"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("so the erased bytes are still in the file and its WAL: run `calltrail erase --compact` once it is free to finish the job"),
                    "\(result.stderr)")
            #expect(result.stdout.contains("masked the number in \(reports.path)"), "\(result.stdout)")
            try reader.inDatabase { db in try db.execute(sql: "COMMIT") }
            try reader.close()
            result = try await binary(setup, ["erase", "--compact"])
            #expect(result.status == 0, "\(result.stderr)")

            let database = URL(fileURLWithPath: setup.configuration.databasePath)
            var searched = [database, URL(fileURLWithPath: database.path + "-wal")]
            for folder in [URL(fileURLWithPath: setup.configuration.recordings.folder), reports] {
                searched += FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
            }
            #expect(searched.count > 6)
            for url in searched {
                for form in [customer.number, e164Digits] { #expect(try !Self.contains(url, form), "\(url.lastPathComponent) holds \(form)") }
            }
            #expect(try FileManager.default.contentsOfDirectory(at: reports, includingPropertiesForKeys: nil).count == reportFiles.count,
                    "the report's files are rewritten, none removed")
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }
}
