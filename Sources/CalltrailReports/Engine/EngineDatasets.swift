import Foundation

/// The rows of each dataset from what the engine's pass gathered, with the columns, cells and order
/// of its queries/ file (the file's comments say what each figure means).
struct EngineDatasets {
    let parameters: ReportParameters
    let period: ReportEngine.Period
    /// The texts the period's text numbers stand for.
    let texts: TextNumbers
    let zone: ZonePeriods
    /// `unixepoch(:from)` and `unixepoch(:to)`.
    let from: Int
    let to: Int
    let names: DimensionNames
    let undecodable: Int
    /// `ReportEngine.syncedAfterErasure`.
    let syncedAfterErasure: Int
    let mappingChecks: [ReportEngine.MappingCheckRow]
    /// `ReportEngine.recoveries`.
    let recoveries: [String: [String: String]]
    /// Where the abandoned calls went during the pass, if they did.
    let spool: AbandonedCallsSpool?

    /// Every dataset, made on every core: the longest (a row per abandon, a row per queue and interval)
    /// first.
    var all: [String: Dataset] {
        nonisolated(unsafe) let makers: [(EngineDatasets) -> Dataset] = [
            \.abandonedCalls, \.byQueueInterval, \.byInterval, \.summary, \.byDay, \.byWeek, \.byMonth, \.byQueue, \.byAgent,
            \.byNumber, \.outbound, \.dataQuality, \.recordingCoverage,
        ]
        // Read only while they are made.
        nonisolated(unsafe) let made = self
        return Parallel.map(makers.count) { makers[$0](made) }.reduce(into: [:]) { $0[$1.name] = $1 }
    }

    private func count(_ value: Int) -> String { String(value) }

    var summary: Dataset {
        let row = period.summary.figureCells
            + [SQLText.real(parameters.threshold), SQLText.real(parameters.shortAbandon), parameters.timeZone.identifier]
        return Dataset(name: "summary", columns: InboundTally.figureColumns + ["threshold_s", "short_abandon_s", "time_zone"], rows: [row])
    }

    /// Every interval of the period on the zone's clock, from the offset in force at its start: its
    /// start instant and how by_interval shows it.
    var intervalGrid: [(start: Int, shown: String)] {
        var grid: [(Int, String)] = []
        let step = parameters.interval * 60
        if let offset = zone.period(at: Double(from)) {
            // The grid starts at the interval holding :from, and each next start is taken while before :to.
            var t = from - (from + offset.seconds) % step
            repeat {
                if let shown = zone.period(at: Double(t)) { grid.append((t, SQLText.dateTime(t + shown.seconds) + shown.label)) }
                t += step
            } while t < to
        }
        return grid
    }

    var byInterval: Dataset {
        let rows = intervalGrid.map { interval in [interval.shown] + (period.intervals[interval.start] ?? InboundTally()).figureCells }
        return Dataset(name: "by_interval", columns: ["interval_start"] + InboundTally.figureColumns, rows: rows)
    }

    /// Every interval for ALL queues (by_interval's figures) and for each queue with offered calls,
    /// queues in byte order of their names.
    var byQueueInterval: Dataset {
        let queues = named(period.queueIntervals, none: "(none)") { into, other in
            for (start, tally) in other.entries { into[start, default: InboundTally()].merge(tally) }
        }
        let names = queues.keys.filter { $0 != "ALL" }.sorted(by: SQLText.precedes)
        var rows: [[String?]] = []
        for interval in intervalGrid {
            rows.append([interval.shown, "ALL"] + (period.intervals[interval.start] ?? InboundTally()).figureCells)
            for name in names {
                rows.append([interval.shown, name] + (queues[name]?[interval.start] ?? InboundTally()).figureCells)
            }
        }
        return Dataset(name: "by_queue_interval", columns: ["interval_start", "queue"] + InboundTally.figureColumns, rows: rows)
    }

    /// The typed figures of the HTML page and the staffing view, from the same tallies.
    var figures: ReportFigures {
        let s = period.summary
        var figures = ReportFigures()
        figures.headline = ReportFigures.Headline(s.counts, asa: s.answeredWait.value, aht: s.handle.value)
        figures.intervals = intervalGrid.map { interval in
            let t = period.intervals[interval.start] ?? InboundTally()
            return ReportFigures.Interval(start: interval.shown, t.counts, aht: t.handle.value)
        }
        figures.mappingChecks = mappingCheckCounts
        return figures
    }

    var byDay: Dataset {
        let rows = period.days.sortedByKey.map { day, tally in [SQLText.date(day * 86_400)] + tally.figureCells }
        return Dataset(name: "by_day", columns: ["day"] + InboundTally.figureColumns, rows: rows)
    }

    var byWeek: Dataset {
        let rows = period.weeks.sortedByKey.map { monday, tally in
            [LocalDay.isoWeek(monday), SQLText.date(monday * 86_400)] + tally.figureCells
        }
        return Dataset(name: "by_week", columns: ["week", "week_start"] + InboundTally.figureColumns, rows: rows)
    }

    var byMonth: Dataset {
        let rows = period.months.sortedByKey.map { month, tally in
            [String(format: "%04d-%02d", month / 12, month % 12 + 1)] + tally.figureCells
        }
        return Dataset(name: "by_month", columns: ["month"] + InboundTally.figureColumns, rows: rows)
    }


    /// Groups by the text they show: a NULL and a literal "(none)" are one group, as in SQL.
    private func named<Tally>(_ groups: IntMap<Tally>, none: String, merge: (inout Tally, Tally) -> Void) -> [String: Tally] {
        var byName: [String: Tally] = [:]
        for (id, tally) in groups.sortedByKey {
            let name = texts.text(id) ?? none
            if byName[name] == nil { byName[name] = tally } else { merge(&byName[name]!, tally) }
        }
        return byName
    }

    var byQueue: Dataset {
        let queues = named(period.queues, none: "(none)") { into, other in into.tally.merge(other.tally) }
        let ordered = queues.sorted { a, b in
            a.value.tally.offered != b.value.tally.offered ? a.value.tally.offered > b.value.tally.offered : SQLText.precedes(a.key, b.key)
        }
        let rows = ordered.map { queue, entry in
            [queue] + entry.tally.figureCells + [count(entry.tally.transferred), SQLText.real(entry.threshold), SQLText.real(entry.shortAbandon)]
        }
        return Dataset(name: "by_queue", columns: ["queue"] + InboundTally.figureColumns + ["transferred", "threshold_s", "short_abandon_s"],
                       rows: rows)
    }

    var byAgent: Dataset {
        let agents = period.agents.entries.map { (source: texts.text($0.key >> 32) ?? "", agent: texts.text($0.key & 0xFFFF_FFFF) ?? "", tally: $0.value) }
        let ordered = agents.sorted { a, b in
            let x = a.tally.answered.answered + a.tally.outboundAttempts, y = b.tally.answered.answered + b.tally.outboundAttempts
            if x != y { return x > y }
            if a.source != b.source { return SQLText.precedes(a.source, b.source) }
            return SQLText.precedes(a.agent, b.agent)
        }
        let rows: [[String?]] = ordered.map { source, agent, t in
            let a = t.answered
            return [source, agent, names.agent(source: source, id: agent), count(a.answered), count(a.answeredInT),
                    ratio(a.answeredInT, a.answered), a.answeredWait.seconds, a.maxWait.map(SQLText.seconds), a.handle.seconds, a.talk.seconds,
                    a.hold.seconds] + (a.answeredWaits?.percentiles([50, 90]) ?? [nil, nil])
                + [SQLText.seconds(a.talk.sum), count(t.outboundAttempts), count(t.outboundConnected)]
        }
        return Dataset(name: "by_agent", columns: ["source", "agent", "agent_name", "inbound_answered", "answered_in_t", "sl_v1_answered", "asa_s",
                                                   "max_wait_s", "aht_s", "avg_talk_s", "avg_hold_s", "p50_wait_s", "p90_wait_s", "inbound_talk_s",
                                                   "outbound_attempts", "outbound_connected"], rows: rows)
    }

    var byNumber: Dataset {
        // The label is looked up by the group's own number, none for the NULL group.
        let numbers = period.numbers.entries.map { (number: texts.text($0.key) ?? "(unknown)", did: texts.text($0.key), tally: $0.value) }
        let ordered = numbers.sorted { a, b in
            let x = a.tally.inbound.offered + a.tally.outboundAttempts, y = b.tally.inbound.offered + b.tally.outboundAttempts
            return x != y ? x > y : SQLText.precedes(a.number, b.number)
        }
        let rows: [[String?]] = ordered.map { number, did, t in
            [number, names.number(did)] + t.inbound.figureCells
                + [count(t.outboundAttempts), count(t.outboundConnected), ratio(t.outboundConnected, t.outboundAttempts)]
        }
        return Dataset(name: "by_number", columns: ["number", "number_name"] + InboundTally.figureColumns
                       + ["outbound_attempts", "outbound_connected", "connect_rate"], rows: rows)
    }


    var outbound: Dataset {
        let dimensions = ["total", "campaign", "agent", "number"], none = ["all", "(none)", "(none)", "(unknown)"]
        let keyed = period.outbound.entries.map { entry -> (rank: Int, key: String, tally: ReportEngine.OutboundTally) in
            let rank = entry.key >> 40, id = entry.key & 0xFF_FFFF_FFFF
            return (rank, rank == 0 || id == 0xFF_FFFF_FFFF ? none[rank] : texts.text(id) ?? none[rank], entry.value)
        }
        let ordered = keyed.sorted { a, b in
            if a.rank != b.rank { return a.rank < b.rank }
            if a.tally.attempts != b.tally.attempts { return a.tally.attempts > b.tally.attempts }
            return SQLText.precedes(a.key, b.key)
        }
        let rows: [[String?]] = ordered.map { rank, key, t in
            [dimensions[rank], key, count(t.attempts), count(t.connected), SQLText.ratio(Double(t.connected) / Double(t.attempts)),
             t.connected > 0 ? t.talk.seconds : nil]
        }
        return Dataset(name: "outbound", columns: ["dimension", "key", "attempts", "connected", "connect_rate", "avg_talk_s"], rows: rows)
    }

    var abandonedCalls: Dataset {
        if let spool {
            return Dataset(name: "abandoned_calls", columns: AbandonedCallRows.columns, rows: spool.kept, moreRows: spool.count - spool.kept.count)
        }
        var rows = AbandonedCallRows(texts: texts, recoveries: recoveries)
        return Dataset(name: "abandoned_calls", columns: AbandonedCallRows.columns, rows: rows.rows(period.abandoned))
    }

    var dataQuality: Dataset {
        let q = period.quality
        func share(_ value: Int) -> String? { ratio(value, q.calls) }
        var rows: [[String?]] = [
            ["calls in period", nil, count(q.calls), nil, "all directions, counted where offered (or started, when never queued)"],
            ["unknown outcome", nil, count(q.unknownOutcome), share(q.unknownOutcome),
             "the vendor value mapped to no outcome of docs/METRICS.md; not in service level or abandonment"],
            ["missing end time", nil, count(q.missingEnd), share(q.missingEnd), "no duration from the vendor"],
            ["answered without answer time", nil, count(q.answeredWithoutAnswer), share(q.answeredWithoutAnswer),
             "answered calls whose answer instant could not be derived"],
            ["inbound without queue time", nil, count(q.inboundWithoutQueue), share(q.inboundWithoutQueue),
             "not offered: shown in volumes, not in service level or abandonment"],
            ["offered without wait", nil, count(q.offeredWithoutWait), share(q.offeredWithoutWait),
             "offered calls whose wait is unknown: never in threshold"],
            ["undecodable vendor records", nil, count(undecodable), nil,
             "kept raw with their error (raw_records.decode_error); re-derived when the mapping improves"],
            ["synced again after erasure", nil, count(syncedAfterErasure), nil,
             "calls of customers erased on request that a later sync stored again with their number (the vendor still has them); their recordings stay erased"],
        ]
        for check in mappingCheckCounts {
            rows.append([check.name, check.source, count(check.failed), ratio(check.failed, check.calls), check.meaning])
        }
        return Dataset(name: "data_quality", columns: ["check_name", "source", "count", "share", "meaning"], rows: rows)
    }

    /// Each source's checks, where the source has calls in the period: the calls that broke each.
    var mappingCheckCounts: [ReportFigures.MappingCheckCount] {
        let q = period.quality
        var callsBySource: [String: Int] = [:]
        var broken: [String: [String: Int]] = [:]
        for (sourceID, calls) in q.callsBySource.entries {
            guard let source = texts.text(sourceID) else { continue }
            callsBySource[source, default: 0] += calls
            for (checksID, calls) in q.brokenChecks[sourceID]?.entries ?? [] {
                for name in Self.checkNames(texts.text(checksID)) { broken[source, default: [:]][name, default: 0] += calls }
            }
        }
        return mappingChecks.compactMap { check in
            guard let calls = callsBySource[check.source] else { return nil }
            return .init(name: check.name, source: check.source, failed: broken[check.source]?[check.name] ?? 0, calls: calls, meaning: check.meaning)
        }
    }

    /// The names in a `failed_checks` JSON array.
    static func checkNames(_ json: String?) -> [String] {
        guard let json, let names = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String] else { return [] }
        return names
    }

    var recordingCoverage: Dataset {
        let total = period.withRecordingReference
        let coverage = Dictionary(period.coverage.entries.map { (texts.text($0.key) ?? "not fetched", $0.value) }, uniquingKeysWith: { a, _ in a })
        let rows: [[String?]] = ["found", "converted", "pending", "missing", "failed", "purged", "erased", "not fetched"].map { state in
            let entry = coverage[state]
            return [state, count(entry?.calls ?? 0), total > 0 ? SQLText.ratio(Double(entry?.calls ?? 0) / Double(total)) : nil, count(entry?.bytes ?? 0)]
        }
        return Dataset(name: "recording_coverage", columns: ["state", "calls", "share", "bytes"], rows: rows)
    }
}
