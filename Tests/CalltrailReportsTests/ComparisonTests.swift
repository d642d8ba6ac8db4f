import CalltrailCore
import CalltrailReports
import CalltrailStore
import Foundation
import Testing

/// Calendar periods on the center's clock, the headline beside the period before (or a week before),
/// and the 30-day trend, all read from the calls.
@Suite struct ComparisonTests {
    let zone = TimeZone(identifier: "America/New_York")!

    func at(_ local: String) -> Date { LocalDateTime(parsing: local)!.date(in: zone) }

    @Test func periodsFollowTheCentersCalendarAcrossDST() {
        // The fall-back Sunday has 25 hours; its ISO week runs Monday 2024-10-28 to Monday 2024-11-04.
        let sunday = at("2024-11-03 12:00:00")
        let day = ReportPeriod.day.bounds(containing: sunday, in: zone)
        #expect(day.from == at("2024-11-03 00:00:00") && day.to.timeIntervalSince(day.from) == 25 * 3600)
        let week = ReportPeriod.week.bounds(containing: sunday, in: zone)
        #expect(week.from == at("2024-10-28 00:00:00") && week.to == at("2024-11-04 00:00:00"))
        #expect(ReportPeriod.month.bounds(containing: sunday, in: zone) == (at("2024-11-01 00:00:00"), at("2024-12-01 00:00:00")))
        #expect(ReportPeriod.year.bounds(containing: sunday, in: zone) == (at("2024-01-01 00:00:00"), at("2025-01-01 00:00:00")))
        #expect(ReportPeriod.month.lastComplete(before: sunday, in: zone) == (at("2024-10-01 00:00:00"), at("2024-11-01 00:00:00")))
        // A year-end week belongs to the year of its Thursday: Monday 2024-12-30 starts 2025-W01.
        #expect(ReportPeriod.week.bounds(containing: at("2025-01-02 09:00:00"), in: zone).from == at("2024-12-30 00:00:00"))

        var parameters = ReportParameters(from: day.from, to: day.to, timeZone: zone, period: .day)
        let previous = parameters.comparisonRange!
        #expect(previous.from == at("2024-11-02 00:00:00") && previous.to == at("2024-11-03 00:00:00") && previous.label == "previous day")
        parameters.compare = .week
        #expect(parameters.comparisonRange!.from == at("2024-10-27 00:00:00") && parameters.comparisonRange!.label == "same weekday a week before")
        parameters.compare = .none
        #expect(parameters.comparisonRange == nil)
        #expect(parameters.trendRange! == (at("2024-10-05 00:00:00"), at("2024-11-04 00:00:00")))
        let month = ReportParameters(from: at("2024-11-01 00:00:00"), to: at("2024-12-01 00:00:00"), timeZone: zone, period: .month)
        #expect(month.comparisonRange!.from == at("2024-10-01 00:00:00") && month.trendRange == nil)
    }

    @Test func theHeadlineStandsBesideThePreviousDayAndTheTrendIsEachDaysOwn() async throws {
        let f = try await ReportEngineTests().fixture()
        defer { f.remove() }
        var parameters = f.parameters("2024-11-04 00:00:00", "2024-11-05 00:00:00")
        parameters.period = .day
        let (_, figures) = try await ReportPipeline(store: f.store).report(parameters)

        // The previous day's own report: its headline, counted by the engine.
        var before = f.parameters("2024-11-03 00:00:00", "2024-11-04 00:00:00")
        before.compare = .none
        let previous = try await ReportPipeline(store: f.store).report(before).figures.headline
        let comparison = try #require(figures.comparison)
        #expect(comparison.label == "previous day")
        #expect(previous.offered > 0)
        #expect(comparison.headline.offered == previous.offered && comparison.headline.answered == previous.answered)
        #expect(comparison.headline.shortAbandoned == previous.shortAbandoned && comparison.headline.serviceLevel == previous.serviceLevel)
        #expect(comparison.headline.abandonRate == previous.abandonRate && comparison.headline.variants == previous.variants)
        #expect(abs((comparison.headline.aht ?? -1) - (previous.aht ?? -2)) < 1e-9 && abs((comparison.headline.asa ?? -1) - (previous.asa ?? -2)) < 1e-9)

        // The trend: the days with calls of the 30 ending with the report's day, each as by_day shows it.
        var month = f.parameters("2024-10-06 00:00:00", "2024-11-05 00:00:00")
        month.compare = .none
        let byDay = try #require(try await ReportPipeline(store: f.store).datasets(month)["by_day"])
        #expect(figures.trend.map(\.day) == byDay.rows.map { $0[0] ?? "" })
        #expect(figures.trend.count >= 3)
        for (row, day) in figures.trend.enumerated() {
            #expect(String(day.offered) == byDay.value("offered", row: row))
            #expect(day.serviceLevel.map { String(format: "%.4f", $0) } == byDay.value("service_level", row: row))
            #expect(day.abandonRate.map { String(format: "%.4f", $0) } == byDay.value("abandon_rate", row: row))
        }

        // The page shows both.
        let output = try await ReportPipeline(store: f.store).render(parameters, into: f.folder.appendingPathComponent("report"), format: .html)
        let html = try String(contentsOf: try #require(output.html), encoding: .utf8)
        #expect(html.contains("previous day"))
        #expect(html.contains("Trend: the \(figures.trend.count) days with calls"))
    }
}
