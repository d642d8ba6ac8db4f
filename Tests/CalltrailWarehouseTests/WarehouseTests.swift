import CalltrailCore
import CalltrailReports
import CalltrailSources
import CalltrailStore
import CalltrailTestSupport
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
            // Batches of 10: killed once some are stored.
            let (process, _, _) = try CalltrailBinary.start(["publish", "--config", setup.config.path, "--batch", "10"])
            var stored = 0
            for _ in 0..<1500 where process.isRunning {
                stored = try await Self.ids(connection, site: setup.site).count
                if stored >= 100 { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let partial = try await Self.ids(connection, site: setup.site).count
            #expect(partial >= 100 && partial < expected.count, "killed mid-way: \(partial) of \(expected.count)")
            #expect(partial % 10 == 0, "whole batches only: each is one transaction with the mark")

            let result = try await CalltrailBinary.run(["publish", "--config", setup.config.path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try await Self.ids(connection, site: setup.site) == expected, "every call once, none missing")
            #expect(result.stdout.contains("\(expected.count - partial) calls"), "the resumed publish sent only the rest: \(result.stdout)")

            // A call re-synced after an update is updated there too.
            let changed = expected[expected.count / 2]
            try await setup.store.write { db in
                try db.execute(sql: "UPDATE calls SET agent = 'agent.renamed', synced_at = ? WHERE call_id = ?",
                               arguments: [Date().timeIntervalSince1970 + 1, changed])
            }
            let again = try await CalltrailBinary.run(["publish", "--config", setup.config.path])
            #expect(again.stdout.contains("published site \(setup.site)") && again.stdout.contains(" 1 calls"), "\(again.stdout)")
            var agent: String?
            for try await value in try await connection.query(
                "SELECT agent FROM calls WHERE site = \(setup.site) AND call_id = \(changed)", logger: Self.logger).decode(String?.self) {
                agent = value
            }
            #expect(agent == "agent.renamed")
            #expect(try await Self.ids(connection, site: setup.site).count == expected.count)
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
            async let a = WarehousePublisher(store: first.store, warehouse: try #require(first.configuration.warehouse), insecure: false,
                                             logger: Self.logger).publish()
            async let b = WarehousePublisher(store: second.store, warehouse: try #require(second.configuration.warehouse), insecure: false,
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

    @Test(.timeLimit(.minutes(3)))
    func theWarehouseSummaryEqualsTheReportCellByCell() async throws {
        let setup = try await setUp("summary")
        let connection = try await Self.connect(setup)
        do {
            _ = try await WarehousePublisher(store: setup.store, warehouse: try #require(setup.configuration.warehouse), insecure: false,
                                             logger: Self.logger).publish()
            let query = WarehouseQuery(connection: connection, logger: Self.logger)
            let day = DateInterval(start: SyncHarness.end.addingTimeInterval(-86_400), end: SyncHarness.end)
            for (threshold, shortAbandon, queues) in [(20.0, 5.0, nil), (30.0, 10.0, ["Soporte<-"]), (10.0, 0.0, ["Ventas<-", "Cobranzas<-"])] as [(Double, Double, [String]?)] {
                var parameters = ReportParameters(from: day.start, to: day.end, timeZone: SyncHarness.zone, threshold: threshold,
                                                  shortAbandon: shortAbandon)
                parameters.queues = queues ?? []
                let sqlite = try await QueryRunner(store: setup.store).run("summary", parameters: parameters)
                let warehouse = try await query.summary(from: day.start, to: day.end, threshold: threshold, shortAbandon: shortAbandon,
                                                        site: setup.site, queues: queues)
                // The report's last three columns echo its parameters; the figures before them must match.
                let figures = warehouse.columns.count
                #expect(Array(sqlite.columns.prefix(figures)) == warehouse.columns)
                #expect(sqlite.rows.map { Array($0.prefix(figures)) } == warehouse.rows, "T \(threshold), S \(shortAbandon), \(queues ?? [])")
                #expect(Int(warehouse.rows.first?.first.flatMap { $0 } ?? "0") ?? 0 > 0)
            }
        } catch {
            try? await connection.close()
            await setup.harness.stop()
            throw error
        }
        try? await connection.close()
        await setup.harness.stop()
    }

    /// by_interval, by_day, by_hour, by_queue, wait_distribution and summary over New York's fall-back night (01:00–02:00 twice): the warehouse lists the same
    /// 25-hour day, the repeated hour told apart by its offset, with the same cells as the SQLite query.
    @Test(.timeLimit(.minutes(2)))
    func theWarehouseDatasetsEqualTheReportAcrossADSTDay() async throws {
        let zone = TimeZone(identifier: "America/New_York")!
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-dst-\(UUID().uuidString)")
        let store = try CallStore(path: folder.appendingPathComponent("calls.sqlite").path)
        defer { try? FileManager.default.removeItem(at: folder) }
        let site = "dst-\(UUID().uuidString.prefix(8))"
        // Every 7 minutes 13 seconds from Saturday to Tuesday: both 01:xx hours of Sunday get calls.
        var calls: [CallRecord] = []
        let start = LocalDateTime(year: 2024, month: 11, day: 2).date(in: zone)
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
            calls.append(call)
        }
        try await store.upsert(calls)
        try await store.write { db in
            try db.execute(sql: "INSERT INTO queue_settings (queue, threshold_s, short_abandon_s) VALUES ('Ventas<-', 30, 10)")
        }
        let text = "[[source]]\nkind = \"ucontact\"\nbase_url = \"http://127.0.0.1:9\"\nuser = \"u\"\npassword_env = \"X\"\n"
            + (try Self.warehouseLines(site: site))
        let warehouse = try #require(try CalltrailCore.Configuration.parse(text, file: folder.appendingPathComponent("c.toml")).warehouse)
        _ = try await WarehousePublisher(store: store, warehouse: warehouse, insecure: false, logger: Self.logger).publish()
        let connection = try await WarehouseConnection.open(warehouse, insecure: false, logger: Self.logger)
        do {
            try await compareAcrossDST(WarehouseQuery(connection: connection, logger: Self.logger), store: store, zone: zone, site: site)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    func compareAcrossDST(_ query: WarehouseQuery, store: CallStore, zone: TimeZone, site: String) async throws {
        let from = LocalDateTime(year: 2024, month: 11, day: 2).date(in: zone), to = LocalDateTime(year: 2024, month: 11, day: 5).date(in: zone)
        for (interval, queues) in [(30, nil), (60, ["Ventas<-", "Soporte<-"]), (15, nil)] as [(Int, [String]?)] {
            let parameters = ReportParameters(from: from, to: to, timeZone: zone, interval: interval, threshold: 20, shortAbandon: 5,
                                              queues: queues ?? [])
            let sqlite = try await QueryRunner(store: store).run("by_interval", parameters: parameters)
            let pg = try await query.byInterval(from: from, to: to, timeZone: zone, interval: interval, threshold: 20, shortAbandon: 5,
                                                site: site, queues: queues)
            #expect(pg.columns == sqlite.columns)
            #expect(pg.rows == sqlite.rows, "interval \(interval), \(queues ?? [])")
            #expect(sqlite.rows.count == 73 * 60 / interval, "3 days of 24, 25 and 24 hours")
            #expect(sqlite.rows.contains { $0[0] == "2024-11-03T01:00:00-04:00" } && sqlite.rows.contains { $0[0] == "2024-11-03T01:00:00-05:00" })
        }
        for queues in [nil, ["Ventas<-"]] as [[String]?] {
            let parameters = ReportParameters(from: from, to: to, timeZone: zone, queues: queues ?? [])
            let runner = QueryRunner(store: store)
            let pairs = [
                ("by_day", try await query.byDay(from: from, to: to, timeZone: zone, threshold: 20, shortAbandon: 5, site: site, queues: queues)),
                ("by_hour", try await query.byHour(from: from, to: to, timeZone: zone, site: site, queues: queues)),
                ("by_queue", try await query.byQueue(from: from, to: to, threshold: 20, shortAbandon: 5, site: site, queues: queues)),
                ("wait_distribution", try await query.waitDistribution(from: from, to: to, site: site, queues: queues)),
            ]
            for (name, pg) in pairs {
                let sqlite = try await runner.run(name, parameters: parameters)
                #expect(pg.columns == sqlite.columns, "\(name)")
                #expect(pg.rows == sqlite.rows, "\(name) \(queues ?? [])")
            }
        }
        let sqliteSummary = try await QueryRunner(store: store).run("summary", parameters: ReportParameters(from: from, to: to, timeZone: zone))
        let pgSummary = try await query.summary(from: from, to: to, threshold: 20, shortAbandon: 5, site: site)
        #expect(sqliteSummary.rows.map { Array($0.prefix(pgSummary.columns.count)) } == pgSummary.rows)
    }
}
