import CalltrailCore
import Foundation
import GRDB

/// What one listing response brought, ready to store: every record as sent (`raw`), the calls decoded
/// from them with each one's position in `raw`, and the records that map to no call with their error.
public struct PageRecords: Sendable {
    public var raw: RawPage
    public var calls: [CallRecord]
    /// The index in `raw`'s array of each call's record.
    public var positions: [Int]
    public var failures: [RawRecord]

    public init(raw: RawPage, calls: [CallRecord], positions: [Int], failures: [RawRecord]) {
        precondition(calls.count == positions.count, "a position per call")
        self.raw = raw
        self.calls = calls
        self.positions = positions
        self.failures = failures
    }

    /// Records in the page, decodable or not.
    public var count: Int { raw.records }

    /// The key of every record: the call's id, or the failed record's key.
    public var keys: [String] { calls.map(\.callID) + failures.map(\.key) }
}

/// Pages as the sync engine commits them, in reading order, with the cursor move and run counters of
/// the last of them. A commit without pages moves the cursor alone (a window closed).
public struct PageCommit: Sendable {
    public struct Page: Sendable {
        /// The window the page was read in, and the offset it was read at.
        public var window: DateInterval
        public var offset: Int
        public var records: PageRecords

        public init(window: DateInterval, offset: Int, records: PageRecords) {
            self.window = window
            self.offset = offset
            self.records = records
        }
    }

    public var source: String
    public var pages: [Page]
    /// The cursor move the pages make (it never moves back); nil when they make none, and always for a
    /// case sync, which leaves the cursor where it was.
    public var cursor: SyncCursor?
    /// What the pages do to their windows' rows, in order; empty for a case sync.
    public var windows: [SyncWindow.Change]
    public var run: SyncRun

    public init(source: String, pages: [Page], cursor: SyncCursor? = nil, windows: [SyncWindow.Change] = [], run: SyncRun) {
        self.source = source
        self.pages = pages
        self.cursor = cursor
        self.windows = windows
        self.run = run
    }

    /// Consecutive commits of one source as one: their pages and window changes in order (a record
    /// read twice keeps its later version), the latest cursor move and the run counters of the last.
    public init(merging commits: [PageCommit]) {
        precondition(!commits.isEmpty, "nothing to commit")
        guard commits.count > 1 else { self = commits[0]; return }
        let last = commits[commits.count - 1]
        self.init(source: last.source, pages: commits.flatMap(\.pages), cursor: commits.last(where: { $0.cursor != nil })?.cursor,
                  windows: commits.flatMap(\.windows), run: last.run)
    }

    public var recordCount: Int { pages.reduce(0) { $0 + $1.records.count } }
}

extension PageCommit {
    /// Writes the pages' calls, raw pages and failed records, and the cursor and run, in the caller's
    /// transaction.
    func insert(_ db: Database) throws {
        let now = Date()
        let pageRows = try BoundStatement(db, sql: RawPage.insertSQL)
        let calls = try CallUpsert(db)
        let failures = try BoundStatement(db, sql: RawRecord.upsertSQL)
        // A record that failed before and decodes now loses its failure row; the lookup is only made
        // while the source has failures at all (a partial index answers that at once).
        let hadFailures = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM raw_records WHERE source = ? AND decode_error IS NOT NULL)",
                                            arguments: [source]) ?? false
        let resolved = hadFailures ? try BoundStatement(db, sql: RawRecord.deleteFailureSQL) : nil
        for page in pages {
            let records = page.records
            pageRows.bind(source)
            pageRows.bind(page.window.start.timeIntervalSince1970)
            pageRows.bind(page.offset)
            pageRows.bind(now.timeIntervalSince1970)
            pageRows.bind(records.count)
            pageRows.bind(records.raw.bytes)
            pageRows.bind(records.raw.body)
            try pageRows.step(db)
            let pageID = Int(db.lastInsertedRowID)
            for (call, position) in zip(records.calls, records.positions) {
                try calls.upsert(call, syncedAt: now, rawPage: pageID, rawIndex: position, db)
                if let resolved {
                    resolved.bind(source)
                    resolved.bind(call.callID)
                    try resolved.step(db)
                }
            }
            for failure in records.failures {
                try failure.upsert(db, statement: failures, source: source, windowStart: page.window.start, fetchedAt: now)
            }
        }
        for change in windows { try change.apply(db) }
        try cursor?.advance(db)
        try run.update(db)
    }
}

/// Cursors, runs and page commits: the sync contract's storage side.
extension CallStore {
    public func cursor(source: String, endpoint: String) async throws -> SyncCursor? {
        try await read { db in
            try SyncCursor.fetchOne(db, key: ["source": source, "endpoint": endpoint])
        }
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

    /// The keys of the records of `source` stored while reading the window that starts at
    /// `windowStart`: what a run that resumes the window had read of it before it stopped. A scan of
    /// the source's calls, made only when a run resumes inside a window.
    public func recordKeys(source: String, windowStart: Date) async throws -> Set<String> {
        try await read { db in
            let start = windowStart.timeIntervalSince1970
            let keys = try String.fetchAll(db, sql: """
                SELECT call_id FROM calls
                WHERE source = ? AND raw_page IN (SELECT id FROM raw_pages WHERE source = ? AND window_start = ?)
                UNION
                SELECT record_key FROM raw_records WHERE source = ? AND window_start = ? AND decode_error IS NOT NULL
                """, arguments: [source, source, start, source, start])
            return Set(keys)
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
