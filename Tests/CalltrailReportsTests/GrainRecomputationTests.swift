import CalltrailCore
import CalltrailReports
@_spi(Connections) import CalltrailStore
import Foundation
import GRDB
import Testing

/// Every grain (interval, day, queue, number, agent) carries the summary's figures, and each is
/// recomputed here from the calls themselves, independently of the engine and the queries: plain
/// counts of numerators and denominators per group, means over the group's calls, nearest-rank
/// percentiles from the sorted waits, the local clock from Foundation's own zone data. Over the fixture
/// of ReportEngineTests, which spans New York's fall-back night.
@Suite struct GrainRecomputationTests {
    /// summary.csv's inbound figures, named as docs/METRICS.md names them.
    static let figures = [
        "offered", "answered", "abandoned", "short_abandoned", "answered_in_t", "abandoned_in_t", "service_level", "sl_v1_answered",
        "sl_v2_offered", "sl_v3_ignore_late_abandons", "sl_v4_with_abandoned", "abandon_rate", "abandon_rate_all", "asa_s",
        "avg_wait_abandoned_s", "max_wait_s", "aht_s", "avg_talk_s", "avg_hold_s", "p50_wait_s", "p90_wait_s",
    ]

    struct Call {
        var direction: String
        var outcome: String
        var queue: String?
        var agent: String?
        var did: String?
        var queuedAt: Double?
        var attributedAt: Double
        var wait: Double?
        var talk: Double
        var hold: Double
        var wrap: Double
        var threshold: Double
        var shortAbandon: Double
    }

    /// One group's figures by column name, as numbers (nil: an empty cell).
    static func figures(of calls: [Call]) -> [String: Double?] {
        let answered = calls.filter { $0.outcome == "answered" }, abandoned = calls.filter { $0.outcome == "abandoned" }
        let short = abandoned.filter { ($0.wait ?? .infinity) < $0.shortAbandon }.count
        let answeredInT = answered.filter { ($0.wait ?? .infinity) <= $0.threshold }.count
        let abandonedInT = abandoned.filter { ($0.wait ?? .infinity) <= $0.threshold }.count
        let (o, a, b) = (calls.count, answered.count, abandoned.count)
        func share(_ n: Int, _ d: Int) -> Double? { d > 0 ? Double(n) / Double(d) : nil }
        func mean(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }
        return [
            "offered": Double(o), "answered": Double(a), "abandoned": Double(b), "short_abandoned": Double(short),
            "answered_in_t": Double(answeredInT), "abandoned_in_t": Double(abandonedInT),
            "service_level": share(answeredInT, o - short), "sl_v1_answered": share(answeredInT, a),
            "sl_v2_offered": share(answeredInT, a + b), "sl_v3_ignore_late_abandons": share(answeredInT, a + b - abandonedInT),
            "sl_v4_with_abandoned": share(answeredInT + abandonedInT, a + b), "abandon_rate": share(b - short, o - short),
            "abandon_rate_all": share(b, o), "asa_s": mean(answered.compactMap(\.wait)), "avg_wait_abandoned_s": mean(abandoned.compactMap(\.wait)),
            "max_wait_s": calls.compactMap(\.wait).max(), "aht_s": mean(answered.map { $0.talk + $0.hold + $0.wrap }),
            "avg_talk_s": mean(answered.map(\.talk)), "avg_hold_s": mean(answered.map(\.hold)),
            "p50_wait_s": nearestRank(answered.map(\.wait), 50), "p90_wait_s": nearestRank(answered.map(\.wait), 90),
        ]
    }

    /// The value at rank ceil(p · n / 100) of the sorted waits, a missing wait first and read as 0.
    static func nearestRank(_ waits: [Double?], _ p: Int) -> Double? {
        guard !waits.isEmpty else { return nil }
        let sorted = waits.map { $0 ?? -1 }.sorted()
        let rank = Int((Double(p) * Double(sorted.count) / 100).rounded(.up))
        return max(sorted[rank - 1], 0)
    }

    /// Compares a dataset row's cells with the recomputed figures: counts exactly, ratios to their four
    /// decimals and seconds to their one.
    static func expectRow(_ dataset: Dataset, row: Int, equals expected: [String: Double?], columns: [String], _ label: String) {
        for column in columns {
            let cell = dataset.value(column, row: row)
            guard let want = expected[column] else { Issue.record("\(label): no figure \(column)"); continue }
            guard let want else {
                #expect(cell == nil, "\(label) \(column): \(cell ?? "") where none was expected")
                continue
            }
            let isRatio = column == "service_level" || column.hasPrefix("sl_") || column.hasPrefix("abandon_rate")
            let tolerance = column.hasSuffix("_s") ? 0.05 + 1e-9 : isRatio ? 0.00005 + 1e-9 : 0
            guard let text = cell, let got = Double(text) else { Issue.record("\(label) \(column): empty where \(want) was expected"); continue }
            #expect(abs(got - want) <= tolerance, "\(label) \(column): \(text), recomputed \(want)")
        }
    }

    func calls(_ f: ReportFixture, _ parameters: ReportParameters) async throws -> [Call] {
        let settings = try await f.store.read { db in
            try Row.fetchAll(db, sql: "SELECT queue, threshold_s, short_abandon_s FROM queue_settings")
                .reduce(into: [String: (Double?, Double?)]()) { $0[$1["queue"]] = ($1["threshold_s"], $1["short_abandon_s"]) }
        }
        let (from, to, queues) = (parameters.from.timeIntervalSince1970, parameters.to.timeIntervalSince1970, parameters.queues)
        let (threshold, shortAbandon) = (parameters.threshold, parameters.shortAbandon)
        return try await f.store.read { db in
            try Row.fetchAll(db, sql: "SELECT direction, outcome, queue, agent, did, queued_at, started_at, wait_s, talk_s, hold_s, wrap_s FROM calls")
                .compactMap { row in
                    let queue: String? = row["queue"]
                    let queuedAt: Double? = row["queued_at"]
                    let attributed = queuedAt ?? row["started_at"]
                    guard attributed >= from, attributed < to else { return nil }
                    if !queues.isEmpty, !(queue.map(queues.contains) ?? false) { return nil }
                    let setting = queue.flatMap { settings[$0] }
                    return Call(direction: row["direction"], outcome: row["outcome"], queue: queue, agent: row["agent"], did: row["did"],
                                queuedAt: queuedAt, attributedAt: attributed, wait: row["wait_s"], talk: row["talk_s"], hold: row["hold_s"],
                                wrap: row["wrap_s"], threshold: setting?.0 ?? threshold, shortAbandon: setting?.1 ?? shortAbandon)
                }
        }
    }

    /// The start of a call's interval on the zone's clock, shown as by_interval shows it.
    static func intervalLabel(_ queued: Double, zone: TimeZone, minutes: Int) -> (start: Int, label: String) {
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: queued))
        let local = Int(queued) + offset
        let start = Int(queued) - local % (minutes * 60)
        return (start, label(start, zone: zone))
    }

    static func label(_ start: Int, zone: TimeZone) -> String {
        let date = Date(timeIntervalSince1970: Double(start))
        let offset = zone.secondsFromGMT(for: date)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offset)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d%@%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!,
                      offset < 0 ? "-" : "+", abs(offset) / 3600, abs(offset) % 3600 / 60)
    }

    /// At 15, 30 and 60 minutes over the fall-back night, with the fixture's per-queue T and S, and with
    /// T and S given at report time that fall between whole seconds.
    @Test(arguments: [(interval: 30, queues: [String](), t: 20.0, s: 5.0), (interval: 15, queues: ["Soporte<-", "Ventas<-"], t: 20, s: 5),
                      (interval: 60, queues: [String](), t: 20, s: 5), (interval: 30, queues: [String](), t: 37.3, s: 11.1),
                      (interval: 15, queues: [String](), t: 0.5, s: 0), (interval: 30, queues: [String](), t: -1, s: -1)])
    func everyGrainCarriesEveryFigureRecomputedFromTheCalls(interval: Int, queues: [String], t: Double, s: Double) async throws {
        let f = try await ReportEngineTests().fixture()
        defer { f.remove() }
        var parameters = f.parameters("2024-11-02 00:00:00", "2024-11-05 00:00:00", interval: interval, threshold: t, shortAbandon: s,
                                      queues: queues)
        if t < 0 {
            // T and S equal to waits the calls have: within T is inclusive, a short abandon is strictly below S.
            let waits = try await calls(f, parameters).filter { $0.queue == "Soporte<-" }
            parameters.threshold = try #require(waits.first { $0.outcome == "answered" && $0.wait != nil }?.wait)
            parameters.shortAbandon = try #require(waits.first { $0.outcome == "abandoned" && ($0.wait ?? 0) > 0 }?.wait)
        }
        let datasets = try await ReportPipeline(store: f.store).datasets(parameters)
        let all = try await calls(f, parameters)
        let offered = all.filter { $0.direction == "inbound" && $0.queuedAt != nil }
        #expect(offered.count > 5)

        let summary = try #require(datasets["summary"])
        Self.expectRow(summary, row: 0, equals: Self.figures(of: offered), columns: Self.figures, "summary")

        // Intervals: every one of the period listed (the fall-back night has its hour twice), each with its calls.
        let byInterval = try #require(datasets["by_interval"])
        #expect(Array(byInterval.columns.dropFirst()) == Self.figures)
        let step = interval * 60
        let first = Self.intervalLabel(parameters.from.timeIntervalSince1970, zone: f.zone, minutes: interval).start
        let starts = Array(stride(from: first, to: Int(parameters.to.timeIntervalSince1970), by: step))
        #expect(starts.count == (72 + 1) * 60 / interval, "three days, one of them 25 hours long")
        #expect(byInterval.rows.count == starts.count)
        let byStart = Dictionary(grouping: offered) { Self.intervalLabel($0.queuedAt!, zone: f.zone, minutes: interval).start }
        for (row, start) in starts.enumerated() where row < byInterval.rows.count {
            #expect(byInterval.value("interval_start", row: row) == Self.label(start, zone: f.zone))
            Self.expectRow(byInterval, row: row, equals: Self.figures(of: byStart[start] ?? []), columns: Self.figures, "interval \(start)")
        }
        #expect(Set(byInterval.rows.compactMap { $0[0] }).count == starts.count, "the repeated hour told apart by its offset")

        // Queue × interval: every interval, its ALL row (every queue) first, then each queue with offered calls, empty cells too.
        let byQueueInterval = try #require(datasets["by_queue_interval"])
        let queueOrder = ["ALL"] + Set(offered.map { $0.queue ?? "(none)" }).sorted()
        #expect(byQueueInterval.rows.count == starts.count * queueOrder.count)
        for row in byQueueInterval.rows.indices {
            let start = starts[row / queueOrder.count], queue = queueOrder[row % queueOrder.count]
            #expect(byQueueInterval.value("interval_start", row: row) == Self.label(start, zone: f.zone))
            #expect(byQueueInterval.value("queue", row: row) == queue)
            let calls = (byStart[start] ?? []).filter { queue == "ALL" || ($0.queue ?? "(none)") == queue }
            Self.expectRow(byQueueInterval, row: row, equals: Self.figures(of: calls), columns: Self.figures, "\(queue) at \(start)")
        }

        // Days on the local clock.
        let byDay = try #require(datasets["by_day"])
        #expect(Array(byDay.columns.dropFirst()) == Self.figures)
        let days = Dictionary(grouping: offered) { call in
            String(Self.label(Int(call.queuedAt!), zone: f.zone).prefix(10))
        }
        #expect(byDay.rows.map { $0[0] ?? "" } == days.keys.sorted())
        for (row, day) in days.keys.sorted().enumerated() {
            Self.expectRow(byDay, row: row, equals: Self.figures(of: days[day]!), columns: Self.figures, "day \(day)")
        }

        // ISO weeks (Monday to Sunday, the Thursday's year) and months on the local clock, from Foundation's ISO calendar.
        var iso = Calendar(identifier: .iso8601)
        iso.timeZone = f.zone
        let weeks = Dictionary(grouping: offered) { call -> String in
            let c = iso.dateComponents([.yearForWeekOfYear, .weekOfYear], from: Date(timeIntervalSince1970: call.queuedAt!))
            return String(format: "%04d-W%02d", c.yearForWeekOfYear!, c.weekOfYear!)
        }
        let byWeek = try #require(datasets["by_week"])
        #expect(Array(byWeek.columns.dropFirst(2)) == Self.figures)
        #expect(byWeek.rows.map { $0[0] ?? "" } == weeks.keys.sorted())
        #expect(weeks.count == 2, "the fixture's Saturday to Monday spans two ISO weeks")
        for (row, week) in weeks.keys.sorted().enumerated() {
            Self.expectRow(byWeek, row: row, equals: Self.figures(of: weeks[week]!), columns: Self.figures, "week \(week)")
            let monday = iso.date(from: DateComponents(weekday: 2, weekOfYear: Int(week.suffix(2))!, yearForWeekOfYear: Int(week.prefix(4))!))!
            #expect(byWeek.value("week_start", row: row) == String(Self.label(Int(monday.timeIntervalSince1970), zone: f.zone).prefix(10)))
        }
        let months = Dictionary(grouping: offered) { String(Self.label(Int($0.queuedAt!), zone: f.zone).prefix(7)) }
        let byMonth = try #require(datasets["by_month"])
        #expect(byMonth.rows.map { $0[0] ?? "" } == months.keys.sorted())
        for (row, month) in months.keys.sorted().enumerated() {
            Self.expectRow(byMonth, row: row, equals: Self.figures(of: months[month]!), columns: Self.figures, "month \(month)")
        }

        // Queues, with the T and S each was measured against.
        let byQueue = try #require(datasets["by_queue"])
        #expect(Array(byQueue.columns.dropFirst().prefix(Self.figures.count)) == Self.figures)
        let queuesSeen = Dictionary(grouping: offered) { $0.queue ?? "(none)" }
        #expect(Set(byQueue.rows.map { $0[0] ?? "" }) == Set(queuesSeen.keys))
        for row in byQueue.rows.indices {
            let name = byQueue.value("queue", row: row) ?? ""
            Self.expectRow(byQueue, row: row, equals: Self.figures(of: queuesSeen[name] ?? []), columns: Self.figures, "queue \(name)")
            #expect(Int(byQueue.value("transferred", row: row) ?? "") != nil)
        }

        // Numbers: the inbound figures over the calls offered on each, outbound beside them.
        let byNumber = try #require(datasets["by_number"])
        let numbers = Dictionary(grouping: all) { $0.did ?? "(unknown)" }
        #expect(Set(byNumber.rows.map { $0[0] ?? "" }) == Set(numbers.keys))
        for row in byNumber.rows.indices {
            let number = byNumber.value("number", row: row) ?? ""
            let calls = numbers[number] ?? []
            Self.expectRow(byNumber, row: row, equals: Self.figures(of: calls.filter { $0.direction == "inbound" && $0.queuedAt != nil }),
                           columns: Self.figures, "number \(number)")
            #expect(byNumber.value("outbound_attempts", row: row) == String(calls.filter { $0.direction == "outbound" }.count))
        }

        // Agents: the figures of the inbound calls each answered.
        let byAgent = try #require(datasets["by_agent"])
        let agentColumns = ["answered_in_t", "sl_v1_answered", "asa_s", "max_wait_s", "aht_s", "avg_talk_s", "avg_hold_s", "p50_wait_s", "p90_wait_s"]
        let answeredBy = Dictionary(grouping: all.filter { $0.agent != nil && $0.direction == "inbound" && $0.outcome == "answered" }) { $0.agent! }
        #expect(!answeredBy.isEmpty)
        for row in byAgent.rows.indices {
            let agent = byAgent.value("agent", row: row) ?? ""
            let calls = answeredBy[agent] ?? []
            var expected = Self.figures(of: calls)
            expected["max_wait_s"] = calls.compactMap(\.wait).max()
            #expect(byAgent.value("inbound_answered", row: row) == String(calls.count), "agent \(agent)")
            Self.expectRow(byAgent, row: row, equals: expected, columns: agentColumns, "agent \(agent)")
        }
    }
}
