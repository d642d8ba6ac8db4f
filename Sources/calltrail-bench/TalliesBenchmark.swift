import CalltrailCore
import CalltrailReports
@_spi(Connections) import CalltrailStore
import Foundation
import GRDB

/// Issue #30's figures: the inbound datasets summed from interval tallies already kept (a month of the
/// 1 M-call database, the year of the 12 M one), the refresh that keeps them (the first build from nothing,
/// and a night's new calls), each in a child process for its own peak memory; beside the full report as it
/// stands, and DuckDB and pandas computing the same figures from the calls in the same run.
enum TalliesBenchmark {
    /// `tallies-child build DB`: the tallies deleted (not timed), then one refresh from nothing, timed.
    /// `tallies-child refresh DB`: one refresh of whatever is stale, timed.
    /// Both print "seconds hoursRemade talliesMade talliesInDatabase waitsInDatabase rebuilt peakMiB".
    static func refreshChild(build: Bool, database: URL) async throws {
        let store = try CallStore(path: database.path)
        try await store.ensureTimeZone(BenchmarkData.zone)  // once per zone, outside the timing
        if build {
            try await store.write { db in
                try db.execute(sql: """
                    DELETE FROM call_tally_waits; DELETE FROM call_tallies; DELETE FROM tally_zone; DELETE FROM tally_stale_hours;
                    """)
            }
        }
        var refresh: CallStore.TallyRefresh?
        let seconds = try await Measure.seconds { refresh = try await store.refreshTallies(zone: BenchmarkData.zone) }
        let (tallies, waits) = try await store.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM call_tallies") ?? 0, try Int.fetchOne(db, sql: "SELECT count(*) FROM call_tally_waits") ?? 0)
        }
        guard let refresh else { throw BenchError("no refresh") }
        print("\(seconds) \(refresh.hours) \(refresh.tallies) \(tallies) \(waits) \(refresh.rebuilt ? 1 : 0) \(Measure.peakRSSMiB)")
    }

    /// `tallies-child datasets DB DAYS [OUTPUT]`: the tallies brought up to date (not timed; a report does it once),
    /// then the inbound datasets as the report makes them (`ReportPipeline.inboundDatasets`: one read of the
    /// period's tallies for the grains asked): summary alone, by_interval alone, the two in one read, the
    /// eight in one read, each of the eight alone; then summary and by_interval from their queries/ files
    /// (`QueryRunner`, as the sqlite3 shell and `calltrail query` run them); then the first four again (warm)
    /// when the eight took under 30 s. Prints a `name value` line as each figure is measured (a parent that
    /// stops a slow child keeps what was measured): hours, summary, by_interval, pair, eight, offered,
    /// intervals, alone.NAME, sql.summary, sql.by_interval, summary2, by_interval2, pair2, eight2, and peak
    /// (MiB) after each. With OUTPUT, summary.csv and by_interval.csv of the first pass are written there
    /// (not timed).
    static func datasetsChild(database: URL, days: Int, output: URL?) async throws {
        func emit(_ name: String, _ value: Double) {
            FileHandle.standardOutput.write(Data("\(name) \(value)\npeak \(Measure.peakRSSMiB)\n".utf8))  // unbuffered
        }
        let store = try CallStore(path: database.path)
        let parameters = ReportBenchmark.Month(start: BenchmarkData.firstDay.date(in: BenchmarkData.zone), days: days).parameters
        try await store.ensureTimeZone(BenchmarkData.zone)
        let refreshed = try await store.refreshTallies(keepingTheirZoneOr: BenchmarkData.zone)
        emit("hours", Double(refreshed.hours))
        let pipeline = ReportPipeline(store: store)
        var eight = 0.0
        for pass in ["", "2"] {
            if pass == "2", eight >= 30 { break }
            var made: [String: Dataset] = [:]
            emit("summary" + pass, try await Measure.seconds { made = try await pipeline.inboundDatasets(parameters, grains: [.summary]) })
            emit("by_interval" + pass, try await Measure.seconds { made = try await pipeline.inboundDatasets(parameters, grains: [.byInterval]) })
            emit("pair" + pass, try await Measure.seconds { made = try await pipeline.inboundDatasets(parameters, grains: [.summary, .byInterval]) })
            eight = try await Measure.seconds {
                made = try await pipeline.inboundDatasets(parameters, grains: Set(InboundGrain.allCases))
                guard made.count == 8 else { throw BenchError("\(made.count) inbound datasets, not 8") }
            }
            emit("eight" + pass, eight)
            guard pass == "" else { continue }
            emit("offered", Double(made["summary"]?.value("offered").flatMap { Int($0) } ?? -1))
            emit("intervals", Double(made["by_interval"]?.rows.count ?? -1))
            // Not timed: the figures the peers are checked against, as CSV.
            if let output {
                try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
                for name in ["summary", "by_interval"] {
                    guard let dataset = made[name] else { continue }
                    let lines = [dataset.columns.joined(separator: ",")] + dataset.rows.map { $0.map { $0 ?? "" }.joined(separator: ",") }
                    try (lines.joined(separator: "\n") + "\n").write(to: output.appendingPathComponent(name + ".csv"), atomically: true, encoding: .utf8)
                }
            }
            for grain in InboundGrain.allCases {
                emit("alone." + grain.rawValue, try await Measure.seconds { _ = try await pipeline.inboundDatasets(parameters, grains: [grain]) })
            }
            let runner = QueryRunner(store: store)
            for name in ["summary", "by_interval"] {
                emit("sql." + name, try await Measure.seconds { _ = try await runner.run(name, parameters: parameters) })
            }
        }
    }

    /// Runs this program with `arguments`, stopped (SIGTERM, then SIGKILL) after `limit` seconds: its output
    /// so far, its seconds, and whether it finished.
    static func limited(_ me: String, _ arguments: [String], limit: Double) throws -> (output: String, seconds: Double, finished: Bool) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: me)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let start = DispatchTime.now().uptimeNanoseconds
        try process.run()
        let pid = process.processIdentifier
        let stopped = ManagedAtomicFlag()
        DispatchQueue.global().asyncAfter(deadline: .now() + limit) {
            guard process.isRunning else { return }
            stopped.set()
            kill(pid, SIGTERM)
            DispatchQueue.global().asyncAfter(deadline: .now() + 5) { if process.isRunning { kill(pid, SIGKILL) } }
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let finished = !stopped.value && process.terminationStatus == 0
        if !stopped.value && process.terminationStatus != 0 {
            throw BenchError("calltrail-bench \(arguments.joined(separator: " ")) failed (status \(process.terminationStatus))")
        }
        return (String(decoding: data, as: UTF8.self), seconds, finished)
    }

    /// `name value` lines as a dictionary (the last of a name wins).
    static func keyed(_ output: String) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in output.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = Double(parts[1]) { values[String(parts[0])] = value }
        }
        return values
    }

    /// What `duckdb_report.py` printed, nil without DuckDB.
    static func duckdb(database: URL, days: Int, mode: String, script: URL, output: URL, copy: URL) throws -> [String: Any]? {
        guard (try? Measure.run(["python3", "-c", "import duckdb, duckdb_extension_sqlite"]).status) == 0 else { return nil }
        let parameters = ReportBenchmark.Month(start: BenchmarkData.firstDay.date(in: BenchmarkData.zone), days: days).parameters
        var arguments = ["python3", script.path, database.path, parameters.iso(parameters.from), parameters.iso(parameters.to),
                         parameters.timeZone.identifier, String(parameters.threshold), String(parameters.shortAbandon),
                         String(parameters.interval), output.path, mode]
        if mode == "import" { arguments.append(copy.path) }
        let result = try Measure.run(arguments)
        guard result.status == 0,
              let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        else { throw BenchError("duckdb_report.py \(mode) failed (exit \(result.status)): \(result.output)") }
        return object
    }

    /// A CSV written by Calltrail or a peer, as rows of named cells (no cell compared here holds a comma).
    static func csv(_ url: URL) throws -> [[String: String]] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline)  // Calltrail writes CRLF
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else { return [] }
        return lines.dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            return Dictionary(uniqueKeysWithValues: zip(header, cells))
        }
    }

    /// Whether the peer's summary and by_interval print the same figures as Calltrail's files, cell for
    /// cell (counts, and ratios and seconds as SQLite's printf prints them).
    static func compare(calltrail: URL, peer: URL) throws -> (same: Bool, detail: String) {
        let columns = ["offered", "answered", "abandoned", "short_abandoned", "answered_in_t", "service_level", "abandon_rate",
                       "asa_s", "aht_s", "p50_wait_s", "p90_wait_s"]
        var differences: [String] = []
        var checked = 0
        for (name, key) in [("summary", nil), ("by_interval", "interval_start")] as [(String, String?)] {
            guard FileManager.default.fileExists(atPath: calltrail.appendingPathComponent(name + ".csv").path) else {
                differences.append("Calltrail's \(name).csv not made (its query was stopped)")
                continue
            }
            let ours = try csv(calltrail.appendingPathComponent(name + ".csv")), theirs = try csv(peer.appendingPathComponent(name + ".csv"))
            guard ours.count == theirs.count else { differences.append("\(name): \(ours.count) rows, peer \(theirs.count)"); continue }
            for (a, b) in zip(ours, theirs) {
                if let key, a[key] != b[key] { differences.append("\(name): row \(a[key] ?? "?") vs \(b[key] ?? "?")"); continue }
                for column in columns {
                    checked += 1
                    if a[column] != b[column] { differences.append("\(name) \(key.flatMap { a[$0] } ?? "") \(column): \(a[column] ?? "nil") vs \(b[column] ?? "nil")") }
                }
            }
        }
        let detail = differences.isEmpty ? "all \(checked) figures equal"
            : "\(differences.count) of \(checked) figures differ: " + differences.prefix(5).joined(separator: "; ")
        return (differences.isEmpty, detail)
    }
}

extension TalliesBenchmark {
    /// `calltrail-bench tallies [N_MONTH] [N_YEAR] [NIGHT]`: prints BENCHMARKS.md's section for issue #30.
    static func run(monthCalls: Int, yearCalls: Int, nightCalls: Int) async throws {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-bench-tallies")
        let yearWork = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-bench-year")
        for folder in [work, yearWork] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        func f(_ value: Double, _ digits: Int = 2) -> String { value.isFinite ? String(format: "%.\(digits)f", value) : "—" }
        func ratio(_ value: Double) -> String { value.isFinite ? f(value, 1) + "×" : "—" }
        func log(_ text: String) { FileHandle.standardError.write(Data("[\(ISO8601DateFormatter().string(from: Date()))] \(text)\n".utf8)) }
        func child(_ arguments: [String]) throws -> [Double] {
            let run = try Measure.run([me] + arguments)
            guard run.status == 0 else { throw BenchError("calltrail-bench \(arguments.joined(separator: " ")) failed (status \(run.status))") }
            return run.output.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        }
        /// The database of `calls` calls made once through the real ingest (pages, then the sync engine in a
        /// child), reused when present.
        func database(_ url: URL, calls: Int) throws -> String {
            if FileManager.default.fileExists(atPath: url.path) { return "reused" }
            log("writing \(calls) calls' pages")
            let pages = url.deletingLastPathComponent().appendingPathComponent("pages-\(calls).jsonl")
            _ = try BenchmarkData.write(calls: calls, to: pages)
            log("ingesting \(calls) calls")
            let ingest = try child(["ingest-child", pages.path, url.path])
            try? FileManager.default.removeItem(at: pages)
            try? FileManager.default.removeItem(at: BenchmarkData.indexURL(pages))
            guard ingest.count == 3 else { throw BenchError("ingest of \(calls) calls failed") }
            return "made here: ingest \(f(ingest[1], 1)) s, \(whole(ingest[0] / ingest[1])) rec/s"
        }
        let monthDB = work.appendingPathComponent("month-\(monthCalls).sqlite")
        let yearDB = yearWork.appendingPathComponent("year-\(yearCalls).sqlite")
        let monthMade = try database(monthDB, calls: monthCalls)
        let yearMade = try database(yearDB, calls: yearCalls)

        print("## Interval tallies (issue #30, \(ISO8601DateFormatter().string(from: Date())), release build)\n")
        print("Machine: \(Machine.description); \(Machine.build); SQLite \(Machine.sqlite)\n")
        print("Command: `swift run -c release calltrail-bench tallies \(monthCalls) \(yearCalls) \(nightCalls)`\n")
        print("Databases: \(monthCalls) calls (`\(monthDB.lastPathComponent)`, \(monthMade)); \(yearCalls) calls (`\(yearDB.lastPathComponent)`, \(yearMade)).\n")

        // 1. Keeping the tallies: the first build over the month's database, the year's, and a night.
        log("first build of the tallies, \(monthCalls) calls")
        let monthBuild = try child(["tallies-child", "build", monthDB.path])
        log("the year's tallies")
        let yearBuild = try child(["tallies-child", "refresh", yearDB.path])
        log("a night of \(nightCalls) calls")
        let nightDB = work.appendingPathComponent("night-\(monthCalls).sqlite")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: nightDB.path + suffix) }
        try FileManager.default.copyItem(at: monthDB, to: nightDB)
        if FileManager.default.fileExists(atPath: monthDB.path + "-wal") {
            try FileManager.default.copyItem(atPath: monthDB.path + "-wal", toPath: nightDB.path + "-wal")
        }
        // The night's calls are those of the days after the database's last call (each day its own seed).
        let last = try await CallStore(path: monthDB.path).read { db in try Double.fetchOne(db, sql: "SELECT max(started_at) FROM calls") ?? 0 }
        guard let monthDays = Int(exactly: ((last - BenchmarkData.firstDay.date(in: BenchmarkData.zone).timeIntervalSince1970) / 86_400).rounded(.down)).map({ $0 + 1 }) else { throw BenchError("the month database has no call to date it by") }
        let nightPages = work.appendingPathComponent("night-\(nightCalls).jsonl")
        let nightIndex = try BenchmarkData.write(calls: nightCalls, to: nightPages, startDay: monthDays)
        let nightIngest = try child(["ingest-child", nightPages.path, nightDB.path])
        let stale = try child(["tallies-child", "stale", nightDB.path])
        let night = try child(["tallies-child", "refresh", nightDB.path])
        try? FileManager.default.removeItem(at: nightPages)
        try? FileManager.default.removeItem(at: BenchmarkData.indexURL(nightPages))
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: nightDB.path + suffix) }
        guard monthBuild.count == 7, yearBuild.count == 7, nightIngest.count == 3, night.count == 7 else { throw BenchError("a refresh child failed") }

        print("### Keeping the tallies (`CallStore.refreshTallies`, timed alone, in a child process)\n")
        print("| refresh | calls in database | UTC hours remade | tallies made | tallies / waits rows after | s | peak RSS MiB |")
        print("|---|---|---|---|---|---|---|")
        print("| first build, from nothing (tallies deleted beforehand, untimed) | \(monthCalls) | \(whole(monthBuild[1])) | \(whole(monthBuild[2])) | \(whole(monthBuild[3])) / \(whole(monthBuild[4])) | **\(f(monthBuild[0]))** | \(whole(monthBuild[6])) |")
        let yearLabel = yearBuild[5] == 1 ? "the year's database, first refresh (from nothing: \(yearMade))" : "the year's database, refresh before timing (kept from an earlier run: nothing or little stale)"
        print("| \(yearLabel) | \(yearCalls) | \(whole(yearBuild[1])) | \(whole(yearBuild[2])) | \(whole(yearBuild[3])) / \(whole(yearBuild[4])) | \(f(yearBuild[0])) | \(whole(yearBuild[6])) |")
        print("| a night: \(nightIndex.calls) new calls (\(nightIndex.days.count == 1 ? "the day" : "\(nightIndex.days.count) days") after the database's last) ingested through the sync engine in \(f(nightIngest[1])) s (\(whole(nightIngest[0] / nightIngest[1])) rec/s, untimed here); \(whole(stale.first ?? -1)) hours marked stale | \(monthCalls + nightIndex.calls) | \(whole(night[1])) | \(whole(night[2])) | \(whole(night[3])) / \(whole(night[4])) | **\(f(night[0], 3))** | \(whole(night[6])) |")

        // 2. The inbound datasets from tallies already kept, and the full report as it stands.
        let periods: [(label: String, database: URL, calls: Int, days: Int)] = [
            ("month (30 days)", monthDB, monthCalls, 30), ("first month (30 days)", yearDB, yearCalls, 30), ("year (365 days)", yearDB, yearCalls, 365),
        ]
        let limit = Double(ProcessInfo.processInfo.environment["CALLTRAIL_BENCH_LIMIT"] ?? "") ?? 300
        var datasets: [[String: Double]] = []
        var datasetsFinished: [Bool] = []
        var reports: [(seconds: Double, offered: Double, peak: Double, finished: Bool)] = []
        for (index, period) in periods.enumerated() {
            log("datasets from tallies: \(period.label) of \(period.calls)")
            let run = try limited(me, ["tallies-child", "datasets", period.database.path, String(period.days), work.appendingPathComponent("datasets-\(index)").path],
                                limit: limit)
            datasets.append(keyed(run.output))
            datasetsFinished.append(run.finished)
            if !run.finished { log("stopped after \(whole(run.seconds)) s") }
        }
        for (index, period) in periods.enumerated() {
            log("full report: \(period.label) of \(period.calls)")
            let folder = work.appendingPathComponent("report-\(index)")
            try? FileManager.default.removeItem(at: folder)
            let run = try limited(me, ["report-child", period.database.path, String(period.days), folder.path], limit: limit)
            let figures = run.output.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
            if run.finished, figures.count == 3 {
                reports.append((figures[0], figures[1], figures[2], true))
            } else {
                log("stopped after \(whole(run.seconds)) s")
                reports.append((run.seconds, .nan, .nan, false))
            }
        }
        func value(_ index: Int, _ name: String, _ digits: Int = 3) -> String {
            if let v = datasets[index][name] { return f(v, digits) }
            return datasetsFinished[index] ? "—" : "stopped at \(whole(limit)) s"
        }
        print("\n### Inbound datasets summed from tallies already kept (`ReportPipeline.inboundDatasets`, as the report makes them; each period in its own child process)\n")
        print("First run in the process; the second (warm, run only when the eight took under 30 s) in brackets. Each column is one read of the period's tallies for the grains named: \"summary + by_interval\" reads once for both, \"all eight\" once for summary, by_interval, by_queue_interval, by_day, by_week, by_month, by_queue and by_number's inbound figures. \"queries/ files\": summary.sql + by_interval.sql run as the sqlite3 shell runs them (`QueryRunner`), each joining and sorting the waits itself. The full report (every dataset, CSV + HTML, `ReportPipeline.render`) is measured in another child after the three. A child still running after \(whole(limit)) s is stopped, and what it measured by then is shown.\n")
        print("| period | calls in database | inbound offered | stale hours at start | summary s | by_interval s | summary + by_interval s | all eight s | queries/ files: summary + by_interval s | peak RSS MiB | full report s | full report peak RSS MiB |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for (index, period) in periods.enumerated() {
            let d = datasets[index], r = reports[index]
            let sql = d["sql.summary"].flatMap { a in d["sql.by_interval"].map { f(a + $0, 3) } } ?? "—"
            print("| \(period.label) | \(period.calls) | \(d["offered"].map { whole($0) } ?? "—") | \(d["hours"].map { whole($0) } ?? "—") | \(value(index, "summary")) (\(value(index, "summary2"))) | \(value(index, "by_interval")) (\(value(index, "by_interval2"))) | **\(value(index, "pair"))** (\(value(index, "pair2"))) | **\(value(index, "eight"))** (\(value(index, "eight2"))) | \(sql) | \(d["peak"].map { whole($0) } ?? "—") | \(r.finished ? f(r.seconds) : "stopped at \(whole(limit)) s") | \(r.finished ? whole(r.peak) : "—") |")
        }

        print("\nEach of the eight alone (one read each), one after the other in the same child (warm), s:\n")
        print("| period | " + InboundGrain.allCases.map(\.rawValue).joined(separator: " | ") + " |")
        print("|---|" + InboundGrain.allCases.map { _ in "---|" }.joined())
        for (index, period) in periods.enumerated() {
            print("| \(period.label) of \(period.calls) | " + InboundGrain.allCases.map { value(index, "alone." + $0.rawValue) }.joined(separator: " | ") + " |")
        }

        // 3. Peers: DuckDB (scanner and own copy) and pandas, on the two target periods.
        print("\n### Peers in the same run: the same summary and by_interval from the calls\n")
        print("DuckDB \(duckDBVersion()) (Peers/duckdb_report.py; sqlite extension loaded from the duckdb-extension-sqlite wheel's file, nothing downloaded): summary and by_interval (30-minute intervals on the center's clock by DuckDB's ICU zones), each query's rows fetched; the scanner reads the SQLite file in place (`ATTACH … (TYPE sqlite)`); the copy is `CREATE TABLE calls AS SELECT * FROM` the SQLite file into a DuckDB file, timed apart as its import, then reopened and queried. pandas (Peers/pandas_report.py, its own seconds: load + compute + write) computes summary, by_interval, by_queue and by_agent. Ratios: peer seconds ÷ Calltrail's summary + by_interval from tallies in one read (first run).\n")
        print("| period | Calltrail summary + by_interval s | DuckDB over SQLite (scanner) s | ÷ Calltrail | DuckDB import s (not in its query time) | DuckDB own copy s | ÷ Calltrail | DuckDB peak RSS MiB (scan / copy) | pandas s | ÷ Calltrail | same figures as Calltrail's CSVs |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        var checks: [String] = []
        var peerRows: [String] = []
        for index in [0, 2] {
            let period = periods[index]
            let ours = datasets[index]["pair"] ?? .nan
            // The report's CSVs when it finished, else those of the datasets child (the same queries).
            let reportFolder = work.appendingPathComponent("report-\(index)")
            let fromReport = FileManager.default.fileExists(atPath: reportFolder.appendingPathComponent("summary.csv").path)
            let folder = fromReport ? reportFolder : work.appendingPathComponent("datasets-\(index)")
            log("DuckDB: \(period.label) of \(period.calls)")
            let scan = try duckdb(database: period.database, days: period.days, mode: "scan", script: here.appendingPathComponent("Peers/duckdb_report.py"),
                                  output: work.appendingPathComponent("duckdb-scan-\(index)"), copy: work.appendingPathComponent("unused"))
            let copied = try duckdb(database: period.database, days: period.days, mode: "import", script: here.appendingPathComponent("Peers/duckdb_report.py"),
                                    output: work.appendingPathComponent("duckdb-copy-\(index)"), copy: work.appendingPathComponent("copy-\(index).duckdb"))
            try? FileManager.default.removeItem(at: work.appendingPathComponent("copy-\(index).duckdb"))
            var same: [String] = []
            for (name, result) in [("DuckDB scanner", scan), ("DuckDB copy", copied)] {
                guard let result else { continue }
                let check = try compare(calltrail: folder, peer: work.appendingPathComponent(name == "DuckDB scanner" ? "duckdb-scan-\(index)" : "duckdb-copy-\(index)"))
                let s = result["summary"] as? [String: Any] ?? [:]
                let ourSummary = try csv(folder.appendingPathComponent("summary.csv")).first ?? [:]
                let headline = ["offered", "answered", "service_level"].map { "\($0) \(ourSummary[$0] ?? "?")/\(s[$0].map { "\($0)" } ?? "?")" }.joined(separator: ", ")
                let match = ["offered", "answered", "service_level"].allSatisfy { ourSummary[$0] == s[$0].map { "\($0)" } }
                checks.append("- \(period.label), \(name): summary \(match ? "MATCHES" : "DOES NOT MATCH") Calltrail's summary.csv (\(fromReport ? "the full report's" : "written from the datasets child's results")) (Calltrail/DuckDB: \(headline)); summary + by_interval: \(check.detail).")
                same.append(match && check.same ? "yes" : "NO")
            }
            let pandas = try ReportBenchmark.pandas(database: period.database, month: .init(start: BenchmarkData.firstDay.date(in: BenchmarkData.zone), days: period.days),
                                                    script: here.appendingPathComponent("Peers/pandas_report.py"), output: work.appendingPathComponent("pandas-\(index)"))
            func seconds(_ r: [String: Any]?) -> Double { ((r?["summary_s"] as? Double) ?? .nan) + ((r?["by_interval_s"] as? Double) ?? .nan) }
            let scanS = seconds(scan), copyS = seconds(copied)
            let importS = (copied?["import_s"] as? Double) ?? .nan
            let peaks = "\((scan?["peak_mib"] as? Double).map { whole($0) } ?? "—") / \((copied?["peak_mib"] as? Double).map { whole($0) } ?? "—")"
            peerRows.append("| \(period.label) of \(period.calls) | \(f(ours, 3)) | \(scan == nil ? "not installed" : f(scanS)) | \(ratio(scanS / ours)) | \(copied == nil ? "—" : f(importS, 1)) | \(copied == nil ? "not installed" : f(copyS)) | \(ratio(copyS / ours)) | \(peaks) | \(pandas.map { f($0) } ?? "not installed") | \(pandas.map { ratio($0 / ours) } ?? "—") | DuckDB: \(same.isEmpty ? "—" : same.joined(separator: ", ")) |")
            if let scan { checks.append("- \(period.label): DuckDB scanner summary \(f((scan["summary_s"] as? Double) ?? .nan, 3)) s, by_interval \(f((scan["by_interval_s"] as? Double) ?? .nan, 3)) s; own copy summary \(f((copied?["summary_s"] as? Double) ?? .nan, 3)) s, by_interval \(f((copied?["by_interval_s"] as? Double) ?? .nan, 3)) s; import of \((copied?["import_rows"] as? Int) ?? -1) calls \(f(importS, 1)) s.") }
        }
        for row in peerRows { print(row) }
        print("")
        for line in checks { print(line) }
    }

    static func duckDBVersion() -> String {
        ((try? Measure.run(["python3", "-c", "import duckdb; print(duckdb.__version__)"]).output) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `tallies-child stale DB`: the UTC hours marked stale now.
    static func staleChild(database: URL) async throws {
        let store = try CallStore(path: database.path)
        print(try await store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM tally_stale_hours") ?? 0 })
    }
}

/// A flag set once from another thread.
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set() { lock.withLock { flag = true } }
    var value: Bool { lock.withLock { flag } }
}

/// A figure printed whole (rounded toward zero); "—" for one that is not a finite number in range (a
/// child's output is read back as text, so nothing it prints can trap the parent).
private func whole(_ value: Double) -> String {
    Int(exactly: value.rounded(.towardZero)).map(String.init) ?? "—"
}
