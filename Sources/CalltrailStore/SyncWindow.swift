import CalltrailCore
import Foundation
import GRDB

/// A window of a source that a run is reading, or has read to its end while an earlier window is
/// still open. Its pages and its row are written in one transaction, so a run killed with several
/// windows in flight resumes each at its next page; the cursor's `completeUntil` moves only over the
/// contiguous prefix of finished windows, whose rows are then removed.
public struct SyncWindow: Codable, Sendable, Equatable, CalltrailRecord, PersistableRecord {
    public static let databaseTableName = "sync_windows"

    public var source: String
    public var endpoint: String
    public var windowStart: Date
    public var windowEnd: Date
    /// The offset of the window's next page.
    public var nextOffset: Int
    /// Which read of the window this is: a window whose count does not add up is read again.
    public var pass: Int
    /// Read to its end; kept until every window before it is finished too.
    public var finished: Bool
    public var updatedAt: Date

    public init(source: String, endpoint: String, window: DateInterval, nextOffset: Int = 0, pass: Int = 1,
                finished: Bool = false, updatedAt: Date = Date()) {
        self.source = source
        self.endpoint = endpoint
        self.windowStart = window.start
        self.windowEnd = window.end
        self.nextOffset = nextOffset
        self.pass = pass
        self.finished = finished
        self.updatedAt = updatedAt
    }

    public var window: DateInterval { DateInterval(start: windowStart, end: max(windowStart, windowEnd)) }

    /// What a page commit does to the rows: a window's progress saved, or a finished window removed
    /// once the cursor has moved past it.
    public enum Change: Sendable, Equatable {
        case save(SyncWindow)
        case remove(source: String, endpoint: String, windowStart: Date)
    }
}

extension SyncWindow.Change {
    func apply(_ db: Database) throws {
        switch self {
        case .save(let window):
            try window.save(db)
        case .remove(let source, let endpoint, let windowStart):
            try db.execute(sql: "DELETE FROM sync_windows WHERE source = ? AND endpoint = ? AND window_start = ?",
                           arguments: [source, endpoint, windowStart.timeIntervalSince1970])
        }
    }
}

extension CallStore {
    /// The windows a stopped run left, in order: open ones to resume, finished ones to skip. Finished
    /// windows behind the cursor are dropped first: the lookback reads them again on purpose.
    public func syncWindows(source: String, endpoint: String) async throws -> [SyncWindow] {
        try await write { db in
            let until = try Double.fetchOne(db, sql: "SELECT complete_until FROM sync_cursors WHERE source = ? AND endpoint = ?",
                                            arguments: [source, endpoint])
            if let until {
                try db.execute(sql: "DELETE FROM sync_windows WHERE source = ? AND endpoint = ? AND finished AND window_start < ?",
                               arguments: [source, endpoint, until])
            }
            return try SyncWindow
                .filter(Column("source") == source && Column("endpoint") == endpoint)
                .order(Column("window_start"))
                .fetchAll(db)
        }
    }

    /// An operator's close of a window a run left open because its count never held
    /// (`calltrail sync --close-window`): the window's row is marked finished, so the next run's cursor
    /// moves over it, and a `sync_runs` row says who closed it, when, and why, in the same transaction.
    /// `second` is the window's start to the second (as the run's error printed it). Nil when the
    /// source has no open window starting then.
    public func closeSyncWindow(source: String, startingIn second: Date, user: String, reason: String) async throws -> (window: SyncWindow, run: SyncRun)? {
        try await write { db in
            let from = second.timeIntervalSince1970.rounded(.down)
            guard var window = try SyncWindow
                .filter(Column("source") == source && !Column("finished") && Column("window_start") >= from && Column("window_start") < from + 1)
                .fetchOne(db) else { return nil }
            window.finished = true
            window.updatedAt = Date()
            try window.update(db)
            let utc = TimeZone(identifier: "UTC")!
            var run = SyncRun(source: source, rangeFrom: window.windowStart, rangeTo: window.windowEnd)
            run.status = .ok
            run.finishedAt = Date()
            run.warnings = ["window \(LocalDateTime.iso8601(window.windowStart, in: utc))–\(LocalDateTime.iso8601(window.windowEnd, in: utc)) closed by \(user) with --close-window, its count unmatched: \(reason)"]
            try run.insert(db)
            return (window, run)
        }
    }
}

extension CallStore {
    /// Every source's cursor and the windows in flight beyond it, read from the file at `path` opened
    /// read-only, never migrated or created (a dry run must change nothing); empty when the file predates
    /// the tables.
    public static func syncState(readingOnly path: String) throws -> (cursors: [SyncCursor], windows: [SyncWindow]) {
        var options = GRDB.Configuration()
        options.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: options)
        return try queue.read { db in
            let cursors = try db.tableExists("sync_cursors") ? try SyncCursor.fetchAll(db) : []
            let windows = try db.tableExists("sync_windows") ? try SyncWindow.order(Column("window_start")).fetchAll(db) : []
            return (cursors, windows)
        }
    }
}
