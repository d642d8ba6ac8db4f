import CalltrailStore
import Foundation

/// The typed figures of the HTML page summed from the tallies (`CallStore.tallySums`): the headline,
/// the intervals, the comparison period's headline and the daily trend, never from the calls or old
/// report files. Their formulas are docs/METRICS.md's, written once in Swift (`ReportFigures`).
/// The report pipeline brings the tallies up to date once before it sums them.
struct TallyFigures {
    let store: CallStore
    let parameters: ReportParameters

    struct Summed {
        var headline = ReportFigures.Headline()
        /// By the interval's start as by_interval shows it.
        var intervals: [String: TallySums] = [:]
        var comparison: ReportFigures.Comparison?
        var trend: [ReportFigures.TrendDay] = []
    }

    func figures() async throws -> Summed {
        var summed = Summed()
        let scope = TallyScope(parameters, from: parameters.from, to: parameters.to)
        summed.headline = (try await store.tallySums(scope, by: .period, refreshed: true).first?.sums ?? TallySums()).headline
        for (start, sums) in try await store.tallySums(scope, by: .interval(minutes: parameters.interval), refreshed: true) { summed.intervals[start] = sums }
        if let range = parameters.comparisonRange {
            let period = try await store.tallySums(TallyScope(parameters, from: range.from, to: range.to), by: .period, refreshed: true)
            summed.comparison = .init(label: range.label, from: range.from, to: range.to, headline: (period.first?.sums ?? TallySums()).headline)
        }
        if let range = parameters.trendRange {
            summed.trend = try await store.tallySums(TallyScope(parameters, from: range.from, to: range.to), by: .day, refreshed: true).map {
                ReportFigures.TrendDay(day: $0.bucket, $0.sums.counts, aht: $0.sums.aht)
            }
        }
        return summed
    }
}

extension TallySums {
    var counts: InboundCounts {
        InboundCounts(offered: offered, answered: answered, abandoned: abandoned, shortAbandoned: shortAbandoned,
                      answeredInT: answeredInT, abandonedInT: abandonedInT)
    }

    /// ASA: the answered calls' mean wait, over those with a wait.
    var asa: Double? { answeredWaited > 0 ? answeredWait / Double(answeredWaited) : nil }
    /// AHT: the answered calls' mean talk + hold + wrap.
    var aht: Double? { answered > 0 ? handle / Double(answered) : nil }

    var headline: ReportFigures.Headline { .init(counts, asa: asa, aht: aht) }
}

extension TallyScope {
    /// The report's zone, T, S and queues over `[from, to)`.
    init(_ parameters: ReportParameters, from: Date, to: Date) {
        self.init(zone: parameters.timeZone, from: from, to: to, threshold: parameters.threshold,
                  shortAbandon: parameters.shortAbandon, queues: parameters.queues)
    }
}
