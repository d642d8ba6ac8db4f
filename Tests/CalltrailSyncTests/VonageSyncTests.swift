import CalltrailCore
import CalltrailSimulator
import CalltrailStore
import CalltrailTestSupport
import CalltrailVendors
import Foundation
import Logging
import Testing

/// Vonage against the simulator: OAuth renewal when a token lapses, the versioned Accept header,
/// `upTo` continuation, a total that grows mid-window, the client refused.
@Suite(.serialized) struct VonageSyncTests {
    static let secretVariable = "CALLTRAIL_TEST_VONAGE_SECRET"

    func configuration(_ harness: SyncHarness, _ name: String, windowHours: Int = 24) throws -> URL {
        try harness.configuration(name, kind: "vonage", lines: ["user = \"\(harness.simulator.options.vonageClientID)\"",
                                                              "password_env = \"\(Self.secretVariable)\"", "window_hours = \(windowHours)"])
    }

    func sync(_ harness: SyncHarness, _ name: String, windowHours: Int = 24) async throws -> (CallStore, [SyncRun]) {
        setenv(Self.secretVariable, harness.simulator.options.vonageClientSecret, 1)
        return try await harness.sync(configuration: try configuration(harness, name, windowHours: windowHours), to: SyncHarness.end)
    }

    @Test(.timeLimit(.minutes(3)))
    func everyFaultOnStoresEveryInteractionOnceAndMatchesACleanRead() async throws {
        var faults = FaultPlan.all
        faults.slowSeconds = 1.0
        let harness = try await SyncHarness.start(faults: faults, seed: 11)
        do {
            // One 24-hour window holds more than the simulator answers at once: it says `upTo`.
            setenv(Self.secretVariable, harness.simulator.options.vonageClientSecret, 1)
            let (faulty, run) = try await harness.syncUntilOK(configuration: try configuration(harness, "vonage-faulty"))
            #expect(run.status == .ok, "\(run.lastError ?? "")")
            #expect(run.windows >= 2, "the window was continued from upTo")
            #expect(run.retries > 0, "429s, 500s, timeouts and lapsed tokens")
            #expect(run.rereads > 0)
            let served = await harness.simulator.vonage.recordCount
            #expect(served > harness.simulator.vonageCalls)
            #expect(try await faulty.callCount(source: "vonage") == served - 1)
            let cursor = try #require(try await faulty.cursor(source: "vonage", endpoint: "stats/interactions"))
            #expect(cursor.completeUntil == SyncHarness.end)

            await harness.simulator.vonage.setFaults(FaultPlan())
            let (clean, _) = try await sync(harness, "vonage-clean", windowHours: 6)
            #expect(try await SyncHarness.rows(faulty) == (try await SyncHarness.rows(clean)))
            let offered = try await SyncHarness.count(clean, "SELECT count(*) FROM calls WHERE queued_at IS NOT NULL")
            let deflected = try await SyncHarness.count(clean, "SELECT count(*) FROM calls WHERE outcome = 'deflected'")
            #expect(offered > 0)
            #expect(deflected > 0, "callbacks booked in the queue")
            // Interactions that ended in the IVR (a label the mapping never saw) are abandoned and not
            // offered; breakouts to voicemail are voicemail; nothing inbound is left unknown.
            #expect(try await SyncHarness.count(clean, "SELECT count(*) FROM calls WHERE direction = 'inbound' AND outcome = 'unknown'") == 0)
            #expect(try await SyncHarness.count(clean, "SELECT count(*) FROM calls WHERE disposition = 'EndedInIVR' AND outcome = 'abandoned' AND queued_at IS NULL") > 0)
            #expect(try await SyncHarness.count(clean, "SELECT count(*) FROM calls WHERE outcome = 'voicemail'") > 0)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test func aWrongClientSecretIsRefused() async throws {
        let harness = try await SyncHarness.start()
        let config = try configuration(harness, "vonage-secret")
        let result = try await CalltrailBinary.run(["sync", "--config", config.path], environment: [Self.secretVariable: "not-the-secret"])
        await harness.stop()
        #expect(result.status == 1, "refused credentials fail the source, not the configuration (issue #33)")
        #expect(result.stderr == "calltrail: vonage rejected the credentials of user 'demo-vonage-client' (HTTP 400: invalid_client): check user and the password that password_env or password_file of source 'vonage' names\n")
    }
}
