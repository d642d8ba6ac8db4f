import CalltrailCore
import CalltrailStore
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// `calltrail publish` and the nightly `publish` stage: sends this site's calls, recordings ledger
/// (metadata and hashes, not audio), sync runs, platform snapshots, agent and number names, queue
/// settings and mapping checks into the warehouse, each row labelled with the site; bulk rows go by
/// `COPY` into a staging table and one upsert from it. Calls and recordings go by what
/// changed since the site's mark (their publish sequence, v17 and v19), in batches; each batch is one transaction with the mark's move, so
/// a publish killed anywhere resumes where it stopped and stores no row twice (upserts on the key).
/// One publish per site at a time (an advisory lock); sites do not wait for each other.
public struct WarehousePublisher: Sendable {
    public let store: CallStore
    public let warehouse: WarehouseConfiguration
    /// The center's zone: the clock the interval tallies are kept on (the report's).
    public let zone: TimeZone
    public let insecure: Bool
    public let logger: Logger
    /// Rows per COPY and transaction.
    public var batchRows = 5000
    /// UTC hours of interval tallies per transaction.
    public var batchHours = 240

    public init(store: CallStore, warehouse: WarehouseConfiguration, zone: TimeZone, insecure: Bool, logger: Logger) {
        self.store = store
        self.warehouse = warehouse
        self.zone = zone
        self.insecure = insecure
        self.logger = logger
    }

    public struct Summary: Sendable {
        /// Rows sent per table.
        public var rows: [String: Int] = [:]
        public var batches = 0
    }

    /// A SQLite value on its way over.
    typealias Cell = StoredValue

    public func publish() async throws -> Summary {
        let connection = try await WarehouseConnection.open(warehouse, insecure: insecure, logger: logger)
        do {
            let summary = try await publish(on: connection)
            try? await connection.close()
            return summary
        } catch {
            try? await connection.close()
            if let error = error as? CalltrailError { throw error }
            throw CalltrailError.failure("publishing to \(warehouse.address) failed (\(WarehouseConnection.describe(error))): the next publish resumes from the last batch stored")
        }
    }

    func publish(on connection: PostgresConnection) async throws -> Summary {
        try await WarehouseSchema.ensure(connection, lockWait: warehouse.statementTimeout, logger: logger)
        let site = warehouse.site
        let lock = try await connection.query("SELECT pg_try_advisory_lock(hashtext('calltrail publish ' || \(site)))", logger: logger)
        var locked = false
        for try await row in lock { locked = try row.decode(Bool.self) }
        guard locked else {
            throw CalltrailError(.locked, "another publish of site \(site) is running against \(warehouse.address): wait for it to finish")
        }
        var summary = Summary()
        for table in [PublishedTable.calls, .recordings] {
            summary.rows[table.name] = try await publishChanges(table, on: connection, summary: &summary)
        }
        summary.rows["removed_calls"] = try await publishRemovals(on: connection, summary: &summary)
        summary.rows["interval_tallies"] = try await publishTallies(on: connection, summary: &summary)
        for table in PublishedTable.small {
            summary.rows[table.name] = try await publishWhole(table, on: connection)
        }
        summary.rows["audit_heads"] = try await publishAuditHead(on: connection)
        try await connection.query("SELECT pg_advisory_unlock(hashtext('calltrail publish ' || \(site)))", logger: logger)
        return summary
    }

    func publishChanges(_ table: PublishedTable, on connection: PostgresConnection, summary: inout Summary) async throws -> Int {
        guard case .sequence(_, let formerly) = table.sending else { return 0 }
        let stream = "\(table.name)#publish_seq"
        let site = warehouse.site
        var (markAt, markRowID) = try await mark(stream: stream, on: connection)
        if markAt == -.greatestFiniteMagnitude {
            // The first publish by sequence: start where the site's time mark of the table stopped
            // (v17 and v19 numbered the rows in that order, one number each).
            let (timeAt, timeRowID) = try await mark(stream: table.name, on: connection)
            if timeAt > -.greatestFiniteMagnitude {
                markAt = try await store.sequenceMark(try table.storeTable, formerly: formerly, at: timeAt, rowID: timeRowID)
                markRowID = .max
            }
        }
        var sent = 0
        let storeTable = try table.storeTable
        let columns = table.columns.map(\.name)
        while true {
            let batch = try await store.publishedRows(storeTable, columns: columns, after: (markAt, markRowID), limit: batchRows)
                .map { (at: $0.sequence, rowid: $0.rowID, cells: $0.values) }
            guard let last = batch.last else { return sent }
            try await connection.withTransaction(logger: logger) { connection in
                try await load(table, rows: batch.map(\.cells), on: connection)
                try await connection.query(Self.moveMark(site: site, stream: stream, at: last.at, rowid: last.rowid, rows: batch.count),
                                           logger: logger)
            }
            (markAt, markRowID) = (last.at, last.rowid)
            sent += batch.count
            summary.batches += 1
            logger.debug("batch published", metadata: ["table": "\(table.name)", "rows": "\(batch.count)"])
        }
    }

    /// The site's mark of a stream: the (time, rowid) of the last row it covers.
    func mark(stream: String, on connection: PostgresConnection) async throws -> (Double, Int64) {
        var mark = (-Double.greatestFiniteMagnitude, Int64(-1))
        for try await row in try await connection.query(
            "SELECT mark_at, mark_rowid FROM publish_marks WHERE site = \(warehouse.site) AND stream = \(stream)", logger: logger
        ).decode((Double, Int64).self) {
            mark = row
        }
        return mark
    }

    static func moveMark(site: String, stream: String, at: Double, rowid: Int64, rows: Int) -> PostgresQuery {
        """
        INSERT INTO publish_marks (site, stream, mark_at, mark_rowid, rows, published_at)
        VALUES (\(site), \(stream), \(at), \(rowid), \(rows), now())
        ON CONFLICT (site, stream) DO UPDATE SET mark_at = EXCLUDED.mark_at, mark_rowid = EXCLUDED.mark_rowid,
            rows = publish_marks.rows + EXCLUDED.rows, published_at = EXCLUDED.published_at
        """
    }

    /// The calls retention removed here (removed_calls) leave the warehouse too, in batches with the
    /// mark's move; a call a later sync stored again (synced after its removal) stays.
    func publishRemovals(on connection: PostgresConnection, summary: inout Summary) async throws -> Int {
        let site = warehouse.site
        var (markAt, markRowID) = try await mark(stream: "removed_calls", on: connection)
        var removed = 0
        let limit = batchRows
        while true {
            let batch = try await store.removedCalls(after: (markAt, markRowID), limit: limit).map { (at: $0.at, rowid: $0.rowID, source: $0.source, callID: $0.callID) }
            guard let last = batch.last else { return removed }
            try await connection.withTransaction(logger: logger) { connection in
                try await connection.query("""
                    DELETE FROM calls c USING unnest(\(batch.map(\.source))::text[], \(batch.map(\.callID))::text[],
                                                     \(batch.map(\.at))::float8[]) AS r(source, call_id, removed_at)
                    WHERE c.site = \(site) AND c.source = r.source AND c.call_id = r.call_id AND c.synced_at <= to_timestamp(r.removed_at)
                    """, logger: logger)
                try await connection.query(Self.moveMark(site: site, stream: "removed_calls", at: last.at, rowid: last.rowid, rows: batch.count),
                                           logger: logger)
            }
            (markAt, markRowID) = (last.at, last.rowid)
            removed += batch.count
            summary.batches += 1
        }
    }

    /// The interval and agent tallies of every hour remade since the site's mark (refreshed first, so they
    /// are the calls' as they are now): per batch of hours, the site's old tallies and waits of those hours
    /// go and the new ones come, in one transaction with the mark's move (the refresh's number and the hour).
    func publishTallies(on connection: PostgresConnection, summary: inout Summary) async throws -> Int {
        try await store.refreshTallies(zone: zone)
        let site = warehouse.site
        let stream = PublishedTable.intervalTallies.name
        let (markAt, markRowID) = try await mark(stream: stream, on: connection)
        var mark = markAt == -.greatestFiniteMagnitude ? (seq: Int64(0), hour: Int64(-1)) : (seq: Int64(markAt), hour: markRowID)
        var sent = 0
        while true {
            let changes = try await store.tallyChanges(after: mark, limit: batchHours)
            guard let last = changes.hours.last else {
                // Statistics for what the reports' joins are planned on: taken while the tables were
                // small, they planned the tallies' join with their waits as a loop over every wait, minutes
                // for a month's report after a first publish (a table not ours is skipped with a warning).
                if sent > 0 {
                    try await connection.query("ANALYZE interval_tallies, interval_tally_waits, agent_tallies, agent_tally_waits", logger: logger)
                }
                return sent
            }
            let hours = changes.hours.map(\.hour)
            let (first, end) = (Double(hours.min()! * 3600), Double((hours.max()! + 1) * 3600))
            try await connection.withTransaction(logger: logger) { connection in
                for (tallies, waits, rows, waitRows) in [(PublishedTable.intervalTallies, PublishedTable.intervalTallyWaits, changes.tallies, changes.waits),
                                                         (.agentTallies, .agentTallyWaits, changes.agentTallies, changes.agentWaits)] {
                    // The old tallies of those hours, then their waits by id (a join-delete planned on stale
                    // statistics ran as a nested loop over both tables: a minute a batch at a million calls).
                    var gone: [Int64] = []
                    for try await id in try await connection.query("""
                        DELETE FROM \(unescaped: tallies.name)
                        WHERE site = \(site) AND slot_start >= to_timestamp(\(first)) AND slot_start < to_timestamp(\(end))
                          AND floor(extract(epoch FROM slot_start) / 3600)::bigint = ANY (\(hours))
                        RETURNING id
                        """, logger: logger).decode(Int64.self) { gone.append(id) }
                    if !gone.isEmpty {
                        try await connection.query("DELETE FROM \(unescaped: waits.name) WHERE site = \(site) AND tally = ANY (\(gone))",
                                                   logger: logger)
                    }
                    try await load(tallies, rows: rows, on: connection)
                    try await load(waits, rows: waitRows, on: connection)
                }
                try await connection.query(Self.moveMark(site: site, stream: stream, at: Double(last.seq), rowid: last.hour,
                                                         rows: changes.tallies.count), logger: logger)
            }
            mark = last
            sent += changes.tallies.count
            summary.batches += 1
        }
    }

    /// Adds the site's audit chain head to `audit_heads` (never replaced: a head seen before is kept as it
    /// was); returns 1 when the head is new there.
    func publishAuditHead(on connection: PostgresConnection) async throws -> Int {
        let head = try await store.auditHead()
        guard head.id > 0 else { return 0 }
        let site = warehouse.site, id = head.id, hash = head.hash
        var added = 0
        for try await count in try await connection.query("""
            WITH added AS (
                INSERT INTO audit_heads (site, id, hash, published_at) VALUES (\(site), \(id), \(hash), now())
                ON CONFLICT DO NOTHING RETURNING 1
            )
            SELECT count(*)::bigint FROM added
            """, logger: logger).decode(Int64.self) { added = Int(count) }
        return added
    }

    func publishWhole(_ table: PublishedTable, on connection: PostgresConnection) async throws -> Int {
        let rows = try await store.wholeTable(try table.storeTable, columns: table.columns.map(\.name))
        let site = warehouse.site
        let limit = batchRows
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query("DELETE FROM \(unescaped: table.name) WHERE site = \(site)", logger: logger)
            var start = 0
            while start < rows.count {
                let chunk = Array(rows[start..<min(rows.count, start + limit)])
                try await load(table, rows: chunk, on: connection)
                start += chunk.count
            }
        }
        return rows.count
    }


    /// Rows into their table, inside the caller's transaction: `COPY` into the staging table (text
    /// format), then one `INSERT … SELECT` (an upsert for calls and recordings).
    func load(_ table: PublishedTable, rows: [[Cell]], on connection: PostgresConnection) async throws {
        try await connection.query(PostgresQuery(unsafeSQL: table.stagingDDL), logger: logger)
        let site = warehouse.site
        let types = table.columns.map(\.type)
        try await connection.copyFrom(table: table.stagingName, columns: ["site"] + table.columns.map(\.name), logger: logger) { writer in
            var buffer = ByteBuffer()
            buffer.reserveCapacity(min(rows.count, 4096) * 320)
            for row in rows {
                Self.appendCopyLine(site: site, row, types, to: &buffer)
                if buffer.readableBytes >= 1 << 20 {
                    try await writer.write(buffer)
                    buffer.clear()
                }
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
        try await connection.query(PostgresQuery(unsafeSQL: table.insertFromStagingSQL), logger: logger)
    }

    /// One row in COPY's text format: tab-separated, `\N` for NULL, backslash, tab, newline and
    /// carriage return escaped; numbers as Swift writes them (float8 input reads them back exactly).
    static func appendCopyLine(site: String, _ row: [Cell], _ types: [PublishedTable.ColumnType], to buffer: inout ByteBuffer) {
        appendCopyText(site, to: &buffer)
        for (cell, type) in zip(row, types) {
            buffer.writeInteger(UInt8(ascii: "\t"))
            switch (cell, type) {
            case (.null, _): buffer.writeStaticString("\\N")
            case (.text(let text), _): appendCopyText(text, to: &buffer)
            case (.integer(let number), .boolean): buffer.writeStaticString(number != 0 ? "t" : "f")
            case (.integer(let number), _): buffer.writeString(String(number))
            // A whole real in an integer column; any other (never one the sync writes) goes as written and PostgreSQL refuses the batch.
            case (.real(let number), .integer): buffer.writeString(Int64(exactly: number).map(String.init) ?? number.description)
            case (.real(let number), _): buffer.writeString(number.description)
            case (.blob(let data), _): appendCopyText(String(decoding: data, as: UTF8.self), to: &buffer)
            }
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    static func appendCopyText(_ text: String, to buffer: inout ByteBuffer) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }
}
