import CalltrailCore
import CalltrailSimulator
@_spi(Connections) import CalltrailStore
import CalltrailTestSupport
import Foundation
import GRDB
import Testing

/// A real `calltrail sync` process killed with SIGKILL between two pages, then run again.
@Suite(.serialized) struct KillResumeTests {
    /// `calltrail sync`, and `calltrail nightly` killed in its sync stage.
    @Test(.timeLimit(.minutes(3)), arguments: [["sync"], ["nightly", "--quiet"]])
    func aSyncKilledBetweenPagesResumesToTheRowsOfAnUninterruptedOne(_ command: [String]) async throws {
        var hanging = FaultPlan()
        hanging.hangAfterRequests = 4
        let harness = try await SyncHarness.start(faults: hanging)
        do {
            let config = try harness.configuration("killed", overrides: ["timeout_seconds": "60", "concurrency": "1"])
            let (process, _, _) = try CalltrailBinary.start(command + ["--config", config.path] + (command[0] == "sync" ? ["--to", "2026-03-03"] : []))
            // Wait until four pages are stored and the fifth request hangs (at most 60 s).
            let databasePath = harness.folder.appendingPathComponent("killed.sqlite").path
            var committed = 0
            for _ in 0..<600 {
                let served = await harness.simulator.ucontact.listingRequestCount
                if served > 4, FileManager.default.fileExists(atPath: databasePath) {
                    let queue = try DatabaseQueue(path: databasePath)
                    committed = try await queue.read { db in
                        try Int.fetchOne(db, sql: "SELECT coalesce(sum(pages), 0) FROM sync_runs") ?? 0
                    }
                    if committed == 4 { break }
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(committed == 4)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)

            let store = try CallStore(path: databasePath)
            let open = try await store.syncWindows(source: "ucontact", endpoint: "Cdr/getrecords").filter { !$0.finished }
            #expect(open.count == 1, "the kill left a window open")
            #expect(open.first?.nextOffset ?? 0 > 0)
            #expect(try await store.callCount() > 0)
            #expect(try await store.runs().first?.status == .running, "the killed run never finished")

            await harness.simulator.ucontact.setFaults(FaultPlan())
            let again = try await CalltrailBinary.run(command + ["--config", config.path] + (command[0] == "sync" ? ["--to", "2026-03-03"] : []))
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.contains(command[0] == "sync" ? "ucontact:" : "\"status\":\"ok\""))

            let (reference, _) = try await harness.sync("uninterrupted")
            let resumedRows = try await SyncHarness.rows(store)
            #expect(resumedRows.count == harness.simulator.generatedCalls)
            #expect(resumedRows == (try await SyncHarness.rows(reference)))
            let after = try #require(try await store.cursor(source: "ucontact", endpoint: "Cdr/getrecords"))
            #expect(try await store.syncWindows(source: "ucontact", endpoint: "Cdr/getrecords").isEmpty)
            if command[0] == "sync" { #expect(after.completeUntil == SyncHarness.end) }
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
