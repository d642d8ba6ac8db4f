import CalltrailCore
import Foundation

/// The nightly's shelf: every report it rendered under `reports/`, listed in `reports/shelf.json` (the
/// period, the folder and the headline figures of each) and shown by `reports/index.html`, newest first,
/// with a small trend of each figure over the shelf's days. An analyst opens one page to find last
/// night's report, last week's or last month's, and sees at a glance how the days went.
public struct ReportShelf: Sendable {
    /// One report on the shelf.
    public struct Entry: Codable, Sendable, Equatable {
        /// `day`, `week` or `month`.
        public var period: String
        /// The first and the last day it covers, `YYYY-MM-DD` on the center's clock.
        public var first: String
        public var last: String
        /// Its folder, relative to the shelf.
        public var folder: String
        public var offered: Int
        public var serviceLevel: Double?
        public var abandonRate: Double?
        public var asa: Double?
        public var aht: Double?

        public init(period: ReportPeriod, parameters: ReportParameters, folder: String, headline: ReportFigures.Headline) {
            self.period = period.rawValue
            first = String(LocalDateTime(parameters.from, in: parameters.timeZone).description.prefix(10))
            last = String(LocalDateTime(parameters.to.addingTimeInterval(-1), in: parameters.timeZone).description.prefix(10))
            self.folder = folder
            offered = headline.offered
            serviceLevel = headline.serviceLevel
            abandonRate = headline.abandonRate
            asa = headline.asa
            aht = headline.aht
        }
    }

    /// The `reports/` folder.
    public let root: URL

    public init(root: URL) { self.root = root }

    var list: URL { root.appendingPathComponent("shelf.json") }
    public var index: URL { root.appendingPathComponent("index.html") }

    /// The periods a nightly run renders on `now`'s day: yesterday always, the last ISO week on
    /// Mondays, the last month on the 1st (each unless configured off).
    public static func due(now: Date, in zone: TimeZone, weekly: Bool, monthly: Bool) -> [ReportPeriod] {
        let today = ReportPeriod.calendar(zone).dateComponents([.weekday, .day], from: now)
        var periods: [ReportPeriod] = [.day]
        if weekly && today.weekday == 2 { periods.append(.week) }
        if monthly && today.day == 1 { periods.append(.month) }
        return periods
    }

    /// The folder a period's report goes to: `2026-12-06`, `week-2026-W49`, `month-2026-11`.
    public static func folderName(_ period: ReportPeriod, from: Date, in zone: TimeZone) -> String {
        let day = String(LocalDateTime(from, in: zone).description.prefix(10))
        switch period {
        case .day: return day
        case .week:
            let components = ReportPeriod.calendar(zone).dateComponents([.yearForWeekOfYear, .weekOfYear], from: from)
            return String(format: "week-%04d-W%02d", components.yearForWeekOfYear ?? 0, components.weekOfYear ?? 0)
        case .month: return "month-" + day.prefix(7)
        case .year: return "year-" + day.prefix(4)
        }
    }

    /// The shelf as recorded (empty when there is none yet, or it cannot be read: the index is rebuilt
    /// from what the next reports record).
    public func entries() -> [Entry] {
        guard let data = FileManager.default.contents(atPath: list.path),
              let entries = try? JSONDecoder().decode([Entry].self, from: data)
        else { return [] }
        return entries
    }

    /// Records `entry` (replacing a report of the same folder, rendered again) and writes the index.
    public func record(_ entry: Entry) throws {
        var all = entries().filter { $0.folder != entry.folder }
        all.append(entry)
        // Only reports whose folder is still there (retention or a person may have removed some).
        all = all.filter { FileManager.default.fileExists(atPath: root.appendingPathComponent($0.folder).path) }
        // Newest first; of two ending the same day, the shorter (yesterday before last week).
        all.sort { ($0.last, $0.first) > ($1.last, $1.first) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try write(try encoder.encode(all), to: list)
        try write(Data(Self.page(all).utf8), to: index)
    }

    /// Written whole and renamed into place, 0640 like the reports beside it.
    func write(_ data: Data, to url: URL) throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        let staged = url.appendingPathExtension("part")
        do {
            try data.write(to: staged)
            try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: staged.path)
        } catch {
            throw CalltrailError.failure("cannot write \(staged.path): check that the folder is writable")
        }
        guard rename(staged.path, url.path) == 0 else {
            throw CalltrailError.failure("cannot rename \(staged.path) to \(url.lastPathComponent): check that the folder is writable")
        }
    }

    /// The index page: one self-contained HTML file, no script.
    static func page(_ entries: [Entry]) -> String {
        let days = entries.filter { $0.period == "day" }.sorted { $0.first < $1.first }.suffix(30)
        func percent(_ value: Double?) -> String { value.map { String(format: "%.1f %%", $0 * 100) } ?? "—" }
        func seconds(_ value: Double?) -> String {
            guard let value else { return "—" }
            return value >= 60 ? String(format: "%d:%02d", Int(value) / 60, Int(value.rounded()) % 60) : String(format: "%.1f s", value)
        }
        var rows = ""
        for entry in entries {
            let span = entry.first == entry.last ? entry.first : "\(entry.first) – \(entry.last)"
            rows += "<tr><td>\(entry.period.htmlEscaped)</td><td><a href=\"\(entry.folder.htmlEscaped)/report.html\">\(span.htmlEscaped)</a></td>"
            rows += "<td class=\"num\">\(entry.offered)</td><td class=\"num\">\(percent(entry.serviceLevel))</td>"
            rows += "<td class=\"num\">\(percent(entry.abandonRate))</td><td class=\"num\">\(seconds(entry.asa))</td>"
            rows += "<td class=\"num\">\(seconds(entry.aht))</td></tr>\n"
        }
        let trend = days.count < 2 ? "" : """
            <section><h2>The last \(days.count) days</h2><div class="trend">
            <div><h3>Service level</h3>\(sparkline(days.map(\.serviceLevel), axis: .ratio, days: days.map(\.first)))</div>
            <div><h3>Offered</h3>\(sparkline(days.map { Double($0.offered) }, axis: .count, days: days.map(\.first)))</div>
            <div><h3>Abandon rate</h3>\(sparkline(days.map(\.abandonRate), axis: .ratio, days: days.map(\.first)))</div>
            <div><h3>AHT</h3>\(sparkline(days.map(\.aht), axis: .seconds, days: days.map(\.first)))</div>
            </div></section>
            """
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>Calltrail reports</title>
            <style>
            body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2733;background:#f6f8fa}
            main{max-width:1200px;margin:0 auto;padding:12px 16px}h1{font-size:1.6em;margin:8px 0}h2{font-size:1.15em;margin:0 0 8px}h3{font-size:.95em;margin:0 0 4px}
            section{background:#fff;border:1px solid #dde3e9;border-radius:8px;padding:14px;margin:14px 0}
            .trend{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(440px,100%),1fr));gap:12px}
            .scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9em}
            th,td{border-bottom:1px solid #dde3e9;padding:5px 8px;text-align:left;white-space:nowrap}th{background:#f0f3f6}.num{text-align:right;font-variant-numeric:tabular-nums}
            .chart{width:100%;height:auto;display:block}.chart .grid{stroke:#e8edf1}.chart .axis{stroke:#9aa8b5}.chart .tick{font-size:13px;fill:#5b6b7b}
            @media (max-width:600px){.chart .tick{font-size:16px}.chart .tick.minor{display:none}}
            </style></head><body><main>
            <h1>Calltrail reports</h1>
            \(trend)
            <section><h2>Every report, newest first</h2><div class="scroll"><table>
            <thead><tr><th>period</th><th>covers</th><th class="num">offered</th><th class="num">service level</th><th class="num">abandon rate</th><th class="num">ASA</th><th class="num">AHT</th></tr></thead>
            <tbody>
            \(rows)</tbody></table></div></section>
            </main></body></html>

            """
    }

    static func sparkline(_ values: [Double?], axis: SVGChart.Axis, days: [String]) -> String {
        let format: (Double) -> String = switch axis {
        case .ratio: { String(format: "%.1f %%", $0 * 100) }
        case .count: { String(Int($0)) }
        case .seconds: { String(format: "%.0f s", $0) }
        }
        return SVGChart.bars(title: "by day", categories: days.map { String($0.suffix(5)) },
                             series: [.init(name: "", color: "#2f6f9f", values: values)], axis: axis, format: format,
                             labelEvery: max(1, days.count / 10), width: .column)
    }
}
