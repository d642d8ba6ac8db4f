import CalltrailCore
import CalltrailReports
@_spi(Connections) import CalltrailStore
import CalltrailTestSupport
import CalltrailVendors
import CalltrailWarehouse
import Foundation
import GRDB
import Logging
import PostgresNIO
import Testing

/// Publishing into a real PostgreSQL server (`.ci/run` starts one on loopback and exports its
/// address): exactly once across a SIGKILL, updates followed, two sites at once, and the warehouse's
/// summary equal to the SQLite report cell by cell.
@Suite(.serialized) struct WarehouseTests {
    /// The test server's `[warehouse]` lines for a site; fails (never skips) without a server.
    static func warehouseLines(site: String) throws -> String {
        let server = try TestPostgres.server()
        return "\n[warehouse]\nurl = \"\(server.url)\"\npassword_env = \"\(TestPostgres.passwordVariable)\"\nsite = \"\(site)\"\n"
    }

    struct Setup {
        var harness: SyncHarness
        var config: URL
        var configuration: CalltrailCore.Configuration
        var store: CallStore
        var site: String
    }

    func setUp(_ name: String) async throws -> Setup {
        let harness = try await SyncHarness.start()
        let site = "\(name)-\(UUID().uuidString.prefix(8))"
        let url = try harness.configuration(name, overrides: ["timeout_seconds": "20"])
        try (try String(contentsOf: url, encoding: .utf8) + "\n" + Self.warehouseLines(site: site)).write(to: url, atomically: true, encoding: .utf8)
        let configuration = try CalltrailCore.Configuration.load(path: url.path)
        let (store, _) = try await harness.sync(configuration: url, to: SyncHarness.end)
        return Setup(harness: harness, config: url, configuration: configuration, store: store, site: site)
    }

    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    /// A connection of the test's own, to a warehouse whose tables exist.
    static func connect(_ setup: Setup) async throws -> PostgresConnection {
        let connection = try await WarehouseConnection.open(try #require(setup.configuration.warehouse), insecure: false, logger: logger)
        try await WarehouseSchema.ensure(connection, logger: logger)
        return connection
    }

    /// Waits (bounded) until no other client backend is connected to the test database: the suite is
    /// serialized, so any other one belongs to a publisher that was killed.
    static func waitForOtherBackendsToEnd(_ connection: PostgresConnection) async throws {
        for _ in 0..<1000 {
            var others = 0
            for try await count in try await connection.query("""
                SELECT count(*)::int FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                """, logger: logger).decode(Int.self) { others = count }
            if others == 0 { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the killed publisher's backend did not end within 10 s")
    }

    static func ids(_ connection: PostgresConnection, site: String) async throws -> [String] {
        var ids: [String] = []
        for try await id in try await connection.query("SELECT call_id FROM calls WHERE site = \(site) ORDER BY call_id", logger: logger)
            .decode(String.self) { ids.append(id) }
        return ids
    }

    @Test(.timeLimit(.minutes(3)))
    func publishIsExactlyOnceAcrossAKillAndFollowsUpdates() async throws {
        let setup = try await setUp("killed")
        let connection = try await Self.connect(setup)
        do {
            let expected = try await setup.store.read { db in try String.fetchAll(db, sql: "SELECT call_id FROM calls ORDER BY call_id") }
            #expect(expected.count > 500)
            // Killed once some batches are stored. A publisher that finished first proves nothing: tried
            // again under a new site name with smaller batches (more transactions for the same rows).
            var site = setup.site
            var partial = 0
            var killedMidWork = false
            for (attempt, batch) in [10, 5, 2].enumerated() where !killedMidWork {
                if attempt > 0 {
                    site = "\(setup.site)-\(attempt)"
                    let text = try String(contentsOf: setup.config, encoding: .utf8)
                        .replacingOccurrences(of: "site = \"\(setup.site)\"", with: "site = \"\(site)\"")
                    try text.write(to: setup.config, atomically: true, encoding: .utf8)
                }
                let (process, _, _) = try CalltrailBinary.start(["publish", "--config", setup.config.path, "--batch", String(batch)])
                for _ in 0..<1500 where process.isRunning {
                    if try await Self.ids(connection, site: site).count >= 100 { break }
                    try await Task.sleep(for: .milliseconds(10))
                }
                let running = process.isRunning
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                guard running, process.terminationReason == .uncaughtSignal, process.terminationStatus == SIGKILL else { continue }
                // A COMMIT the publisher sent just before it died is still carried out by its backend:
                // count only once that backend has gone.
                try await Self.waitForOtherBackendsToEnd(connection)
                partial = try await Self.ids(connection, site: site).count
                killedMidWork = partial < expected.count
                #expect(partial % batch == 0, "whole batches only: each is one transaction with the mark")
            }
            try #require(killedMidWork, "the publisher finished before every kill, batches of 10, 5 and 2")
            #expect(partial >= 100, "killed mid-way: \(partial) of \(expected.count)")

            let result = try await CalltrailBinary.run(["publish", "--config", setup.config.path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try await Self.ids(connection, site: site) == expected, "every call once, none missing")
            #expect(result.stdout.contains("\(expected.count - partial) calls"), "the resumed publish sent only the rest: \(result.stdout)")

            // A call re-synced after an update is updated there too.
            let changed = expected[expected.count / 2]
            try await setup.store.write { db in
                try db.execute(sql: "UPDATE calls SET agent = 'agent.renamed', synced_at = ? WHERE call_id = ?",
                               arguments: [Date().timeIntervalSince1970, changed])
            }
            let again = try await CalltrailBinary.run(["publish", "--config", setup.config.path])
            #expect(again.stdout.contains("published site \(site)") && again.stdout.contains(" 1 calls"), "\(again.stdout)")
            var agent: String?
            for try await value in try await connection.query(
                "SELECT agent FROM calls WHERE site = \(site) AND call_id = \(changed)", logger: Self.logger).decode(String?.self) {
                agent = value
            }
            #expect(agent == "agent.renamed")
            #expect(try await Self.ids(connection, site: site).count == expected.count)

            // Calls retention removes here leave the warehouse at the next publish; a call stored again
            // by a later sync (synced after its removal) stays.
            // Every other call moved 60 days back (and re-published there), then calls_days between the two halves.
            let newest = try await setup.store.write { db -> Double in
                let newest = try Double.fetchOne(db, sql: "SELECT max(coalesce(queued_at, started_at)) FROM calls")!
                try db.execute(sql: """
                    UPDATE calls SET started_at = started_at - 5184000, queued_at = queued_at - 5184000, answered_at = answered_at - 5184000,
                                     ended_at = ended_at - 5184000, synced_at = ? WHERE rowid % 2 = 0
                    """, arguments: [Date().timeIntervalSince1970])
                return newest
            }
            let moved = try await CalltrailBinary.run(["publish", "--config", setup.config.path])
            #expect(moved.status == 0, "\(moved.stderr)")
            let days = Int((Date().timeIntervalSince1970 - newest) / 86_400) + 10
            try (try String(contentsOf: setup.config, encoding: .utf8) + "\n[retention]\ncalls_days = \(days)\n")
                .write(to: setup.config, atomically: true, encoding: .utf8)
            let purge = try await CalltrailBinary.run(["recordings", "purge", "--config", setup.config.path])
            #expect(purge.status == 0, "\(purge.stdout) \(purge.stderr)")
            let kept = try await setup.store.read { db in try String.fetchAll(db, sql: "SELECT call_id FROM calls ORDER BY call_id") }
            #expect(kept.count > 0 && kept.count < expected.count, "retention removed the older calls: \(kept.count) of \(expected.count) kept")
            let resynced = try #require(Set(expected).subtracting(kept).sorted().first)
            try await setup.store.write { db in
                try db.execute(sql: """
                    INSERT INTO calls (source, call_id, direction, outcome, started_at, synced_at, key_hash)
                    VALUES ('ucontact', ?, 'inbound', 'answered', ?, ?, 0)
                    """, arguments: [resynced, newest, Date().timeIntervalSince1970 + 5])
            }
            let afterRetention = try await CalltrailBinary.run(["publish", "--config", setup.config.path])
            #expect(afterRetention.status == 0, "\(afterRetention.stderr)")
            #expect(afterRetention.stdout.contains("\(expected.count - kept.count) removed_calls"), "\(afterRetention.stdout)")
            #expect(try await Self.ids(connection, site: site) == (kept + [resynced]).sorted())
        } catch {
            try? await connection.close()
            await setup.harness.stop()
            throw error
        }
        try? await connection.close()
        await setup.harness.stop()
    }

    @Test(.timeLimit(.minutes(3)))
    func twoSitesPublishingAtOnceNeitherBlocksNorCollides() async throws {
        let first = try await setUp("north")
        let second = try await setUp("south")
        do {
            // The same simulated history at both sites: the same call ids, kept apart by site.
            async let a = WarehousePublisher(store: first.store, warehouse: try #require(first.configuration.warehouse), zone: first.configuration.timeZone, insecure: false,
                                             logger: Self.logger).publish()
            async let b = WarehousePublisher(store: second.store, warehouse: try #require(second.configuration.warehouse), zone: second.configuration.timeZone, insecure: false,
                                             logger: Self.logger).publish()
            let (sa, sb) = try await (a, b)
            let count = try await first.store.callCount()
            #expect(sa.rows["calls"] == count && sb.rows["calls"] == count)
            let connection = try await Self.connect(first)
            let north = try await Self.ids(connection, site: first.site)
            let south = try await Self.ids(connection, site: second.site)
            #expect(north.count == count && north == south)
            try? await connection.close()
        } catch {
            await first.harness.stop()
            await second.harness.stop()
            throw error
        }
        await first.harness.stop()
        await second.harness.stop()
    }

    /// Every dataset of the report, from the warehouse's functions, equal to its SQLite query cell by cell
    /// for one site, over several T, S, intervals and queue filters; the typed figures equal to the
    /// report engine's; `calltrail report --from-warehouse --site` writing the same CSV files as
    /// `calltrail report`; and over every site, each site's agents under `site/source`.
    @Test(.timeLimit(.minutes(4)))
    func everyWarehouseDatasetEqualsTheReportCellByCell() async throws {
        let setup = try await setUp("report")
        let connection = try await Self.connect(setup)
        do {
            try await Self.addLedgerAndUndecodableRows(setup.store)
            let warehouse = try #require(setup.configuration.warehouse)
            _ = try await WarehousePublisher(store: setup.store, warehouse: warehouse, zone: setup.configuration.timeZone, insecure: false, logger: Self.logger).publish()
            let query = WarehouseQuery(connection: connection, logger: Self.logger)
            let day = DateInterval(start: SyncHarness.end.addingTimeInterval(-86_400), end: SyncHarness.end)
            let combinations: [(DateInterval, Int, Double, Double, [String])] = [
                (day, 30, 20, 5, []),
                (day, 15, 30, 10, ["Soporte<-"]),
                (DateInterval(start: SyncHarness.end.addingTimeInterval(-3 * 86_400), end: SyncHarness.end), 60, 10, 0, ["Ventas<-", "Cobranzas<-"]),
            ]
            for (period, interval, threshold, shortAbandon, queues) in combinations {
                let parameters = ReportParameters(from: period.start, to: period.end, timeZone: SyncHarness.zone, interval: interval,
                                                  threshold: threshold, shortAbandon: shortAbandon, queues: queues)
                for name in QueryCatalog.names + QueryCatalog.listings {
                    let sqlite = try await QueryRunner(store: setup.store).run(name, parameters: parameters)
                    let pg = try await query.dataset(name, parameters, site: setup.site)
                    #expect(pg.columns == sqlite.columns, "\(name)")
                    #expect(pg.rows == sqlite.rows, "\(name): T \(threshold), S \(shortAbandon), \(interval) min, \(queues)")
                }
                let engine = try await ReportPipeline(store: setup.store).report(parameters).figures
                let fromWarehouse = try await WarehouseReport.report(parameters, site: setup.site, warehouse: warehouse, insecure: false,
                                                                     logger: Self.logger).figures
                Self.expectEqual(fromWarehouse, engine)
            }
            let summary = try await query.dataset("summary", ReportParameters(from: day.start, to: day.end, timeZone: SyncHarness.zone), site: setup.site)
            #expect(Int(summary.value("offered") ?? "0") ?? 0 > 0)
            let coverage = try await query.dataset("recording_coverage", ReportParameters(from: day.start, to: day.end, timeZone: SyncHarness.zone),
                                                   site: setup.site)
            #expect(coverage.rows.filter { $0[0] != "not fetched" && $0[1] != "0" }.count == 3, "found, converted and purged rows in the ledger")
            let platform = try await query.dataset("platform_comparison", ReportParameters(from: day.start, to: day.end, timeZone: SyncHarness.zone),
                                                   site: setup.site)
            #expect(platform.rows.map { $0[1] } == ["Cobranzas<-", "Soporte<-", "Ventas<-"], "the latest snapshot of each campaign")

            // The command: the same files from the warehouse as from the SQLite file.
            let folder = setup.config.deletingLastPathComponent()
            let period = ["--from", LocalDateTime.iso8601(day.start, in: SyncHarness.zone), "--to", LocalDateTime.iso8601(day.end, in: SyncHarness.zone)]
            let local = try await CalltrailBinary.run(["report", "--config", setup.config.path, "--out", folder.appendingPathComponent("local").path] + period)
            let shared = try await CalltrailBinary.run(["report", "--config", setup.config.path, "--from-warehouse", "--site", setup.site,
                                                        "--out", folder.appendingPathComponent("warehouse").path] + period)
            #expect(local.status == 0 && shared.status == 0, "\(local.stderr) \(shared.stderr)")
            #expect(shared.stdout.contains("from the warehouse"), "\(shared.stdout)")
            for name in QueryCatalog.names + QueryCatalog.listings {
                let a = try String(contentsOf: folder.appendingPathComponent("local/\(name).csv"), encoding: .utf8)
                let b = try String(contentsOf: folder.appendingPathComponent("warehouse/\(name).csv"), encoding: .utf8)
                #expect(a == b, "\(name).csv")
            }
            let page = try String(contentsOf: folder.appendingPathComponent("warehouse/report.html"), encoding: .utf8)
            #expect(page.contains("site \(setup.site)"))

            // Every site: a second site's rows beside the first, each source shown as site/source.
            var second = warehouse
            second.site = setup.site + "-b"
            _ = try await WarehousePublisher(store: setup.store, warehouse: second, zone: setup.configuration.timeZone, insecure: false, logger: Self.logger).publish()
            let parameters = ReportParameters(from: day.start, to: day.end, timeZone: SyncHarness.zone)
            let one = try await query.dataset("by_agent", parameters, site: setup.site)
            let all = try await query.dataset("by_agent", parameters, site: nil)
            for site in [setup.site, second.site] {
                let rows = all.rows.filter { $0[0]?.hasPrefix(site + "/") == true }
                    .map { [String($0[0]!.dropFirst(site.count + 1))] + Array($0.dropFirst()) }
                #expect(rows == one.rows, "\(site)")
            }
        } catch {
            try? await connection.close()
            await setup.harness.stop()
            Issue.record("\(WarehouseConnection.describe(error))")
            throw error
        }
        try? await connection.close()
        await setup.harness.stop()
    }

    /// A few recordings in the ledger (found and verified, converted and never verified, purged), an
    /// undecodable vendor record and campaignstatus snapshots in the last day (two of one campaign, one
    /// with no figures), so recording_coverage, recording_verification, data_quality and
    /// platform_comparison have rows to compare.
    static func addLedgerAndUndecodableRows(_ store: CallStore) async throws {
        try await store.write { db in
            let calls = try Row.fetchAll(db, sql: """
                SELECT source, call_id, coalesce(queued_at, started_at) AS at FROM calls
                WHERE recording_ref IS NOT NULL ORDER BY coalesce(queued_at, started_at) DESC LIMIT 3
                """)
            for (index, call) in calls.enumerated() {
                let state = ["found", "converted", "purged"][index]
                let at: Double = call["at"]
                try db.execute(sql: """
                    INSERT INTO recordings (source, call_id, state, converted, bytes, sha256, path, attempts, updated_at, verified_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
                    """, arguments: [call["source"], call["call_id"], state, index == 1, 1000 * (index + 1), "ab\(index)", "r/\(index).mp3",
                                     at + 60, index == 0 ? at + 3600 : nil])
            }
            let end = SyncHarness.end.timeIntervalSince1970
            for (campaign, taken, completed, level, threshold) in [("Soporte<-", end - 7_200.5, 300, 81.25, 20.0), ("Soporte<-", end - 3_600.25, 350, 79.5, 20.0),
                                                                   ("Ventas<-", end - 1_800, 200, 70.0, 30.0), ("Cobranzas<-", end - 900, nil, nil, nil)]
                as [(String, Double, Int?, Double?, Double?)] {
                try db.execute(sql: """
                    INSERT INTO platform_stats (source, campaign, taken_at, completed, abandoned, servicelevel, servicelevel2, slevelthreshold,
                                                abandonedlevel, payload)
                    VALUES ('ucontact', ?, ?, ?, 12, ?, ?, ?, 4.5, '{}')
                    """, arguments: [campaign, taken, completed, level, level.map { $0 - 3.125 }, threshold])
            }
            let window: Double = try Double.fetchOne(db, sql: "SELECT max(window_start) FROM raw_pages") ?? 0
            try db.execute(sql: """
                INSERT INTO raw_records (source, record_key, window_start, fetched_at, payload, decode_error)
                VALUES ('ucontact', 'broken-1', ?, ?, '{"guid": 7}', 'guid: expected a string')
                """, arguments: [window, window])
        }
    }

    /// The typed figures: counts exactly, means to 1e-9 (the two engines add in different orders).
    static func expectEqual(_ a: ReportFigures, _ b: ReportFigures) {
        func close(_ x: Double?, _ y: Double?) -> Bool {
            switch (x, y) {
            case (nil, nil): true
            case (let x?, let y?): abs(x - y) <= 1e-9 * max(1, abs(y))
            default: false
            }
        }
        #expect(a.headline.offered == b.headline.offered && a.headline.answered == b.headline.answered
                && a.headline.abandoned == b.headline.abandoned && a.headline.shortAbandoned == b.headline.shortAbandoned)
        #expect(a.headline.serviceLevel == b.headline.serviceLevel && a.headline.abandonRate == b.headline.abandonRate)
        #expect(close(a.headline.asa, b.headline.asa) && close(a.headline.aht, b.headline.aht))
        #expect(a.headline.variants == b.headline.variants)
        #expect(a.intervals.map(\.start) == b.intervals.map(\.start) && a.intervals.map(\.offered) == b.intervals.map(\.offered))
        #expect(a.intervals.map(\.serviceLevel) == b.intervals.map(\.serviceLevel))
        #expect(zip(a.intervals, b.intervals).allSatisfy { close($0.aht, $1.aht) })
        #expect(a.hours == b.hours && a.waits == b.waits && a.mappingChecks == b.mappingChecks)
        #expect(a.comparison?.label == b.comparison?.label && a.comparison?.from == b.comparison?.from)
        #expect(a.comparison?.headline.offered == b.comparison?.headline.offered
                && a.comparison?.headline.serviceLevel == b.comparison?.headline.serviceLevel
                && close(a.comparison?.headline.aht, b.comparison?.headline.aht))
        #expect(a.trend.map(\.day) == b.trend.map(\.day) && a.trend.map(\.offered) == b.trend.map(\.offered))
        #expect(a.trend.map(\.serviceLevel) == b.trend.map(\.serviceLevel) && a.trend.map(\.abandonRate) == b.trend.map(\.abandonRate))
        #expect(zip(a.trend, b.trend).allSatisfy { close($0.aht, $1.aht) })
    }

    /// by_interval, by_day, by_hour, by_queue, wait_distribution and summary over New York's fall-back night (01:00–02:00 twice): the warehouse lists the same
    /// 25-hour day, the repeated hour told apart by its offset, with the same cells as the SQLite query. And over Lord Howe's,
    /// whose clock goes back half an hour (02:00 +11:00 to 01:30 +10:30), so that its hours start half an hour off the earlier ones.
    @Test(.timeLimit(.minutes(2)), arguments: [("America/New_York", 2024, 11, 2), ("Australia/Lord_Howe", 2025, 4, 5)])
    func theWarehouseDatasetsEqualTheReportAcrossADSTDay(place: (zone: String, year: Int, month: Int, day: Int)) async throws {
        let zone = TimeZone(identifier: place.zone)!
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-dst-\(UUID().uuidString)")
        let store = try CallStore(path: folder.appendingPathComponent("calls.sqlite").path)
        defer { try? FileManager.default.removeItem(at: folder) }
        let site = "dst-\(UUID().uuidString.prefix(8))"
        // Every 7 minutes 13 seconds from Saturday to Tuesday: both 01:xx hours of Sunday get calls.
        var calls: [CallRecord] = []
        let start = LocalDateTime(year: place.year, month: place.month, day: place.day).date(in: zone)
        for index in 0..<600 {
            let queued = start.addingTimeInterval(Double(index) * 433)
            let outcome: Outcome = [.answered, .answered, .abandoned, .answered, .failed][index % 5]
            let wait = [0, 4.99, 5, 12.5, 20, 20.25, 21, 300, 0.35][index % 9]
            let answered = outcome == .answered
            var call = CallRecord(source: "test", callID: "c-\(index)", direction: .inbound, outcome: outcome,
                                  queue: ["Soporte<-", "Ventas<-", "Cobranzas<-"][index % 3], agent: answered ? "ana" : nil,
                                  customerNumber: "0990\(index % 50)", did: "26001000", startedAt: queued, queuedAt: queued,
                                  answeredAt: answered ? queued.addingTimeInterval(wait) : nil,
                                  endedAt: queued.addingTimeInterval(wait + (answered ? 60 + Double(index % 13) * 7.3 : 0)), waitS: wait,
                                  talkS: answered ? 60 + Double(index % 13) * 7.3 : 0, holdS: answered && index % 4 == 0 ? 15 : 0)
            call.wrapS = Double(index % 3) * 10
            call.transfers = index % 6 == 0 ? 1 : 0
            if index % 17 == 0 { call.queue = nil }
            if index == 1 { call.disposition = Self.awkwardText }
            calls.append(call)
        }
        try await store.upsert(calls)
        try await store.write { db in
            try db.execute(sql: "INSERT INTO queue_settings (queue, threshold_s, short_abandon_s) VALUES ('Ventas<-', 30, 10)")
        }
        let text = "[[source]]\nkind = \"ucontact\"\nbase_url = \"http://127.0.0.1:9\"\nuser = \"u\"\npassword_env = \"X\"\n"
            + (try Self.warehouseLines(site: site))
        let warehouse = try #require(try CalltrailCore.Configuration.parse(text, file: folder.appendingPathComponent("c.toml")).warehouse)
        _ = try await WarehousePublisher(store: store, warehouse: warehouse, zone: TimeZone(identifier: "UTC")!, insecure: false, logger: Self.logger).publish()
        let connection = try await WarehouseConnection.open(warehouse, insecure: false, logger: Self.logger)
        do {
            try await compareAcrossDST(WarehouseQuery(connection: connection, logger: Self.logger), store: store, zone: zone, from: start, site: site)
            // COPY's text format carries tabs, newlines, backslashes and non-ASCII as they are.
            var disposition: String?
            for try await value in try await connection.query("SELECT disposition FROM calls WHERE site = \(site) AND call_id = 'c-1'",
                                                              logger: Self.logger).decode(String?.self) { disposition = value }
            #expect(disposition == Self.awkwardText)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    static let awkwardText = "tab\there\nnew line \\N not null\r\\ back ñandú 📞"

    func compareAcrossDST(_ query: WarehouseQuery, store: CallStore, zone: TimeZone, from: Date, site: String) async throws {
        let day = LocalDateTime(from, in: zone)
        let to = LocalDateTime(year: day.year, month: day.month, day: day.day + 3).date(in: zone)
        for (interval, queues) in [(30, []), (60, ["Ventas<-", "Soporte<-"]), (15, [])] as [(Int, [String])] {
            let parameters = ReportParameters(from: from, to: to, timeZone: zone, interval: interval, threshold: 20, shortAbandon: 5, queues: queues)
            for name in QueryCatalog.names {
                let sqlite = try await QueryRunner(store: store).run(name, parameters: parameters)
                let pg = try await query.dataset(name, parameters, site: site)
                #expect(pg.columns == sqlite.columns, "\(name)")
                #expect(pg.rows == sqlite.rows, "\(name): interval \(interval), \(queues)")
                if name == "by_interval" {
                    // Every call of the period in an interval listed.
                    let offered = try await QueryRunner(store: store).run("summary", parameters: parameters).value("offered")
                    #expect(String(sqlite.rows.map { Int($0[1] ?? "") ?? 0 }.reduce(0, +)) == offered, "\(zone.identifier): interval \(interval)")
                }
                if name == "by_interval", zone.identifier == "America/New_York" {
                    #expect(sqlite.rows.count == 73 * 60 / interval, "3 days of 24, 25 and 24 hours")
                    #expect(sqlite.rows.contains { $0[0] == "2024-11-03T01:00:00-04:00" } && sqlite.rows.contains { $0[0] == "2024-11-03T01:00:00-05:00" })
                }
            }
        }
    }
}

/// docs/WAREHOUSE.md's BI query, run as written (its site named for the test's), equal to the report.
@Suite(.serialized) struct WarehouseBIQueryTests {
    /// The ```sql block of docs/WAREHOUSE.md.
    static func documentedQuery() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/WAREHOUSE.md"), encoding: .utf8)
        let start = try #require(text.range(of: "```sql\n"))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        return String(text[start.upperBound..<end.lowerBound])
    }

    @Test(.timeLimit(.minutes(3)))
    func theDocumentedServiceLevelByQueueAndDayEqualsTheReport() async throws {
        let sql = try Self.documentedQuery()
        #expect(sql.contains("t.site = 'north'") && !sql.contains("calltrail_"), "plain SQL over the tables, for one site")
        let setup = try await WarehouseTests().setUp("bi")
        let connection = try await WarehouseTests.connect(setup)
        do {
            // A queue with a T and S of its own: the query must take them.
            try await setup.store.write { db in
                try db.execute(sql: "INSERT INTO queue_settings (queue, threshold_s, short_abandon_s) VALUES ('Ventas<-', 45, 12)")
            }
            let warehouse = try #require(setup.configuration.warehouse)
            _ = try await WarehousePublisher(store: setup.store, warehouse: warehouse, zone: setup.configuration.timeZone, insecure: false,
                                             logger: WarehouseTests.logger).publish()
            var rows: [[String]] = []
            // Read as text, as a BI tool shows it.
            let documented = sql.replacingOccurrences(of: "t.site = 'north'", with: "t.site = '\(setup.site)'")
                .trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: ";"))
            let query = PostgresQuery(unsafeSQL: "SELECT queue, day::text, offered::text, service_level::text FROM (\(documented)) bi")
            for try await (queue, day, offered, level) in try await connection.query(query, logger: WarehouseTests.logger)
                .decode((String, String, String, String?).self) {
                rows.append([queue, day, offered, level ?? ""])
            }
            let day = DateInterval(start: SyncHarness.end.addingTimeInterval(-86_400), end: SyncHarness.end)
            let report = try await QueryRunner(store: setup.store).run("by_queue", parameters: ReportParameters(from: day.start, to: day.end, timeZone: SyncHarness.zone))
            let expected = report.rows.map { [$0[0] ?? "", "2026-03-02", $0[report.columns.firstIndex(of: "offered")!] ?? "",
                                              $0[report.columns.firstIndex(of: "service_level")!] ?? ""] }
            #expect(!rows.isEmpty)
            #expect(rows == expected.sorted { $0[0] < $1[0] })
        } catch {
            try? await connection.close()
            await setup.harness.stop()
            throw error
        }
        try? await connection.close()
        await setup.harness.stop()
    }
}
