import CalltrailStore
import Foundation

/// The inbound side of a report summed from the tallies, never from the calls or old report files:
/// the datasets of the inbound grains and the typed figures of the HTML page (the headline, the
/// intervals, the comparison period's headline and the daily trend). The period's tallies are read
/// once for all of them (InboundGrainPass); the comparison and the trend read their own ranges.
/// The report pipeline brings the tallies up to date once before.
struct TallyFigures {
    let store: CallStore
    let parameters: ReportParameters

    struct Summed {
        /// The inbound datasets but by_number, by_agent and wait_distribution, and by_number's figures of the numbers with offered calls
        /// (the engine lists every number and adds the outbound columns).
        var datasets: [String: Dataset] = [:]
        var offeredNumbers = Dataset(name: InboundGrain.byNumber.rawValue, columns: [], rows: [])
        var headline = ReportFigures.Headline()
        /// by_interval's intervals, empty ones too.
        var intervals: [ReportFigures.Interval] = []
        var comparison: ReportFigures.Comparison?
        var trend: [ReportFigures.TrendDay] = []
    }

    /// The inbound datasets of `grains` alone, from one read of the period's tallies (brought up to date
    /// first), as the report makes them.
    func datasets(_ grains: Set<InboundGrain>) async throws -> [String: Dataset] {
        let rows = try await read(grains, refreshed: false)
        return grains.reduce(into: [:]) { $0[$1.rawValue] = rows.dataset($1) }
    }

    /// One read of the period's tallies for `grains` (and wait_distribution), and the rows it makes.
    private func read(_ grains: Set<InboundGrain>, distribution: Bool = false, refreshed: Bool) async throws -> InboundGrainRows {
        let offsets = try await store.timeZoneOffsets(parameters.timeZone)
        let pass = try await InboundGrainPass.run(store, TallyScope(parameters, from: parameters.from, to: parameters.to), grains: grains,
                                                  intervalMinutes: parameters.interval, distribution: distribution, refreshed: refreshed)
        return InboundGrainRows(pass: pass, parameters: parameters, offsets: offsets)
    }

    func figures() async throws -> Summed {
        var summed = Summed()
        async let agents = AgentPass.run(store, TallyScope(parameters, from: parameters.from, to: parameters.to), refreshed: true)
        async let names = store.agentNames()
        let rows = try await read(Set(InboundGrain.allCases), distribution: true, refreshed: true)
        let period = rows.pass
        for grain in InboundGrain.allCases where grain != .byNumber { summed.datasets[grain.rawValue] = rows.dataset(grain) }
        summed.datasets["wait_distribution"] = rows.waitDistribution
        summed.datasets["by_agent"] = try await agents.dataset(names: try await names)
        summed.offeredNumbers = rows.dataset(.byNumber)
        summed.headline = period.summary.headline
        summed.intervals = rows.grid.map { start in
            let sums = period.intervals[start.utc] ?? TallySums()
            return ReportFigures.Interval(start: start.label, sums.counts, aht: sums.aht)
        }
        if let range = parameters.comparisonRange {
            let pass = try await InboundGrainPass.run(store, TallyScope(parameters, from: range.from, to: range.to), grains: [.summary], refreshed: true)
            summed.comparison = .init(label: range.label, from: range.from, to: range.to, headline: pass.summary.headline)
        }
        if let range = parameters.trendRange {
            let pass = try await InboundGrainPass.run(store, TallyScope(parameters, from: range.from, to: range.to), grains: [.byDay], refreshed: true)
            summed.trend = InboundGrainRows.listed(pass.days).map { ReportFigures.TrendDay(day: $0.key, $0.sums.counts, aht: $0.sums.aht) }
        }
        return summed
    }
}

extension TallySums {
    var headline: ReportFigures.Headline { .init(counts, asa: asa, aht: aht) }
}

extension TallyScope {
    /// The report's zone, T, S and queues over `[from, to)`.
    init(_ parameters: ReportParameters, from: Date, to: Date) {
        self.init(zone: parameters.timeZone, from: from, to: to, threshold: parameters.threshold,
                  shortAbandon: parameters.shortAbandon, queues: parameters.queues)
    }
}
