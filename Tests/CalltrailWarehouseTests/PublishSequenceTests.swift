import CalltrailCore
import CalltrailSimulator
@_spi(Connections) import CalltrailStore
import CalltrailTestSupport
import Foundation
import GRDB
import PostgresNIO
import Testing

/// Issue #33, item 5: the recordings ledger and calls are published by a sequence each write takes in
/// its own transaction, not by `updated_at` / `synced_at`, so a row saved late (a download that began
/// minutes before it was saved, stamped with its start) is not behind the warehouse's mark. Real
/// binary, real PostgreSQL.
@Suite(.serialized) struct PublishSequenceTests {
    @Test(.timeLimit(.minutes(3)))
    func aLedgerRowSavedAfterALaterOneIsStillPublished() async throws {
        let harness = try await SyncHarness.start()
        do {
            let site = "sequence-\(UUID().uuidString.prefix(8))"
            let url = try harness.configuration("sequence", overrides: ["timeout_seconds": "20"])
            try (try String(contentsOf: url, encoding: .utf8) + "\n" + WarehouseTests.warehouseLines(site: site))
                .write(to: url, atomically: true, encoding: .utf8)
            let (store, _) = try await harness.sync(configuration: url, to: SyncHarness.end)
            let calls = try await store.read { db in try String.fetchAll(db, sql: "SELECT call_id FROM calls ORDER BY call_id LIMIT 2") }
            try #require(calls.count == 2)
            func entry(_ callID: String, at: Date) -> RecordingEntry {
                var entry = RecordingEntry(source: "ucontact", callId: callID, state: .missing, attempts: 1)
                entry.updatedAt = at
                return entry
            }
            let now = Date()
            // The fast download is saved first; the slow one, which began ten minutes earlier, after it.
            try await store.saveRecording(entry(calls[0], at: now))
            let first = try await CalltrailBinary.run(["publish", "--config", url.path])
            #expect(first.status == 0, "\(first.stderr)")
            try await store.saveRecording(entry(calls[1], at: now.addingTimeInterval(-600)))
            // A call written by a transaction that stamped it before the first publish read, committed after.
            try await store.write { db in
                try db.execute(sql: "UPDATE calls SET agent = 'agent.late', synced_at = synced_at - 3600 WHERE call_id = ?", arguments: [calls[0]])
            }
            let second = try await CalltrailBinary.run(["publish", "--config", url.path])
            #expect(second.status == 0, "\(second.stderr)")

            let configuration = try Configuration.load(path: url.path)
            let connection = try await WarehouseTests.connect(.init(harness: harness, config: url, configuration: configuration, store: store, site: site))
            var published: [String] = []
            for try await id in try await connection.query("SELECT call_id FROM recordings WHERE site = \(site) ORDER BY call_id",
                                                           logger: WarehouseTests.logger).decode(String.self) {
                published.append(id)
            }
            var agent: String?
            for try await value in try await connection.query("SELECT agent FROM calls WHERE site = \(site) AND call_id = \(calls[0])",
                                                              logger: WarehouseTests.logger).decode(String?.self) {
                agent = value
            }
            var rows = 0
            for try await count in try await connection.query("SELECT count(*)::int FROM calls WHERE site = \(site)", logger: WarehouseTests.logger)
                .decode(Int.self) { rows = count }
            try? await connection.close()
            #expect(published == calls, "both rows, each once: the late one is not behind the mark")
            #expect(agent == "agent.late", "the call written late reached the warehouse")
            #expect(rows == harness.simulator.generatedCalls, "every call once")
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
