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
    }

    public struct Hour: Sendable, Equatable {
        public var hour: Int
        public var offered: Int
        public var answered: Int
        public var abandoned: Int
    }

    public struct WaitBucket: Sendable, Equatable {
        /// `0-5`, …, `300+` seconds.
        public var label: String
        public var answered: Int
        public var abandoned: Int
    }

    /// A vendor mapping check over the period: the calls of its source, and how many broke it.
    public struct MappingCheckCount: Sendable, Equatable {
        public var name: String
        public var source: String
        public var failed: Int
        public var calls: Int
        public var meaning: String
    }

    public var headline = Headline()
    public var mappingChecks: [MappingCheckCount] = []
    public var intervals: [Interval] = []
    public var hours: [Hour] = []
    public var waits: [WaitBucket] = []

    public init() {}
}

/// A quotient where the denominator is positive, else nil (NULL in the queries).
func quotient(_ numerator: Int, _ denominator: Int) -> Double? {
    denominator > 0 ? Double(numerator) / Double(denominator) : nil
}
