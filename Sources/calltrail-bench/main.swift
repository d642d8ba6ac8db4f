import Foundation

// calltrail-bench: measures ingest, report and transcoding against the tools users would use instead,
// and prints BENCHMARKS.md's tables. Run it as a release build:
//     swift run -c release calltrail-bench 100000 1000000
// (`calltrail-bench ingest-child PAGES DB` is its own child process, for a clean peak-memory figure.)

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "ingest-child" {
    try await IngestBenchmark.child(pages: URL(fileURLWithPath: arguments[1]), database: URL(fileURLWithPath: arguments[2]))
    exit(0)
}
if arguments.first == "data", arguments.count == 3, let calls = Int(arguments[1]) {
    // The benchmark's pages alone, for looking at a slow step by hand.
    print(try BenchmarkData.write(calls: calls, to: URL(fileURLWithPath: arguments[2])))
    exit(0)
}
let sizes = arguments.compactMap(Int.init).isEmpty ? [100_000, 1_000_000] : arguments.compactMap(Int.init)
let work = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-bench")
try? FileManager.default.removeItem(at: work)
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
let queries = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../CalltrailReports/queries").standardized
let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path

func cpu() -> String {
    let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let model = info.split(separator: "\n").first { $0.hasPrefix("model name") }.map { String($0.split(separator: ":")[1]).trimmingCharacters(in: .whitespaces) } ?? "unknown"
    return "\(model), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB"
}
func f(_ v: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", v) }

print("## Run of \(ISO8601DateFormatter().string(from: Date()))\n")
#if DEBUG
let build = "DEBUG build (figures not representative: use -c release)"
#else
let build = "release build"
#endif
print("Machine: \(cpu()); Swift \(build); SQLite \(String(cString: sqlite3Version()))\n")
print("### Ingest (uContact pages of 500 → parse, normalize, upsert calls + raw records, commit per page)\n")
print("| calls | Calltrail rec/s | peak RSS MiB | µs per record | Python json+sqlite3 rec/s | ratio | bare SQLite insert rows/s | share of ceiling |")
print("|---|---|---|---|---|---|---|---|")
var reportRows: [String] = []
for size in sizes {
    let pages = work.appendingPathComponent("pages-\(size).jsonl")
    let (count, start, _) = try BenchmarkData.write(calls: size, to: pages)
    let swiftDB = work.appendingPathComponent("swift-\(size).sqlite")
    let child = try Measure.run([me, "ingest-child", pages.path, swiftDB.path])
    let parts = child.output.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    let (records, seconds, rss) = (parts[0], parts[1], parts[2])
    let pythonDB = work.appendingPathComponent("python-\(size).sqlite")
    _ = try CalltrailStoreSchema.create(pythonDB)
    let script = work.appendingPathComponent("peer.py")
    try IngestBenchmark.pythonPeer.write(to: script, atomically: true, encoding: .utf8)
    let python = try Measure.run(["python3", script.path, pages.path, pythonDB.path])
    let pythonParts = python.output.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    let pythonRate = pythonParts.count == 2 ? pythonParts[0] / pythonParts[1] : .nan
    let ceilingDB = work.appendingPathComponent("ceiling-\(size).sqlite")
    let ceilingSeconds = try IngestBenchmark.ceiling(rows: count, database: ceilingDB)
    let rate = records / seconds
    let ceilingRate = Double(count) / ceilingSeconds
    print("| \(count) | \(Int(rate)) | \(f(rss, 0)) | \(f(seconds / records * 1e6, 2)) | \(Int(pythonRate)) | \(f(rate / pythonRate, 2))× | \(Int(ceilingRate)) | \(f(100 * rate / ceilingRate, 0)) % |")

    let report = try await ReportBenchmark.calltrail(database: swiftDB, month: start, output: work.appendingPathComponent("report-\(size)"))
    let shell = try ReportBenchmark.sqliteShell(database: swiftDB, month: start, queries: queries)
    reportRows.append("| \(count) | \(f(report, 2)) | \(shell.map { f($0, 2) } ?? "not installed") | \(shell.map { f($0 / report, 2) + "×" } ?? "—") | not installed (pip install pandas) |")
    if ProcessInfo.processInfo.environment["CALLTRAIL_BENCH_KEEP"] == nil {
        for file in [pages, swiftDB, pythonDB, ceilingDB] { try? FileManager.default.removeItem(at: file) }
    }
}
print("\n### Report (every dataset of queries/ for the first 30 days, CSV + HTML)\n")
print("| calls in database | Calltrail s | sqlite3 shell, queries alone, s | shell ÷ Calltrail | pandas |")
print("|---|---|---|---|---|")
for row in reportRows { print(row) }

print("\n### Transcoding GSM → MP3 (8 kHz mono, CBR 24 kbps), one core\n")
print("| recording | Calltrail s | × real time | sox s | ffmpeg s | Calltrail ÷ sox speed |")
print("|---|---|---|---|---|---|")
for (seconds, runs) in [(60.0, 5), (3600.0, 1)] {
    let input = try TranscodeBenchmark.gsm(seconds: seconds, in: work)
    let ours = try TranscodeBenchmark.calltrail(input, audioSeconds: seconds, runs: runs)
    let out = work.appendingPathComponent("peer.mp3").path
    let sox = try TranscodeBenchmark.peer(["sox", input.path, "-C", "24", out], audioSeconds: seconds, runs: runs)
    let ffmpeg = try TranscodeBenchmark.peer(["ffmpeg", "-y", "-loglevel", "error", "-i", input.path, "-b:a", "24k", "-ar", "8000", "-ac", "1", out],
                                             audioSeconds: seconds, runs: runs)
    print("| \(Int(seconds)) s | \(f(ours.seconds, 3)) | \(Int(ours.realTime))× | \(sox.map { f($0.seconds, 3) } ?? "not installed") | \(ffmpeg.map { f($0.seconds, 3) } ?? "not installed") | \(sox.map { f($0.seconds / ours.seconds, 2) + "×" } ?? "—") |")
}
