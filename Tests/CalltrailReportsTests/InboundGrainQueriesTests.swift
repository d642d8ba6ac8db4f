import CalltrailReports
import Foundation
import Testing

/// The inbound datasets' files in queries/ are what InboundGrain generates: one SELECT of the figures for
/// every grain, each file runnable as-is in the sqlite3 shell. With CALLTRAIL_WRITE_QUERIES=1 the suite
/// rewrites them (after an edit of InboundGrainQueries.swift) and then checks them as usual.
@Suite struct InboundGrainQueriesTests {
    static let queries = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/CalltrailReports/queries").standardized

    @Test(arguments: InboundGrain.allCases)
    func theFileIsTheGeneratedSQL(grain: InboundGrain) throws {
        let file = Self.queries.appendingPathComponent(grain.rawValue + ".sql")
        if ProcessInfo.processInfo.environment["CALLTRAIL_WRITE_QUERIES"] == "1" {
            try grain.sql.write(to: file, atomically: true, encoding: .utf8)
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == grain.sql,
                "queries/\(grain.rawValue).sql differs from InboundGrain's SQL: edit InboundGrainQueries.swift, then run this suite with CALLTRAIL_WRITE_QUERIES=1")
    }

    /// The figures are written once: each inbound file holds V5's SQL once, from the one SELECT.
    @Test func theServiceLevelIsWrittenOnceInTheGenerator() throws {
        let v5 = "1.0 * answered_in_t / (offered - short_abandoned)"
        let generator = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/CalltrailReports/InboundGrainQueries.swift").standardized
        #expect(try String(contentsOf: generator, encoding: .utf8).components(separatedBy: v5).count == 2)
        for grain in InboundGrain.allCases { #expect(grain.sql.components(separatedBy: v5).count == 2, "\(grain.rawValue)") }
    }
}
