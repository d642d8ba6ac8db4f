import CalltrailCore
import Foundation

/// The parameters every dataset is run with (docs/METRICS.md's T, S, interval and time zone, the period).
public struct ReportParameters: Sendable, Equatable {
    public var from: Date
    public var to: Date
    public var timeZone: TimeZone
    /// Interval length in minutes: 15, 30 or 60.
    public var interval: Int
    /// T: answered within this many seconds (inclusive) is in service level.
    public var threshold: Double
    /// S: abandons with a wait under this many seconds are short abandons.
    public var shortAbandon: Double
    /// The service-level target the Erlang C staffing view aims for, as a fraction.
    public var target: Double
    /// Only these queues; empty: all.
    public var queues: [String]
    /// The calendar period the report covers, when it is one (`--period`); nil for a range of one's own.
    public var period: ReportPeriod?
    /// What the headline figures stand beside.
    public var compare: ReportComparison

    public init(from: Date, to: Date, timeZone: TimeZone, interval: Int = 30, threshold: Double = 20,
                shortAbandon: Double = 5, target: Double = 0.8, queues: [String] = [], period: ReportPeriod? = nil,
                compare: ReportComparison = .previous) {
        self.from = from
        self.to = to
        self.timeZone = timeZone
        self.interval = interval
        self.threshold = threshold
        self.shortAbandon = shortAbandon
        self.target = target
        self.queues = queues
        self.period = period
        self.compare = compare
    }

    /// Yesterday, midnight to midnight on the center's clock.
    public static func yesterday(in timeZone: TimeZone, now: Date = Date()) -> (Date, Date) {
        var today = LocalDateTime(now, in: timeZone)
        today.hour = 0
        today.minute = 0
        today.second = 0
        let end = today.date(in: timeZone)
        var yesterday = LocalDateTime(end.addingTimeInterval(-12 * 3600), in: timeZone)
        yesterday.hour = 0
        yesterday.minute = 0
        yesterday.second = 0
        return (yesterday.date(in: timeZone), end)
    }

    /// ISO 8601 with the zone's offset, the form the queries take for `:from` and `:to`.
    public func iso(_ date: Date) -> String { LocalDateTime.iso8601(date, in: timeZone) }

    /// The named arguments of the queries.
    public var bindings: [String: QueryValue] {
        [
            "from": .text(iso(from)), "to": .text(iso(to)), "tz": .text(timeZone.identifier),
            "interval": .integer(interval), "threshold": .real(threshold), "short_abandon": .real(shortAbandon),
            "queues": queues.isEmpty ? .null : .text(Self.jsonArray(queues)),
        ]
    }

    static func jsonArray(_ values: [String]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: values)
        return String(decoding: data, as: UTF8.self)
    }
}

/// A value bound to a named query parameter.
public enum QueryValue: Sendable, Equatable {
    case null
    case integer(Int)
    case real(Double)
    case text(String)
}
