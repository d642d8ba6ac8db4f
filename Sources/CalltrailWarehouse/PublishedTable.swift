import CalltrailCore
import CalltrailStore

/// One SQLite table as the warehouse holds it: its columns with how each value crosses over, and
/// how the table is sent — by what changed since the site's mark (calls, recordings), or whole
/// each time (the small ones).
struct PublishedTable: Sendable {
    enum ColumnType: Sendable {
        case text, integer, real, boolean
        /// Unix seconds in SQLite, `timestamptz` in PostgreSQL.
        case time
        /// Seconds of a wall clock read as if it were UTC in SQLite, `timestamp` (no zone) in PostgreSQL.
        case localTime
    }

    enum Sending: Sendable {
        /// Rows whose `publish_seq` (then rowid) is past the site's mark, upserted on `key`: the number
        /// each write takes in its own transaction (v17, v19), so a row written late is never behind the
        /// mark. `formerly` is the time column the stream was sent by before, for a site's old mark.
        case sequence(key: [String], formerly: String)
        /// Every row, replacing the site's rows.
        case whole
        /// The rows of the UTC hours remade since the site's mark, replacing the site's rows of those hours
        /// (the interval tallies).
        case hours
    }

    let name: String
    let columns: [(name: String, type: ColumnType)]
    let sending: Sending

    init(name: String, columns: [(name: String, type: ColumnType)], sending: Sending) {
        self.name = name
        self.columns = columns
        self.sending = sending
    }

    /// The store's table of the same name, which the rows are read from.
    var storeTable: PublishedStoreTable {
        get throws {
            guard let table = PublishedStoreTable(rawValue: name) else { throw CalltrailError.failure("the store publishes no table \(name)") }
            return table
        }
    }

    static let calls = PublishedTable(name: "calls", columns: [
        ("source", .text), ("call_id", .text), ("direction", .text), ("outcome", .text), ("queue", .text), ("agent", .text),
        ("customer_number", .text), ("did", .text), ("started_at", .time), ("queued_at", .time), ("answered_at", .time),
        ("ended_at", .time), ("wait_s", .real), ("talk_s", .real), ("hold_s", .real), ("wrap_s", .real), ("transfers", .integer),
        ("disposition", .text), ("recording_ref", .text), ("parent_call_id", .text), ("failed_checks", .text), ("synced_at", .time),
    ], sending: .sequence(key: ["source", "call_id"], formerly: "synced_at"))

    static let recordings = PublishedTable(name: "recordings", columns: [
        ("source", .text), ("call_id", .text), ("state", .text), ("location", .text), ("format_found", .text), ("converted", .boolean),
        ("bytes", .integer), ("duration_s", .real), ("sha256", .text), ("path", .text), ("attempts", .integer), ("last_error", .text),
        ("updated_at", .time), ("origin_url", .text), ("origin_bytes", .integer), ("origin_sha256", .text), ("note", .text),
        ("verified_at", .time), ("removed_at", .time), ("removed_by", .text),
    ], sending: .sequence(key: ["source", "call_id"], formerly: "updated_at"))

    /// The interval tallies (CallStore's call_tallies, v21) as a BI tool groups them: `slot_start` the
    /// slot's instant, `slot_local` the same on the center's clock; columns in `TallyChanges.tallyColumns`' order.
    static let intervalTallies = PublishedTable(name: "interval_tallies", columns: [
        ("id", .integer), ("slot_start", .time), ("slot_local", .localTime), ("offset_s", .integer), ("source", .text), ("queue", .text),
        ("did", .text), ("offered", .integer), ("answered", .integer), ("abandoned", .integer), ("transferred", .integer),
        ("answered_waited", .integer), ("answered_wait_s", .real), ("abandoned_waited", .integer), ("abandoned_wait_s", .real),
        ("max_wait_s", .real), ("handle_s", .real), ("talk_s", .real), ("hold_s", .real),
    ], sending: .hours)

    /// Each tally's distinct waits with their counts (call_tally_waits).
    static let intervalTallyWaits = PublishedTable(name: "interval_tally_waits", columns: [
        ("tally", .integer), ("outcome", .text), ("wait_s", .real), ("calls", .integer),
    ], sending: .hours)

    /// What each agent handled per slot, source and queue (CallStore's agent_tallies, v22); columns in
    /// `TallyChanges.agentTallyColumns`' order.
    static let agentTallies = PublishedTable(name: "agent_tallies", columns: [
        ("id", .integer), ("slot_start", .time), ("slot_local", .localTime), ("offset_s", .integer), ("source", .text), ("agent", .text),
        ("queue", .text), ("answered", .integer), ("answered_waited", .integer), ("answered_wait_s", .real), ("max_wait_s", .real),
        ("handle_s", .real), ("talk_s", .real), ("hold_s", .real), ("outbound_attempts", .integer), ("outbound_connected", .integer),
    ], sending: .hours)

    /// The answered calls' distinct waits of each agent tally, with their counts (agent_tally_waits).
    static let agentTallyWaits = PublishedTable(name: "agent_tally_waits", columns: [
        ("tally", .integer), ("wait_s", .real), ("calls", .integer),
    ], sending: .hours)

    static let small: [PublishedTable] = [
        PublishedTable(name: "sync_runs", columns: [
            ("id", .integer), ("source", .text), ("started_at", .time), ("finished_at", .time), ("status", .text), ("range_from", .time),
            ("range_to", .time), ("windows", .integer), ("pages", .integer), ("records", .integer), ("retries", .integer),
            ("rereads", .integer), ("failures", .integer), ("decode_errors", .integer), ("last_error", .text),
            ("unknown_outcomes", .integer), ("warnings", .text),
        ], sending: .whole),
        PublishedTable(name: "platform_stats", columns: [
            ("source", .text), ("campaign", .text), ("taken_at", .time), ("completed", .integer), ("abandoned", .integer),
            ("servicelevel", .real), ("servicelevel2", .real), ("slevelthreshold", .real), ("abandonedlevel", .real), ("payload", .text),
        ], sending: .whole),
        PublishedTable(name: "source_agents", columns: [("source", .text), ("agent_id", .text), ("name", .text)], sending: .whole),
        PublishedTable(name: "source_numbers", columns: [("source", .text), ("number", .text), ("name", .text), ("group_name", .text)],
                       sending: .whole),
        PublishedTable(name: "queue_settings", columns: [("queue", .text), ("threshold_s", .real), ("short_abandon_s", .real)],
                       sending: .whole),
        PublishedTable(name: "mapping_checks", columns: [("source", .text), ("name", .text), ("meaning", .text)], sending: .whole),
        PublishedTable(name: "undecodable_records", columns: [
            ("source", .text), ("record_key", .text), ("window_start", .time), ("fetched_at", .time), ("decode_error", .text),
        ], sending: .whole),
    ]

    /// `SELECT` of the columns from SQLite (times as they are: Unix seconds).
    var selectList: String { columns.map(\.name).joined(separator: ", ") }

    /// The batch's temporary table, rows in SQLite's terms (times as Unix seconds), emptied at each
    /// commit: `COPY` fills it, one statement moves it into the table.
    var stagingName: String { "publish_stage_\(name)" }

    var stagingDDL: String {
        let cells = columns.map { column -> String in
            switch column.type {
            case .text: "\(column.name) text"
            case .integer: "\(column.name) bigint"
            case .real, .time, .localTime: "\(column.name) double precision"
            case .boolean: "\(column.name) boolean"
            }
        }
        return "CREATE TEMP TABLE IF NOT EXISTS \(stagingName) (site text, \(cells.joined(separator: ", "))) ON COMMIT DELETE ROWS"
    }

    /// `INSERT INTO name … SELECT` from the staging table, times through `to_timestamp`, and for a
    /// changes table the upsert on its key.
    var insertFromStagingSQL: String {
        let values = columns.map { column in
            switch column.type {
            case .time: "to_timestamp(\(column.name))"
            case .localTime: "to_timestamp(\(column.name)) AT TIME ZONE 'UTC'"
            default: column.name
            }
        }.joined(separator: ", ")
        var sql = "INSERT INTO \(name) (site, \(selectList)) SELECT site, \(values) FROM \(stagingName)"
        if let key = sending.key {
            let updates = columns.filter { !key.contains($0.name) }.map { "\($0.name) = EXCLUDED.\($0.name)" }
            sql += " ON CONFLICT (site, \(key.joined(separator: ", "))) DO UPDATE SET " + updates.joined(separator: ", ")
        }
        return sql
    }
}

extension WarehousePublisher {
    /// The warehouse's `calls` columns after `site`, and which are times (Unix seconds in SQLite,
    /// `timestamptz` there): what a bulk load of the same rows (`calltrail-bench publish`) copies.
    public static var callColumns: [(name: String, isTime: Bool)] {
        PublishedTable.calls.columns.map { ($0.name, $0.type == .time) }
    }

    /// Every warehouse table whose rows carry a site, the marks included.
    public static var siteTables: [String] {
        ([PublishedTable.calls, .recordings, .intervalTallies, .intervalTallyWaits, .agentTallies, .agentTallyWaits] + PublishedTable.small)
            .map(\.name)
            + ["publish_marks", "audit_heads"]
    }
}

extension PublishedTable.Sending {
    /// The key rows are upserted on; nil for a table sent whole.
    var key: [String]? {
        switch self {
        case .sequence(let key, _): key
        case .whole, .hours: nil
        }
    }
}
