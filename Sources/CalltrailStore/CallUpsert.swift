import CalltrailCore
import Foundation
import GRDB

extension CallRecord {
    /// Insert or update by `(source, call_id)`: a record read twice (lookback, re-read windows)
    /// leaves one row holding the latest values.
    static let upsertSQL = """
        INSERT INTO calls (source, call_id, direction, outcome, queue, agent, customer_number, did,
                           started_at, queued_at, answered_at, ended_at, wait_s, talk_s, hold_s, wrap_s,
                           transfers, disposition, recording_ref, synced_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (source, call_id) DO UPDATE SET
            direction = excluded.direction, outcome = excluded.outcome, queue = excluded.queue,
            agent = excluded.agent, customer_number = excluded.customer_number, did = excluded.did,
            started_at = excluded.started_at, queued_at = excluded.queued_at,
            answered_at = excluded.answered_at, ended_at = excluded.ended_at, wait_s = excluded.wait_s,
            talk_s = excluded.talk_s, hold_s = excluded.hold_s, wrap_s = excluded.wrap_s,
            transfers = excluded.transfers, disposition = excluded.disposition,
            recording_ref = excluded.recording_ref, synced_at = excluded.synced_at
        """

    func upsert(_ db: Database, syncedAt: Date) throws {
        let statement = try db.cachedStatement(sql: Self.upsertSQL)
        let arguments: StatementArguments = [
            source, callID, direction.rawValue, outcome.rawValue, queue, agent, customerNumber, did,
            startedAt.timeIntervalSince1970, queuedAt?.timeIntervalSince1970,
            answeredAt?.timeIntervalSince1970, endedAt?.timeIntervalSince1970,
            waitS, talkS, holdS, wrapS, transfers, disposition, recordingRef, syncedAt.timeIntervalSince1970,
        ]
        try statement.execute(arguments: arguments)
    }
}

extension RawRecord {
    static let upsertSQL = """
        INSERT INTO raw_records (source, record_key, window_start, fetched_at, payload, decode_error)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (source, record_key) DO UPDATE SET
            window_start = excluded.window_start, fetched_at = excluded.fetched_at,
            payload = excluded.payload, decode_error = excluded.decode_error
        """

    func upsert(_ db: Database, source: String, windowStart: Date, fetchedAt: Date) throws {
        let statement = try db.cachedStatement(sql: Self.upsertSQL)
        try statement.execute(arguments: [
            source, key, windowStart.timeIntervalSince1970, fetchedAt.timeIntervalSince1970, payload, decodeError,
        ])
    }
}

extension CallStore {
    /// Upserts calls outside a sync (tests, rebuilds from raw records).
    public func upsert(_ calls: [CallRecord]) async throws {
        try await write { db in
            let now = Date()
            for call in calls { try call.upsert(db, syncedAt: now) }
        }
    }
}
