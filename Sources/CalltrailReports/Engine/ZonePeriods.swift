import CalltrailCore

/// The report zone's offset periods as `time_zone_offsets` holds them (the queries read the same rows).
struct ZonePeriods {
    struct Period {
        var from: Double
        var to: Double
        var seconds: Int
        var label: String
    }

    let periods: [Period]

    init(_ offsets: [ZoneOffsetPeriod]) {
        periods = offsets.map { Period(from: $0.from, to: $0.to, seconds: $0.offset, label: $0.label) }
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
