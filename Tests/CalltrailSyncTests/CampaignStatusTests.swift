import CalltrailCore
import CalltrailSimulator
@_spi(Connections) import CalltrailStore
import CalltrailTestSupport
import Foundation
import GRDB
import Testing

/// `Supervisor/campaignstatus` as seed 003 documents it: `queue` is one campaign's name, and
/// uContact answers `0` (status 200) to an empty or unknown one. The snapshot is optional: a night
/// whose calls all landed exits 0 whatever it answers.
@Suite(.serialized) struct CampaignStatusTests {
    @Test(.timeLimit(.minutes(2)))
    func aSyncWithoutFaultsExitsZeroWithASnapshotOfEveryCampaign() async throws {
        let harness = try await SyncHarness.start()
        do {
            // No faults here: a generous timeout, so a machine busy with the other suites does not fail the login.
            let url = try harness.configuration("status", overrides: ["timeout_seconds": "20"])
            let result = try await CalltrailBinary.run(["sync", "--config", url.path, "--to", "2026-03-03", "--quiet"],
                                                       environment: [SyncHarness.passwordVariable: harness.simulator.options.password])
            #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
            #expect(!result.stdout.contains("warning"), "\(result.stdout)")
            let store = try CallStore(path: harness.folder.appendingPathComponent("status.sqlite").path)
            let campaigns = try await store.read { db in
                try String.fetchAll(db, sql: "SELECT DISTINCT queue FROM calls WHERE queue IS NOT NULL ORDER BY queue")
            }
            let snapshots = try await store.read { db in
                try String.fetchAll(db, sql: "SELECT DISTINCT campaign FROM platform_stats ORDER BY campaign")
            }
            #expect(!campaigns.isEmpty)
            #expect(snapshots == campaigns, "one snapshot per campaign seen in the period's calls")
            #expect(try await SyncHarness.count(store, "SELECT count(*) FROM sync_runs WHERE status = 'ok' AND warnings = '[]'") == 1)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func aCampaignTheServerRefusesIsAWarningNotAFailedRun() async throws {
        let harness = try await SyncHarness.start()
        do {
            let url = try harness.configuration("refused", overrides: ["campaigns": #"["Nadie<-"]"#, "timeout_seconds": "20"])
            let result = try await CalltrailBinary.run(["sync", "--config", url.path, "--to", "2026-03-03", "--quiet"],
                                                       environment: [SyncHarness.passwordVariable: harness.simulator.options.password])
            #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
            #expect(result.stdout.contains("warning: campaignstatus for campaign 'Nadie<-' answered 0"), "\(result.stdout)")
            let store = try CallStore(path: harness.folder.appendingPathComponent("refused.sqlite").path)
            let run = try #require(try await store.read { db in try SyncRun.fetchOne(db, sql: "SELECT * FROM sync_runs") })
            #expect(run.status == .ok)
            #expect(run.warnings.count == 1)
            #expect(try await SyncHarness.count(store, "SELECT count(*) FROM platform_stats WHERE campaign = 'Nadie<-'") == 0)
            #expect(try await SyncHarness.count(store, "SELECT count(*) FROM platform_stats") > 0, "the other campaigns were stored")
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
