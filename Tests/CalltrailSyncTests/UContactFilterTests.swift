import CalltrailCore
import CalltrailSimulator
@_spi(Connections) import CalltrailStore
import CalltrailTestSupport
import Foundation
import GRDB
import Testing

/// A uContact source with getrecords `filter` keys (seed 003) stores exactly the calls the filter
/// selects, beside an unfiltered source of the same server under its own name.
@Suite(.serialized) struct UContactFilterTests {
    @Test(.timeLimit(.minutes(3)))
    func aCampaignFilteredSourceStoresExactlyThatCampaignsCalls() async throws {
        let harness = try await SyncHarness.start()
        do {
            let (all, allRuns) = try await harness.sync(configuration: try harness.configuration("all", overrides: ["timeout_seconds": "20"]),
                                                        to: SyncHarness.end)
            #expect(allRuns.allSatisfy { $0.status == .ok })
            let (soporte, runs) = try await harness.sync(configuration: try harness.configuration("soporte", overrides: [
                "timeout_seconds": "20", "filter": #"{ campaign = "Soporte<-", mindur = 30 }"#,
            ]), to: SyncHarness.end)
            #expect(runs.allSatisfy { $0.status == .ok })
            func ids(_ store: CallStore, _ sql: String) async throws -> [String] {
                try await store.read { db in try String.fetchAll(db, sql: sql) }
            }
            let expected = try await ids(all, """
                SELECT call_id FROM calls WHERE queue = 'Soporte<-' AND ended_at - started_at >= 29.5
                ORDER BY call_id
                """)
            let stored = try await ids(soporte, "SELECT call_id FROM calls ORDER BY call_id")
            #expect(expected.count > 20)
            #expect(stored == expected, "exactly the campaign's calls of 30 s or more")
            let total = try await SyncHarness.count(all, "SELECT count(*) FROM calls")
            #expect(total > stored.count, "the unfiltered source holds the other campaigns too")
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
