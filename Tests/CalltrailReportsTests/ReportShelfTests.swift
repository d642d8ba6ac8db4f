import CalltrailCore
@testable import CalltrailReports
import Foundation
import Testing

/// The nightly's shelf: which periods are due on a day, where each goes, and an index page that lists
/// every report newest first.
@Suite struct ReportShelfTests {
    let zone = TimeZone(identifier: "America/Montevideo")!

    func at(_ text: String) -> Date { TimePoint(parsing: text)!.date(in: zone) }

    @Test func yesterdayAlwaysTheWeekOnMondaysTheMonthOnThe1st() {
        #expect(ReportShelf.due(now: at("2026-12-08 02:00"), in: zone, weekly: true, monthly: true) == [.day])  // a Tuesday
        #expect(ReportShelf.due(now: at("2026-12-07 02:00"), in: zone, weekly: true, monthly: true) == [.day, .week])  // a Monday
        #expect(ReportShelf.due(now: at("2026-12-01 02:00"), in: zone, weekly: true, monthly: true) == [.day, .month])  // a Tuesday, the 1st
        #expect(ReportShelf.due(now: at("2027-02-01 02:00"), in: zone, weekly: true, monthly: true) == [.day, .week, .month])  // Monday the 1st
        #expect(ReportShelf.due(now: at("2027-02-01 02:00"), in: zone, weekly: false, monthly: false) == [.day])
        let week = ReportPeriod.week.lastComplete(before: at("2026-12-07 02:00"), in: zone)
        #expect(ReportShelf.folderName(.week, from: week.from, in: zone) == "week-2026-W49")
        let month = ReportPeriod.month.lastComplete(before: at("2026-12-01 02:00"), in: zone)
        #expect(ReportShelf.folderName(.month, from: month.from, in: zone) == "month-2026-11")
        #expect(ReportShelf.folderName(.day, from: at("2026-12-06"), in: zone) == "2026-12-06")
    }

    @Test func theIndexListsEveryReportNewestFirst() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("shelf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let shelf = ReportShelf(root: root)
        func entry(_ day: String, offered: Int, period: ReportPeriod = .day, days: Int = 1) throws -> ReportShelf.Entry {
            let from = at(day)
            let parameters = ReportParameters(from: from, to: from.addingTimeInterval(Double(days) * 86_400), timeZone: zone, period: period)
            var headline = ReportFigures.Headline()
            headline.offered = offered
            headline.serviceLevel = 0.8
            let folder = ReportShelf.folderName(period, from: from, in: zone)
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
            return ReportShelf.Entry(period: period, parameters: parameters, folder: folder, headline: headline)
        }
        try shelf.record(try entry("2026-12-05", offered: 10))
        try shelf.record(try entry("2026-12-06", offered: 20))
        try shelf.record(try entry("2026-11-30", offered: 90, period: .week, days: 7))
        try shelf.record(try entry("2026-12-06", offered: 21))  // rendered again: replaces
        let entries = shelf.entries()
        #expect(entries.map(\.folder) == ["2026-12-06", "week-2026-W49", "2026-12-05"])
        #expect(entries.first?.offered == 21)
        #expect(entries[1].first == "2026-11-30" && entries[1].last == "2026-12-06")
        let page = try String(contentsOf: shelf.index, encoding: .utf8)
        #expect(page.contains("<a href=\"2026-12-06/report.html\">2026-12-06</a>"))
        #expect(page.contains("2026-11-30 – 2026-12-06"))
        #expect(page.contains("The last 2 days") && page.contains("class=\"chart w480\""))
        // A folder removed since (retention, a person) leaves the shelf at the next report.
        try FileManager.default.removeItem(at: root.appendingPathComponent("2026-12-05"))
        try shelf.record(try entry("2026-12-07", offered: 5))
        #expect(shelf.entries().map(\.folder) == ["2026-12-07", "2026-12-06", "week-2026-W49"])
    }
}
