import CalltrailCore
import Foundation
import GRDB

/// Interval tallies kept with the calls: what the calls offered in each 15-minute slot of the center's
/// clock add up to, per source, queue and number dialled, with every distinct wait counted (the
/// `call_tallies` and `call_tally_waits` tables, v21), and what each agent handled per slot, source and
/// queue (`agent_tallies` and `agent_tally_waits`, v22). Every write of `calls` marks its UTC hour stale in
/// the same transaction (triggers); `refreshTallies` remakes the stale hours from the calls, so a
/// report or a publish that refreshes first reads tallies equal to the calls, whatever changed them.
extension CallStore {
    /// What a refresh did.
    public struct TallyRefresh: Sendable, Equatable {
        /// UTC hours remade, and the tallies they hold now.
        public var hours: Int
        public var tallies: Int
        /// Every hour was remade: the first refresh, a rebuild, or a zone other than the tallies'.
        public var rebuilt: Bool
    }

    /// Remakes the tallies of every hour whose calls changed, on `zone`'s clock; with another zone than
    /// the tallies were made on, or `rebuild`, every hour.
    @discardableResult
    public func refreshTallies(zone: TimeZone, rebuild: Bool = false) async throws -> TallyRefresh {
        try await ensureTimeZone(zone)
        return try await write { db in try Self.refreshTallies(db, zone: zone, rebuild: rebuild) }
    }

    /// The same on the zone the tallies are kept on, or `zone` when none was made yet: for readers that
    /// bucket slots on their own clock (the queries, by `time_zone_offsets`), which any zone serves,
    /// since a slot is 15 minutes of every zone.
    @discardableResult
    public func refreshTallies(keepingTheirZoneOr zone: TimeZone) async throws -> TallyRefresh {
        let kept = try await read { db in try String.fetchOne(db, sql: "SELECT zone FROM tally_zone") }
        return try await refreshTallies(zone: kept.flatMap(TimeZone.init(identifier:)) ?? zone)
    }

    /// In the caller's transaction, the stale hours remade on the tallies' own zone; nothing when no
    /// tallies were made yet. For writers whose change must not outlive them in a tally (an erasure
    /// masks a number dialled that equals the customer's) and to keep the tallies fresh for the shell.
    static func refreshTalliesOnTheirZone(_ db: Database) throws {
        guard let kept = try String.fetchOne(db, sql: "SELECT zone FROM tally_zone"), let zone = TimeZone(identifier: kept) else { return }
        _ = try refreshTallies(db, zone: zone, rebuild: false)
    }

    static func refreshTallies(_ db: Database, zone: TimeZone, rebuild: Bool) throws -> TallyRefresh {
        let kept = try String.fetchOne(db, sql: "SELECT zone FROM tally_zone")
        let everything = rebuild || kept != zone.identifier
        if everything {
            try db.execute(sql: """
                DELETE FROM call_tally_waits;
                DELETE FROM call_tallies;
                DELETE FROM agent_tally_waits;
                DELETE FROM agent_tallies;
                DELETE FROM tally_zone;
                INSERT OR IGNORE INTO tally_stale_hours
                SELECT DISTINCT CAST(coalesce(queued_at, started_at) AS INTEGER) / 3600 FROM calls;
                """)
            try db.execute(sql: "INSERT INTO tally_zone (zone) VALUES (?)", arguments: [zone.identifier])
        }
        let hours = try Int.fetchAll(db, sql: "SELECT hour FROM tally_stale_hours ORDER BY hour")
        var tallies = 0
        for run in Self.runs(of: hours) {
            tallies += try Self.remake(db, zone: zone.identifier, from: run.lowerBound * 3600, to: run.upperBound * 3600)
        }
        if !hours.isEmpty {
            let seq = (try Int.fetchOne(db, sql: "SELECT max(seq) FROM tally_hour_changes") ?? 0) + 1
            try db.execute(sql: "INSERT OR REPLACE INTO tally_hour_changes (hour, seq) SELECT hour, ? FROM tally_stale_hours",
                           arguments: [seq])
        }
        try db.execute(sql: "DELETE FROM tally_stale_hours")
        return TallyRefresh(hours: hours.count, tallies: tallies, rebuilt: everything)
    }

    /// Consecutive hours as ranges, so each run of them is remade by one range scan of the calls.
    static func runs(of hours: [Int]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        for hour in hours {
            if let last = runs.last, last.upperBound == hour {
                runs[runs.count - 1] = last.lowerBound..<(hour + 1)
            } else {
                runs.append(hour..<(hour + 1))
            }
        }
        return runs
    }

    /// Replaces the tallies of the slots in `[from, to)` (UTC seconds, whole hours) with the calls'.
    static func remake(_ db: Database, zone: String, from: Int, to: Int) throws -> Int {
        let arguments: StatementArguments = ["zone": zone, "from": from, "to": to]
        try db.execute(sql: """
            DELETE FROM call_tally_waits WHERE tally IN (SELECT id FROM call_tallies WHERE slot_utc >= :from AND slot_utc < :to);
            DELETE FROM call_tallies WHERE slot_utc >= :from AND slot_utc < :to;
            """, arguments: arguments)
        let offered = """
            SELECT source, queue, did, outcome, wait_s, talk_s, hold_s, wrap_s, transfers, offset_s, local_s - local_s % 900 AS slot_local
            FROM report_calls
            WHERE zone = :zone AND direction = 'inbound' AND queued_at IS NOT NULL
              AND attributed_at >= :from AND attributed_at < :to
            """
        try db.execute(sql: """
            INSERT INTO call_tallies (slot_utc, slot_local, offset_s, source, queue, did, offered, answered, abandoned, transferred,
                                      answered_waited, answered_wait_s, abandoned_waited, abandoned_wait_s, max_wait_s,
                                      handle_s, talk_s, hold_s)
            SELECT slot_local - offset_s, slot_local, offset_s, source, queue, did,
                   count(*), sum(outcome = 'answered'), sum(outcome = 'abandoned'), sum(transfers > 0),
                   count(CASE WHEN outcome = 'answered' THEN wait_s END), coalesce(sum(CASE WHEN outcome = 'answered' THEN wait_s END), 0),
                   count(CASE WHEN outcome = 'abandoned' THEN wait_s END), coalesce(sum(CASE WHEN outcome = 'abandoned' THEN wait_s END), 0),
                   max(wait_s),
                   coalesce(sum(CASE WHEN outcome = 'answered' THEN talk_s + hold_s + wrap_s END), 0),
                   coalesce(sum(CASE WHEN outcome = 'answered' THEN talk_s END), 0),
                   coalesce(sum(CASE WHEN outcome = 'answered' THEN hold_s END), 0)
            FROM (\(offered))
            GROUP BY slot_local, offset_s, source, queue, did
            """, arguments: arguments)
        let made = db.changesCount
        try db.execute(sql: """
            INSERT INTO call_tally_waits (tally, outcome, wait_s, calls)
            SELECT t.id, c.outcome, c.wait_s, count(*)
            FROM (\(offered)) c
            JOIN call_tallies t
              ON t.slot_utc = c.slot_local - c.offset_s AND t.offset_s = c.offset_s AND t.source = c.source
             AND t.queue IS c.queue AND t.did IS c.did
            WHERE c.outcome IN ('answered', 'abandoned')
            GROUP BY t.id, c.outcome, c.wait_s
            """, arguments: arguments)
        try remakeAgents(db, arguments: arguments)
        return made
    }

    /// Replaces the agent tallies of the slots in `[from, to)` with the calls': every call with an agent,
    /// whatever its direction (by_agent lists an agent with outbound calls alone, or none answered).
    static func remakeAgents(_ db: Database, arguments: StatementArguments) throws {
        try db.execute(sql: """
            DELETE FROM agent_tally_waits WHERE tally IN (SELECT id FROM agent_tallies WHERE slot_utc >= :from AND slot_utc < :to);
            DELETE FROM agent_tallies WHERE slot_utc >= :from AND slot_utc < :to;
            """, arguments: arguments)
        let handled = """
            SELECT source, agent, queue, direction, outcome, wait_s, talk_s, hold_s, wrap_s, offset_s, local_s - local_s % 900 AS slot_local,
                   direction = 'inbound' AND outcome = 'answered' AS answered
            FROM report_calls
            WHERE zone = :zone AND agent IS NOT NULL AND attributed_at >= :from AND attributed_at < :to
            """
        try db.execute(sql: """
            INSERT INTO agent_tallies (slot_utc, slot_local, offset_s, source, agent, queue, answered, answered_waited, answered_wait_s,
                                       max_wait_s, handle_s, talk_s, hold_s, outbound_attempts, outbound_connected)
            SELECT slot_local - offset_s, slot_local, offset_s, source, agent, queue,
                   sum(answered), count(CASE WHEN answered THEN wait_s END), coalesce(sum(CASE WHEN answered THEN wait_s END), 0),
                   max(CASE WHEN answered THEN wait_s END),
                   coalesce(sum(CASE WHEN answered THEN talk_s + hold_s + wrap_s END), 0),
                   coalesce(sum(CASE WHEN answered THEN talk_s END), 0), coalesce(sum(CASE WHEN answered THEN hold_s END), 0),
                   sum(direction = 'outbound'), sum(outcome = 'outbound_answered')
            FROM (\(handled))
            GROUP BY slot_local, offset_s, source, agent, queue
            """, arguments: arguments)
        try db.execute(sql: """
            INSERT INTO agent_tally_waits (tally, wait_s, calls)
            SELECT t.id, c.wait_s, count(*)
            FROM (\(handled)) c
            JOIN agent_tallies t
              ON t.slot_utc = c.slot_local - c.offset_s AND t.offset_s = c.offset_s AND t.source = c.source AND t.agent = c.agent
             AND t.queue IS c.queue
            WHERE c.answered
            GROUP BY t.id, c.wait_s
            """, arguments: arguments)
    }

    /// The hours remade after `mark` (a refresh's number and an hour), oldest first, at most `limit`:
    /// what a publish sends next, with the tallies and waits they hold now.
    public func tallyChanges(after mark: (seq: Int64, hour: Int64), limit: Int) async throws -> TallyChanges {
        try await read { db in
            let hours = try Row.fetchAll(db, sql: """
                SELECT seq, hour FROM tally_hour_changes WHERE seq >= ? AND (seq > ? OR hour > ?) ORDER BY seq, hour LIMIT ?
                """, arguments: [mark.seq, mark.seq, mark.hour, limit]).map { (seq: $0[0] as Int64, hour: $0[1] as Int64) }
            guard !hours.isEmpty else { return TallyChanges(hours: [], tallies: [], waits: [], agentTallies: [], agentWaits: []) }
            let list = "[" + hours.map { String($0.hour) }.joined(separator: ",") + "]"
            let inHours = "slot_utc / 3600 IN (SELECT value FROM json_each(:hours))"
            let tallies = try Row.fetchAll(db, sql: "SELECT \(TallyChanges.tallyColumns.joined(separator: ", ")) FROM call_tallies WHERE \(inHours) ORDER BY id",
                                       arguments: ["hours": list]).map { row in Array(row.databaseValues.map(StoredValue.init)) }
            let waits = try Row.fetchAll(db, sql: """
                SELECT w.tally, w.outcome, w.wait_s, w.calls FROM call_tally_waits w
                WHERE w.tally IN (SELECT id FROM call_tallies WHERE \(inHours))
                """, arguments: ["hours": list]).map { row in Array(row.databaseValues.map(StoredValue.init)) }
            let agentTallies = try Row.fetchAll(db, sql: """
                SELECT \(TallyChanges.agentTallyColumns.joined(separator: ", ")) FROM agent_tallies WHERE \(inHours) ORDER BY id
                """, arguments: ["hours": list]).map { row in Array(row.databaseValues.map(StoredValue.init)) }
            let agentWaits = try Row.fetchAll(db, sql: """
                SELECT w.tally, w.wait_s, w.calls FROM agent_tally_waits w
                WHERE w.tally IN (SELECT id FROM agent_tallies WHERE \(inHours))
                """, arguments: ["hours": list]).map { row in Array(row.databaseValues.map(StoredValue.init)) }
            return TallyChanges(hours: hours, tallies: tallies, waits: waits, agentTallies: agentTallies, agentWaits: agentWaits)
        }
    }
}

/// Hours of tallies remade since a publish's mark: the hours (each with the refresh that remade it),
/// and the rows they hold now: interval tallies in `tallyColumns` and (tally, outcome, wait_s, calls)
/// order, agent tallies in `agentTallyColumns` and (tally, wait_s, calls) order.
public struct TallyChanges: Sendable {
    public var hours: [(seq: Int64, hour: Int64)]
    public var tallies: [[StoredValue]]
    public var waits: [[StoredValue]]
    public var agentTallies: [[StoredValue]]
    public var agentWaits: [[StoredValue]]

    public static let agentTallyColumns = [
        "id", "slot_utc", "slot_local", "offset_s", "source", "agent", "queue", "answered", "answered_waited", "answered_wait_s",
        "max_wait_s", "handle_s", "talk_s", "hold_s", "outbound_attempts", "outbound_connected",
    ]

    public static let tallyColumns = [
        "id", "slot_utc", "slot_local", "offset_s", "source", "queue", "did", "offered", "answered", "abandoned", "transferred",
        "answered_waited", "answered_wait_s", "abandoned_waited", "abandoned_wait_s", "max_wait_s", "handle_s", "talk_s", "hold_s",
    ]
}
