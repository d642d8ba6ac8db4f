import CalltrailCore
import Foundation
import GRDB

/// A page as the sync engine commits it: its calls, their raw records, and where the cursor moves.
public struct PageCommit: Sendable {
    public var source: String
    public var window: DateInterval
    public var calls: [CallRecord]
    public var raws: [RawRecord]
    public var cursor: SyncCursor
    public var run: SyncRun

    public init(source: String, window: DateInterval, calls: [CallRecord], raws: [RawRecord], cursor: SyncCursor, run: SyncRun) {
        self.source = source
        self.window = window
        self.calls = calls
        self.raws = raws
        self.cursor = cursor
        self.run = run
    }

    /// Consecutive pages of one window as one commit: their rows in reading order (a record read
    /// twice keeps its later version), the cursor and run counters of the last page.
    public init(merging pages: [PageCommit]) {
        precondition(!pages.isEmpty, "nothing to commit")
        guard pages.count > 1 else { self = pages[0]; return }
        let last = pages[pages.count - 1]
        self.init(source: last.source, window: last.window, calls: pages.flatMap(\.calls), raws: pages.flatMap(\.raws),
                  cursor: last.cursor, run: last.run)
    }
}

/// Cursors, runs and page commits: the sync contract's storage side.
extension CallStore {
    public func cursor(source: String, endpoint: String) async throws -> SyncCursor? {
        try await read { db in
            try SyncCursor.fetchOne(db, key: ["source": source, "endpoint": endpoint])
        }
    }

    public func saveCursor(_ cursor: SyncCursor) async throws {
        try await write { db in try cursor.save(db) }
    }

    public func startRun(_ run: SyncRun) async throws -> SyncRun {
        try await write { db in
            var run = run
            try run.insert(db)
            return run
        }
    }

    public func saveRun(_ run: SyncRun) async throws {
        try await write { db in try run.update(db) }
    }

    /// The page's calls, raw records, cursor move and run counters in one transaction:
    /// a kill at any moment leaves either all of them or none.
    public func commit(_ page: PageCommit) async throws {
        try await write { db in
            let now = Date()
            var calls = try BoundStatement(db, sql: CallRecord.upsertSQL)
            for call in page.calls { try call.upsert(db, statement: &calls, syncedAt: now) }
            var raws = try BoundStatement(db, sql: RawRecord.upsertSQL)
            for raw in page.raws { try raw.upsert(db, statement: &raws, source: page.source, windowStart: page.window.start, fetchedAt: now) }
            try page.cursor.save(db)
            try page.run.update(db)
        }
    }

    /// How many distinct records of `source` were stored while reading the window that starts at
    /// `windowStart`: compared with the vendor's count to find rows that shifted between pages.
    public func distinctRecords(source: String, windowStart: Date) async throws -> Int {
        try await read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM raw_records WHERE source = ? AND window_start = ?",
                             arguments: [source, windowStart.timeIntervalSince1970]) ?? 0
        }
    }

    public func runs(source: String? = nil) async throws -> [SyncRun] {
        try await read { db in
            if let source {
                return try SyncRun.filter(Column("source") == source).order(Column("id")).fetchAll(db)
            }
            return try SyncRun.order(Column("id")).fetchAll(db)
        }
    }
}
