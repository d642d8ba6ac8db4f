import CalltrailCore
import Foundation
import GRDB

/// Insert or update by `(source, call_id)`: a record read twice (lookback, re-read windows) leaves
/// one row holding the latest values. The row is found through its compact key (CallKey) and
/// compared on source and id, all in the writer's transaction.
final class CallUpsert {
    /// The number of this group of writes in the calls' publish stream (v19), taken from
    /// `publish_sequence` in the caller's transaction: every row it writes carries it.
    let publishSeq: Int64
    private let lookup: BoundStatement
    private let insert: BoundStatement
    private let update: BoundStatement

    init(_ db: Database) throws {
        try db.execute(sql: "UPDATE publish_sequence SET value = value + 1 WHERE stream = 'calls'")
        publishSeq = try Int64.fetchOne(db, sql: "SELECT value FROM publish_sequence WHERE stream = 'calls'") ?? 0
        lookup = try BoundStatement(db, sql: "SELECT rowid FROM calls WHERE key_hash = ?3 AND source = ?1 AND call_id = ?2")
        insert = try BoundStatement(db, sql: """
            INSERT INTO calls (source, call_id, key_hash, direction, outcome, queue, agent, customer_number, did,
                               started_at, queued_at, answered_at, ended_at, wait_s, talk_s, hold_s, wrap_s,
                               transfers, disposition, recording_ref, synced_at, raw_page, raw_index, parent_call_id,
                               failed_checks, publish_seq)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)
            """)
        update = try BoundStatement(db, sql: """
            UPDATE calls SET direction = ?4, outcome = ?5, queue = ?6, agent = ?7, customer_number = ?8, did = ?9,
                             started_at = ?10, queued_at = ?11, answered_at = ?12, ended_at = ?13, wait_s = ?14, talk_s = ?15,
                             hold_s = ?16, wrap_s = ?17, transfers = ?18, disposition = ?19, recording_ref = ?20, synced_at = ?21,
                             raw_page = ?22, raw_index = ?23, parent_call_id = ?24, failed_checks = ?25, publish_seq = ?26
            WHERE rowid = ?27
            """)
    }

    /// One call; `rawPage` and `rawIndex` say where the vendor's record of this read is kept (raw_pages).
    func upsert(_ call: CallRecord, syncedAt: Date, rawPage: Int? = nil, rawIndex: Int? = nil, _ db: Database) throws {
        let key = CallKey.of(source: call.source, callID: call.callID)
        lookup.bind(call.source)
        lookup.bind(call.callID)
        lookup.bind(key)
        if let rowID = try lookup.stepRow(db) {
            bind(call, key: key, syncedAt: syncedAt, rawPage: rawPage, rawIndex: rawIndex, to: update)
            update.bind(Int(rowID))
            try update.step(db)
        } else {
            bind(call, key: key, syncedAt: syncedAt, rawPage: rawPage, rawIndex: rawIndex, to: insert)
            try insert.step(db)
        }
    }

    /// Parameters 1 to 26, as both statements number them.
    private func bind(_ call: CallRecord, key: Int, syncedAt: Date, rawPage: Int?, rawIndex: Int?, to statement: BoundStatement) {
        statement.bind(call.source)
        statement.bind(call.callID)
        statement.bind(key)
        statement.bind(call.direction.rawValue)
        statement.bind(call.outcome.rawValue)
        statement.bind(call.queue)
        statement.bind(call.agent)
        statement.bind(call.customerNumber)
        statement.bind(call.did)
        statement.bind(call.startedAt.timeIntervalSince1970)
        statement.bind(call.queuedAt?.timeIntervalSince1970)
        statement.bind(call.answeredAt?.timeIntervalSince1970)
        statement.bind(call.endedAt?.timeIntervalSince1970)
        statement.bind(call.waitS)
        statement.bind(call.talkS)
        statement.bind(call.holdS)
        statement.bind(call.wrapS)
        statement.bind(call.transfers)
        statement.bind(call.disposition)
        statement.bind(call.recordingRef)
        statement.bind(syncedAt.timeIntervalSince1970)
        statement.bind(rawPage)
        statement.bind(rawIndex)
        statement.bind(call.parentCallID)
        statement.bind(MappingChecks.json(call.failedChecks))
        statement.bind(Int(publishSeq))
    }
}

extension RawRecord {
    /// A record that maps to no call, kept on its own with its error (a page keeps it too).
    static let upsertSQL = """
        INSERT INTO raw_records (source, record_key, window_start, fetched_at, payload, decode_error)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (source, record_key) DO UPDATE SET
            window_start = excluded.window_start, fetched_at = excluded.fetched_at,
            payload = excluded.payload, decode_error = excluded.decode_error
        """

    /// The failure row of a record that decodes now.
    static let deleteFailureSQL = "DELETE FROM raw_records WHERE source = ? AND record_key = ? AND decode_error IS NOT NULL"

    func upsert(_ db: Database, statement: BoundStatement, source: String, windowStart: Date, fetchedAt: Date) throws {
        statement.bind(source)
        statement.bind(key)
        statement.bind(windowStart.timeIntervalSince1970)
        statement.bind(fetchedAt.timeIntervalSince1970)
        statement.bind(payload)
        statement.bind(decodeError)
        try statement.step(db)
    }
}

extension RawPage {
    /// A page read is always a row of its own: re-reads are kept beside the first read.
    static let insertSQL = """
        INSERT INTO raw_pages (source, window_start, page_offset, fetched_at, records, bytes, body)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """
}

extension CallStore {
    /// Upserts calls outside a sync (tests, rebuilds from raw records).
    public func upsert(_ calls: [CallRecord]) async throws {
        try await write { db in
            let now = Date()
            let upsert = try CallUpsert(db)
            for call in calls { try upsert.upsert(call, syncedAt: now, db) }
        }
    }
}
