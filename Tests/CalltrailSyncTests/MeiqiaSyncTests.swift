import CalltrailCore
import CalltrailSimulator
@_spi(Connections) import CalltrailStore
import CalltrailTestSupport
import CalltrailVendors
import Foundation
import GRDB
import Logging
import Testing

/// Meiqia against the simulator: `page_index` paging to `total`, a total that grows mid-window, the
/// vendor's error message, and the dimension endpoints.
@Suite(.serialized) struct MeiqiaSyncTests {
    static let tokenVariable = "CALLTRAIL_TEST_MEIQIA_TOKEN"

    func configuration(_ harness: SyncHarness, _ name: String) throws -> URL {
        try harness.configuration(name, kind: "meiqia", lines: ["password_env = \"\(Self.tokenVariable)\"", "timezone = \"Asia/Shanghai\"",
                                                              "window_hours = 8", "page_size = 20"], since: "Asia/Shanghai")
    }

    func sync(_ harness: SyncHarness, _ name: String) async throws -> (CallStore, [SyncRun]) {
        setenv(Self.tokenVariable, harness.simulator.options.meiqiaToken, 1)
        return try await harness.sync(configuration: try configuration(harness, name), to: SyncHarness.end)
    }

    @Test(.timeLimit(.minutes(3)))
    func everyFaultOnStoresEveryRecordOnceAndMatchesACleanRead() async throws {
        var faults = FaultPlan.all
        faults.slowSeconds = 1.0
        let harness = try await SyncHarness.start(faults: faults)
        do {
            setenv(Self.tokenVariable, harness.simulator.options.meiqiaToken, 1)
            let (faulty, run) = try await harness.syncUntilOK(configuration: try configuration(harness, "meiqia-faulty"))
            #expect(run.status == .ok, "\(run.lastError ?? "")")
            #expect(run.retries > 0)
            #expect(run.rereads > 0, "a total that grew while paging made a window be read again")
            #expect(run.decodeErrors >= 1)
            // Calls abandoned in the queue come with agent_id 0: stored with no agent.
            #expect(try await SyncHarness.count(faulty, "SELECT count(*) FROM calls WHERE agent = '0' OR agent = ''") == 0)
            #expect(try await SyncHarness.count(faulty, "SELECT count(*) FROM calls WHERE outcome = 'abandoned' AND agent IS NULL") > 0)
            let served = await harness.simulator.meiqia.recordCount
            #expect(served > harness.simulator.meiqiaCalls)
            #expect(try await faulty.callCount(source: "meiqia") == served - 1)

            await harness.simulator.meiqia.setFaults(FaultPlan())
            let (clean, _) = try await sync(harness, "meiqia-clean")
            #expect(try await SyncHarness.rows(faulty) == (try await SyncHarness.rows(clean)))

            // Dimensions: agent names and number aliases, never the seats' SIP passwords.
            let (agents, numbers, leakedRaw) = try await faulty.read { db in
                (try String.fetchAll(db, sql: "SELECT name FROM source_agents ORDER BY agent_id"),
                 try String.fetchAll(db, sql: "SELECT name || '/' || coalesce(group_name, '') FROM source_numbers ORDER BY number"),
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM raw_records WHERE payload LIKE '%sip-secret%'") ?? 0)
            }
            let pages = try await SyncHarness.rawRecords(faulty).pages
            #expect(!pages.isEmpty)
            let leaked = leakedRaw + pages.filter { $0.contains("sip-secret") }.count
            #expect(agents == ["王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊"])
            #expect(numbers == ["售前热线/上海号码组", "售后热线/上海号码组", "回访专线/回访号码组"])
            #expect(leaked == 0)
            let databaseText = try Data(contentsOf: URL(fileURLWithPath: faulty.path))
            #expect(databaseText.range(of: Data("sip-secret".utf8)) == nil)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test func aWrongTokenShowsMeiqiasMessage() async throws {
        let harness = try await SyncHarness.start()
        let config = try configuration(harness, "meiqia-token")
        let result = try await CalltrailBinary.run(["sync", "--config", config.path],
                                                   environment: [Self.tokenVariable: "revoked-token-123"])
        await harness.stop()
        #expect(result.status == 1, "refused credentials fail the source, not the configuration (issue #33)")
        #expect(result.stderr == "calltrail: meiqia rejected the token (HTTP 401: Unauthenticated: access token 无效或已被重置): check the token that password_env or password_file of source 'meiqia' names (a newly fetched token revokes the old one)\n")
        #expect(!result.stderr.contains("revoked-token-123"))
    }
}
