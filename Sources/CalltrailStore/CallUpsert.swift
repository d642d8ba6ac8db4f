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

    /// One row, through a statement prepared once per batch.
    func upsert(_ db: Database, statement: inout BoundStatement, syncedAt: Date) throws {
        statement.bind(source)
        statement.bind(callID)
        statement.bind(direction.rawValue)
        statement.bind(outcome.rawValue)
        statement.bind(queue)
        statement.bind(agent)
        statement.bind(customerNumber)
        statement.bind(did)
        statement.bind(startedAt.timeIntervalSince1970)
        statement.bind(queuedAt?.timeIntervalSince1970)
        statement.bind(answeredAt?.timeIntervalSince1970)
        statement.bind(endedAt?.timeIntervalSince1970)
        statement.bind(waitS)
        statement.bind(talkS)
        statement.bind(holdS)
        statement.bind(wrapS)
        statement.bind(transfers)
        statement.bind(disposition)
        statement.bind(recordingRef)
        statement.bind(syncedAt.timeIntervalSince1970)
        try statement.step(db)
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

    func upsert(_ db: Database, statement: inout BoundStatement, source: String, windowStart: Date, fetchedAt: Date) throws {
        statement.bind(source)
        statement.bind(key)
        statement.bind(windowStart.timeIntervalSince1970)
        statement.bind(fetchedAt.timeIntervalSince1970)
        statement.bind(payload)
        statement.bind(decodeError)
        try statement.step(db)
    }
}

extension CallStore {
    /// Upserts calls outside a sync (tests, rebuilds from raw records).
    public func upsert(_ calls: [CallRecord]) async throws {
        try await write { db in
            let now = Date()
            var statement = try BoundStatement(db, sql: CallRecord.upsertSQL)
            for call in calls { try call.upsert(db, statement: &statement, syncedAt: now) }
        }
    }
}
