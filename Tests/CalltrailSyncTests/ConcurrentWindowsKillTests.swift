import CalltrailCore
import CalltrailSimulator
@_spi(Connections) import CalltrailStore
import CalltrailTestSupport
import Foundation
import GRDB
import Testing

/// A real `calltrail sync` reading eight windows at once, killed with SIGKILL while all eight wait for
/// a page, then run again: every call once, every page read once, the cursor at the end.
@Suite(.serialized) struct ConcurrentWindowsKillTests {
    @Test(.timeLimit(.minutes(3)))
    func aSyncKilledWithEightWindowsInFlightResumesEachAtItsNextPage() async throws {
        var hanging = FaultPlan()
        hanging.hangAfterRequests = 20
        let harness = try await SyncHarness.start(faults: hanging)
        do {
            // One-hour windows of ten records: twenty answered requests finish the quiet night hours
            // and leave eight windows part-read. No lookback, so a page read twice is a resume's fault.
            let config = try harness.configuration("killed", overrides: [
                "timeout_seconds": "60", "window_hours": "1", "page_size": "10", "concurrency": "8", "lookback_minutes": "0",
            ])
            let arguments = ["sync", "--config", config.path, "--to", "2026-03-03"]
            let (process, _, _) = try CalltrailBinary.start(arguments)
            let databasePath = harness.folder.appendingPathComponent("killed.sqlite").path
            var committed = 0
            for _ in 0..<600 {
                let served = await harness.simulator.ucontact.listingRequestCount
                if served >= 28, FileManager.default.fileExists(atPath: databasePath) {
                    let queue = try DatabaseQueue(path: databasePath)
                    committed = try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM raw_pages") ?? 0 }
                    if committed == 20 { break }
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(committed == 20, "twenty pages stored before the kill")
            #expect(await harness.simulator.ucontact.listingRequestCount == 28, "eight requests hang, one per window")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)

            let store = try CallStore(path: databasePath)
            let open = try await store.syncWindows(source: "ucontact", endpoint: "Cdr/getrecords")
            // A window whose first request hangs has no row yet; it starts again from its beginning.
            #expect((4...8).contains(open.count), "the kill left the windows with stored pages open: \(open.count)")
            #expect(open.allSatisfy { !$0.finished && $0.nextOffset > 0 && $0.nextOffset % 10 == 0 })
            for row in open {
                let pages = try await SyncHarness.count(store, "SELECT count(*) FROM raw_pages WHERE window_start = \(row.windowStart.timeIntervalSince1970)")
                #expect(pages * 10 == row.nextOffset, "each row stands at the page after its last stored one")
            }
            // The cursor stands before the first open window: only finished windows are behind it.
            let before = try await store.cursor(source: "ucontact", endpoint: "Cdr/getrecords")?.completeUntil
            #expect(before.map { $0 <= open[0].windowStart } ?? true)

            await harness.simulator.ucontact.setFaults(FaultPlan())
            let again = try await CalltrailBinary.run(arguments)
            #expect(again.status == 0, "\(again.stderr)")

            let (reference, _) = try await harness.sync("uninterrupted")
            let resumedRows = try await SyncHarness.rows(store)
            #expect(resumedRows.count == harness.simulator.generatedCalls)
            #expect(resumedRows == (try await SyncHarness.rows(reference)), "nothing lost, nothing stored twice")
            // Every page was read once: the resumed windows went on at their rows' offsets.
            #expect(try await SyncHarness.count(store, """
                SELECT count(*) FROM (SELECT window_start, page_offset FROM raw_pages GROUP BY 1, 2 HAVING count(*) > 1)
                """) == 0)
            #expect(try await SyncHarness.count(store, "SELECT coalesce(sum(rereads), 0) FROM sync_runs") == 0)
            #expect(try await store.syncWindows(source: "ucontact", endpoint: "Cdr/getrecords").isEmpty)
            #expect(try await store.cursor(source: "ucontact", endpoint: "Cdr/getrecords")?.completeUntil == SyncHarness.end)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
