import CalltrailCore
import CalltrailReports
@_spi(Connections) import CalltrailStore
import Foundation
import GRDB
import Testing

/// docs/METRICS.md's figures on hand-built call sets, against values worked out by hand.
@Suite struct MetricsTests {
    /// docs/METRICS.md's ICMI example: answered 1000, abandoned 60, answered within 20 s 860, abandoned
    /// within 20 s 20, short abandons 10 → V1 86.0 %, V2 81.1 %, V3 82.7 %, V4 83.0 %, V5 81.9 %.
    @Test func theICMIExampleGivesAllFiveFormulas() async throws {
        let f = try ReportFixture()
        defer { f.remove() }
        var calls: [CallRecord] = []
        // 860 answered at exactly T = 20 s (inclusive), 140 at 21 s.
        for i in 0..<1000 { calls.append(f.inbound("a\(i)", "2026-03-02 10:00:00", wait: i < 860 ? 20 : 21, outcome: .answered)) }
        // 10 short abandons just under S (4.9 s), 10 more within T, 40 after T.
        for i in 0..<60 {
            calls.append(f.inbound("b\(i)", "2026-03-02 11:00:00", wait: i < 10 ? 4.9 : (i < 20 ? 20 : 46), outcome: .abandoned))
        }
        try await f.store.upsert(calls)
        let summary = try await f.run("summary", f.parameters("2026-03-02", "2026-03-03"))
        #expect(summary.value("offered") == "1060")
        #expect(summary.value("answered") == "1000")
        #expect(summary.value("abandoned") == "60")
        #expect(summary.value("short_abandoned") == "10")
        #expect(summary.value("answered_in_t") == "860")
        #expect(summary.value("abandoned_in_t") == "20")
        #expect(summary.value("sl_v1_answered") == "0.8600")           // 860/1000
        #expect(summary.value("sl_v2_offered") == "0.8113")            // 860/1060
        #expect(summary.value("sl_v3_ignore_late_abandons") == "0.8269") // 860/1040
        #expect(summary.value("sl_v4_with_abandoned") == "0.8302")     // 880/1060
        #expect(summary.value("service_level") == "0.8190")            // 860/1050
        #expect(summary.value("abandon_rate") == "0.0476")             // 50/1050
        #expect(summary.value("abandon_rate_all") == "0.0566")         // 60/1060
        #expect(summary.value("asa_s") == "20.1")                      // (860·20 + 140·21)/1000 = 20.14
        #expect(summary.value("avg_wait_abandoned_s") == "34.8")       // (10·4.9 + 10·20 + 40·46)/60 = 34.82
    }

    @Test func boundariesOfTAndS() async throws {
        let f = try ReportFixture()
        defer { f.remove() }
        try await f.store.upsert([
            f.inbound("t-exact", "2026-03-02 09:00:00", wait: 20, outcome: .answered),    // in T (inclusive)
            f.inbound("t-over", "2026-03-02 09:01:00", wait: 20.5, outcome: .answered),   // not in T
            f.inbound("s-under", "2026-03-02 09:02:00", wait: 4.99, outcome: .abandoned), // short
            f.inbound("s-exact", "2026-03-02 09:03:00", wait: 5, outcome: .abandoned),    // not short (wait < S)
        ])
        let s = try await f.run("summary", f.parameters("2026-03-02", "2026-03-03"))
        #expect(s.value("answered_in_t") == "1")
        #expect(s.value("short_abandoned") == "1")
        #expect(s.value("abandoned_in_t") == "2")
        // V5: 1 / (4 − 1); abandon rate: (2 − 1) / (4 − 1).
        #expect(s.value("service_level") == "0.3333")
        #expect(s.value("abandon_rate") == "0.3333")
        // Nearest rank over answered waits [20, 20.5]: p50 rank ceil(1.0) = 1, p90 rank ceil(1.8) = 2.
        #expect(s.value("p50_wait_s") == "20.0")
        #expect(s.value("p90_wait_s") == "20.5")
        #expect(s.value("max_wait_s") == "20.5")
    }

    @Test func zeroOfferedLeavesRatiosEmpty() async throws {
        let f = try ReportFixture()
        defer { f.remove() }
        try await f.store.upsert([f.outbound("o1", "2026-03-02 10:00:00", connected: true)])
        let s = try await f.run("summary", f.parameters("2026-03-02", "2026-03-03"))
        #expect(s.value("offered") == "0")
        for column in ["service_level", "sl_v1_answered", "sl_v2_offered", "sl_v3_ignore_late_abandons",
                       "sl_v4_with_abandoned", "abandon_rate", "abandon_rate_all", "asa_s", "aht_s", "p50_wait_s"] {
            #expect(s.value(column) == nil, "\(column) must be empty over zero offered")
        }
        let csv = CSVWriter.render(s)
        #expect(csv.split(separator: "\r\n")[1].hasPrefix("0,0,0,0,0,0,,,,,,,,"))
        let outbound = try await f.run("outbound", f.parameters("2026-03-02", "2026-03-03"))
        #expect(outbound.rows.first == ["total", "all", "1", "1", "1.0000", "60.0"])
    }

    @Test func aCallOfferedBeforeMidnightCountsWhereItWasOffered() async throws {
        let f = try ReportFixture()
        defer { f.remove() }
        // Offered 23:59:50, answered 40 s later, after midnight.
        try await f.store.upsert([f.inbound("late", "2026-03-02 23:59:50", wait: 40, outcome: .answered)])
        let days = try await f.run("by_day", f.parameters("2026-03-02", "2026-03-04"))
        #expect(days.rows.map { $0[0] } == ["2026-03-02"])
        #expect(days.value("offered") == "1")
        #expect(days.value("service_level") == "0.0000")  // 40 s > T
        let intervals = try await f.run("by_interval", f.parameters("2026-03-02", "2026-03-04"))
        #expect(intervals.rows.count == 96)
        let busy = intervals.rows.filter { $0[1] != "0" }
        #expect(busy.map { $0[0] } == ["2026-03-02T23:30:00-03:00"])
        let hours = try await f.run("by_hour", f.parameters("2026-03-02", "2026-03-04"))
        #expect(hours.rows.count == 24)
        #expect(hours.value("offered", row: 23) == "1")
    }

    @Test func aTransferredCallIsOfferedOnceToItsFirstQueue() async throws {
        let f = try ReportFixture()
        defer { f.remove() }
        try await f.store.upsert([
            f.inbound("x1", "2026-03-02 10:00:00", wait: 10, outcome: .answered, queue: "Ventas<-", transfers: 1),
            f.inbound("x2", "2026-03-02 10:05:00", wait: 30, outcome: .answered, queue: "Soporte<-"),
        ])
        let queues = try await f.run("by_queue", f.parameters("2026-03-02", "2026-03-03"))
        #expect(queues.rows.count == 2)
        let ventas = try #require(queues.rows.firstIndex { $0[0] == "Ventas<-" })
        #expect(queues.value("offered", row: ventas) == "1")
        #expect(queues.value("transferred", row: ventas) == "1")
        let summary = try await f.run("summary", f.parameters("2026-03-02", "2026-03-03"))
        #expect(summary.value("offered") == "2")
        #expect(summary.value("service_level") == "0.5000")
    }

    @Test func perQueueThresholdsOverrideTheDefault() async throws {
        let f = try ReportFixture()
        defer { f.remove() }
        try await f.store.upsert([
            f.inbound("q1", "2026-03-02 10:00:00", wait: 30, outcome: .answered, queue: "Ventas<-"),
            f.inbound("q2", "2026-03-02 10:00:00", wait: 30, outcome: .answered, queue: "Soporte<-"),
        ])
        try await f.store.write { db in
            try db.execute(sql: "INSERT INTO queue_settings (queue, threshold_s) VALUES ('Ventas<-', 40)")
        }
        let queues = try await f.run("by_queue", f.parameters("2026-03-02", "2026-03-03"))
        let rows = Dictionary(uniqueKeysWithValues: queues.rows.indices.map { (queues.rows[$0][0]!, $0) })
        #expect(queues.value("service_level", row: rows["Ventas<-"]!) == "1.0000")
        #expect(queues.value("threshold_s", row: rows["Ventas<-"]!) == "40.0")
        #expect(queues.value("service_level", row: rows["Soporte<-"]!) == "0.0000")
        let only = try await f.run("summary", f.parameters("2026-03-02", "2026-03-03", queues: ["Ventas<-"]))
        #expect(only.value("offered") == "1")
    }

    @Test func springForwardDayHas23HourlyIntervalsAndFallBack25() async throws {
        let f = try ReportFixture(zone: "America/New_York")
        defer { f.remove() }
        try await f.store.upsert([
            f.inbound("before", "2026-03-08 01:30:00", wait: 5, outcome: .answered),
            f.inbound("after", "2026-03-08 03:30:00", wait: 5, outcome: .answered),
        ])
        // 2026-11-01 01:15 happens twice: 05:15Z (EDT) and 06:15Z (EST).
        let first = Date(timeIntervalSince1970: 1_793_510_100)
        let second = first.addingTimeInterval(3600)
        var edt = f.inbound("edt", "2026-11-01 01:15:00", wait: 5, outcome: .answered)
        var est = edt
        est.callID = "est"
        edt.queuedAt = first; edt.startedAt = first
        est.queuedAt = second; est.startedAt = second
        try await f.store.upsert([edt, est])

        let spring = try await f.run("by_interval", f.parameters("2026-03-08", "2026-03-09", interval: 60))
        #expect(spring.rows.count == 23)
        #expect(spring.rows[1][0] == "2026-03-08T01:00:00-05:00")
        #expect(spring.rows[2][0] == "2026-03-08T03:00:00-04:00")
        #expect(spring.rows[1][1] == "1")
        #expect(spring.rows[2][1] == "1")

        let fall = try await f.run("by_interval", f.parameters("2026-11-01", "2026-11-02", interval: 60))
        #expect(fall.rows.count == 25)
        #expect(fall.rows[1][0] == "2026-11-01T01:00:00-04:00")
        #expect(fall.rows[2][0] == "2026-11-01T01:00:00-05:00")
        #expect(fall.rows[1][1] == "1")
        #expect(fall.rows[2][1] == "1")
        let days = try await f.run("by_day", f.parameters("2026-11-01", "2026-11-02"))
        #expect(days.value("offered") == "2")

        let halfHours = try await f.run("by_interval", f.parameters("2026-11-01", "2026-11-02", interval: 15))
        #expect(halfHours.rows.count == 100)
    }

    @Test func abandonedCallsListSaysWhoWasReachedLater() async throws {
        let f = try ReportFixture()
        defer { f.remove() }
        try await f.store.upsert([
            f.inbound("gave-up", "2026-03-02 10:00:00", wait: 50, outcome: .abandoned, number: "091111111"),
            f.inbound("called-back", "2026-03-02 15:00:00", wait: 5, outcome: .answered, number: "091111111"),
            f.inbound("gave-up-2", "2026-03-02 11:00:00", wait: 3, outcome: .abandoned, number: "092222222"),
        ])
        let list = try await f.run("abandoned_calls", f.parameters("2026-03-02", "2026-03-03"))
        #expect(list.rows.count == 2)
        #expect(list.value("offered_at") == "2026-03-02T10:00:00-03:00")
        #expect(list.value("reached_later_same_day") == "yes")
        #expect(list.value("short_abandon") == "no")
        #expect(list.value("reached_later_same_day", row: 1) == "no")
        #expect(list.value("short_abandon", row: 1) == "yes")
        #expect(list.value("repeat_caller") == "no")
    }
}

@Suite struct ErlangCTests {
    /// docs/METRICS.md's check value: 360 calls in 30 min, AHT 240 s (A = 48), T = 15 s.
    @Test func matchesTheCheckValue() {
        let a = 360.0 / 1800 * 240
        #expect(a == 48)
        #expect(abs(ErlangC.probabilityOfWaiting(agents: 55, load: a) - 0.2387) < 0.0005)
        #expect(abs(ErlangC.averageSpeedOfAnswer(agents: 55, load: a, aht: 240) - 8.18) < 0.01)
        #expect(abs(ErlangC.serviceLevel(agents: 55, load: a, aht: 240, threshold: 15) - 0.846) < 0.0005)
        #expect(abs(ErlangC.serviceLevel(agents: 56, load: a, aht: 240, threshold: 15) - 0.886) < 0.0005)
        #expect(abs(ErlangC.serviceLevel(agents: 57, load: a, aht: 240, threshold: 15) - 0.917) < 0.0005)
        #expect(ErlangC.agentsNeeded(calls: 360, intervalSeconds: 1800, aht: 240, threshold: 15, target: 0.85) == 56)
        #expect(ErlangC.agentsNeeded(calls: 360, intervalSeconds: 1800, aht: 240, threshold: 15, target: 0.80) == 55)
        #expect(ErlangC.agentsNeeded(calls: 0, intervalSeconds: 1800, aht: 240, threshold: 15, target: 0.8) == 0)
    }
}

@Suite struct PlatformComparisonTests {
    @Test func platformFiguresStandBesideOursForTheSameSpan() async throws {
        let f = try ReportFixture()
        defer { f.remove() }
        // Campaign "Soporte<-" on 2026-03-02 up to 12:00: 3 answered (waits 5, 20, 25), 1 abandoned (10 s).
        try await f.store.upsert([
            f.inbound("p1", "2026-03-02 08:00:00", wait: 5, outcome: .answered),
            f.inbound("p2", "2026-03-02 09:00:00", wait: 20, outcome: .answered),
            f.inbound("p3", "2026-03-02 10:00:00", wait: 25, outcome: .answered),
            f.inbound("p4", "2026-03-02 11:00:00", wait: 10, outcome: .abandoned),
            f.inbound("after", "2026-03-02 13:00:00", wait: 1, outcome: .answered),     // after the snapshot
            f.inbound("before", "2026-03-01 23:00:00", wait: 1, outcome: .answered),    // the day before
        ])
        try await f.store.savePlatformStats([
            PlatformStat(source: "test", campaign: "Soporte<-", takenAt: f.at("2026-03-02 12:00:00"), completed: 3, abandoned: 1,
                         servicelevel: 66.7, servicelevel2: 75.0, slevelthreshold: 20, abandonedlevel: 25, payload: "{}"),
        ])
        let rows = try await f.run("platform_comparison", f.parameters("2026-03-02", "2026-03-03"))
        #expect(rows.rows.count == 1)
        #expect(rows.value("taken_at") == "2026-03-02T12:00:00-03:00")
        #expect(rows.value("answered") == "3")
        #expect(rows.value("abandoned") == "1")
        #expect(rows.value("platform_sl_v1") == "0.6670")
        #expect(rows.value("sl_v1_answered") == "0.6667")   // 2 of 3 within 20 s (inclusive)
        #expect(rows.value("sl_v1_difference") == "-0.0003")
        #expect(rows.value("sl_v4_with_abandoned") == "0.7500") // (2 + 1) / 4
        #expect(rows.value("sl_v4_difference") == "0.0000")
    }
}
