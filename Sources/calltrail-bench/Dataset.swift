import CalltrailCore
import CalltrailSimulator
import Foundation

/// Vendor pages for the benchmarks: uContact getrecords pages of 500 records from the simulator's
/// traffic generator, one JSON array per line, generated day by day so memory stays flat. The center
/// is sized so that a 30-day month holds ≈ 1 M calls (≈ 33 k a day): 100 k calls are three days of
/// it, 5 M five months.
enum BenchmarkData {
    static let zone = TimeZone(identifier: "America/Montevideo")!
    static let pageSize = 500

    /// Writes `calls` calls (at least) as pages to `file`; returns the count written and the span.
    static func write(calls wanted: Int, to file: URL) throws -> (count: Int, start: Date, end: Date) {
        let generator = TrafficGenerator(model: CallCenterModel.standard.scaled(by: 33.3), seed: 42)
        let encoder = UContactCDREncoder(timeZone: zone)
        let start = LocalDateTime(year: 2025, month: 1, day: 1).date(in: zone)
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var count = 0
        var day = start
        var page: [String] = []
        while count < wanted {
            let next = day.addingTimeInterval(86_400)
            var calls = generator.calls(from: day, to: next, timeZone: zone)
            // Each day gets its own guids: the generator is seeded per run, so reseed by day.
            for index in calls.indices { calls[index].guid = "\(Int(day.timeIntervalSince1970))-\(index)" }
            for call in calls where count < wanted {
                page.append(encoder.encode(call, index: count))
                count += 1
                if page.count == pageSize {
                    try handle.write(contentsOf: Data(("[" + page.joined(separator: ",") + "]\n").utf8))
                    page.removeAll(keepingCapacity: true)
                }
            }
            day = next
        }
        if !page.isEmpty { try handle.write(contentsOf: Data(("[" + page.joined(separator: ",") + "]\n").utf8)) }
        return (count, start, day)
    }
}
