import CalltrailCore
@_spi(Connections) import CalltrailStore
import CalltrailTestSupport
import Foundation
import GRDB
import Testing

/// Issue #33, item 1: the cursor never passes a record that is not stored. Against an independent
/// vendor (a loopback Meiqia the test fills) and the real binary; each test ends with a run that
/// stores every record exactly once.
@Suite(.serialized) struct CursorHoldsTests {
    let folder: URL
    /// A whole hour three days ago: the first window's start.
    let day: Date

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-cursor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        day = Date(timeIntervalSince1970: ((Date().timeIntervalSince1970 - 3 * 86_400) / 3600).rounded(.down) * 3600)
    }

    func sync(_ vendor: HostileMeiqia, _ config: URL, _ arguments: [String] = []) async throws -> CalltrailBinary.Result {
        try await CalltrailBinary.run(["sync", "--config", config.path] + arguments, environment: [vendor.tokenVariable: vendor.token])
    }

    func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    func database(_ name: String) throws -> DatabaseQueue { try DatabaseQueue(path: folder.appendingPathComponent("\(name).sqlite").path) }

    /// (calls, distinct calls, the cursor's complete_until, open window rows).
    func state(_ name: String) throws -> (calls: Int, distinct: Int, cursor: Double?, open: Int) {
        try database(name).read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM calls") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(DISTINCT call_id) FROM calls") ?? 0,
             try Double.fetchOne(db, sql: "SELECT complete_until FROM sync_cursors"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM sync_windows WHERE NOT finished") ?? 0)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aToFarAheadIsCutAtNowAndALaterSyncStoresTheCallsAddedAfterIt() async throws {
        let vendor = try HostileMeiqia()
        defer { vendor.stop() }
        let now = Date()
        vendor.add("before-1", at: now.addingTimeInterval(-30 * 3600))
        vendor.add("before-2", at: now.addingTimeInterval(-5 * 3600))
        let settled = try vendor.configuration(in: folder, "ahead", since: day, lines: ["settle_minutes = 60"])
        let first = try await sync(vendor, settled, ["--to", iso(now.addingTimeInterval(200 * 86_400))])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("is later than now less settle_minutes: read up to"), "\(first.stdout)")
        let cut = try state("ahead")
        #expect(cut.calls == 2)
        #expect((cut.cursor ?? .infinity) <= Date().timeIntervalSince1970, "the cursor stops at now − settle, not 200 days ahead")

        // Tomorrow's calls, as far as this test can wait: one after the cut. A plain sync stores it.
        vendor.add("after", at: Date().addingTimeInterval(-30 * 60))
        let plain = try vendor.configuration(in: folder, "ahead", since: day)
        let next = try await sync(vendor, plain)
        #expect(next.status == 0, "\(next.stderr)")
        let after = try state("ahead")
        #expect(after.calls == 3, "the call added after the cut is stored")
        #expect(after.distinct == after.calls)
    }

    @Test(.timeLimit(.minutes(2)))
    func aWindowWhoseCountNeverHoldsStaysOpenAndIsReadAgainUntilItDoes() async throws {
        let vendor = try HostileMeiqia()
        defer { vendor.stop() }
        vendor.add("a", at: day.addingTimeInterval(2 * 3600))
        vendor.add("b", at: day.addingTimeInterval(3 * 3600))
        vendor.addPhantom(at: day.addingTimeInterval(4 * 3600))
        vendor.add("c", at: day.addingTimeInterval(30 * 3600))
        let config = try vendor.configuration(in: folder, "short", since: day)
        let to = iso(day.addingTimeInterval(48 * 3600))

        let first = try await sync(vendor, config, ["--to", to])
        #expect(first.status == 1, "a window short of its count fails the source")
        #expect(first.stderr.contains("3 records listed, 2 distinct after 3 reads; left open"), "\(first.stderr)")
        let open = try state("short")
        #expect(open.calls == 3)
        #expect(open.open == 1, "the short window's row stays open")
        #expect(open.cursor == nil || open.cursor! <= day.timeIntervalSince1970, "the cursor does not pass the short window")

        let reads = vendor.listings(holding: day.addingTimeInterval(2 * 3600))
        let second = try await sync(vendor, config, ["--to", to])
        #expect(second.status == 1)
        #expect(vendor.listings(holding: day.addingTimeInterval(2 * 3600)) > reads, "the next run reads the window again")

        // The vendor serves the record it counted: the window's count holds, the cursor moves.
        vendor.removePhantoms()
        vendor.add("late", at: day.addingTimeInterval(4 * 3600))
        let third = try await sync(vendor, config, ["--to", to])
        #expect(third.status == 0, "\(third.stderr)")
        let done = try state("short")
        #expect(done.calls == 4)
        #expect(done.distinct == 4)
        #expect(done.cursor == day.addingTimeInterval(48 * 3600).timeIntervalSince1970)
        #expect(done.open == 0)
    }

    @Test(.timeLimit(.minutes(2)))
    func anOperatorClosesAWindowWhoseCountNeverHoldsWithALoggedCommand() async throws {
        let vendor = try HostileMeiqia()
        defer { vendor.stop() }
        vendor.add("a", at: day.addingTimeInterval(2 * 3600))
        vendor.addPhantom(at: day.addingTimeInterval(4 * 3600))
        vendor.add("c", at: day.addingTimeInterval(30 * 3600))
        let config = try vendor.configuration(in: folder, "closed", since: day)
        let to = iso(day.addingTimeInterval(48 * 3600))
        let first = try await sync(vendor, config, ["--to", to])
        #expect(first.status == 1)
        let pattern = try Regex("--close-window (\\S+) --reason")
        let start = try #require(first.stderr.firstMatch(of: pattern)?.output[1].substring.map(String.init))

        let refused = try await sync(vendor, config, ["--source", "meiqia", "--close-window", start])
        #expect(refused.status == 2, "closing without a reason is refused")
        let close = try await sync(vendor, config, ["--source", "meiqia", "--close-window", start, "--reason", "vendor counts a deleted call"])
        #expect(close.status == 0, "\(close.stderr)")
        #expect(close.stdout.contains("with --close-window, its count unmatched: vendor counts a deleted call"), "\(close.stdout)")
        let logged = try await database("closed").read { db in
            try String.fetchAll(db, sql: "SELECT warnings FROM sync_runs WHERE warnings LIKE '%--close-window%'")
        }
        #expect(logged.count == 1, "the close is logged in sync_runs")

        let next = try await sync(vendor, config, ["--to", to])
        #expect(next.status == 0, "\(next.stderr)")
        let done = try state("closed")
        #expect(done.calls == 2)
        #expect(done.distinct == 2)
        #expect(done.cursor == day.addingTimeInterval(48 * 3600).timeIntervalSince1970)
    }
}
