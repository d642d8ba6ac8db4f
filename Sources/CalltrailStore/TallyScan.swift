import CalltrailCore
import Foundation
import GRDB
import GRDBSQLite

/// One interval tally as a report reads it (`CallStore.scanTallies`): its slot on the scope's clock, its
/// queue and number, the T and S it is measured against, its counts and sums, and its waits.
public struct ScannedTally: Sendable {
    public var slotUTC = 0
    /// The slot's start on the scope's clock (`slotUTC` plus the offset in force then), and that offset.
    public var localSeconds = 0
    public var offset = 0
    public var queue: String?
    public var did: String?
    /// T and S: its queue's own (`queue_settings`), else the scope's.
    public var threshold = 0.0
    public var shortAbandon = 0.0
    public var offered = 0, answered = 0, abandoned = 0, transferred = 0
    /// Answered (abandoned) calls with a wait, and their waits' sum.
    public var answeredWaited = 0, answeredWait = 0.0, abandonedWaited = 0, abandonedWait = 0.0
    public var maxWait: Double?
    /// Answered calls' talk + hold + wrap, talk, and hold.
    public var handle = 0.0, talk = 0.0, hold = 0.0
    /// Each distinct wait of its answered (abandoned) calls with their count; nil: counted without a wait.
    public var answeredWaits: [(wait: Double?, calls: Int)] = []
    public var abandonedWaits: [(wait: Double?, calls: Int)] = []

    public init() {}
}

/// The period and measures a scan covers: `[from, to)` on slot boundaries (a report's days and
/// intervals are), T and S where a queue has none of its own, and the queues kept (none: all).
public struct TallyScope: Sendable {
    public var zone: TimeZone
    public var from: Date
    public var to: Date
    public var threshold: Double
    public var shortAbandon: Double
    public var queues: [String]

    public init(zone: TimeZone, from: Date, to: Date, threshold: Double, shortAbandon: Double, queues: [String] = []) {
        self.zone = zone
        self.from = from
        self.to = to
        self.threshold = threshold
        self.shortAbandon = shortAbandon
        self.queues = queues
    }

    /// `:queues` as the scans bind it: a JSON array, or nil for every queue.
    var queuesJSON: String? {
        get throws { queues.isEmpty ? nil : String(decoding: try JSONEncoder().encode(queues), as: UTF8.self) }
    }
}

/// What a scan hands the tallies to, on its reading thread: one object per scan, used by that thread alone.
public protocol TallyScanSink: AnyObject, Sendable {
    /// A tally, in order of its slot.
    func take(_ tally: ScannedTally) throws
}

/// Reads the tallies of a scope in slot order, each with its waits, through SQLite's C API: a year is
/// 100 k tallies and 2.7 M wait rows, read once for every grain of a report instead of joined and
/// sorted again per grain (4 s a grain for a year). Two statements walk the same tallies in the same
/// order, one for their columns and one for their waits alone, merged by tally: a wait row then carries
/// 4 columns, not 22. The order is that of the indexes (the zone's periods by start, each one's slots
/// by `call_tallies_by_slot`), so SQLite sorts nothing.
struct TallyScan {
    /// The scope's tallies, each slot with the offset in force at its start (time_zone_offsets, a range
    /// join over the zone's few periods) and its queue's T and S (queue_settings, else the scope's).
    static let tallies = """
        SELECT t.id, t.slot_utc, z.offset_s, t.queue, t.did,
               coalesce(q.threshold_s, :threshold), coalesce(q.short_abandon_s, :short_abandon),
               t.offered, t.answered, t.abandoned, t.transferred, t.answered_waited, t.answered_wait_s,
               t.abandoned_waited, t.abandoned_wait_s, t.max_wait_s, t.handle_s, t.talk_s, t.hold_s
        FROM time_zone_offsets z
        CROSS JOIN call_tallies t ON t.slot_utc >= z.from_utc AND t.slot_utc < z.to_utc
        LEFT JOIN queue_settings q ON q.queue = t.queue
        WHERE z.zone = :tz AND t.slot_utc >= :from AND t.slot_utc < :to
          AND (:queues IS NULL OR t.queue IN (SELECT value FROM json_each(:queues)))
        ORDER BY z.from_utc, t.slot_utc, t.id
        """

    /// The waits of the same tallies, in the same order.
    static let waits = """
        SELECT t.id, w.outcome = 'answered', w.wait_s, w.calls
        FROM time_zone_offsets z
        CROSS JOIN call_tallies t ON t.slot_utc >= z.from_utc AND t.slot_utc < z.to_utc
        JOIN call_tally_waits w ON w.tally = t.id
        WHERE z.zone = :tz AND t.slot_utc >= :from AND t.slot_utc < :to
          AND (:queues IS NULL OR t.queue IN (SELECT value FROM json_each(:queues)))
        ORDER BY z.from_utc, t.slot_utc, t.id
        """

    static func forEach(_ db: Database, _ scope: TallyScope, _ body: (ScannedTally) throws -> Void) throws {
        let scoped: [String: (any DatabaseValueConvertible)?] = [
            "from": scope.from.timeIntervalSince1970, "to": scope.to.timeIntervalSince1970, "queues": try scope.queuesJSON, "tz": scope.zone.identifier,
        ]
        let talliesStatement = try db.makeStatement(sql: tallies)
        try talliesStatement.setArguments(StatementArguments(scoped.merging(["threshold": scope.threshold, "short_abandon": scope.shortAbandon]) { $1 }))
        let waitsStatement = try db.makeStatement(sql: waits)
        try waitsStatement.setArguments(StatementArguments(scoped))
        var tally = ScannedTally()
        try TalliesWithWaits.forEach(tallies: talliesStatement, waits: waitsStatement) { row in
            tally.slotUTC = row.int(1)
            tally.offset = row.int(2)
            tally.localSeconds = tally.slotUTC + tally.offset
            tally.queue = row.text(3)
            tally.did = row.text(4)
            tally.threshold = row.double(5)
            tally.shortAbandon = row.double(6)
            (tally.offered, tally.answered, tally.abandoned, tally.transferred) = (row.int(7), row.int(8), row.int(9), row.int(10))
            (tally.answeredWaited, tally.answeredWait) = (row.int(11), row.double(12))
            (tally.abandonedWaited, tally.abandonedWait) = (row.int(13), row.double(14))
            tally.maxWait = row.real(15)
            (tally.handle, tally.talk, tally.hold) = (row.double(16), row.double(17), row.double(18))
            tally.answeredWaits.removeAll(keepingCapacity: true)
            tally.abandonedWaits.removeAll(keepingCapacity: true)
        } wait: { row in
            let wait = (wait: row.real(2), calls: row.int(3))
            if row.int(1) != 0 { tally.answeredWaits.append(wait) } else { tally.abandonedWaits.append(wait) }
        } ended: {
            try body(tally)
        }
    }
}

/// Steps a statement of tallies and one of their waits together: both list the same tallies in the
/// same order, their first column the tally's id, and a tally's waits follow each other (a tally
/// without any has no row among them). For each tally: `tally` with its row, `wait` with each of its
/// waits' rows, then `ended`.
enum TalliesWithWaits {
    /// The row a statement stands on, read by column through SQLite's C API.
    struct Row {
        let handle: OpaquePointer?
        func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
        func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
        func real(_ column: Int32) -> Double? { sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_double(handle, column) }
        func text(_ column: Int32) -> String? { bytes(handle, column).map { String(decoding: $0, as: UTF8.self) } }
    }

    static func forEach(tallies: Statement, waits: Statement, tally: (Row) throws -> Void, wait: (Row) throws -> Void,
                        ended: () throws -> Void) throws {
        let talliesHandle = tallies.sqliteStatement, waitsHandle = waits.sqliteStatement
        defer {
            sqlite3_reset(talliesHandle)
            sqlite3_reset(waitsHandle)
        }
        // `Statement.sql` is made anew from SQLite's text each time it is read: only for an error.
        func step(_ statement: Statement, _ handle: OpaquePointer?) throws -> Bool {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return false }
            guard code == SQLITE_ROW else { throw stepFailure(code, handle, statement.sql) }
            return true
        }
        var waitsLeft = try step(waits, waitsHandle)
        while try step(tallies, talliesHandle) {
            let id = sqlite3_column_int64(talliesHandle, 0)
            try tally(Row(handle: talliesHandle))
            while waitsLeft, sqlite3_column_int64(waitsHandle, 0) == id {
                try wait(Row(handle: waitsHandle))
                waitsLeft = try step(waits, waitsHandle)
            }
            try ended()
        }
        if waitsLeft { throw DatabaseError(message: "tally waits read out of their tallies' order", sql: waits.sql) }
    }
}

extension CallStore {
    /// Hands the tallies of `scope` to `sink` in slot order, read on one reader connection; refreshed
    /// first (unless the caller just did: `refreshed`), so they equal the calls as they are now.
    public func scanTallies(_ scope: TallyScope, refreshed: Bool = false, into sink: TallyScanSink) async throws {
        try await ensureTimeZone(scope.zone)
        if !refreshed { try await refreshTallies(keepingTheirZoneOr: scope.zone) }
        try await read { db in try TallyScan.forEach(db, scope) { try sink.take($0) } }
    }
}
