import CalltrailCore
import CalltrailStore
import CalltrailTestSupport
import CalltrailWarehouse
import Foundation
import Logging
import PostgresNIO
import Testing

/// With a warehouse configured, each publish adds the site's audit chain head to `audit_heads`, and
/// never replaces one: an anchor outside the site's machine.
@Suite(.serialized) struct AuditHeadPublishTests {
    @Test(.timeLimit(.minutes(3)))
    func eachPublishAddsTheAuditHeadAndKeepsTheEarlierOnes() async throws {
        let harness = try await SyncHarness.start()
        do {
            let site = "anchor-\(UUID().uuidString.prefix(8))"
            let url = try harness.configuration("anchor", overrides: ["timeout_seconds": "20"])
            try (try String(contentsOf: url, encoding: .utf8) + "\n" + WarehouseTests.warehouseLines(site: site)).write(to: url, atomically: true, encoding: .utf8)
            let configuration = try CalltrailCore.Configuration.load(path: url.path)
            let (store, _) = try await harness.sync(configuration: url, to: SyncHarness.end)
            var heads: [AuditChain.Head] = []
            for case_ in ["A", "B"] {
                var result = try await CalltrailBinary.run(["hold", "add", "--case", case_, "--agent", "ana.perez", "--reason", "review", "--config", url.path])
                #expect(result.status == 0, "\(result.stderr)")
                result = try await CalltrailBinary.run(["publish", "--config", url.path])
                #expect(result.status == 0, "\(result.stderr)")
                heads.append(try await store.auditHead())
            }
            let connection = try await WarehouseConnection.open(try #require(configuration.warehouse), insecure: false, logger: WarehouseTests.logger)
            var published: [AuditChain.Head] = []
            for try await (id, hash) in try await connection.query("SELECT id, hash FROM audit_heads WHERE site = \(site) ORDER BY id", logger: WarehouseTests.logger)
                .decode((Int64, String).self) { published.append(AuditChain.Head(id: id, hash: hash)) }
            try? await connection.close()
            #expect(published == heads, "\(published)")
            #expect(heads.allSatisfy { $0.hash.hasPrefix("hmac:") })
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
