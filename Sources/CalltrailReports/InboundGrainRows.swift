import CalltrailCore
import Foundation

/// The datasets of the inbound grains as their queries/ files print them, made from an `InboundGrainPass`:
/// the same columns, rows and order, the ratios and durations formatted once here, with SQLite's own
/// printf (queries/ and the report agree cell for cell; ReportEngineTests hold every dataset equal to
/// its file's).
struct InboundGrainRows {
    let pass: InboundGrainPass
    let parameters: ReportParameters
    /// Every interval of `[from, to)` on the report's clock, empty ones too: the interval of each quarter
    /// hour on the clock in force then, its start (Unix seconds) and that start as by_interval shows it,
    /// local time and the offset of the quarter hours it holds (the first, where two clocks share one).
    let grid: [(utc: Int, label: String)]

    /// `offsets`: the report zone's offset periods, as `time_zone_offsets` holds them.
    init(pass: InboundGrainPass, parameters: ReportParameters, offsets: [ZoneOffsetPeriod]) {
        self.pass = pass
        self.parameters = parameters
        let from = Int(parameters.from.timeIntervalSince1970), to = Int(parameters.to.timeIntervalSince1970), step = pass.step
        var labels: [Int: String] = [:]
        var period = 0
        for quarter in stride(from: from, to: to, by: 900) {
            while period < offsets.count, offsets[period].to <= Double(quarter) { period += 1 }
            guard period < offsets.count, offsets[period].from <= Double(quarter) else { continue }
            let offset = offsets[period].offset
            let start = quarter - LocalDateTime.floorMod(quarter + offset, step)
            if labels[start] == nil { labels[start] = SQLText.dateTime(start + offset) + ZoneOffsetPeriod.label(offset: offset) }
        }
        grid = labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The figure columns every inbound dataset has, in order.
    static let figureColumns = [
        "offered", "answered", "abandoned", "short_abandoned", "answered_in_t", "abandoned_in_t", "service_level", "sl_v1_answered",
        "sl_v2_offered", "sl_v3_ignore_late_abandons", "sl_v4_with_abandoned", "abandon_rate", "abandon_rate_all", "asa_s",
        "avg_wait_abandoned_s", "max_wait_s", "aht_s", "avg_talk_s", "avg_hold_s", "p50_wait_s", "p90_wait_s",
    ]

    /// The bucket's figure cells: docs/METRICS.md's formulas (InboundCounts) over its sums.
    static func figures(_ s: TallySums) -> [String?] {
        let c = s.counts
        let counts = [c.offered, c.answered, c.abandoned, c.shortAbandoned, c.answeredInT, c.abandonedInT].map { String($0) as String? }
        let ratios = ([c.serviceLevel] + c.serviceLevelVariants.dropFirst().map(\.value) + [c.abandonRate, c.abandonRateAll]).map { $0.map(SQLText.ratio) }
        let seconds = [s.asa, s.abandonedWaitMean, s.maxWait, s.aht, s.talkMean, s.holdMean].map { $0.map(SQLText.seconds) }
        let percentiles = s.hasWaits ? [s.p50, s.p90].map { $0.map(SQLText.seconds) } : [nil, nil]
        return counts + ratios + seconds + percentiles
    }

    func dataset(_ grain: InboundGrain) -> Dataset {
        let figures = Self.figureColumns
        switch grain {
        case .summary:
            return Dataset(name: grain.rawValue, columns: figures + ["threshold_s", "short_abandon_s", "time_zone"],
                           rows: [Self.figures(pass.summary) + [SQLText.real(parameters.threshold), SQLText.real(parameters.shortAbandon),
                                                                 parameters.timeZone.identifier]])
        case .byInterval:
            let rows = grid.map { start in [start.label] + Self.figures(pass.intervals[start.utc] ?? TallySums()) }
            return Dataset(name: grain.rawValue, columns: ["interval_start"] + figures, rows: rows)
        case .byQueueInterval:
            // ALL first in each interval, then the queues with tallies in the period, by their bytes.
            let seen = Set(pass.queueIntervals.values.flatMap(\.keys)).subtracting(["ALL"])
            let queues = ["ALL"] + seen.sorted(by: SQLText.precedes)
            let rows = grid.flatMap { start in
                queues.map { queue in [start.label, queue] + Self.figures(pass.queueIntervals[start.utc]?[queue] ?? TallySums()) }
            }
            return Dataset(name: grain.rawValue, columns: ["interval_start", "queue"] + figures, rows: rows)
        case .byDay:
            return Dataset(name: grain.rawValue, columns: ["day"] + figures, rows: Self.listed(pass.days).map { [$0.key] + Self.figures($0.sums) })
        case .byWeek:
            return Dataset(name: grain.rawValue, columns: ["week", "week_start"] + figures,
                           rows: Self.listed(pass.weeks).map { [Self.isoWeek(monday: $0.key), $0.key] + Self.figures($0.sums) })
        case .byMonth:
            return Dataset(name: grain.rawValue, columns: ["month"] + figures, rows: Self.listed(pass.months).map { [$0.key] + Self.figures($0.sums) })
        case .byQueue:
            let listed = Self.listed(pass.queues).sorted { $0.sums.counts.offered > $1.sums.counts.offered }  // stable: ties stay by queue
            return Dataset(name: grain.rawValue, columns: ["queue"] + figures + ["transferred", "threshold_s", "short_abandon_s"],
                           rows: listed.map { bucket in
                               [bucket.key] + Self.figures(bucket.sums)
                                   + [String(bucket.sums.transferred), bucket.sums.threshold.map(SQLText.real), bucket.sums.shortAbandon.map(SQLText.real)]
                           })
        case .byNumber:
            // The numbers with offered calls and their inbound figures; the engine lists the rest of
            // by_number (every number with a call, the outbound columns).
            return Dataset(name: grain.rawValue, columns: ["number"] + figures, rows: Self.listed(pass.numbers).map { [$0.key] + Self.figures($0.sums) })
        }
    }

    /// wait_distribution: the calls with a wait per bucket of waits, every bucket listed.
    var waitDistribution: Dataset {
        let rows: [[String?]] = zip(InboundGrainPass.waitBounds, pass.waitBuckets).map { bounds, counts in
            [bounds.high.map { "\(bounds.low)-\($0)" } ?? "\(bounds.low)+", String(bounds.low), bounds.high.map { String($0) },
             String(counts.answered), String(counts.abandoned)]
        }
        return Dataset(name: "wait_distribution", columns: ["wait_bucket_s", "low_s", "high_s", "answered", "abandoned"], rows: rows)
    }

    /// A grain's buckets in the order of their labels' bytes, as SQLite orders text.
    static func listed(_ buckets: [String: TallySums]) -> [(key: String, sums: TallySums)] {
        buckets.sorted { SQLText.precedes($0.key, $1.key) }.map { ($0.key, $0.value) }
    }

    /// `2026-W49`: the ISO week of the week starting on `monday`, whose Thursday decides its year.
    static func isoWeek(monday: String) -> String {
        let utc = TimeZone(identifier: "UTC")!
        func day(_ date: LocalDateTime) -> Int? { Int(exactly: date.date(in: utc).timeIntervalSince1970).map { LocalDateTime.floorDiv($0, 86_400) } }
        guard let start = LocalDateTime(parsing: monday), let mondayDay = day(start) else { return "" }
        let thursday = LocalDateTime(utcSeconds: (mondayDay + 3) * 86_400)
        guard let newYear = day(LocalDateTime(year: thursday.year, month: 1, day: 1)) else { return "" }
        return String(format: "%04d-W%02d", thursday.year, (mondayDay + 3 - newYear) / 7 + 1)
    }
}
