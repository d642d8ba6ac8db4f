import CalltrailCore
import Foundation
import GRDB

/// One row of the `recordings` ledger: where a call's audio stands.
public struct RecordingEntry: Codable, Sendable, Equatable, CalltrailRecord, PersistableRecord {
    public static let databaseTableName = "recordings"

    public enum State: String, Codable, Sendable, CaseIterable {
        case pending, found, converted, missing, failed
        /// Removed by retention (`removedBy` names the rule) or by an erasure request.
        case purged, erased

        /// Removed for good: never fetched, never written over.
        public var isRemoved: Bool { self == .purged || self == .erased }
    }

    public var source: String
    public var callId: String
    public var state: State
    /// `telephony-day`, `telephony`, `backup-day`, `backup`, or `url` for single-URL vendors.
    public var location: String?
    /// The format of the file found first: mp3, gsm, wav49, wav.
    public var formatFound: String?
    /// True when Calltrail transcoded the file itself.
    public var converted: Bool
    public var bytes: Int?
    public var durationS: Double?
    public var sha256: String?
    /// Relative to the recordings folder.
    public var path: String?
    public var attempts: Int
    public var lastError: String?
    public var updatedAt: Date?
    /// What the vendor served, before any conversion: the URL, its size and sha256. For an MP3 kept as
    /// it came they equal `bytes` and `sha256`; for a converted one they trace the MP3 to its source.
    public var originUrl: String?
    public var originBytes: Int?
    public var originSha256: String?
    /// What an operator should know of a file that was archived all the same (a truncated GSM file).
    public var note: String?
    /// When the file was last re-hashed and matched the ledger.
    public var verifiedAt: Date?
    /// When the file was removed (purged or erased), and under which rule.
    public var removedAt: Date?
    public var removedBy: String?
    /// The instant the call counts at, `coalesce(queued_at, started_at)` in Unix seconds as the calls
    /// table holds it (not a Date, which would round it): reports find a day's rows by it.
    public var callAt: Double?

    public init(source: String, callId: String, state: State = .pending, attempts: Int = 0) {
        self.source = source
        self.callId = callId
        self.state = state
        self.converted = false
        self.attempts = attempts
    }
}

/// A call whose recording is to be fetched, with what the resolver needs.
public struct RecordingCandidate: Sendable, Equatable {
    public var source: String
    public var callID: String
    public var recordingRef: String
    public var startedAt: Date
    /// `coalesce(queued_at, started_at)`, for the ledger row's `call_at`.
    public var attributedAt: Double
    public var agent: String?
    public var queue: String?
    public var customerNumber: String?
    public var entry: RecordingEntry?
}

/// A stored recording with its call, for pulls and verification.
public struct StoredRecording: Sendable, Equatable {
    public var entry: RecordingEntry
    public var startedAt: Date
    public var agent: String?
    public var customerNumber: String?
    public var durationS: Double?
}

extension CallStore {
    /// Calls with a recording reference whose recording is not stored yet (never tried, pending,
    /// missing or failed), oldest first. A purged or erased recording is never fetched again.
    public func recordingCandidates(_ filter: CallFilter) async throws -> [RecordingCandidate] {
        let (whereClause, arguments) = filter.sql()
        return try await read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.source, c.call_id, c.recording_ref, c.started_at, coalesce(c.queued_at, c.started_at) AS attributed_at,
                       c.agent, c.queue, c.customer_number, r.source AS r_source
                FROM calls c LEFT JOIN recordings r USING (source, call_id)
                WHERE c.recording_ref IS NOT NULL AND (r.state IS NULL OR r.state IN ('pending', 'missing', 'failed'))
                  AND \(whereClause)
                ORDER BY c.started_at, c.call_id
                """, arguments: arguments)
            return try rows.map { row in
                let source: String = row["source"], callID: String = row["call_id"]
                let entry = row["r_source"] as String? == nil ? nil
                    : try RecordingEntry.fetchOne(db, key: ["source": source, "call_id": callID])
                return RecordingCandidate(source: source, callID: callID, recordingRef: row["recording_ref"],
                                          startedAt: Date(timeIntervalSince1970: row["started_at"]), attributedAt: row["attributed_at"], agent: row["agent"],
                                          queue: row["queue"], customerNumber: row["customer_number"], entry: entry)
            }
        }
    }

    /// Stores a fetch's outcome, unless the row was erased or purged since the fetch read it (an
    /// erasure beside a fetch in flight): the state is compared and set in one write transaction, so
    /// nothing stores over `erased`. Returns false when refused; the caller removes what it archived.
    @discardableResult
    public func saveRecording(_ entry: RecordingEntry) async throws -> Bool {
        try await write { db in
            let current = try String.fetchOne(db, sql: "SELECT state FROM recordings WHERE source = ? AND call_id = ?",
                                              arguments: [entry.source, entry.callId]).flatMap(RecordingEntry.State.init(rawValue:))
            if let current, current.isRemoved { return false }
            try entry.save(db)
            return true
        }
    }

    /// The paths of every recording the ledger says was purged or erased (whose files may be left).
    public func removedRecordingPaths() async throws -> [String] {
        try await read { db in
            try String.fetchAll(db, sql: "SELECT path FROM recordings WHERE state IN ('purged', 'erased') AND path IS NOT NULL")
        }
    }

    /// Marks the recordings of these calls `erased` in the caller's transaction, whatever their state
    /// and whether or not a row exists yet (a call never fetched gets one), so no later fetch, retry or
    /// re-synced call downloads them; a purged row stays purged. The files named by `path` stay for
    /// the caller to remove; the row's last error is dropped (it may quote the vendor's URL).
    public static func markErased(_ calls: [(source: String, callID: String)], by rule: String, at: Date, _ db: Database) throws {
        let statement = try db.makeStatement(sql: """
            INSERT INTO recordings (source, call_id, state, removed_at, removed_by, updated_at, call_at)
            VALUES (?1, ?2, 'erased', ?3, ?4, ?3,
                    (SELECT coalesce(queued_at, started_at) FROM calls WHERE \(CallKey.sqlMatch(source: "?1", callID: "?2"))))
            ON CONFLICT (source, call_id) DO UPDATE
                SET state = 'erased', removed_at = excluded.removed_at, removed_by = excluded.removed_by,
                    updated_at = excluded.updated_at, last_error = NULL
                WHERE state <> 'purged'
            """)
        for call in calls { try statement.execute(arguments: [call.source, call.callID, at.timeIntervalSince1970, rule]) }
    }

    /// Masks each of `forms` (a customer's number as it may be written) in the vendor URL, the note and
    /// the last error of these calls' ledger rows (a URL can carry the number), in the caller's transaction.
    public static func maskNumber(_ forms: [String], inRecordingsOf calls: [(source: String, callID: String)], _ db: Database) throws {
        let statement = try db.makeStatement(sql: """
            UPDATE recordings SET origin_url = replace(origin_url, ?1, ?2), note = replace(note, ?1, ?2), last_error = replace(last_error, ?1, ?2)
            WHERE source = ?3 AND call_id = ?4 AND (instr(origin_url, ?1) > 0 OR instr(note, ?1) > 0 OR instr(last_error, ?1) > 0)
            """)
        for form in forms {
            let mask = String(repeating: "X", count: form.count)
            for call in calls { try statement.execute(arguments: [form, mask, call.source, call.callID]) }
        }
    }

    /// Stored recordings (found or converted) of the calls that match, by the call's start; with
    /// `leastRecentlyVerified`, only that many, those re-hashed longest ago (never first), then in the
    /// order of their calls' instants.
    public func storedRecordings(_ filter: CallFilter, leastRecentlyVerified limit: Int? = nil) async throws -> [StoredRecording] {
        let (whereClause, arguments) = filter.sql()
        let order = limit == nil ? "c.started_at, c.call_id" : "r.verified_at IS NOT NULL, r.verified_at, r.call_at, r.source, r.call_id"
        // The nightly sample of the whole archive takes its rows from the verification index and looks
        // only their calls up, by key: a join from calls read all of them, 73 s at 12 M calls.
        let rows = if let limit, filter == CallFilter() {
            """
            (SELECT * FROM recordings WHERE state IN ('found', 'converted') ORDER BY verified_at, call_at, source, call_id LIMIT \(limit)) r
            JOIN calls c ON \(CallKey.sqlMatch("c", source: "r.source", callID: "r.call_id"))
            """
        } else {
            "recordings r JOIN calls c USING (source, call_id)"
        }
        return try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.*, c.started_at AS call_started_at, c.agent AS call_agent, c.customer_number AS call_number,
                       c.ended_at - coalesce(c.answered_at, c.started_at) AS call_duration
                FROM \(rows)
                WHERE r.state IN ('found', 'converted') AND \(whereClause)
                ORDER BY \(order) \(limit.map { "LIMIT \($0)" } ?? "")
                """, arguments: arguments).map { row in
                StoredRecording(entry: try RecordingEntry(row: row), startedAt: Date(timeIntervalSince1970: row["call_started_at"]),
                                agent: row["call_agent"], customerNumber: row["call_number"], durationS: row["call_duration"])
            }
        }
    }

    public func storedRecordingCount(_ filter: CallFilter) async throws -> Int {
        let (whereClause, arguments) = filter.sql()
        // The whole archive is counted from the ledger alone: a stored recording's call is never removed
        // while the file stays (a call past calls_days takes its recording), and the join read every call.
        let from = filter == CallFilter() ? "recordings r" : "recordings r JOIN calls c USING (source, call_id)"
        return try await read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM \(from) WHERE r.state IN ('found', 'converted') AND \(whereClause)", arguments: arguments) ?? 0
        }
    }

    /// Records that these recordings were re-hashed at `at` and matched.
    public func markVerified(_ keys: [(source: String, callID: String)], at: Date) async throws {
        try await write { db in
            let statement = try db.makeStatement(sql: "UPDATE recordings SET verified_at = ? WHERE source = ? AND call_id = ?")
            for key in keys { try statement.execute(arguments: [at.timeIntervalSince1970, key.source, key.callID]) }
        }
    }
}
