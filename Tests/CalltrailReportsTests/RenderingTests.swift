import CalltrailCore
import CalltrailReports
import Foundation
import Testing

@Suite struct CSVWriterTests {
    @Test func quotesAndNeutralisesFormulas() {
        let data = Dataset(name: "t", columns: ["queue", "agent", "n", "ratio"], rows: [
            ["Ventas<-", "=HYPERLINK(\"http://x\")", "3", nil],
            ["a,b", "@SUM(A1)", "-2", "0.5000"],
            ["line\nbreak", "+1 555 0100", "", "\"quoted\""],
        ])
        let csv = CSVWriter.render(data)
        #expect(csv == "queue,agent,n,ratio\r\n"
            + "Ventas<-,\"'=HYPERLINK(\"\"http://x\"\")\",3,\r\n"
            + "\"a,b\",'@SUM(A1),'-2,0.5000\r\n"
            + "\"line\nbreak\",'+1 555 0100,,\"\"\"quoted\"\"\"\r\n")
    }
}

@Suite struct HTMLReportTests {
    @Test func everyValueIsEscapedAndNoScriptIsNeeded() async throws {
        let f = try ReportFixture()
        defer { f.remove() }
        try await f.store.upsert([
            f.inbound("h1", "2026-03-02 10:00:00", wait: 5, outcome: .answered, queue: "<script>alert('q')</script>",
                      agent: "<img src=x onerror=alert(1)>"),
            f.inbound("h2", "2026-03-02 10:10:00", wait: 40, outcome: .abandoned, number: "\"><b>x</b>"),
        ])
        let output = try await ReportPipeline(store: f.store).render(f.parameters("2026-03-02", "2026-03-03"),
                                                                     into: f.folder.appendingPathComponent("out"))
        let html = try String(contentsOf: try #require(output.html), encoding: .utf8)
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>x</b>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;q&#39;)&lt;/script&gt;"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(!html.contains("http://") || !html.contains("src=\"http"), "no external resources")
        #expect(html.contains("<svg"))
        #expect(output.files.count == QueryCatalog.names.count + 2, "every dataset, the calls listing and the page")
        for name in QueryCatalog.names {
            #expect(FileManager.default.fileExists(atPath: output.folder.appendingPathComponent("\(name).csv").path))
        }
        // The headline card shows V5 as a percentage: 1 in T of 2 offered.
        #expect(html.contains("50.0 %"))
    }
}
