import CalltrailCore
import Foundation
import GRDB

/// A stored recording or a call old enough for a retention rule to look at: its key, its call's queue and
/// start, and whether an active legal hold covers it (the recording's path and size with it).
public struct RetentionCandidate: Sendable {
    public var source: String
    public var callID: String
    public var queue: String?
    public var startedAt: Double
    public var held: Bool
    public var path: String?
    public var bytes: Int
}

extension CallStore {
    /// The stored recordings whose call was offered before `recordingsBefore` (or has no instant), and
    /// the calls started before `callsBefore`, in call order. The recordings are found by their call's
    /// instant (`call_at`, the ledger's time index) and their call by its key: reading every stored
    /// recording and looking each call up took 73 s a night at 12 M calls, with nothing to purge.
    public func retentionCandidates(recordingsBefore: Double?, callsBefore: Double?) async throws
        -> (recordings: [RetentionCandidate], calls: [RetentionCandidate]) {
        let held = LegalHold.held("c")
        return try await read { db in
            var recordings: [RetentionCandidate] = []
            if let recordingsBefore {
                for row in try Row.fetchAll(db, sql: """
                    SELECT r.source, r.call_id, r.path, r.bytes, c.queue, c.started_at, \(held) AS held
                    FROM recordings r
                    JOIN calls c ON \(CallKey.sqlMatch("c", source: "r.source", callID: "r.call_id"))
                    WHERE r.state IN ('found', 'converted') AND r.path IS NOT NULL AND (r.call_at < ? OR r.call_at IS NULL)
                    ORDER BY c.started_at
                    """, arguments: [recordingsBefore]) {
                    recordings.append(RetentionCandidate(source: row["source"], callID: row["call_id"], queue: row["queue"], startedAt: row["started_at"],
                                                         held: row["held"], path: row["path"], bytes: row["bytes"] ?? 0))
                }
            }
            var calls: [RetentionCandidate] = []
            if let callsBefore {
                for row in try Row.fetchAll(db, sql: """
                    SELECT c.source, c.call_id, c.queue, c.started_at, \(held) AS held FROM calls c WHERE c.started_at < ?
                    """, arguments: [callsBefore]) {
                    calls.append(RetentionCandidate(source: row["source"], callID: row["call_id"], queue: row["queue"], startedAt: row["started_at"],
                                                    held: row["held"], path: nil, bytes: 0))
                }
            }
            return (recordings, calls)
        }
    }

    /// A purge's writes in one transaction: each recording's ledger row marked `purged` under its rule,
    /// each call deleted with a tombstone in `removed_calls` (for the warehouse), the vendor pages no
    /// call points at any more read in windows before `pagesBefore` and the failed records of that time,
    /// and the audit row. The files are the caller's to remove afterwards.
    public func recordPurge(recordings: [(source: String, callID: String, rule: String)], calls: [(source: String, callID: String, rule: String)],
                            pagesBefore: Double?, at now: Date, audit entry: AuditEntry) async throws {
        let audit = self.audit
        try await write { db in
            let mark = try db.makeStatement(sql: """
                UPDATE recordings SET state = 'purged', removed_at = ?, removed_by = ?, updated_at = ? WHERE source = ? AND call_id = ?
                """)
            for recording in recordings {
                try mark.execute(arguments: [now.timeIntervalSince1970, recording.rule, now.timeIntervalSince1970, recording.source, recording.callID])
            }
            // Through the key's index (without it each delete read the whole table).
            let delete = try db.makeStatement(sql: "DELETE FROM calls WHERE \(CallKey.sqlMatch(source: "?1", callID: "?2"))")
            let tombstone = try db.makeStatement(sql: "INSERT INTO removed_calls (source, call_id, removed_at, removed_by) VALUES (?, ?, ?, ?)")
            for call in calls {
                try delete.execute(arguments: [call.source, call.callID])
                try tombstone.execute(arguments: [call.source, call.callID, now.timeIntervalSince1970, call.rule])
            }
            if !calls.isEmpty, let cutoff = pagesBefore {
                // A recent window's earlier reads stay. NOT IN builds the set of pointed-at pages once;
                // calls has no index on raw_page for a per-page lookup.
                try db.execute(sql: """
                    DELETE FROM raw_pages WHERE window_start < ? AND id NOT IN (SELECT raw_page FROM calls WHERE raw_page IS NOT NULL)
                    """, arguments: [cutoff])
                try db.execute(sql: "DELETE FROM raw_records WHERE decode_error IS NOT NULL AND window_start < ?", arguments: [cutoff])
            }
            _ = try Self.appendAudit(entry, db, audit: audit)
            try Self.refreshTalliesOnTheirZone(db)
        }
    }
}
