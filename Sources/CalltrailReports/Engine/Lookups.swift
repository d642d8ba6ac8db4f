import GRDB

/// The report zone's offset periods as `time_zone_offsets` holds them (the queries read the same rows).
struct ZonePeriods {
    struct Period {
        var from: Double
        var to: Double
        var seconds: Int
        var label: String
    }

    let periods: [Period]

    init(_ db: Database, zone: String) throws {
        periods = try Row.fetchAll(db, sql: "SELECT from_utc, to_utc, offset_s, offset_label FROM time_zone_offsets WHERE zone = ? ORDER BY from_utc",
                                   arguments: [zone]).map { row in
            Period(from: row[0] as Double, to: row[1] as Double, seconds: row[2] as Int, label: row[3] as String)
        }
    }

    /// The period holding `t` (`from_utc <= t < to_utc`).
    func period(at t: Double) -> Period? {
        var low = 0, high = periods.count
        while low < high {
            let middle = (low + high) / 2
            if periods[middle].to <= t { low = middle + 1 } else { high = middle }
        }
        return low < periods.count && periods[low].from <= t ? periods[low] : nil
    }

    /// Finds periods for instants that only grow: a step forward at a period's end, no search.
    struct Cursor {
        let periods: ZonePeriods
        var current: Period?

        mutating func period(at t: Double) -> Period? {
            if let current, current.from <= t, t < current.to { return current }
            current = periods.period(at: t)
            return current
        }
    }

    func cursor() -> Cursor { Cursor(periods: self, current: nil) }
}

/// Per-queue T and S (queue_settings); nil: the report's default.
struct QueueSettings {
    private let settings: [String: (threshold: Double?, shortAbandon: Double?)]

    init(_ db: Database) throws {
        var settings: [String: (Double?, Double?)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT queue, threshold_s, short_abandon_s FROM queue_settings WHERE queue IS NOT NULL") {
            settings[row[0] as String] = (row[1] as Double?, row[2] as Double?)
        }
        self.settings = settings
    }

    func threshold(_ queue: String?) -> Double? { queue.flatMap { settings[$0]?.threshold } }
    func shortAbandon(_ queue: String?) -> Double? { queue.flatMap { settings[$0]?.shortAbandon } }
}

/// What the vendors call their agents (source_agents), as by_agent.sql looks them up.
struct AgentNames {
    private let agents: [String: String]

    init(_ db: Database) throws {
        var agents: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT source, agent_id, name FROM source_agents") {
            if let name = row[2] as String? { agents[(row[0] as String) + "\u{0}" + (row[1] as String)] = name }
        }
        self.agents = agents
    }

    func agent(source: String, id: String) -> String? { agents[source + "\u{0}" + id] }
}
