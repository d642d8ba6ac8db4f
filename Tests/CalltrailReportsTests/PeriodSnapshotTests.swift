import CalltrailCore
import CalltrailReports
import CalltrailStore
import Foundation
import Testing

/// `calltrail report` runs the datasets over a copy of the period's rows (a TEMP table that shadows the
/// `report_calls` view); each dataset run alone reads the view. Both must give the same datasets.
@Suite struct PeriodSnapshotTests {
    @Test func everyDatasetIsTheSameOverTheCopyAsOverTheView() async throws {
        let f = try ReportFixture(zone: "America/New_York")
        defer { f.remove() }
        var calls: [CallRecord] = []
        // Around the fall-back night of 2024-11-03 (01:00–02:00 happens twice), on the period's edges
        // and outside it, every kind of call.
        let times = ["2024-11-01 23:59:59", "2024-11-02 00:00:00", "2024-11-02 09:15:00", "2024-11-03 00:59:59",
                     "2024-11-03 01:30:00", "2024-11-03 02:00:00", "2024-11-03 13:45:10", "2024-11-04 23:59:59",
                     "2024-11-05 00:00:00", "2024-11-05 08:00:00"]
        for (index, time) in times.enumerated() {
            calls.append(f.inbound("in-\(index)", time, wait: Double(index * 4), outcome: index % 3 == 0 ? .abandoned : .answered,
                                   queue: index % 2 == 0 ? "Soporte<-" : "Ventas<-", number: "09900000\(index % 4)"))
            calls.append(f.outbound("out-\(index)", time, connected: index % 2 == 0))
        }
        var unqueued = f.inbound("unqueued", "2024-11-03 10:00:00", wait: 3, outcome: .answered)
        unqueued.queuedAt = nil
        calls.append(unqueued)
        try await f.store.upsert(calls)

        let parameters = f.parameters("2024-11-02 00:00:00", "2024-11-05 00:00:00")
        let together = try await QueryRunner(store: f.store).runAll(parameters: parameters)
        for name in QueryCatalog.names {
            let alone = try await f.run(name, parameters)
            #expect(together[name]?.columns == alone.columns, "\(name)")
            #expect(together[name]?.rows == alone.rows, "\(name)")
        }
        #expect(together["summary"]?.rows.first?.first == "7")  // the inbound calls offered in the period
    }
}
