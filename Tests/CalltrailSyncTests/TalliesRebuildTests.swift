import CalltrailCore
@_spi(Connections) import CalltrailStore
import CalltrailTestSupport
import Foundation
import GRDB
import Testing

/// `calltrail sync` leaves the interval tallies up to date, and `calltrail tallies rebuild` remakes every
/// one from the calls: the tallies then count every offered call once. Both on the real binary.
@Suite struct TalliesRebuildTests {
    @Test(.timeLimit(.minutes(3)))
    func rebuildRemakesTheTalliesFromTheCalls() async throws {
        let harness = try await SyncHarness.start()
        do {
            try await rebuild(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    func rebuild(_ harness: SyncHarness) async throws {
        // A whole run against the simulator: a generous request timeout, not the harness's 0.5 s, so the
        // suite's load cannot time it out.
        let config = try harness.configuration("tallies", overrides: ["timeout_seconds": "20"])
        let sync = try await CalltrailBinary.run(["sync", "--config", config.path, "--to", "2026-03-03"])
        #expect(sync.status == 0, "\(sync.stderr)")
        let store = try CallStore(path: harness.folder.appendingPathComponent("tallies.sqlite").path)
        // A tally nobody should trust: the rebuild must not keep it.
        // The sync brought them up to date itself (the sqlite3 shell's queries read them).
        #expect(try await store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM call_tallies") ?? 0 } > 0)
        #expect(try await store.refreshTallies(zone: SyncHarness.zone).hours == 0, "nothing left stale by the sync")
        try await store.write { db in
            try db.execute(sql: "UPDATE call_tallies SET offered = offered + 1000")
        }
        let rebuild = try await CalltrailBinary.run(["tallies", "rebuild", "--config", config.path])
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
        #expect(rebuild.stdout.hasSuffix("hours, on America/Montevideo\n"), "\(rebuild.stdout)")
        let (tallied, offered) = try await store.read { db in
            (try Int.fetchOne(db, sql: "SELECT sum(offered) FROM call_tallies") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM calls WHERE direction = 'inbound' AND queued_at IS NOT NULL") ?? 0)
        }
        #expect(offered > 0)
        #expect(tallied == offered)
    }
}
