import CalltrailCore
import CalltrailSimulator
import Foundation

/// Vendor pages for the benchmarks: uContact getrecords pages of 500 records from the simulator's
/// traffic generator, one JSON array per line, a day's calls in pages of their own (a sync reads a
/// window a day), generated day by day so memory stays flat. The center is sized so that a 30-day
/// month holds ≈ 1 M calls (≈ 33 k a day): 100 k calls are three days of it, 5 M five months. Each day
/// has its own seed, so guids are random UUIDs as uContact's are (every upsert lands at a random place
/// of the primary key) and no two days repeat.
enum BenchmarkData {
    static let zone = TimeZone(identifier: "America/Montevideo")!
    static let pageSize = 500
    static let firstDay = LocalDateTime(year: 2025, month: 1, day: 1)

    /// Where each page lies in the pages file, by the day (window) it belongs to.
    struct Index {
        var days: [(start: Date, pages: [Range<Int>])] = []
        var calls = 0
        var start: Date { days.first?.start ?? BenchmarkData.firstDay.date(in: zone) }
        var end: Date { days.last.map { $0.start.addingTimeInterval(86_400) } ?? start }

        /// `start offset length` per page, a line each.
        func write(to url: URL) throws {
            var text = "\(calls)\n"
            for day in days {
                for page in day.pages { text += "\(Int(day.start.timeIntervalSince1970)) \(page.lowerBound) \(page.count)\n" }
            }
            try text.write(to: url, atomically: true, encoding: .utf8)
        }

        init() {}

        init(reading url: URL) throws {
            let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
            calls = Int(lines.first ?? "") ?? 0
            for line in lines.dropFirst() {
                let fields = line.split(separator: " ").compactMap { Int($0) }
                guard fields.count == 3 else { throw BenchError("bad index line: \(line)") }
                let start = Date(timeIntervalSince1970: Double(fields[0]))
                if days.last?.start != start { days.append((start, [])) }
                days[days.count - 1].pages.append(fields[1]..<(fields[1] + fields[2]))
            }
        }
    }

    static func indexURL(_ pages: URL) -> URL { pages.appendingPathExtension("idx") }

    /// Writes `calls` calls as pages to `file` (and its index beside it), from the day `startDay` days after
    /// `firstDay` on (each day with its own seed as always, so later days never repeat earlier ones); returns
    /// the index.
    @discardableResult
    static func write(calls wanted: Int, to file: URL, startDay: Int = 0) throws -> Index {
        let encoder = UContactCDREncoder(timeZone: zone)
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var index = Index()
        var written = 0
        var day = firstDay.date(in: zone).addingTimeInterval(Double(startDay) * 86_400)
        var dayNumber = UInt64(startDay)
        while index.calls < wanted {
            let next = day.addingTimeInterval(86_400)
            let generator = TrafficGenerator(model: CallCenterModel.standard.scaled(by: 33.3), seed: 42 &+ dayNumber)
            let calls = generator.calls(from: day, to: next, timeZone: zone).prefix(wanted - index.calls)
            var pages: [Range<Int>] = []
            var page: [UInt8] = []
            var inPage = 0
            func flush() throws {
                guard inPage > 0 else { return }
                page.append(UInt8(ascii: "]"))
                pages.append(written..<(written + page.count))
                page.append(UInt8(ascii: "\n"))
                try handle.write(contentsOf: page)
                written += page.count
                page.removeAll(keepingCapacity: true)
                inPage = 0
            }
            for call in calls {
                page.append(UInt8(ascii: inPage == 0 ? "[" : ","))
                page.append(contentsOf: encoder.encode(call, index: index.calls).utf8)
                inPage += 1
                index.calls += 1
                if inPage == pageSize { try flush() }
            }
            try flush()
            index.days.append((day, pages))
            day = next
            dayNumber += 1
        }
        try index.write(to: indexURL(file))
        return index
    }
}
