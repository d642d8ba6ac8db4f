import Foundation

/// The figures the HTML page and the staffing view read, typed, from the report engine's pass: the
/// same numbers as the datasets' cells before they are formatted, so nothing downstream parses text
/// back into numbers (the staffing view works from the exact AHT, not the CSV's one decimal).
public struct ReportFigures: Sendable, Equatable {
    public struct Headline: Sendable, Equatable {
        public var offered = 0
        public var answered = 0
        public var abandoned = 0
        public var shortAbandoned = 0
        /// V5, the headline service level; nil when offered less short abandons is not positive.
        public var serviceLevel: Double?
        public var abandonRate: Double?
        /// Mean wait of answered calls, and talk + hold + wrap of answered calls, in seconds.
        public var asa: Double?
        public var aht: Double?
        /// The five service-level formulas of docs/METRICS.md, V5 first.
        public var variants: [Variant] = []
    }

    public struct Variant: Sendable, Equatable {
        public var name: String
        public var definition: String
        public var value: Double?
    }

    public struct Interval: Sendable, Equatable {
        /// As `by_interval.interval_start` shows it: local time with its offset.
        public var start: String
        public var offered: Int
        public var serviceLevel: Double?
        public var aht: Double?
        /// The service level's numerator and what its denominator leaves out, so intervals add up to
        /// hours and days (the day × hour heatmap).
        public var answeredInT = 0
        public var shortAbandoned = 0
    }

    public struct Hour: Sendable, Equatable {
        public var hour: Int
        public var offered: Int
        public var answered: Int
        public var abandoned: Int

        public init(hour: Int, offered: Int, answered: Int, abandoned: Int) {
            self.hour = hour
            self.offered = offered
            self.answered = answered
            self.abandoned = abandoned
        }
    }

    public struct WaitBucket: Sendable, Equatable {
        /// `0-5`, …, `300+` seconds.
        public var label: String
        public var answered: Int
        public var abandoned: Int

        public init(label: String, answered: Int, abandoned: Int) {
            self.label = label
            self.answered = answered
            self.abandoned = abandoned
        }
    }

    /// A vendor mapping check over the period: the calls of its source, and how many broke it.
    public struct MappingCheckCount: Sendable, Equatable {
        public var name: String
        public var source: String
        public var failed: Int
        public var calls: Int
        public var meaning: String

        public init(name: String, source: String, failed: Int, calls: Int, meaning: String) {
            self.name = name
            self.source = source
            self.failed = failed
            self.calls = calls
            self.meaning = meaning
        }
    }

    /// The same headline over the comparison period, and how the page names that period.
    public struct Comparison: Sendable, Equatable {
        public var label: String
        public var from: Date
        public var to: Date
        public var headline: Headline

        public init(label: String, from: Date, to: Date, headline: Headline) {
            self.label = label
            self.from = from
            self.to = to
            self.headline = headline
        }
    }

    /// A day of the trend on the center's clock.
    public struct TrendDay: Sendable, Equatable {
        /// YYYY-MM-DD.
        public var day: String
        public var offered: Int
        public var serviceLevel: Double?
        public var abandonRate: Double?
        public var aht: Double?

        public init(day: String, _ c: InboundCounts, aht: Double?) {
            self.day = day
            offered = c.offered
            serviceLevel = c.serviceLevel
            abandonRate = c.abandonRate
            self.aht = aht
        }
    }

    public var headline = Headline()
    public var comparison: Comparison?
    /// The daily trend (30 days ending with the period), for a period of up to a week.
    public var trend: [TrendDay] = []
    public var mappingChecks: [MappingCheckCount] = []
    public var intervals: [Interval] = []
    public var hours: [Hour] = []
    public var waits: [WaitBucket] = []

    public init() {}
}

/// The inbound counts a headline or an interval is derived from, as the datasets count them.
public struct InboundCounts: Sendable, Equatable {
    public var offered = 0
    public var answered = 0
    public var abandoned = 0
    public var shortAbandoned = 0
    public var answeredInT = 0
    public var abandonedInT = 0

    public init(offered: Int = 0, answered: Int = 0, abandoned: Int = 0, shortAbandoned: Int = 0, answeredInT: Int = 0,
                abandonedInT: Int = 0) {
        self.offered = offered
        self.answered = answered
        self.abandoned = abandoned
        self.shortAbandoned = shortAbandoned
        self.answeredInT = answeredInT
        self.abandonedInT = abandonedInT
    }

    /// Another group's counts added to these.
    public mutating func add(_ other: InboundCounts) {
        offered += other.offered
        answered += other.answered
        abandoned += other.abandoned
        shortAbandoned += other.shortAbandoned
        answeredInT += other.answeredInT
        abandonedInT += other.abandonedInT
    }
}

/// The figures of docs/METRICS.md made from counts, written once for Swift: the headline, the intervals,
/// the trend and the heatmaps read them (the datasets' SQL has its own one copy, InboundGrain's SELECT).
extension InboundCounts {
    /// V5, the headline service level: answered within T over offered less short abandons.
    public var serviceLevel: Double? { quotient(answeredInT, offered - shortAbandoned) }
    /// Abandons past S over offered less short abandons.
    public var abandonRate: Double? { quotient(abandoned - shortAbandoned, offered - shortAbandoned) }
    /// V1: answered within T over answered (by_agent's service level: an agent is only offered what it answers).
    public var serviceLevelOfAnswered: Double? { quotient(answeredInT, answered) }
    /// Every abandon over every call offered.
    public var abandonRateAll: Double? { quotient(abandoned, offered) }

    /// The five service-level formulas, V5 first.
    var serviceLevelVariants: [ReportFigures.Variant] {
        [
            .init(name: "V5 (headline)", definition: "answered in T / (offered − short abandons)", value: serviceLevel),
            .init(name: "V1", definition: "answered in T / answered — Asterisk ServicelevelPerf, uContact servicelevel",
                  value: serviceLevelOfAnswered),
            .init(name: "V2", definition: "answered in T / (answered + abandoned)", value: quotient(answeredInT, answered + abandoned)),
            .init(name: "V3", definition: "answered in T / (answered + abandoned − abandoned in T)",
                  value: quotient(answeredInT, answered + abandoned - abandonedInT)),
            .init(name: "V4", definition: "(answered in T + abandoned in T) / (answered + abandoned) — ServicelevelPerf2",
                  value: quotient(answeredInT + abandonedInT, answered + abandoned)),
        ]
    }
}

extension ReportFigures.Headline {
    /// The headline from its counts and the unrounded means (ASA, AHT): whoever counted them, the
    /// tallies in SQLite or the warehouse's, the ratios and the five formulas are InboundCounts'.
    public init(_ c: InboundCounts, asa: Double?, aht: Double?) {
        self.init(offered: c.offered, answered: c.answered, abandoned: c.abandoned, shortAbandoned: c.shortAbandoned,
                  serviceLevel: c.serviceLevel, abandonRate: c.abandonRate, asa: asa, aht: aht, variants: c.serviceLevelVariants)
    }
}

extension ReportFigures.Interval {
    public init(start: String, _ c: InboundCounts, aht: Double?) {
        self.init(start: start, offered: c.offered, serviceLevel: c.serviceLevel, aht: aht, answeredInT: c.answeredInT,
                  shortAbandoned: c.shortAbandoned)
    }
}

/// A quotient where the denominator is positive, else nil (NULL in the queries).
func quotient(_ numerator: Int, _ denominator: Int) -> Double? {
    denominator > 0 ? Double(numerator) / Double(denominator) : nil
}
