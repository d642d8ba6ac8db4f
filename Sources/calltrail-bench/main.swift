import CalltrailCore
import Foundation

// calltrail-bench: measures ingest, reports, recordings and transcoding against the tools users would
// use instead, and prints BENCHMARKS.md's tables (markdown on stdout). Run it as a release build:
//     swift run -c release calltrail-bench 100000 1000000 5000000
// `calltrail-bench ingest-child PAGES DB` is its own child process, for a clean peak-memory figure.
// For looking at one step by hand (perf record): `data N FILE` writes the pages alone, `decode PAGES`
// decodes them without a database, `split PAGES DB` times decoding and writing apart, `ceiling PAGES
// DB` inserts the same rows bare, `report DB FOLDER` renders the database's first month and
// `transcode SECONDS` converts one recording. `publish N postgresql://user@host:port/db` (password in
// PGPASSWORD) measures the warehouse: publishing beside psql \copy, and the month's report from it.
// `backfill [MS]`, `recordings MS` and `year [N] [ledger]` measure against a vendor's latency and a year of
// calls (`ledger`: also from a copy with a full recordings ledger);
// `bounded` runs them and the 1 M-call run one after the other, for one run's figures.
// `tallies [N_MONTH] [N_YEAR] [NIGHT]` measures issue #30's interval tallies (TalliesBenchmark.swift).

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "ingest-child", arguments.count == 3 {
    try await IngestBenchmark.child(pages: URL(fileURLWithPath: arguments[1]), database: URL(fileURLWithPath: arguments[2]))
    exit(0)
}
if arguments.first == "data", arguments.count == 3, let calls = Int(arguments[1]) {
    let index = try BenchmarkData.write(calls: calls, to: URL(fileURLWithPath: arguments[2]))
    print("\(index.calls) calls, \(index.days.count) days from \(index.start)")
    exit(0)
}
if arguments.first == "decode", arguments.count == 2 {
    // Decoding alone (split, parse, map, compress), for perf record.
    let pages = URL(fileURLWithPath: arguments[1])
    let index = try BenchmarkData.Index(reading: BenchmarkData.indexURL(pages))
    let source = try PageFileSource(pages: pages, index: index)
    var records = 0
    var seconds = 0.0
    for day in index.days {
        for range in day.pages {
            let body = try source.body(range)
            seconds += try Measure.seconds { records += try source.decode(body, offset: 0).count }
        }
    }
    print("decode \(seconds / Double(records) * 1e6) µs/record, \(records) records")
    exit(0)
}
if arguments.first == "split", arguments.count == 3 {
    try await IngestBenchmark.split(pages: URL(fileURLWithPath: arguments[1]), database: URL(fileURLWithPath: arguments[2]))
    exit(0)
}
if arguments.first == "ceiling", arguments.count == 3 {
    print(try IngestBenchmark.ceiling(pages: URL(fileURLWithPath: arguments[1]), database: URL(fileURLWithPath: arguments[2])))
    exit(0)
}
if arguments.first == "transcode", arguments.count == 2, let seconds = Double(arguments[1]) {
    let folder = FileManager.default.temporaryDirectory
    let input = try TranscodeBenchmark.gsm(seconds: seconds, in: folder)
    print(try TranscodeBenchmark.calltrail(input, audioSeconds: seconds, runs: 1))
    exit(0)
}
if arguments.first == "report-child", arguments.count == 4, let days = Int(arguments[2]) {
    // One report in a child process, so its peak memory is its own: prints "seconds offered peakMiB".
    let start = BenchmarkData.firstDay.date(in: BenchmarkData.zone)
    let (seconds, offered) = try await ReportBenchmark.calltrail(database: URL(fileURLWithPath: arguments[1]), month: .init(start: start, days: days),
                                                                 output: URL(fileURLWithPath: arguments[3]))
    print("\(seconds) \(offered) \(Measure.peakRSSMiB)")
    exit(0)
}
if arguments.first == "tallies-child", arguments.count >= 3 {
    let database = URL(fileURLWithPath: arguments[2])
    switch arguments[1] {
    case "build", "refresh": try await TalliesBenchmark.refreshChild(build: arguments[1] == "build", database: database)
    case "stale": try await TalliesBenchmark.staleChild(database: database)
    case "datasets" where arguments.count >= 4:
        try await TalliesBenchmark.datasetsChild(database: database, days: Int(arguments[3]) ?? 30,
                                                 output: arguments.count > 4 ? URL(fileURLWithPath: arguments[4]) : nil)
    default: throw BenchError("tallies-child build|refresh|stale DB, or datasets DB DAYS")
    }
    exit(0)
}
if arguments.first == "tallies" {
    // Issue #30: the inbound datasets from interval tallies already kept, the refresh that keeps them, and
    // DuckDB and pandas beside them (default: a month of 1 M calls, a year of 12 M, a night of 40 k).
    let counts = arguments.dropFirst().compactMap { Int($0) }
    try await TalliesBenchmark.run(monthCalls: counts.count > 0 ? counts[0] : 1_000_000, yearCalls: counts.count > 1 ? counts[1] : 12_000_000,
                                   nightCalls: counts.count > 2 ? counts[2] : 40_000)
    exit(0)
}
if arguments.first == "year" {
    // A year of calls (default 12 M) ingested once, then its first month's report and the whole year's,
    // each in a child process (peak memory), beside pandas computing the headline datasets from the same rows.
    let calls = arguments.count > 1 ? Int(arguments[1]) ?? 12_000_000 : 12_000_000
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-bench-year")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    let database = work.appendingPathComponent("year-\(calls).sqlite")
    func f(_ value: Double, _ digits: Int = 1) -> String { value.isFinite ? String(format: "%.\(digits)f", value) : "—" }
    if !FileManager.default.fileExists(atPath: database.path) {
        let pages = work.appendingPathComponent("pages-\(calls).jsonl")
        _ = try BenchmarkData.write(calls: calls, to: pages)
        let ingest = try Measure.run([me, "ingest-child", pages.path, database.path])
        guard ingest.status == 0 else { throw BenchError("ingest of \(calls) calls failed") }
        try? FileManager.default.removeItem(at: pages)
        FileHandle.standardError.write(Data("ingested: \(ingest.output)".utf8))
    }
    let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    let start = BenchmarkData.firstDay.date(in: BenchmarkData.zone)
    // One report in a child process: seconds, calls offered, peak MiB.
    func report(_ database: URL, days: Int, into out: URL) throws -> [Double] {
        let child = try Measure.run([me, "report-child", database.path, String(days), out.path]).output
            .split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        guard child.count == 3 else { throw BenchError("the report child printed \(child)") }
        return child
    }
    let periods = [("month (30 days)", 30), ("year (365 days)", 365)]
    let reports = try periods.map { try report(database, days: $0.1, into: work.appendingPathComponent("report-\($0.1)")) }
    // The same reports from a copy whose recordings ledger has a row for every call with a recording
    // reference, as a site that archives its recordings has: the engine reads each day's rows by their
    // call's instant, and recording_verification counts the whole ledger. Measured before pandas, whose
    // 12 GB would push the databases out of the page cache.
    var ledgerReports: [[Double]]? = nil
    if arguments.contains("ledger") {
        let ledgered = work.appendingPathComponent("year-\(calls)-ledger.sqlite")
        if !FileManager.default.fileExists(atPath: ledgered.path) {
            try FileManager.default.copyItem(at: database, to: ledgered)
            let filled = try Measure.run(["sqlite3", ledgered.path, """
                INSERT INTO recordings (source, call_id, state, bytes, updated_at, call_at)
                SELECT source, call_id, 'found', CAST(talk_s * 3000 AS INTEGER), synced_at, coalesce(queued_at, started_at)
                FROM calls WHERE recording_ref IS NOT NULL
                """])
            guard filled.status == 0 else { throw BenchError("filling the ledger failed (is sqlite3 installed?)") }
        }
        ledgerReports = try periods.map { try report(ledgered, days: $0.1, into: work.appendingPathComponent("report-ledger-\($0.1)")) }
    }
    print("| period | calls in database | inbound offered | Calltrail s | peak RSS MiB | full ledger: Calltrail s | peak RSS MiB | pandas s | pandas ÷ Calltrail |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (index, ((label, days), child)) in zip(periods, reports).enumerated() {
        let pandas = try ReportBenchmark.pandas(database: database, month: .init(start: start, days: days),
                                                script: here.appendingPathComponent("Peers/pandas_report.py"),
                                                output: work.appendingPathComponent("pandas-\(days)"))
        let ledger: [Double]? = ledgerReports?[index]
        let ledgerSeconds = ledger.map { f($0[0], 2) } ?? "not run", ledgerMiB = ledger.map { String(Int($0[2])) } ?? "—"
        let pandasSeconds = pandas.map { f($0, 2) } ?? "not installed", ratio = pandas.map { f($0 / child[0], 2) + "×" } ?? "—"
        print("| \(label) | \(calls) | \(Int(child[1])) | \(f(child[0], 2)) | \(Int(child[2])) | \(ledgerSeconds) | \(ledgerMiB) | \(pandasSeconds) | \(ratio) |")
    }
    exit(0)
}
if arguments.first == "report", arguments.count == 3 {
    // The month's report of a database the ingest made (its first 30 days), timed.
    let start = BenchmarkData.firstDay.date(in: BenchmarkData.zone)
    print(try await ReportBenchmark.calltrail(database: URL(fileURLWithPath: arguments[1]), month: .init(start: start),
                                              output: URL(fileURLWithPath: arguments[2])))
    exit(0)
}
if arguments.first == "publish", arguments.count == 3, let calls = Int(arguments[1]) {
    // The warehouse: publish N calls beside psql \copy of the same rows, and the month's report from it.
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-bench-publish")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    let p = try await PublishBenchmark.run(calls: calls, url: arguments[2], work: work, me: me)
    func f(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
    print("### Publish: \(p.calls) calls from the SQLite file into PostgreSQL \(Machine.postgres(arguments[2]))\n")
    print("| calls | calltrail publish s | rows/s | psql \\copy of the same rows s | rows/s | share of the COPY ceiling | warehouse bytes per call |")
    print("|---|---|---|---|---|---|---|")
    print("| \(p.calls) | \(f(p.publishSeconds, 2)) | \(Int(Double(p.calls) / p.publishSeconds)) | \(f(p.copySeconds, 2)) | \(Int(Double(p.calls) / p.copySeconds)) | \(f(100 * p.copySeconds / p.publishSeconds, 0)) % | \(Int(p.bytesPerCall)) |")
    print("\n### The month's report (every dataset, CSV + HTML): from the warehouse's functions beside the SQLite file\n")
    print("| inbound offered in the month | from the warehouse s | from SQLite s | warehouse ÷ SQLite | same datasets |")
    print("|---|---|---|---|---|")
    print("| \(p.offered) | \(f(p.warehouseReportSeconds, 2)) | \(f(p.sqliteReportSeconds, 2)) | \(f(p.warehouseReportSeconds / p.sqliteReportSeconds, 2))× | \(p.sameFigures ? "yes" : "NO") |")
    exit(0)
}
if arguments.first == "bounded" {
    // Issue #15's figures from one run, one after the other on an otherwise idle machine: the ingest, month
    // report, recordings and transcoding of 1 M calls, the backfill at 50 ms, recordings at 0 and 50 ms, and
    // the year's and a month's report of 12 M calls. Each part is this program run as a child.
    let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    print("## Bounded by the vendors: one run of \(ISO8601DateFormatter().string(from: Date()))\n")
    print("Machine: \(Machine.description); \(Machine.build); SQLite \(Machine.sqlite)\n")
    print("Command: `swift run -c release calltrail-bench bounded` (≈ 15 min once the year's databases exist)\n")
    // The 1 M-call run goes first: the year's pandas peer takes 12 GB, and the two-thread ingest measured
    // right after it ran at three quarters of its speed on a machine still settling.
    for part in [["1000000"], ["backfill", "50"], ["recordings", "0"], ["recordings", "50"], ["year", "12000000", "ledger"]] {
        let started = Date()
        let run = try Measure.run([me] + part)
        guard run.status == 0 else { throw BenchError("calltrail-bench \(part.joined(separator: " ")) failed (status \(run.status))") }
        print("#### `calltrail-bench \(part.joined(separator: " "))`, started \(ISO8601DateFormatter().string(from: started)), \(Int(run.seconds)) s\n")
        print(run.output)
    }
    exit(0)
}
if arguments.first == "backfill" {
    // 90 days of every vendor at 50 ms a round trip, windows 1, 4 and 8 at a time, beside the floor.
    let latency = arguments.count > 1 ? Int(arguments[1]) ?? 50 : 50
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-bench-backfill")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    let figures = try await BackfillBenchmark.run(concurrencies: [1, 4, 8], latencyMS: latency, in: work)
    func f(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
    print("### Backfill: a first sync of \(BackfillBenchmark.days) days of every vendor, \(latency) ms a response (±25 %), windows read at once\n")
    print("| source | windows at once | pages | requests | wall s | floor s | wall ÷ floor | speed-up over 1 window | calls | hash of the call rows |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for figure in figures {
        let one = figures.first { $0.source == figure.source && $0.asked == 1 }
        let same = one.map { $0.calls == figure.calls && $0.hash == figure.hash } ?? true
        print("| \(figure.source) | \(figure.concurrency) | \(figure.pages) | \(figure.requests) | \(f(figure.seconds, 2)) | \(f(figure.floor, 2)) | \(f(figure.seconds / figure.floor, 2))× | \(one.map { f($0.seconds / figure.seconds, 2) + "×" } ?? "—") | \(figure.calls) | `\(figure.hash.prefix(12))`\(same ? "" : " DIFFERS") |")
    }
    for asked in Set(figures.map(\.asked)).sorted() {
        let run = figures.filter { $0.asked == asked }
        let wall = run.reduce(0) { $0 + $1.seconds }, floor = run.reduce(0) { $0 + $1.floor }
        let one = figures.filter { $0.asked == 1 }.reduce(0) { $0 + $1.seconds }
        print("| **all four, one after the other** | \(asked) asked | \(run.reduce(0) { $0 + $1.pages }) | \(run.reduce(0) { $0 + $1.requests }) | \(f(wall, 2)) | \(f(floor, 2)) | \(f(wall / floor, 2))× | \(f(one / wall, 2))× | \(run.reduce(0) { $0 + $1.calls }) | |")
    }
    exit(0)
}
if arguments.first == "recordings", arguments.count == 2, let latency = Int(arguments[1]) {
    // Recordings at one round trip per response, files at the last of the four locations.
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-bench-recordings")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    func f(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
    print("| latency ms | concurrency | files | s | files/s | HTTP requests per file | floor s (requests ÷ concurrency × latency) |")
    print("|---|---|---|---|---|---|---|")
    for figure in try await RecordingsBenchmark.run(concurrencies: [1, 8, 32], latencyMS: latency, days: latency > 0 ? 1 : 2, in: work) {
        let floor = Double(figure.requests) / Double(figure.concurrency) * Double(latency) / 1000
        print("| \(latency) | \(figure.concurrency) | \(figure.files) | \(f(figure.seconds, 2)) | \(Int(figure.rate)) | \(f(Double(figure.requests) / Double(figure.files), 2)) | \(latency > 0 ? f(floor, 2) : "—") |")
    }
    exit(0)
}
let sizes = arguments.compactMap(Int.init).isEmpty ? [100_000, 1_000_000, 5_000_000] : arguments.compactMap(Int.init)
let work = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-bench")
try? FileManager.default.removeItem(at: work)
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
let keep = ProcessInfo.processInfo.environment["CALLTRAIL_BENCH_KEEP"] != nil
let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let queries = here.appendingPathComponent("../CalltrailReports/queries").standardized
let peers = here.appendingPathComponent("Peers")
let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path

func f(_ value: Double, _ digits: Int = 1) -> String { value.isFinite ? String(format: "%.\(digits)f", value) : "—" }
func ratio(_ value: Double) -> String { value.isFinite ? f(value, 2) + "×" : "—" }
func numbers(_ text: String) -> [Double] { text.split(whereSeparator: \.isWhitespace).compactMap { Double($0) } }

print("## Run of \(ISO8601DateFormatter().string(from: Date()))\n")
print("Machine: \(Machine.description); \(Machine.build); SQLite \(Machine.sqlite)\n")
print("Command: `swift run -c release calltrail-bench \(sizes.map(String.init).joined(separator: " "))`\n")

var ingestRows: [String] = []
var reportRows: [String] = []
for size in sizes {
    let pages = work.appendingPathComponent("pages-\(size).jsonl")
    let index = try BenchmarkData.write(calls: size, to: pages)
    let (count, start) = (index.calls, index.start)

    let swiftDB = work.appendingPathComponent("swift-\(size).sqlite")
    let child = numbers(try Measure.run([me, "ingest-child", pages.path, swiftDB.path]).output)
    guard child.count == 3 else { throw BenchError("ingest child failed at \(size) calls") }
    let (records, seconds, rss) = (child[0], child[1], child[2])
    let rate = records / seconds

    let pythonDB = work.appendingPathComponent("python-\(size).sqlite")
    _ = try CalltrailStoreSchema.create(pythonDB)
    let python = numbers(try Measure.run(["python3", peers.appendingPathComponent("python_ingest.py").path, pages.path, pythonDB.path]).output)
    let pythonRate = python.count == 2 ? python[0] / python[1] : .nan

    let ceilingDB = work.appendingPathComponent("ceiling-\(size).sqlite")
    let ceilingRate = try IngestBenchmark.ceiling(pages: pages, database: ceilingDB)
    ingestRows.append("| \(count) | \(Int(rate)) | \(f(seconds / records * 1e6, 2)) | \(f(rss, 0)) | \(Int(pythonRate)) | \(ratio(rate / pythonRate)) | \(Int(ceilingRate)) | \(f(100 * rate / ceilingRate, 0)) % |")

    let month = ReportBenchmark.Month(start: start)
    let report = try await ReportBenchmark.calltrail(database: swiftDB, month: month, output: work.appendingPathComponent("report-\(size)"))
    let shell = try ReportBenchmark.sqliteShell(database: swiftDB, month: month, queries: queries)
    let pandas = try ReportBenchmark.pandas(database: swiftDB, month: month, script: peers.appendingPathComponent("pandas_report.py"),
                                            output: work.appendingPathComponent("pandas-\(size)"))
    reportRows.append("| \(count) | \(report.offered) | \(f(report.seconds, 2)) | \(shell.map { f($0, 2) } ?? "not installed") | \(shell.map { ratio($0 / report.seconds) } ?? "—") | \(pandas.map { f($0, 2) } ?? "not installed (pip install pandas)") | \(pandas.map { ratio($0 / report.seconds) } ?? "—") |")
    if !keep { for file in [pages, BenchmarkData.indexURL(pages), swiftDB, pythonDB, ceilingDB] { try? FileManager.default.removeItem(at: file) } }
}
print("### Ingest: uContact pages of 500 (random UUID guids) → parse, normalize, upsert calls, keep raw pages, through the sync engine\n")
print("| calls | Calltrail rec/s | µs per record | peak RSS MiB | Python json + zlib + sqlite3 rec/s | Calltrail ÷ Python | bare SQLite inserts of the same rows, rows/s | share of ceiling |")
print("|---|---|---|---|---|---|---|---|")
for row in ingestRows { print(row) }

print("\n### Report: every dataset of queries/ for the first 30 days, CSV + HTML\n")
print("| calls in database | inbound calls offered in the month | Calltrail s | sqlite3 shell, queries/ alone, s | shell ÷ Calltrail | pandas s (summary, by interval, queue, agent) | pandas ÷ Calltrail |")
print("|---|---|---|---|---|---|---|")
for row in reportRows { print(row) }

print("\n### Recordings: resolved and downloaded from the simulator over loopback, 3 of 4 locations missing per file\n")
print("| concurrency | files | s | files/s | HTTP requests per file |")
print("|---|---|---|---|---|")
for figure in try await RecordingsBenchmark.run(concurrencies: [1, 8, 32], in: work) {
    print("| \(figure.concurrency) | \(figure.files) | \(f(figure.seconds, 2)) | \(Int(figure.rate)) | \(f(Double(figure.requests) / Double(figure.files), 2)) |")
}

print("\n### Transcoding GSM → MP3 (8 kHz mono, CBR 24 kbps), one core\n")
print("| recording | Calltrail s | × real time | sox s | ffmpeg s | Calltrail ÷ sox speed | Calltrail ÷ ffmpeg speed |")
print("|---|---|---|---|---|---|---|")
for (seconds, runs) in [(60.0, 5), (3600.0, 3)] {
    let input = try TranscodeBenchmark.gsm(seconds: seconds, in: work)
    let ours = try TranscodeBenchmark.calltrail(input, audioSeconds: seconds, runs: runs)
    let out = work.appendingPathComponent("peer.mp3").path
    let sox = try TranscodeBenchmark.peer(["sox", input.path, "-C", "24", out], audioSeconds: seconds, runs: runs)
    let ffmpeg = try TranscodeBenchmark.peer(["ffmpeg", "-y", "-loglevel", "error", "-i", input.path, "-b:a", "24k", "-ar", "8000", "-ac", "1", out],
                                             audioSeconds: seconds, runs: runs)
    print("| \(Int(seconds)) s | \(f(ours.seconds, 3)) | \(Int(ours.realTime))× | \(sox.map { f($0.seconds, 3) } ?? "not installed") | \(ffmpeg.map { f($0.seconds, 3) } ?? "not installed") | \(sox.map { ratio($0.seconds / ours.seconds) } ?? "—") | \(ffmpeg.map { ratio($0.seconds / ours.seconds) } ?? "—") |")
}
if !keep { try? FileManager.default.removeItem(at: work) }
