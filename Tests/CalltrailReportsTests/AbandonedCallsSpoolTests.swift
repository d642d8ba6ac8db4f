import CalltrailCore
@testable import CalltrailReports
import Foundation
import Testing

/// A written report's abandoned calls go to abandoned_calls.csv as the pass finds them, a day at a
/// time, keeping in memory only the rows the page shows: the file must be the full dataset's, to the
/// byte, whatever the page keeps.
@Suite struct AbandonedCallsSpoolTests {
    @Test func theFileHoldsEveryAbandonWhenThePageShowsTwo() async throws {
        let f = try await ReportEngineTests().fixture()
        defer { f.remove() }
        var text = try String(contentsOf: ReportDefinitionTests.reports.appendingPathComponent("daily.toml"), encoding: .utf8)
        let section = "dataset = \"abandoned_calls\"\ntitle = \"Abandoned calls\"\nlimit = 200"
        #expect(text.contains(section), "daily.toml's abandoned calls table changed: update this test")
        text = text.replacingOccurrences(of: section, with: "dataset = \"abandoned_calls\"\ntitle = \"Abandoned calls\"\nlimit = 2")
        let file = f.folder.appendingPathComponent("two.toml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let definition = try ReportDefinition.load(path: file.path)
        #expect(definition.rowsShown("abandoned_calls") == 2)

        // Five days, so that abandons are looked up and written at several days' ends.
        let parameters = f.parameters("2024-11-01 00:00:00", "2024-11-06 00:00:00")
        let full = try #require(try await ReportPipeline(store: f.store).datasets(parameters)["abandoned_calls"])
        #expect(full.rows.count == 5 && full.moreRows == 0)
        #expect(full.rows.contains { $0.last == "recovered-5" }, "the recovered abandon names its callback")

        let folder = f.folder.appendingPathComponent("spooled")
        let output = try await ReportPipeline(store: f.store).render(parameters, into: folder, definition: definition)
        let written = try Data(contentsOf: folder.appendingPathComponent("abandoned_calls.csv"))
        #expect(written == Data(CSVWriter.render(full).utf8))
        let kept = try #require(output.datasets["abandoned_calls"])
        #expect(kept.rows == Array(full.rows.prefix(2)) && kept.rowCount == 5)
        let html = try String(contentsOf: try #require(output.html), encoding: .utf8)
        #expect(html.contains("2 of 5 rows shown; all are in abandoned_calls.csv."))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".spool").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".incoming").path))
    }
}
