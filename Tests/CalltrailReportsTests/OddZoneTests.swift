import CalltrailCore
import CalltrailReports
import CalltrailStore
import Foundation
import Testing

/// Zones whose offsets are not whole hours, and whose DST moves the clock by half an hour: the report's
/// one read of the tallies lists the same rows as the queries/ files, every interval of the day is
/// listed, and by_interval's calls add up to the summary's, at 15, 30 and 60 minutes.
@Suite struct OddZoneTests {
    static let places: [(zone: String, from: String, to: String)] = [
        ("Australia/Lord_Howe", "2025-04-05 00:00:00", "2025-04-07 00:00:00"),  // +11:00 → +10:30 at 02:00
        ("Australia/Lord_Howe", "2025-10-04 00:00:00", "2025-10-06 00:00:00"),  // +10:30 → +11:00 at 02:00
        ("Asia/Kathmandu", "2025-03-01 00:00:00", "2025-03-03 00:00:00"),       // +05:45
        ("America/St_Johns", "2025-11-01 00:00:00", "2025-11-03 00:00:00"),     // -02:30 → -03:30
    ]

    @Test(arguments: places.indices, [15, 30, 60])
    func everyIntervalIsListedAndEveryDatasetIsItsFile(place: Int, interval: Int) async throws {
        let (zone, from, to) = Self.places[place]
        let f = try ReportFixture(zone: zone)
        defer { f.remove() }
        // A call every 7 minutes of the two days (on the UTC clock, so that a repeated local half hour
        // gets its calls twice), waits and outcomes varied.
        let start = f.at(from), end = f.at(to)
        var calls: [CallRecord] = []
        var at = start
        var index = 0
        while at < end {
            let local = LocalDateTime(at, in: f.zone)
            var call = f.inbound("c\(index)", local.description, wait: [0, 4.5, 5, 19.99, 20, 61, 300][index % 7],
                                 outcome: [.answered, .answered, .abandoned][index % 3], queue: ["Soporte<-", "Ventas<-"][index % 2])
            // The local text of a repeated half hour names its first run: keep the instant itself.
            call.startedAt = at
            call.queuedAt = at
            calls.append(call)
            at = at.addingTimeInterval(7 * 60)
            index += 1
        }
        try await f.store.upsert(calls)
        let parameters = f.parameters(from, to, interval: interval)
        let report = try await ReportPipeline(store: f.store).datasets(parameters)
        for name in ["summary", "by_interval", "by_queue_interval", "by_day", "by_week", "by_month", "by_queue", "by_number",
                     "wait_distribution", "by_agent"] {
            let file = try await f.run(name, parameters)
            #expect(report[name]?.rows == file.rows, "\(zone) \(from), \(interval) min: \(name)")
        }
        let intervals = try #require(report["by_interval"])
        let offered = intervals.rows.map { Int($0[intervals.column("offered") ?? 0] ?? "") ?? 0 }.reduce(0, +)
        #expect(offered == calls.count, "\(zone) \(from), \(interval) min: by_interval lists every call's interval")
        #expect(report["summary"]?.value("offered") == String(calls.count))
    }
}
