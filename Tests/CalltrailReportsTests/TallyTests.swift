import CalltrailCore
@testable import CalltrailReports
import CalltrailSimulator
@_spi(Connections) import CalltrailStore
import Foundation
import GRDB
import Testing

/// Interval tallies kept with the calls: summed per day, queue, interval or period they equal what the
/// calls add up to (counted here in Swift, from the calls as stored), for any T and S and per-queue
/// ones, after calls are added, changed by the vendor, moved to another day, deleted (retention), and
/// after the center's zone changes.
@Suite struct TallyTests {
    /// The sums the calls of `[from, to)` make per bucket, counted one call at a time.
    func expected(_ calls: [CallRecord], zone: TimeZone, from: Date, to: Date, threshold: Double, shortAbandon: Double,
                  perQueue: [String: (t: Double, s: Double)] = [:], bucket: (CallRecord, Date) -> String) -> [String: TallySums] {
        var sums: [String: TallySums] = [:]
        for call in calls where call.direction == .inbound {
            guard let queued = call.queuedAt, queued >= from, queued < to else { continue }
            let t = call.queue.flatMap { perQueue[$0]?.t } ?? threshold
            let s = call.queue.flatMap { perQueue[$0]?.s } ?? shortAbandon
            var sum = sums[bucket(call, queued), default: TallySums()]
            sum.counts.offered += 1
            if call.transfers > 0 { sum.transferred += 1 }
            if let wait = call.waitS { sum.maxWait = max(sum.maxWait ?? wait, wait) }
            switch call.outcome {
            case .answered:
                sum.counts.answered += 1
                if let wait = call.waitS {
                    sum.answeredWaited += 1
                    sum.answeredWait += wait
                    if wait <= t { sum.counts.answeredInT += 1 }
                }
                sum.handle += call.talkS + call.holdS + call.wrapS
                sum.talk += call.talkS
                sum.hold += call.holdS
            case .abandoned:
                sum.counts.abandoned += 1
                if let wait = call.waitS {
                    sum.abandonedWaited += 1
                    sum.abandonedWait += wait
                    if wait < s { sum.counts.shortAbandoned += 1 }
                    if wait <= t { sum.counts.abandonedInT += 1 }
                }
            default:
                break
            }
            sums[bucket(call, queued)] = sum
        }
        return sums
    }

    /// Sums compared with the waits' sums to a millionth (added in another order).
    func same(_ a: [String: TallySums], _ b: [(bucket: String, sums: TallySums)]) -> Bool {
        guard a.count == b.count else { return false }
        for (key, got) in b {
            guard let want = a[key], want.counts == got.counts, want.transferred == got.transferred,
                  want.answeredWaited == got.answeredWaited, want.abandonedWaited == got.abandonedWaited, want.maxWait == got.maxWait
            else { return false }
            for path in [\TallySums.answeredWait, \.abandonedWait, \.handle, \.talk, \.hold] where abs(want[keyPath: path] - got[keyPath: path]) >= 1e-6 {
                return false
            }
        }
        return true
    }

    /// The report's sums of `grain` (one read of the tallies, InboundGrainPass), each bucket by its label:
    /// an interval's as by_interval shows its start.
    func summed(_ store: CallStore, _ scope: TallyScope, _ grain: InboundGrain) async throws -> [(bucket: String, sums: TallySums)] {
        let pass = try await InboundGrainPass.run(store, scope, grains: [grain], intervalMinutes: 30)
        switch grain {
        case .summary: return [("", pass.summary)]
        case .byDay: return InboundGrainRows.listed(pass.days).map { ($0.key, $0.sums) }
        case .byQueue: return InboundGrainRows.listed(pass.queues).map { ($0.key, $0.sums) }
        case .byInterval:
            let offsets = try await store.timeZoneOffsets(scope.zone)
            return pass.intervals.map { start, sums in
                let offset = offsets.first { $0.from <= Double(start) && Double(start) < $0.to }?.offset ?? 0
                return (SQLText.dateTime(start + offset) + ZoneOffsetPeriod.label(offset: offset), sums)
            }
        default: return []
        }
    }

    func calls(seed: UInt64, count: Int, start: Date) -> [CallRecord] {
        var random = SeededRandom(seed: seed)
        let queues: [String?] = ["Soporte<-", "Ventas<-", nil]
        let outcomes: [Outcome] = [.answered, .answered, .answered, .abandoned, .abandoned, .unanswered]
        return (0..<count).map { i in
            let queued = start.addingTimeInterval(Double(Int.random(in: 0..<3 * 86_400 * 10, using: &random)) / 10)
            let outcome = outcomes[Int.random(in: 0..<outcomes.count, using: &random)]
            // Whole, fractional and missing waits: the distributions keep each exactly.
            let wait: Double? = Int.random(in: 0..<10, using: &random) == 0 ? nil : Double(Int.random(in: 0..<1200, using: &random)) / (Int.random(in: 0..<2, using: &random) == 0 ? 1 : 10)
            return CallRecord(source: i % 5 == 0 ? "other" : "test", callID: "c\(i)", direction: i % 7 == 0 ? .outbound : .inbound,
                              outcome: outcome, queue: queues[Int.random(in: 0..<queues.count, using: &random)], agent: [nil, "7001", "7002", "7003"][i % 4],
                              customerNumber: nil,
                              did: Int.random(in: 0..<2, using: &random) == 0 ? "26001000" : nil, startedAt: queued, queuedAt: i % 11 == 0 ? nil : queued,
                              answeredAt: nil, endedAt: nil, waitS: wait,
                              talkS: outcome == .answered ? Double(Int.random(in: 0..<6000, using: &random)) / 10 : 0,
                              holdS: outcome == .answered ? Double(Int.random(in: 0..<50, using: &random)) : 0,
                              wrapS: outcome == .answered ? Double(Int.random(in: 0..<30, using: &random)) : 0, transfers: Int.random(in: 0..<8, using: &random) == 0 ? 1 : 0)
        }
    }

    @Test func summedTalliesEqualTheCallsWhateverChangesThem() async throws {
        let f = try ReportFixture()
        defer { f.remove() }
        let start = f.at("2026-03-01 00:00:00")
        let end = start.addingTimeInterval(3 * 86_400)
        var stored = calls(seed: 11, count: 3_000, start: start)
        try await f.store.upsert(stored)
        try await f.store.write { db in
            try db.execute(sql: "INSERT INTO queue_settings (queue, threshold_s, short_abandon_s) VALUES ('Ventas<-', 45.5, 12)")
        }
        let perQueue = ["Ventas<-": (t: 45.5, s: 12.0)]

        func check(_ zone: TimeZone, _ label: String) async throws {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let day = { (_: CallRecord, at: Date) in LocalDateTime(at, in: zone).description.prefix(10).description }
            let queue = { (call: CallRecord, _: Date) in call.queue ?? "(none)" }
            // As by_interval shows an interval's start: local time and the offset in force then.
            let half = { (_: CallRecord, at: Date) -> String in
                let local = LocalDateTime(at, in: zone)
                let offset = zone.secondsFromGMT(for: at) / 60
                return String(format: "%04d-%02d-%02dT%02d:%02d:00%@%02d:%02d", local.year, local.month, local.day, local.hour,
                              local.minute - local.minute % 30, offset < 0 ? "-" : "+", abs(offset) / 60, abs(offset) % 60)
            }
            for (t, s) in [(20.0, 5.0), (0.5, 0.0), (37.3, 11.1), (600.0, 60.0)] {
                let scope = TallyScope(zone: zone, from: start, to: end, threshold: t, shortAbandon: s)
                for (name, grain, bucket) in [("day", InboundGrain.byDay, day), ("queue", .byQueue, queue), ("interval", .byInterval, half)] {
                    let got = try await summed(f.store, scope, grain)
                    let want = expected(stored, zone: zone, from: start, to: end, threshold: t, shortAbandon: s, perQueue: perQueue, bucket: bucket)
                    #expect(same(want, got), "\(label): by \(name) with T \(t), S \(s)")
                }
                let period = try await summed(f.store, scope, .summary)
                let want = expected(stored, zone: zone, from: start, to: end, threshold: t, shortAbandon: s, perQueue: perQueue) { _, _ in "" }
                #expect(same(want, period), "\(label): the period with T \(t), S \(s)")
            }
            // A queue filter keeps only its queues' tallies.
            let filtered = try await summed(f.store, TallyScope(zone: zone, from: start, to: end, threshold: 20, shortAbandon: 5, queues: ["Soporte<-"]), .summary)
            let want = expected(stored.filter { $0.queue == "Soporte<-" }, zone: zone, from: start, to: end, threshold: 20, shortAbandon: 5) { _, _ in "" }
            #expect(same(want, filtered), "\(label): one queue")
        }

        try await check(f.zone, "as synced")

        // The vendor changes calls: outcomes, waits, and moves some to another day and queue.
        for index in stride(from: 0, to: stored.count, by: 37) {
            stored[index].outcome = stored[index].outcome == .answered ? .abandoned : .answered
            stored[index].waitS = (stored[index].waitS ?? 0) + 3.25
            if index % 2 == 0, let queued = stored[index].queuedAt {
                stored[index].queuedAt = queued.addingTimeInterval(86_400 - 7_200)
                stored[index].startedAt = stored[index].queuedAt!
                stored[index].queue = "Ventas<-"
            }
        }
        try await f.store.upsert(stored)
        try await check(f.zone, "after the vendor changed calls")

        // Retention deletes the first day's calls.
        let cut = start.addingTimeInterval(86_400)
        try await f.store.write { db in
            try db.execute(sql: "DELETE FROM calls WHERE coalesce(queued_at, started_at) < ?", arguments: [cut.timeIntervalSince1970])
        }
        stored.removeAll { ($0.queuedAt ?? $0.startedAt) < cut }
        try await check(f.zone, "after retention")

        // Another zone's report sums the same tallies on its own clock (a slot is a quarter hour of every
        // zone's): nothing is remade for it.
        try await check(TimeZone(identifier: "Asia/Kathmandu")!, "on another zone")
        let refresh = try await f.store.refreshTallies(keepingTheirZoneOr: TimeZone(identifier: "Asia/Kathmandu")!)
        #expect(refresh.hours == 0 && !refresh.rebuilt, "nothing changed since: nothing remade")
    }
    /// by_hour, wait_distribution and by_agent sum the tallies; the same figures counted straight from the
    /// calls (the queries as they read `report_calls` before tallies) over seeded calls, for whole days,
    /// one queue, and after the vendor changes calls (waits, times, and the agent who took them).
    @Test func byHourWaitDistributionAndByAgentFromTalliesEqualTheCallsCounted() async throws {
        let f = try ReportFixture()
        defer { f.remove() }
        let start = f.at("2026-03-01 00:00:00")
        var stored = calls(seed: 23, count: 2_000, start: start)
        try await f.store.upsert(stored)
        func compare(_ label: String) async throws {
            for (from, to, queues) in [("2026-03-01 00:00:00", "2026-03-04 00:00:00", [String]()), ("2026-03-02 00:00:00", "2026-03-03 00:00:00", ["Ventas<-"])] {
                let parameters = f.parameters(from, to, queues: queues)
                let arguments = parameters.bindings.mapValues { value -> DatabaseValue in
                    switch value {
                    case .null: .null
                    case .integer(let v): v.databaseValue
                    case .real(let v): v.databaseValue
                    case .text(let v): v.databaseValue
                    }
                }
                for (name, reference) in [("by_hour", Self.callsByHour), ("wait_distribution", Self.callsWaitDistribution),
                                          ("by_agent", Self.callsByAgent)] {
                    let tallied = try await QueryRunner(store: f.store).run(name, parameters: parameters)
                    let counted = try await f.store.read { db in
                        try Row.fetchAll(db, sql: reference, arguments: StatementArguments(arguments)).map { row in
                            row.databaseValues.map { $0.isNull ? nil : String(describing: $0.storage.value!) }
                        }
                    }
                    #expect(!counted.isEmpty && tallied.rows.count == counted.count, "\(label): \(name) \(from) \(queues)")
                    for (got, want) in zip(tallied.rows, counted) {
                        #expect(Self.same(got, want), "\(label): \(name) \(from) \(queues): \(got) where the calls give \(want)")
                    }
                }
            }
        }
        try await compare("as synced")
        for index in stride(from: 0, to: stored.count, by: 13) {
            stored[index].waitS = (stored[index].waitS ?? 0) + 61
            stored[index].queuedAt = stored[index].queuedAt?.addingTimeInterval(5_400)
        }
        try await f.store.upsert(stored)
        try await compare("after the vendor changed calls")
        // Calls given to another agent by a writer that changes that column alone (an upsert sets every column).
        for index in stride(from: 5, to: stored.count, by: 17) {
            let (agent, source, callID) = (index % 2 == 0 ? "7009" : nil, stored[index].source, stored[index].callID)
            try await f.store.write { db in
                try db.execute(sql: "UPDATE calls SET agent = ? WHERE source = ? AND call_id = ?", arguments: [agent, source, callID])
            }
        }
        try await compare("after calls changed agent")
    }

    static let callsByHour = """
        WITH RECURSIVE hours(h) AS (SELECT 0 UNION ALL SELECT h + 1 FROM hours WHERE h < 23),
        per_hour AS (
            SELECT CAST(strftime('%H', local_s, 'unixepoch') AS INTEGER) AS h, count(*) AS offered,
                   sum(outcome = 'answered') AS answered, sum(outcome = 'abandoned') AS abandoned
            FROM report_calls
            WHERE zone = :tz AND direction = 'inbound' AND queued_at IS NOT NULL
              AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
              AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
            GROUP BY h
        )
        SELECT hours.h AS hour, coalesce(offered, 0) AS offered, coalesce(answered, 0) AS answered,
               coalesce(abandoned, 0) AS abandoned
        FROM hours LEFT JOIN per_hour USING (h) ORDER BY hours.h;
        """

    /// A row's cells equal: counts exactly, averages and ratios to their last printed digit (the tallies
    /// add the same values in another order).
    static func same(_ got: [String?], _ want: [String?]) -> Bool {
        guard got.count == want.count else { return false }
        return zip(got, want).allSatisfy { a, b in
            guard let a, let b else { return a == nil && b == nil }
            if a == b { return true }
            guard a.contains("."), let x = Double(a), let y = Double(b) else { return false }
            return abs(x - y) <= 0.1 + 1e-9
        }
    }

    /// queries/by_agent.sql as it read the calls before agent tallies.
    static let callsByAgent = """
        -- by_agent: per agent, the figures of summary.sql that apply to the inbound calls an agent answered
        -- (answered, answered within T, sl_v1_answered, ASA, longest wait, AHT, talk, hold, p50/p90 wait by
        -- nearest rank) and the talk time in all, then outbound attempts and connections, over calls attributed
        -- to [:from, :to).
        -- Agents are per source (one person may hold ids on two platforms); agent_name is the vendor's name
        -- for the id where the source lists its agents (source_agents).
        -- Parameters: :from, :to, :tz, :threshold, :queues as in summary.sql (T per queue from queue_settings).
        -- Time zones: only the period bounds.
        WITH agent_calls AS (
            SELECT c.source, agent, direction, outcome, wait_s, talk_s, hold_s, talk_s + hold_s + wrap_s AS handle_s,
                   direction = 'inbound' AND outcome = 'answered' AS inbound_answered,
                   coalesce(queue_threshold_s, :threshold) AS t
            FROM report_calls c
            WHERE zone = :tz AND agent IS NOT NULL
              AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
              AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
        ),
        per_agent AS (
            SELECT source, agent,
                   sum(inbound_answered) AS answered,
                   sum(inbound_answered AND wait_s <= t) AS answered_in_t,
                   avg(CASE WHEN inbound_answered THEN wait_s END) AS asa,
                   max(CASE WHEN inbound_answered THEN wait_s END) AS max_wait,
                   avg(CASE WHEN inbound_answered THEN handle_s END) AS aht,
                   avg(CASE WHEN inbound_answered THEN talk_s END) AS talk,
                   avg(CASE WHEN inbound_answered THEN hold_s END) AS hold,
                   coalesce(sum(CASE WHEN inbound_answered THEN talk_s END), 0) AS talk_total,
                   sum(direction = 'outbound') AS outbound_attempts,
                   sum(outcome = 'outbound_answered') AS outbound_connected
            FROM agent_calls GROUP BY source, agent
        ),
        -- Nearest rank per agent: the smallest answered wait whose running count reaches ceil(p · n).
        wait_counts AS (
            SELECT source, agent, wait_s, count(*) AS n FROM agent_calls WHERE inbound_answered GROUP BY source, agent, wait_s
        ),
        running AS (
            SELECT source, agent, wait_s, sum(n) OVER (PARTITION BY source, agent ORDER BY wait_s) AS reached,
                   sum(n) OVER (PARTITION BY source, agent) AS total
            FROM wait_counts
        ),
        p50 AS (
            SELECT source, agent, wait_s FROM (SELECT source, agent, wait_s, row_number() OVER (PARTITION BY source, agent ORDER BY wait_s) AS k
                                               FROM running WHERE reached >= (total * 50 + 99) / 100) WHERE k = 1
        ),
        p90 AS (
            SELECT source, agent, wait_s FROM (SELECT source, agent, wait_s, row_number() OVER (PARTITION BY source, agent ORDER BY wait_s) AS k
                                               FROM running WHERE reached >= (total * 90 + 99) / 100) WHERE k = 1
        )
        SELECT a.source, a.agent, (SELECT name FROM source_agents n WHERE n.source = a.source AND n.agent_id = a.agent) AS agent_name,
               a.answered AS inbound_answered, a.answered_in_t,
               CASE WHEN a.answered > 0 THEN printf('%.4f', 1.0 * a.answered_in_t / a.answered) END AS sl_v1_answered,
               CASE WHEN a.asa IS NOT NULL THEN printf('%.1f', a.asa) END AS asa_s,
               CASE WHEN a.max_wait IS NOT NULL THEN printf('%.1f', a.max_wait) END AS max_wait_s,
               CASE WHEN a.aht IS NOT NULL THEN printf('%.1f', a.aht) END AS aht_s,
               CASE WHEN a.talk IS NOT NULL THEN printf('%.1f', a.talk) END AS avg_talk_s,
               CASE WHEN a.hold IS NOT NULL THEN printf('%.1f', a.hold) END AS avg_hold_s,
               CASE WHEN p50.source IS NOT NULL THEN printf('%.1f', p50.wait_s) END AS p50_wait_s,
               CASE WHEN p90.source IS NOT NULL THEN printf('%.1f', p90.wait_s) END AS p90_wait_s,
               printf('%.1f', a.talk_total) AS inbound_talk_s,
               a.outbound_attempts, a.outbound_connected
        FROM per_agent a
        LEFT JOIN p50 ON p50.source = a.source AND p50.agent = a.agent
        LEFT JOIN p90 ON p90.source = a.source AND p90.agent = a.agent
        ORDER BY a.answered + a.outbound_attempts DESC, a.source, a.agent;
        """

    static let callsWaitDistribution = """
        WITH buckets(low, high) AS (
            VALUES (0, 5), (5, 10), (10, 20), (20, 30), (30, 60), (60, 120), (120, 300), (300, NULL)
        ),
        waits AS (
            SELECT outcome, wait_s FROM report_calls
            WHERE zone = :tz AND direction = 'inbound' AND queued_at IS NOT NULL AND wait_s IS NOT NULL
              AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
              AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
        ),
        counts AS (
            SELECT b.low, sum(w.outcome = 'answered') AS answered, sum(w.outcome = 'abandoned') AS abandoned
            FROM waits w CROSS JOIN buckets b ON w.wait_s >= b.low AND (b.high IS NULL OR w.wait_s < b.high)
            GROUP BY b.low
        )
        SELECT CASE WHEN high IS NULL THEN b.low || '+' ELSE b.low || '-' || high END AS wait_bucket_s, b.low AS low_s, high AS high_s,
               coalesce(c.answered, 0) AS answered, coalesce(c.abandoned, 0) AS abandoned
        FROM buckets b LEFT JOIN counts c ON c.low = b.low
        ORDER BY b.low;
        """
}
