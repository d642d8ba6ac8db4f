import Foundation

/// A report period of the calendar on the center's clock: a day, an ISO week (Monday to Sunday), a
/// month or a year. DST days have 23 or 25 hours; the calendar of the zone says where each one ends.
public enum ReportPeriod: String, Sendable, CaseIterable {
    case day, week, month, year

    var component: Calendar.Component {
        switch self {
        case .day: .day
        case .week: .weekOfYear
        case .month: .month
        case .year: .year
        }
    }

    /// The ISO calendar in `zone`: weeks start on Monday.
    static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        return calendar
    }

    /// The period holding `date`.
    public func bounds(containing date: Date, in zone: TimeZone) -> (from: Date, to: Date) {
        let interval = Self.calendar(zone).dateInterval(of: component, for: date)!
        return (interval.start, interval.end)
    }

    /// The last whole period before the one holding `now`.
    public func lastComplete(before now: Date, in zone: TimeZone) -> (from: Date, to: Date) {
        bounds(containing: bounds(containing: now, in: zone).from.addingTimeInterval(-1), in: zone)
    }
}

/// What the headline figures stand beside: the period before (of the same kind, or of the same length
/// for a range of one's own), the same span a week before (for a day: the same weekday), or nothing.
public enum ReportComparison: String, Sendable, CaseIterable {
    case previous, week, none
}

extension ReportParameters {
    /// The comparison period and how the page names it; nil with `--compare none`.
    public var comparisonRange: (from: Date, to: Date, label: String)? {
        let calendar = ReportPeriod.calendar(timeZone)
        switch compare {
        case .none:
            return nil
        case .previous:
            if let period {
                let previous = period.bounds(containing: from.addingTimeInterval(-1), in: timeZone)
                return (previous.from, previous.to, "previous \(period.rawValue)")
            }
            return (from.addingTimeInterval(-to.timeIntervalSince(from)), from, "previous period of the same length")
        case .week:
            let back = { (date: Date) in calendar.date(byAdding: .day, value: -7, to: date)! }
            return (back(from), back(to), period == .day ? "same weekday a week before" : "a week before")
        }
    }

    /// The days of the daily trend: the 30 days on the center's clock that end with the period, for a
    /// period of up to a week (a longer one shows its own days).
    public var trendRange: (from: Date, to: Date)? {
        let calendar = ReportPeriod.calendar(timeZone)
        guard let weekLater = calendar.date(byAdding: .day, value: 7, to: from), to <= weekLater else { return nil }
        let end = calendar.startOfDay(for: to) == to ? to : calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: to))!
        return (calendar.date(byAdding: .day, value: -30, to: end)!, end)
    }
}
