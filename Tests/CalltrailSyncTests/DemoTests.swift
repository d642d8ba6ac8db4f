import CalltrailCore
import CalltrailReports
@_spi(Connections) import CalltrailStore
import CalltrailTestSupport
import Foundation
import GRDB
import Testing

/// `calltrail demo` as a user runs it: the real binary, its simulator, its report.
@Suite(.serialized) struct DemoTests {
    @Test(.timeLimit(.minutes(6)))
    func theDemoStoresWhatTheSimulatorServedAndItsReportRecomputes() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        // The history ends at a fixed instant (the hidden --end), not now, so what the test sees does not
        // depend on the time of day it runs: Monday 15:00 to Wednesday 15:00 in Montevideo, yesterday a
        // whole Tuesday, the legal hold Tuesday's morning, the survey recordings retention purges Monday's
        // and Tuesday's before 15:00 (older than a day at the end).
        // The debug build takes about 110 s on two idle cores, and went past 170 s with the load at 12: a
        // whole run's deadline is generous (it only stops a demo that hangs).
        let result = try await CalltrailBinary.run(["demo", "--out", folder.path, "--days", "2", "--end", Self.end], timeout: 330)
        #expect(result.status == 0, "\(result.stderr)")

        // The demo prints each simulated vendor's count beside the database's: four sources, all equal,
        // and equal to `select source, count(*) from calls group by 1`.
        let bySource = try await DatabaseQueue(path: folder.appendingPathComponent("calltrail.sqlite").path).read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT source, count(*) AS n FROM calls GROUP BY 1")
                .map { ($0["source"] as String, $0["n"] as Int) })
        }
        #expect(Set(bySource.keys) == ["ucontact", "meiqia", "ccai", "vonage"])
        for (source, count) in bySource {
            let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("\(source): simulator served") })
            let served = try #require(Self.number(after: "simulator served ", in: String(line)))
            let stored = try #require(Self.number(after: "database holds ", in: String(line)))
            #expect(served == count, "\(source)")
            #expect(stored == count, "\(source)")
        }
        #expect(result.stdout.contains("abandoned ("))
        #expect(result.stdout.contains("short, under 5 s"))
        let html = folder.appendingPathComponent("report/report.html")
        #expect(result.stdout.contains("open    \(html.path)"))
        #expect(FileManager.default.fileExists(atPath: html.path))
        // The shelf lists the night's day report and the month beside it.
        let shelf = folder.appendingPathComponent("index.html")
        #expect(result.stdout.contains("shelf   \(shelf.path)"))
        let index = try String(contentsOf: shelf, encoding: .utf8)
        #expect(index.contains("href=\"report/report.html\"") && index.contains("href=\"report-month/report.html\""))

        // Every CSV parses with Python's csv module, each row as wide as its header.
        let script = """
            import csv, glob, sys
            for path in sorted(glob.glob(sys.argv[1] + '/*.csv')):
                with open(path, newline='', encoding='utf-8') as f:
                    rows = list(csv.reader(f, strict=True))
                assert rows, path
                assert all(len(r) == len(rows[0]) for r in rows), path
                if path.endswith('/summary.csv'):
                    print(dict(zip(rows[0], rows[1]))['service_level'])
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", script, folder.appendingPathComponent("report").path]
        let out = Pipe()
        python.standardOutput = out
        try python.run()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
        let headline = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)

        // The same figure by a plain query on calls: yesterday in Montevideo, T = 20 s, S = 5 s.
        let zone = TimeZone(identifier: "America/Montevideo")!
        let (from, to) = ReportParameters.yesterday(in: zone, now: try #require(TimePoint(parsing: Self.end)).date(in: zone))
        let queue = try DatabaseQueue(path: folder.appendingPathComponent("calltrail.sqlite").path)
        let recomputed = try await queue.read { db in
            try String.fetchOne(db, sql: """
                SELECT printf('%.4f', 1.0 * sum(outcome = 'answered' AND wait_s <= 20)
                                      / (count(*) - sum(outcome = 'abandoned' AND wait_s < 5)))
                FROM calls
                WHERE direction = 'inbound' AND queued_at >= ? AND queued_at < ?
                """, arguments: [from.timeIntervalSince1970, to.timeIntervalSince1970])
        }
        #expect(headline == recomputed)
        #expect(!headline.isEmpty)

        // The report engine's datasets equal the queries/ files run one by one, over the demo's four
        // vendors (fractional durations, recordings in every state, platform figures), for the whole
        // range synced.
        let store = try CallStore(path: folder.appendingPathComponent("calltrail.sqlite").path)
        let whole = ReportParameters(from: from.addingTimeInterval(-2 * 86_400), to: to, timeZone: zone)
        let engine = try await ReportPipeline(store: store).datasets(whole)
        for name in QueryCatalog.names {
            let query = try await QueryRunner(store: store).run(name, parameters: whole)
            #expect(engine[name]?.columns == query.columns, "\(name)")
            #expect(engine[name]?.rows == query.rows, "\(name)")
        }
        // Not a comparison of empty lists: the abandons are there, as many as a plain count finds.
        let abandons = try await queue.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM calls WHERE direction = 'inbound' AND outcome = 'abandoned' AND queued_at >= ? AND queued_at < ?
                """, arguments: [whole.from.timeIntervalSince1970, whole.to.timeIntervalSince1970]) ?? 0
        }
        #expect(abandons > 0 && engine["abandoned_calls"]?.rows.count == abandons)

        // Recordings: MP3 files in the archive, and a ledger whose states add up to the calls that
        // have a recording reference.
        let mp3s = FileManager.default.enumerator(atPath: folder.appendingPathComponent("recordings").path)?
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".mp3") } ?? []
        #expect(mp3s.count > 100)
        let (ledger, referenced, archived) = try await queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM recordings") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM calls WHERE recording_ref IS NOT NULL") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM recordings WHERE state IN ('found', 'converted')") ?? 0)
        }
        #expect(ledger == referenced)
        #expect(archived == mp3s.count)
        // The last line is the nightly JSON summary.
        let last = try #require(result.stdout.split(separator: "\n").last)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        let stages = try #require(summary["stages"] as? [[String: Any]])
        #expect(stages.map { $0["stage"] as? String } == ["sync", "recordings", "retention", "report"])
        // Retention ran on the first night and the demo's hold kept part of what it would have purged
        // (the JSON line is the last night's: a second one runs when a page or a window was kept for it).
        let retention = try #require(result.stdout.firstMatch(of: /retention \(recordings 365 days[^)]*\): purged (\d+) recordings, kept (\d+) under legal hold/),
                                     "the summary names retention: \(result.stdout)")
        #expect((Int(retention.output.1) ?? 0) > 0 && (Int(retention.output.2) ?? 0) > 0, "\(retention.output.0)")
        #expect(result.stdout.contains("legal hold DEMO-1 (active"), "the summary names the hold")
        let tried = (stages[1]["counts"] as? [String: Int])?["tried"] ?? -1
        if result.stdout.contains("\nnext run (") {
            #expect(tried >= 0 && tried <= referenced, "the second night tries what the first left")
        } else {
            #expect(tried == referenced)
        }
        #expect(summary["report"] as? String == html.path)
    }

    /// The end of the demo's history: a Wednesday, 15:00 in Montevideo.
    static let end = "2026-03-04T18:00:00Z"

    static func number(after marker: String, in text: String) -> Int? {
        guard let range = text.range(of: marker) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
}
