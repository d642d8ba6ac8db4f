import CalltrailCore
import CalltrailReports
import CalltrailStore
import Foundation
import Testing

/// The percentiles and the wait buckets, on waits chosen so that ranks, ties and bucket edges matter.
@Suite struct DistributionTests {
    @Test func percentilesAreNearestRankWithTiesAndBucketsAreHalfOpen() async throws {
        let f = try ReportFixture()
        defer { f.remove() }
        // Answered waits, 20 of them: 0 ×3, 4.99, 5 ×4, 9, 10, 19.5, 20 ×5, 30, 59.9, 300, 301.
        let answered: [Double] = [0, 0, 0, 4.99, 5, 5, 5, 5, 9, 10, 19.5, 20, 20, 20, 20, 20, 30, 59.9, 300, 301]
        var calls = answered.enumerated().map { f.inbound("a\($0.offset)", "2026-03-02 10:00:00", wait: $0.element, outcome: .answered) }
        // Abandoned: 2, 5, 120.
        calls += [2.0, 5, 120].enumerated().map { f.inbound("b\($0.offset)", "2026-03-02 11:00:00", wait: $0.element, outcome: .abandoned) }
        try await f.store.upsert(calls)
        let parameters = f.parameters("2026-03-02", "2026-03-03")

        let summary = try await f.run("summary", parameters)
        // n = 20: p50 is rank ceil(10) = 10 → 10.0; p90 is rank ceil(18) = 18 → 59.9.
        #expect(summary.value("p50_wait_s") == "10.0")
        #expect(summary.value("p90_wait_s") == "59.9")

        let buckets = try await f.run("wait_distribution", parameters)
        let counts = buckets.rows.map { "\($0[0] ?? "") \($0[3] ?? "") \($0[4] ?? "")" }
        #expect(counts == ["0-5 4 1", "5-10 5 1", "10-20 2 0", "20-30 5 0", "30-60 2 0", "60-120 0 0", "120-300 0 1", "300+ 2 0"])
    }
}
