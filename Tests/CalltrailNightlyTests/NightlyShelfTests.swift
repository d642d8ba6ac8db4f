import CalltrailCore
import CalltrailNightly
import CalltrailTestSupport
import Foundation
import Logging
import Testing

/// The nightly's report shelf: yesterday's report always, last week's on Mondays and last month's on
/// the 1st (unless configured off), each in its folder of reports/ and listed by reports/index.html.
@Suite(.serialized) struct NightlyShelfTests {
    @Test(.timeLimit(.minutes(2)))
    func onAMondayThe1stTheNightRendersTheDayTheWeekAndTheMonth() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        let zone = SyncHarness.zone
        // 2026-06-01 is a Monday and the 1st; the simulated history (synced up to its end) is 2026-03-02.
        let now = LocalDateTime(year: 2026, month: 6, day: 1, hour: 2).date(in: zone)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let url = try harness.configuration("shelf", overrides: ["timeout_seconds": "20"])
        let summary = try await NightlyPipeline(configuration: try Configuration.load(path: url.path), logger: logger)
            .run(now: now, syncUntil: SyncHarness.end)
        let reports = harness.folder.appendingPathComponent("reports")
        for folder in ["2026-05-31", "week-2026-W22", "month-2026-05"] {
            #expect(FileManager.default.fileExists(atPath: reports.appendingPathComponent(folder).appendingPathComponent("report.html").path), "\(folder)")
        }
        let report = try #require(summary.stages.first { $0.stage == "report" })
        #expect(report.counts["reports"] == 3)
        let index = try String(contentsOf: reports.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("href=\"2026-05-31/report.html\"") && index.contains("href=\"week-2026-W22/report.html\"")
                && index.contains("href=\"month-2026-05/report.html\""))
        #expect(summary.report?.hasSuffix("reports/2026-05-31/report.html") == true)

        // Configured off, the next 1st renders the day and nothing else.
        let text = try String(contentsOf: url, encoding: .utf8) + "\n[nightly]\nweekly_report = false\nmonthly_report = false\n"
        // [nightly] must come after the source's keys but is a table of its own: append it.
        try text.write(to: url, atomically: true, encoding: .utf8)
        let july = LocalDateTime(year: 2026, month: 7, day: 1, hour: 2).date(in: zone)
        let quiet = try await NightlyPipeline(configuration: try Configuration.load(path: url.path), logger: logger)
            .run(now: july, syncUntil: SyncHarness.end)
        #expect(quiet.stages.first { $0.stage == "report" }?.counts["reports"] == 1)
        #expect(!FileManager.default.fileExists(atPath: reports.appendingPathComponent("month-2026-06").path))
    }
}
