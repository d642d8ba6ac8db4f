import CalltrailCore
import CalltrailReports
import CalltrailStore
import CalltrailWarehouse
import Foundation
import Logging

/// `calltrail-bench publish N URL`: a database of N calls (the ingest's data) published into a
/// PostgreSQL warehouse, rows/s beside the ceiling measured in the same run — `psql \copy` of the same
/// rows into the same table (COPY straight in: no staging, no upsert, no mark) — and the month's report read from the
/// warehouse's functions beside the same report from the SQLite file. The password comes from
/// PGPASSWORD; the benchmark's sites are deleted afterwards.
enum PublishBenchmark {
    struct Figures {
        var calls: Int
        var publishSeconds: Double
        var copySeconds: Double
        var warehouseReportSeconds: Double
        var sqliteReportSeconds: Double
        var offered: Int
        var sameFigures: Bool
        /// What the published calls take in the warehouse, heap, TOAST and indexes, per call.
        var bytesPerCall: Double
    }

    static func run(calls: Int, url: String, work: URL, me: String) async throws -> Figures {
        guard let parts = URLComponents(string: url), parts.scheme == "postgresql", let host = parts.host, let user = parts.user else {
            throw BenchError("publish: give the server as postgresql://user@host:port/database (the password in PGPASSWORD)")
        }
        let database = String(parts.path.dropFirst())
        let port = parts.port ?? 5432
        let tls: WarehouseConfiguration.TLSMode = parts.query?.contains("sslmode=disable") == true ? .disable : .verify
        let tag = UUID().uuidString.prefix(8).lowercased()
        let warehouse = WarehouseConfiguration(host: host, port: port, user: user, database: database,
                                               credential: .environment("PGPASSWORD"), site: "bench-\(tag)", tls: tls)
        var logger = Logger(label: "calltrail-bench")
        logger.logLevel = .error

        let pages = work.appendingPathComponent("publish-pages-\(calls).jsonl")
        let index = try BenchmarkData.write(calls: calls, to: pages)
        let db = work.appendingPathComponent("publish-\(calls).sqlite")
        try? FileManager.default.removeItem(at: db)
        guard try Measure.run([me, "ingest-child", pages.path, db.path]).status == 0 else { throw BenchError("publish: the ingest child failed") }
        let store = try CallStore(path: db.path)

        let psql = ["psql", "-h", host, "-p", String(port), "-U", user, "-d", database, "-v", "ON_ERROR_STOP=1", "-q"]
        func callsBytes() throws -> Double {
            Double(try Measure.run(psql + ["-Atc", "SELECT coalesce(pg_total_relation_size(to_regclass('calls')), 0)"]).output
                .trimmingCharacters(in: .whitespacesAndNewlines)) ?? .nan
        }
        let before = try callsBytes()
        let publisher = WarehousePublisher(store: store, warehouse: warehouse, zone: BenchmarkData.zone, insecure: false, logger: logger)
        let publishSeconds = try await Measure.seconds { _ = try await publisher.publish() }
        let bytesPerCall = (try callsBytes() - before) / Double(index.calls)

        // The ceiling: the same rows as CSV (written beforehand, not timed), loaded by psql's \copy.
        let columns = WarehousePublisher.callColumns
        let csv = work.appendingPathComponent("publish-\(calls).csv")
        let select = columns.map { $0.isTime ? "strftime('%Y-%m-%dT%H:%M:%fZ', \($0.name), 'unixepoch')" : $0.name }.joined(separator: ", ")
        let export = try Measure.run(["sqlite3", db.path], input: ".mode csv\n.output \(csv.path)\nSELECT 'copy-\(tag)', \(select) FROM calls;\n")
        guard export.status == 0 else { throw BenchError("publish: sqlite3 could not export the calls") }
        let copy = try Measure.run(psql + ["-c", "\\copy calls (site, \(columns.map(\.name).joined(separator: ", "))) FROM '\(csv.path)' WITH (FORMAT csv)"])
        guard copy.status == 0 else { throw BenchError("publish: psql \\copy failed (exit \(copy.status))") }

        // The month, from the warehouse and from the file.
        let month = ReportBenchmark.Month(start: index.start)
        var fromWarehouse: [String: Dataset] = [:]
        let warehouseSeconds = try await Measure.seconds {
            let (datasets, figures) = try await WarehouseReport.report(month.parameters, site: warehouse.site, warehouse: warehouse,
                                                                       insecure: false, logger: logger)
            _ = try ReportWriter(parameters: month.parameters).write(datasets: datasets, figures: figures,
                                                                      into: work.appendingPathComponent("publish-report-warehouse"))
            fromWarehouse = datasets
        }
        let sqlite = try await ReportBenchmark.calltrail(database: db, month: month, output: work.appendingPathComponent("publish-report-sqlite"))
        let local = try await ReportPipeline(store: store).datasets(month.parameters)
        let same = QueryCatalog.names.allSatisfy { local[$0] == fromWarehouse[$0] }

        let cleanup = WarehousePublisher.siteTables
            .map { "DELETE FROM \($0) WHERE site IN ('\(warehouse.site)', 'copy-\(tag)');" }.joined(separator: " ")
        if ProcessInfo.processInfo.environment["CALLTRAIL_BENCH_KEEP"] == nil { _ = try Measure.run(psql + ["-c", cleanup]) }
        for file in [pages, BenchmarkData.indexURL(pages), db, csv] { try? FileManager.default.removeItem(at: file) }
        return Figures(calls: index.calls, publishSeconds: publishSeconds, copySeconds: copy.seconds, warehouseReportSeconds: warehouseSeconds,
                       sqliteReportSeconds: sqlite.seconds, offered: sqlite.offered, sameFigures: same, bytesPerCall: bytesPerCall)
    }
}
