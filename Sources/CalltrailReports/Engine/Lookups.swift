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

/// Per-queue S (queue_settings), which the abandoned calls' listing shows; nil: the report's default.
struct QueueSettings {
    private let shortAbandons: [String: Double]

    init(_ db: Database) throws {
        var shortAbandons: [String: Double] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT queue, short_abandon_s FROM queue_settings WHERE queue IS NOT NULL AND short_abandon_s IS NOT NULL") {
            shortAbandons[row[0] as String] = row[1] as Double
        }
        self.shortAbandons = shortAbandons
    }

    func shortAbandon(_ queue: String?) -> Double? { queue.flatMap { shortAbandons[$0] } }
}
