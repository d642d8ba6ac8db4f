import CalltrailCore
import CalltrailReports
@_spi(Connections) import CalltrailStore
import Foundation
import GRDB
import Testing

/// `calltrail report` makes every dataset in one pass over the period (the report engine); the
/// queries/ files define them and are what `calltrail query` and the sqlite3 shell run. Both must give
/// the same datasets, cell by cell, whatever the calls.
@Suite struct ReportEngineTests {
    /// Around the fall-back night of 2024-11-03 in New York (01:00–02:00 happens twice), on the
    /// period's edges and outside it: every kind of call, per-queue T and S, vendor names for agents
    /// and numbers, recordings in every state, a record that failed to decode, callbacks and repeat
    /// callers a day either side of the period.
    func fixture() async throws -> ReportFixture {
        let f = try ReportFixture(zone: "America/New_York")
        var calls: [CallRecord] = []
        let times = ["2024-11-01 23:59:59", "2024-11-02 00:00:00", "2024-11-02 09:15:00", "2024-11-02 09:15:00", "2024-11-03 00:59:59",
                     "2024-11-03 01:30:00", "2024-11-03 02:00:00", "2024-11-03 13:45:10", "2024-11-03 23:59:30", "2024-11-04 00:10:00",
                     "2024-11-04 23:59:59", "2024-11-05 00:00:00", "2024-11-05 08:00:00", "2024-11-05 23:00:00"]
        for (index, time) in times.enumerated() {
            let outcome: Outcome = [.abandoned, .answered, .answered, .failed, .unknown][index % 5]
            var call = f.inbound("in-\(index)", time, wait: [0, 4.99, 5, 12.5, 20, 20.25, 21, 300, 0.35][index % 9], outcome: outcome,
                                 queue: ["Soporte<-", "Ventas<-", "Cobranzas<-"][index % 3], talk: 60 + Double(index) * 7.3,
                                 hold: index % 4 == 0 ? 15 : 0, agent: ["ana", "bruno"][index % 2], number: "09900000\(index % 4)",
                                 transfers: index % 6 == 0 ? 1 : 0)
            call.wrapS = Double(index % 3) * 10
            call.failedChecks = [[], ["hold_within_duration"], [], ["talk_within_duration", "hold_within_duration"]][index % 4]
            if index % 7 == 3 { call.recordingRef = "rec-\(index)" }
            calls.append(call)
            var out = f.outbound("out-\(index)", time, connected: index % 2 == 0, agent: ["eva", "ana"][index % 2], talk: 30 + Double(index))
            out.customerNumber = "09900000\(index % 4)"
            out.recordingRef = index % 2 == 0 ? "rec-out-\(index)" : nil
            calls.append(out)
        }
        var unqueued = f.inbound("unqueued", "2024-11-03 10:00:00", wait: 3, outcome: .answered)
        unqueued.queuedAt = nil
        var noWait = f.inbound("no-wait", "2024-11-03 11:00:00", wait: 0, outcome: .answered, queue: "Ventas<-")
        noWait.waitS = nil
        noWait.answeredAt = nil
        noWait.endedAt = nil
        var noQueue = f.inbound("no-queue", "2024-11-04 12:00:00", wait: 7, outcome: .abandoned, number: "099000001")
        noQueue.queue = nil
        noQueue.did = nil
        var noNumber = f.inbound("no-number", "2024-11-04 12:00:01", wait: 3, outcome: .abandoned)
        noNumber.customerNumber = nil
        var internalCall = f.inbound("internal", "2024-11-02 15:00:00", wait: 1, outcome: .answered)
        internalCall.direction = .internal
        // CCAI's recovered callback of the abandon in-5 (outcome abandoned): answered, not offered again.
        var recovered = f.inbound("recovered-5", "2024-11-03 01:45:00", wait: 0, outcome: .answered, number: "099999999")
        recovered.queuedAt = nil
        recovered.waitS = nil
        recovered.parentCallID = "in-5"
        calls += [unqueued, noWait, noQueue, noNumber, internalCall, recovered]
        try await f.store.upsert(calls)
        try await f.store.registerMappingChecks(source: "test", checks: [
            MappingCheck("talk_within_duration", "talk over duration"), MappingCheck("hold_within_duration", "hold over duration"),
            MappingCheck("never_broken", "a check every call passes"),
        ])
        try await f.store.registerMappingChecks(source: "other", checks: [MappingCheck("no_calls_here", "a source without calls in the period")])
        try await f.store.write { db in
            try db.execute(sql: "INSERT INTO queue_settings (queue, threshold_s, short_abandon_s) VALUES ('Ventas<-', 30, 10), ('Cobranzas<-', NULL, 3)")
            try db.execute(sql: "INSERT INTO source_agents (source, agent_id, name) VALUES ('test', 'ana', 'Ana Pérez'), ('test', 'eva', NULL)")
            try db.execute(sql: """
                INSERT INTO source_numbers (source, number, name, group_name) VALUES ('other', '26001000', 'Primero', NULL),
                       ('test', '26001000', 'Soporte', 'Centro'), ('test', '26002000', NULL, 'Ventas')
                """)
            try db.execute(sql: """
                INSERT INTO recordings (source, call_id, state, bytes) VALUES ('test', 'in-3', 'found', 1000), ('test', 'out-0', 'converted', 2500),
                       ('test', 'out-2', 'missing', NULL), ('test', 'out-4', 'failed', NULL), ('test', 'in-10', 'pending', NULL)
                """)
            try db.execute(sql: """
                INSERT INTO raw_records (source, record_key, window_start, fetched_at, payload, decode_error)
                VALUES ('test', 'bad', ?, 0, '{}', 'record has no guid')
                """, arguments: [f.at("2024-11-03 00:00:00").timeIntervalSince1970])
        }
        return f
    }

    /// The HTML page and the staffing view read typed figures: the very numbers the query's cells
    /// format, each interval's AHT exact (the CSV keeps one decimal), and nothing parsed back from text.
    @Test func theTypedFiguresAreTheNumbersTheQueriesFormat() async throws {
        let f = try await fixture()
        defer { f.remove() }
        let parameters = f.parameters("2024-11-02 00:00:00", "2024-11-05 00:00:00", interval: 30, queues: [])
        let (datasets, figures) = try await ReportPipeline(store: f.store).report(parameters)
        let summary = try await f.run("summary", parameters)
        let byInterval = try await f.run("by_interval", parameters)
        func ratio(_ value: Double?) -> String? { value.map { String(format: "%.4f", $0) } }
        func seconds(_ value: Double?) -> String? { value.map { String(format: "%.1f", $0) } }
        let h = figures.headline
        #expect([String(h.offered), String(h.answered), String(h.abandoned), String(h.shortAbandoned)]
                 == ["offered", "answered", "abandoned", "short_abandoned"].map { summary.value($0) })
        #expect(ratio(h.serviceLevel) == summary.value("service_level") && ratio(h.abandonRate) == summary.value("abandon_rate"))
        #expect(seconds(h.asa) == summary.value("asa_s") && seconds(h.aht) == summary.value("aht_s"))
        #expect(h.variants.map { ratio($0.value) }
                == ["service_level", "sl_v1_answered", "sl_v2_offered", "sl_v3_ignore_late_abandons", "sl_v4_with_abandoned"].map { summary.value($0) })
        #expect(figures.intervals.count == byInterval.rows.count)
        for (row, interval) in figures.intervals.enumerated() {
            #expect(interval.start == byInterval.value("interval_start", row: row))
            #expect(String(interval.offered) == byInterval.value("offered", row: row))
            #expect(ratio(interval.serviceLevel) == byInterval.value("service_level", row: row))
            #expect(seconds(interval.aht) == byInterval.value("aht_s", row: row))
        }
        // Exact: the mean itself, as SQL computes it before printf rounds it.
        let exact = try await f.store.read { db in
            try Double.fetchOne(db, sql: """
                SELECT avg(talk_s + hold_s + wrap_s) FROM calls WHERE direction = 'inbound' AND outcome = 'answered' AND queued_at >= ? AND queued_at < ?
                """, arguments: [parameters.from.timeIntervalSince1970, parameters.to.timeIntervalSince1970])
        }
        #expect(h.aht == exact, "AHT kept exact, not the CSV's one decimal")
        let staffing = StaffingRow.rows(figures.intervals, parameters: parameters)
        #expect(staffing.contains { $0.agents > 0 })
        #expect(zip(staffing, figures.intervals).allSatisfy { $0.aht == $1.aht })
        #expect(figures.hours.map { String($0.offered) } == (0..<24).map { datasets["by_hour"]?.value("offered", row: $0) })
        #expect(figures.waits.map(\.label) == (0..<8).map { datasets["wait_distribution"]?.value("wait_bucket_s", row: $0) })
    }

    /// The engine reads a day's ledger rows by their call's instant (`recordings.call_at`) and matches
    /// them in memory. Rows written before that column existed have none, a call's times may move, and a
    /// call retention removed may be stored again: recording_coverage stays its query's in every case.
    @Test func theRecordingCoverageHoldsWhereverTheLedgerPlacesItsCalls() async throws {
        let f = try await fixture()
        defer { f.remove() }
        let parameters = f.parameters("2024-11-02 00:00:00", "2024-11-05 00:00:00", interval: 30, queues: [])
        func expectTheQuerys(_ step: String) async throws {
            let engine = try await ReportPipeline(store: f.store).datasets(parameters)
            let query = try await f.run("recording_coverage", parameters)
            #expect(engine["recording_coverage"]?.rows == query.rows, "\(step)")
            #expect(query.value("calls", row: 0) != "0", "\(step): a found recording is counted")
        }
        func instants() async throws -> [String: Double?] {
            try await f.store.read { db in
                Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT call_id, call_at FROM recordings").map {
                    ($0["call_id"] as String, $0["call_at"] as Double?)
                })
            }
        }
        // Written without instants, as before the column: every call with a reference is looked up.
        try await expectTheQuerys("unplaced")
        // Placed, as the recordings stage writes them: matched in memory only.
        try await f.store.write { db in
            try db.execute(sql: "UPDATE recordings SET call_at = (SELECT coalesce(queued_at, started_at) FROM calls c WHERE c.source = recordings.source AND c.call_id = recordings.call_id)")
        }
        try await expectTheQuerys("placed")
        // The vendor moves a call a day on: its row follows.
        try await f.store.write { db in
            try db.execute(sql: "UPDATE calls SET queued_at = queued_at + 86400, started_at = started_at + 86400 WHERE call_id = 'in-3'")
        }
        let moved = try await f.store.read { db in try Double.fetchOne(db, sql: "SELECT queued_at FROM calls WHERE call_id = 'in-3'") }
        #expect(try await instants()["in-3"] == moved)
        try await expectTheQuerys("moved")
        // Retention removes a call and a sync stores it again, at another time: its row has no instant.
        try await f.store.write { db in try db.execute(sql: "DELETE FROM calls WHERE call_id = 'out-0'") }
        #expect(try await instants()["out-0"] == .some(nil))
        var again = f.outbound("out-0", "2024-11-04 18:00:00", connected: true, agent: "eva", talk: 30)
        again.recordingRef = "rec-out-0"
        try await f.store.upsert([again])
        try await expectTheQuerys("stored again")
    }

    /// recording_verification counts each bucket by a range of the verification index: each age lands
    /// where its definition says, on both sides of every boundary, and only stored recordings count.
    @Test func eachVerificationAgeLandsInItsBucket() async throws {
        let f = try ReportFixture(zone: "America/New_York")
        defer { f.remove() }
        let parameters = f.parameters("2024-11-02 00:00:00", "2024-11-05 00:00:00")
        let to = parameters.to.timeIntervalSince1970
        let ages: [Double?] = [-5, 0, 1, 86_400, 86_400.5, 604_800, 604_801, 2_592_000, 2_592_000.25, 40_000_000, nil, nil]
        try await f.store.write { db in
            for (index, age) in ages.enumerated() {
                try db.execute(sql: "INSERT INTO recordings (source, call_id, state, verified_at) VALUES ('test', ?, ?, ?)",
                               arguments: ["r\(index)", index % 2 == 0 ? "found" : "converted", age.map { to - $0 }])
            }
            try db.execute(sql: "INSERT INTO recordings (source, call_id, state, verified_at) VALUES ('test', 'gone', 'purged', ?), ('test', 'later', 'pending', NULL)",
                           arguments: [to - 10])
        }
        let verification = try await f.run("recording_verification", parameters)
        #expect(verification.rows.map { $0[1] } == ["2", "2", "2", "2", "2", "2"])
        #expect(verification.rows.map { $0[2] } == Array(repeating: "0.1667", count: 6))
    }

    @Test(arguments: [
        (interval: 30, queues: [String]()), (interval: 15, queues: ["Soporte<-", "Ventas<-"]), (interval: 60, queues: ["Cobranzas<-"]),
    ])
    func everyDatasetIsTheSameAsItsQuery(interval: Int, queues: [String]) async throws {
        let f = try await fixture()
        defer { f.remove() }
        let parameters = f.parameters("2024-11-02 00:00:00", "2024-11-05 00:00:00", interval: interval, queues: queues)
        let engine = try await ReportPipeline(store: f.store).datasets(parameters)
        #expect(Set(engine.keys) == Set(QueryCatalog.names))
        for name in QueryCatalog.names {
            let query = try await f.run(name, parameters)
            #expect(engine[name]?.columns == query.columns, "\(name)")
            #expect(engine[name]?.rows == query.rows, "\(name)")
        }
        let summary = try #require(engine["summary"])
        #expect(Int(summary.value("offered") ?? "") ?? 0 > 0)
        if queues.isEmpty {
            #expect(engine["abandoned_calls"]?.rows.contains { $0[5] == "yes" } == true, "a callback the same day")
            #expect(engine["abandoned_calls"]?.rows.contains { $0[6] == "yes" } == true, "a repeat caller")
        }
    }

    @Test func anEmptyPeriodIsTheSameToo() async throws {
        let f = try await fixture()
        defer { f.remove() }
        let parameters = f.parameters("2025-01-01 00:00:00", "2025-01-02 00:00:00")
        let engine = try await ReportPipeline(store: f.store).datasets(parameters)
        for name in QueryCatalog.names {
            let query = try await f.run(name, parameters)
            #expect(engine[name]?.rows == query.rows, "\(name)")
        }
    }

    /// Each source's mapping checks with the calls that broke them and their share; the header of the
    /// HTML and the nightly warnings name those over 5 %.
    @Test func mappingChecksAreCountedPerSourceAndNamedOverFivePercent() async throws {
        let f = try await fixture()
        defer { f.remove() }
        let parameters = f.parameters("2024-11-02 00:00:00", "2024-11-05 00:00:00")
        let quality = try await f.run("data_quality", parameters)
        let checks = quality.rows.filter { $0[1] != nil }
        #expect(checks.map { [$0[0], $0[1]] } == [["hold_within_duration", "test"], ["never_broken", "test"], ["talk_within_duration", "test"]])
        let sourceCalls = try await f.store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM calls WHERE source = 'test' AND coalesce(queued_at, started_at) >= ? AND coalesce(queued_at, started_at) < ?",
                             arguments: [parameters.from.timeIntervalSince1970, parameters.to.timeIntervalSince1970]) ?? 0
        }
        let holdBroken = try await f.store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM calls WHERE failed_checks LIKE '%hold_within%' AND coalesce(queued_at, started_at) >= ? AND coalesce(queued_at, started_at) < ?",
                             arguments: [parameters.from.timeIntervalSince1970, parameters.to.timeIntervalSince1970]) ?? 0
        }
        #expect(holdBroken > 0)
        #expect(checks[0][2] == String(holdBroken))
        #expect(checks[0][3] == String(format: "%.4f", Double(holdBroken) / Double(sourceCalls)))
        #expect(checks[1][2] == "0")
        let figures = try await ReportPipeline(store: f.store).report(parameters).figures
        #expect(figures.mappingChecks.map { [$0.name, $0.source, String($0.failed)] } == checks.map { [$0[0], $0[1], $0[2]] },
                "the typed counts are data_quality's rows")
        let warnings = MappingCheckWarnings.of(figures.mappingChecks)
        #expect(warnings.count == 2)
        #expect(warnings.allSatisfy { $0.hasPrefix("test: mapping check ") })
        let output = try await ReportPipeline(store: f.store).render(parameters, into: f.folder.appendingPathComponent("out"), format: .html)
        let html = try String(contentsOf: try #require(output.html), encoding: .utf8)
        let header = try #require(html.components(separatedBy: "</header>").first)
        #expect(header.contains("mapping check hold_within_duration broken by"))
        #expect(!header.contains("never_broken"))
    }

    /// A vendor-linked callback (CCAI `recovered`, its `parent_id`) shows on the abandon it answers,
    /// and the pair is offered once.
    @Test func aRecoveredAbandonNamesItsCallbackAndIsOneContact() async throws {
        let f = try await fixture()
        defer { f.remove() }
        let parameters = f.parameters("2024-11-02 00:00:00", "2024-11-05 00:00:00")
        let engine = try await ReportPipeline(store: f.store).datasets(parameters)
        let abandoned = try #require(engine["abandoned_calls"])
        let byID = Dictionary(uniqueKeysWithValues: abandoned.rows.map { ($0[8]!, $0[9]) })
        #expect(byID["in-5"] == .some("recovered-5"))
        #expect(byID["in-10"] == .some(nil), "an abandon no callback answered")
        #expect(abandoned.columns.last == "recovered_by")
        let withoutCallback = try await ReportPipeline(store: f.store).datasets(parameters)["summary"]?.value("offered")
        try await f.store.write { db in try db.execute(sql: "DELETE FROM calls WHERE call_id = 'recovered-5'") }
        let offered = try await ReportPipeline(store: f.store).datasets(parameters)["summary"]?.value("offered")
        #expect(offered == withoutCallback, "the callback adds no offered call: parent and callback are one contact")
    }
}
