import Foundation

/// The periods in which a time zone keeps one UTC offset, found by scanning the zone day by day and
/// narrowing each change to the second: works for DST and for standard-offset changes alike.
public struct ZoneOffsetPeriod: Sendable, Equatable {
    public var from: Double
    public var to: Double
    public var offset: Int

    public init(from: Double, to: Double, offset: Int) {
        self.from = from
        self.to = to
        self.offset = offset
    }

    /// "+05:30", "-03:00".
    public var label: String { Self.label(offset: offset) }

    public static func label(offset: Int) -> String {
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        return sign + String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }

    /// From 2000 to 2045: the first period reaches back and the last forward without end, so any
    /// instant falls into exactly one period.
    public static func periods(of zone: TimeZone, from start: Int = 946_684_800, to end: Int = 2_366_841_600) -> [ZoneOffsetPeriod] {
        func offset(_ t: Int) -> Int { zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t))) }
        var periods: [ZoneOffsetPeriod] = []
        var periodStart = -1e12
        var current = offset(start)
        var t = start
        while t < end {
            let next = t + 86_400
            let nextOffset = offset(next)
            if nextOffset != current {
                // The change lies in (t, next]: binary search for its first second.
                var low = t, high = next
                while high - low > 1 {
                    let mid = (low + high) / 2
                    if offset(mid) == current { low = mid } else { high = mid }
                }
                periods.append(ZoneOffsetPeriod(from: periodStart, to: Double(high), offset: current))
                periodStart = Double(high)
                current = offset(high)
                // A change and its reversal within one day are caught by scanning on from the change.
                t = high
                continue
            }
            t = next
        }
        periods.append(ZoneOffsetPeriod(from: periodStart, to: 1e12, offset: current))
        return periods
    }
}

extension LocalDateTime {
    /// ISO 8601 with the zone's offset in force at `date`: "2026-03-01T08:00:00-03:00".
    public static func iso8601(_ date: Date, in zone: TimeZone) -> String {
        LocalDateTime(date, in: zone).description.replacingOccurrences(of: " ", with: "T")
            + ZoneOffsetPeriod.label(offset: zone.secondsFromGMT(for: date))
    }
}
