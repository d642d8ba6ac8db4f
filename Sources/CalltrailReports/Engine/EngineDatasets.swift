import CalltrailCore
import CalltrailStore
import Foundation

/// The rows of each dataset from what the engine's pass gathered, with the columns, cells and order
/// of its queries/ file (the file's comments say what each figure means).
struct EngineDatasets {
    let parameters: ReportParameters
    let period: ReportEngine.Period
    /// The texts the period's text numbers stand for.
    let texts: TextNumbers
    /// What the engine read beside the calls (undecodable records, erased calls stored again, the
    /// mapping checks, the recoveries).
    let lookups: ReportLookups
    /// Where the abandoned calls went during the pass, if they did.
    let spool: AbandonedCallsSpool?
    /// by_number's inbound figures of the numbers with offered calls, summed from the tallies beside the
    /// pass (TallyFigures), which lists every number.
    var offeredNumbers = Dataset(name: "by_number", columns: ["number"] + InboundGrainRows.figureColumns, rows: [])

    /// Every dataset, made on every core: the longest (a row per abandon, a row per queue and interval)
    /// first.
    var all: [String: Dataset] {
        nonisolated(unsafe) let makers: [(EngineDatasets) -> Dataset] = [
            \.abandonedCalls, \.byNumber, \.outbound, \.dataQuality, \.recordingCoverage,
        ]
        // Read only while they are made.
        nonisolated(unsafe) let made = self
        return Parallel.map(makers.count) { makers[$0](made) }.reduce(into: [:]) { $0[$1.name] = $1 }
    }

    private func count(_ value: Int) -> String { String(value) }

    /// The HTML page's counts of the mapping checks (its inbound figures are summed from the tallies).
    var figures: ReportFigures {
        var figures = ReportFigures()
        figures.mappingChecks = mappingCheckCounts
        return figures
    }

    /// Every number with a call in the period: its inbound figures summed from the tallies (zeros and
    /// empty cells without offered calls), then the outbound calls the pass counted, as by_number.sql.
    var byNumber: Dataset {
        var outboundByNumber: [String: (attempts: Int, connected: Int)] = [:]
        for (id, calls) in period.numbers.entries {
            // A NULL number and a literal "(unknown)" are one group, as in SQL.
            let number = texts.text(id) ?? "(unknown)"
            let sum = outboundByNumber[number] ?? (0, 0)
            outboundByNumber[number] = (sum.attempts + calls.attempts, sum.connected + calls.connected)
        }
        let figureColumns = Array(offeredNumbers.columns.dropFirst())
        var inbound: [String: [String?]] = [:]
        for row in offeredNumbers.rows { inbound[row[0] ?? ""] = Array(row.dropFirst()) }
        let counts: Set<String> = ["offered", "answered", "abandoned", "short_abandoned", "answered_in_t", "abandoned_in_t"]
        let none = figureColumns.map { counts.contains($0) ? "0" : nil as String? }
        let offeredColumn = figureColumns.firstIndex(of: "offered") ?? 0
        let listed = Set(outboundByNumber.keys).union(inbound.keys).map { number in
            (number: number, figures: inbound[number] ?? none, outbound: outboundByNumber[number] ?? (0, 0))
        }
        let ordered = listed.sorted { a, b in
            let x = (Int(a.figures[offeredColumn] ?? "") ?? 0) + a.outbound.attempts, y = (Int(b.figures[offeredColumn] ?? "") ?? 0) + b.outbound.attempts
            return x != y ? x > y : SQLText.precedes(a.number, b.number)
        }
        let rows: [[String?]] = ordered.map { number, figures, outbound in
            [number, number == "(unknown)" ? nil : lookups.numberNames[number]] + figures
                + [count(outbound.attempts), count(outbound.connected), ratio(outbound.connected, outbound.attempts)]
        }
        return Dataset(name: "by_number", columns: ["number", "number_name"] + figureColumns + ["outbound_attempts", "outbound_connected", "connect_rate"],
                       rows: rows)
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
        var rows = AbandonedCallRows(texts: texts, recoveries: lookups.recoveries)
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
            ["undecodable vendor records", nil, count(lookups.undecodable), nil,
             "kept raw with their error (raw_records.decode_error); re-derived when the mapping improves"],
            ["synced again after erasure", nil, count(lookups.syncedAfterErasure), nil,
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
        return lookups.mappingChecks.compactMap { check in
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
