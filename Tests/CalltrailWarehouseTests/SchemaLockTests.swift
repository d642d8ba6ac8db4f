import CalltrailCore
import CalltrailSimulator
import CalltrailTestSupport
import CalltrailWarehouse
import Foundation
import Logging
import PostgresNIO
import Testing

/// Issue #33, item 4: another site holding the warehouse's schema lock (a publish stuck in its schema
/// step) makes a publish give up after a bounded wait, exit 1, instead of waiting forever with the run
/// lock held; once it is released, the publish sends every call once. Real binary, real PostgreSQL.
@Suite(.serialized) struct SchemaLockTests {
    @Test(.timeLimit(.minutes(3)))
    func aSchemaLockHeldElsewhereIsWaitedForBoundedThenThePublishFails() async throws {
        let harness = try await SyncHarness.start()
        do {
            let site = "schema-\(UUID().uuidString.prefix(8))"
            let url = try harness.configuration("schema", overrides: ["timeout_seconds": "20"])
            let plain = try String(contentsOf: url, encoding: .utf8) + "\n" + WarehouseTests.warehouseLines(site: site)
            try (plain + "statement_timeout_seconds = 2\n").write(to: url, atomically: true, encoding: .utf8)
            _ = try await harness.sync(configuration: url, to: SyncHarness.end)
            let configuration = try Configuration.load(path: url.path)
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            var warehouse = try #require(configuration.warehouse)
            warehouse.statementTimeout = 120
            // Another site's schema step, holding the lock in a transaction that does not end.
            let holder = try await WarehouseConnection.open(warehouse, insecure: false, logger: logger)
            try await holder.query("BEGIN", logger: logger)
            try await holder.query("SELECT pg_advisory_xact_lock(7400531)", logger: logger)

            let blocked = try await CalltrailBinary.run(["publish", "--config", url.path], timeout: 60)
            #expect(blocked.status == 1, "\(blocked.stderr)")
            #expect(blocked.stderr.contains("the warehouse's schema stayed locked by another site's publish for 2 s"), "\(blocked.stderr)")

            try await holder.query("COMMIT", logger: logger)
            try? await holder.close()
            // Lock released; the default timeout again (other suites' schema steps may hold it a moment).
            try plain.write(to: url, atomically: true, encoding: .utf8)
            let again = try await CalltrailBinary.run(["publish", "--config", url.path], timeout: 60)
            #expect(again.status == 0, "\(again.stderr)")
            let reader = try await WarehouseConnection.open(warehouse, insecure: false, logger: logger)
            var (rows, distinct) = (0, 0)
            for try await (count, keys) in try await reader.query(
                "SELECT count(*)::int, count(DISTINCT (source, call_id))::int FROM calls WHERE site = \(site)", logger: logger).decode((Int, Int).self) {
                (rows, distinct) = (count, keys)
            }
            try? await reader.close()
            #expect(rows == harness.simulator.generatedCalls)
            #expect(distinct == rows)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
