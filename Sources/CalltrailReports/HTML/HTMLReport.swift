import CalltrailCore
import Foundation

/// The self-contained `report.html`: inline CSS and SVG, no script, every value escaped.
struct HTMLReport {
    let parameters: ReportParameters
    let datasets: [String: Dataset]
    let figures: ReportFigures
    let staffing: [StaffingRow]
    let generatedAt: Date
    /// Where the figures were read, when not this site's SQLite file (the warehouse and its sites).
    var origin: String? = nil

    func render() -> String {
        let period = "\(LocalDateTime(parameters.from, in: parameters.timeZone)) – \(LocalDateTime(parameters.to, in: parameters.timeZone))"
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Calltrail report \(period.htmlEscaped)</title>
            <style>\(Self.css)</style></head><body>
            <header><h1>Call report</h1>
            <p class="period">\(period.htmlEscaped) · \(parameters.timeZone.identifier.htmlEscaped)\(parameters.queues.isEmpty ? "" : " · queues: " + parameters.queues.joined(separator: ", ").htmlEscaped)\(origin.map { " · " + $0.htmlEscaped } ?? "")</p>
            <p class="rules">Service level = answered within T / (offered − short abandons) (V5) · T = \(Self.seconds(parameters.threshold)) s (inclusive) ·
            short abandon: wait under \(Self.seconds(parameters.shortAbandon)) s · target \(Self.percent(parameters.target)) ·
            a call counts in the interval and day it was offered, on the center's clock · ratios of groups are summed numerators over summed denominators.</p>
            """
        for warning in MappingCheckWarnings.of(figures.mappingChecks) { html += "<p class=\"warning\">\(warning.htmlEscaped)</p>\n" }
        html += """
            </header><main>
            """
        html += cards(figures.headline)
        html += trendCharts()
        if figures.intervals.count > 200 {
            html += section("Service level by day", slByDayChart())
        } else {
            html += section("Service level by interval", slChart())
        }
        html += queueIntervalHeatmaps()
        html += dayHourHeatmaps()
        html += section("Calls by hour of day", hourChart())
        html += section("Wait before answer or hang-up", waitChart())
        html += section("All five service-level formulas", variants(figures.headline))
        html += tableSection("Queues", "by_queue", percent: ["service_level", "abandon_rate"], columns: [
            "queue", "offered", "answered", "abandoned", "service_level", "abandon_rate", "asa_s", "avg_wait_abandoned_s", "p90_wait_s",
            "max_wait_s", "aht_s", "transferred", "threshold_s",
        ])
        html += tableSection("Agents", "by_agent", percent: ["sl_v1_answered"], columns: [
            "source", "agent", "agent_name", "inbound_answered", "sl_v1_answered", "asa_s", "aht_s", "avg_talk_s", "avg_hold_s",
            "outbound_attempts", "outbound_connected",
        ])
        html += tableSection("Numbers", "by_number", percent: ["service_level", "abandon_rate", "connect_rate"], columns: [
            "number", "number_name", "offered", "answered", "abandoned", "service_level", "abandon_rate", "asa_s", "outbound_attempts",
            "outbound_connected", "connect_rate",
        ])
        html += tableSection("Outbound", "outbound", percent: ["connect_rate"])
        html += tableSection("Platform-reported service level beside ours", "platform_comparison",
                             percent: ["platform_sl_v1", "sl_v1_answered", "sl_v1_difference", "platform_sl_v4", "sl_v4_with_abandoned", "sl_v4_difference"],
                             empty: "No platform snapshot was taken in this period (uContact's campaignstatus is stored at each sync and covers that day up to the sync).")
        html += section("Staffing (Erlang C)", staffingTable())
        html += tableSection("Abandoned calls", "abandoned_calls", percent: [], limit: 200)
        html += tableSection("Days", "by_day", percent: ["service_level", "abandon_rate"], columns: [
            "day", "offered", "answered", "abandoned", "service_level", "abandon_rate", "asa_s", "p90_wait_s", "max_wait_s", "aht_s",
        ])
        if (datasets["by_week"]?.rows.count ?? 0) > 1 {
            html += tableSection("Weeks", "by_week", percent: ["service_level", "abandon_rate"], columns: [
                "week", "week_start", "offered", "answered", "abandoned", "service_level", "abandon_rate", "asa_s", "p90_wait_s", "aht_s",
            ])
        }
        if (datasets["by_month"]?.rows.count ?? 0) > 1 {
            html += tableSection("Months", "by_month", percent: ["service_level", "abandon_rate"], columns: [
                "month", "offered", "answered", "abandoned", "service_level", "abandon_rate", "asa_s", "p90_wait_s", "aht_s",
            ])
        }
        html += tableSection("Data quality", "data_quality", percent: ["share"])
        html += tableSection("Recording coverage", "recording_coverage", percent: ["share"])
        html += tableSection("Archive last verified", "recording_verification", percent: ["share"])
        html += """
            </main><footer>Generated by Calltrail at \(LocalDateTime(generatedAt, in: parameters.timeZone).description.htmlEscaped) \
            (\(parameters.timeZone.identifier.htmlEscaped)). Every figure is in the CSV beside this file; the SQL behind
            each is in queries/.</footer></body></html>

            """
        return html
    }

    // MARK: sections

    func cards(_ headline: ReportFigures.Headline) -> String {
        let sl = headline.serviceLevel
        let slClass = sl.map { $0 >= parameters.target ? "good" : "bad" } ?? ""
        let before = figures.comparison?.headline
        let items: [(String, String, String, String?)] = [
            ("Offered", String(headline.offered), "", before.map { Self.countChange(headline.offered, $0.offered) }),
            ("Answered", String(headline.answered), "", before.map { Self.countChange(headline.answered, $0.answered) }),
            ("Abandon rate", Self.percent(headline.abandonRate), "excl. \(headline.shortAbandoned) short",
             before.map { Self.pointChange(headline.abandonRate, $0.abandonRate) }),
            ("Service level", Self.percent(sl), "target \(Self.percent(parameters.target))",
             before.map { Self.pointChange(sl, $0.serviceLevel) }),
            ("ASA", Self.duration(headline.asa), "mean wait, answered", before.map { Self.secondChange(headline.asa, $0.asa) }),
            ("AHT", Self.duration(headline.aht), "talk + hold + wrap", before.map { Self.secondChange(headline.aht, $0.aht) }),
        ]
        var html = "<section class=\"cards\">" + items.map { label, value, note, change in
            "<div class=\"card \(label == "Service level" ? slClass : "")\"><span class=\"label\">\(label.htmlEscaped)</span>"
                + "<span class=\"value\">\(value.htmlEscaped)</span><span class=\"note\">\(note.htmlEscaped)</span>"
                + (change.map { "<span class=\"change\">\($0.htmlEscaped)</span>" } ?? "") + "</div>"
        }.joined() + "</section>"
        if let comparison = figures.comparison {
            let period = "\(LocalDateTime(comparison.from, in: parameters.timeZone)) – \(LocalDateTime(comparison.to, in: parameters.timeZone))"
            html += "<p class=\"note\">Beside each figure: the \(comparison.label.htmlEscaped) (\(period.htmlEscaped)), then the difference.</p>"
        }
        return html
    }

    /// "was 1 180 · +4.6 %".
    static func countChange(_ now: Int, _ before: Int) -> String {
        let change = before > 0 ? String(format: "%+.1f %%", (Double(now) - Double(before)) / Double(before) * 100) : "—"
        return "was \(before) · \(change)"
    }

    /// "was 78.1 % · +2.3 pts".
    static func pointChange(_ now: Double?, _ before: Double?) -> String {
        guard let before else { return "was —" }
        return "was \(percent(before)) · " + (now.map { String(format: "%+.1f pts", ($0 - before) * 100) } ?? "—")
    }

    /// "was 25.1 s · −1.2 s".
    static func secondChange(_ now: Double?, _ before: Double?) -> String {
        guard let before else { return "was —" }
        return "was \(duration(before)) · " + (now.map { String(format: "%+.1f s", $0 - before) } ?? "—")
    }

    /// Service level, abandon rate, offered calls and AHT per day over the 30 days ending with the period.
    func trendCharts() -> String {
        let days = figures.trend
        guard !days.isEmpty else { return "" }
        let labels = days.map { String($0.day.suffix(5)) }
        let every = max(1, labels.count / 15)
        let charts = [
            SVGChart.bars(title: "Service level by day", categories: labels,
                          series: [.init(name: "service level", color: "#2f6f9f", values: days.map(\.serviceLevel))], yMax: 1,
                          target: (parameters.target, "target \(Self.percent(parameters.target))"), format: { Self.percent($0) }, labelEvery: every),
            SVGChart.bars(title: "Abandon rate by day", categories: labels,
                          series: [.init(name: "abandon rate", color: "#c4553f", values: days.map(\.abandonRate))],
                          format: { Self.percent($0) }, labelEvery: every),
            SVGChart.bars(title: "Offered calls by day", categories: labels,
                          series: [.init(name: "offered", color: "#8aa9c4", values: days.map { Double($0.offered) })],
                          format: { String(Int($0)) }, labelEvery: every),
            SVGChart.bars(title: "AHT by day", categories: labels,
                          series: [.init(name: "AHT", color: "#5b6b7b", values: days.map(\.aht))], format: { Self.duration($0) }, labelEvery: every),
        ]
        let titles = ["Service level", "Abandon rate", "Offered", "AHT"]
        return section("Trend: the \(days.count) days with calls of the 30 ending \(days.last!.day)",
                       "<div class=\"trend\">" + zip(titles, charts).map { "<div><h3>\($0.htmlEscaped)</h3>\($1)</div>" }.joined() + "</div>")
    }

    func slChart() -> String {
        let intervals = figures.intervals
        guard !intervals.isEmpty else { return "<p>No intervals.</p>" }
        let labels = intervals.map { Self.shortTime($0.start) }
        let every = max(1, labels.count / 24)
        return SVGChart.bars(title: "Service level by interval", categories: labels,
                             series: [.init(name: "service level", color: "#2f6f9f", values: intervals.map(\.serviceLevel))],
                             yMax: 1, target: (parameters.target, "target \(Self.percent(parameters.target))"),
                             format: { Self.percent($0) }, labelEvery: every)
    }

    /// Service level and offered calls per queue (ALL first) and interval, from by_queue_interval's
    /// cells (a colour needs no more than their four decimals). Left out past 200 intervals (a period of
    /// several days), where a cell would be thinner than a pixel: the CSV has them all.
    func queueIntervalHeatmaps() -> String {
        guard let grid = datasets["by_queue_interval"], let start = grid.column("interval_start"), let queue = grid.column("queue"),
              let offered = grid.column("offered"), let sl = grid.column("service_level"), !grid.rows.isEmpty
        else { return "" }
        var intervals: [String] = [], queues: [String] = []
        var cells: [String: (offered: Double, sl: Double?)] = [:]
        for row in grid.rows {
            let interval = row[start] ?? "", name = row[queue] ?? ""
            if intervals.last != interval { intervals.append(interval) }
            if !queues.contains(name) { queues.append(name) }
            cells[interval + "\u{1F}" + name] = (row[offered].flatMap(Double.init) ?? 0, row[sl].flatMap(Double.init))
        }
        guard intervals.count <= 200 else {
            return section("Service level by queue and interval",
                           "<p class=\"note\">\(intervals.count) intervals: too many to draw; every queue's intervals are in by_queue_interval.csv.</p>")
        }
        let columns = intervals.map(Self.shortTime), every = max(1, intervals.count / 24)
        func rows(_ value: ((offered: Double, sl: Double?)) -> Double?) -> [SVGHeatmap.Row] {
            queues.map { name in SVGHeatmap.Row(label: name, values: intervals.map { cells[$0 + "\u{1F}" + name].flatMap(value) }) }
        }
        let busiest = cells.values.filter { $0.sl != nil || $0.offered > 0 }.map(\.offered).max() ?? 0
        let slMap = SVGHeatmap.render(title: "Service level by queue and interval", columns: columns, rows: rows { $0.sl },
                                      labelEvery: every, color: SVGHeatmap.serviceLevelColor(target: parameters.target), format: { Self.percent($0) })
        let volume = SVGHeatmap.render(title: "Offered calls by queue and interval", columns: columns,
                                       rows: rows { $0.offered > 0 ? $0.offered : nil }, labelEvery: every,
                                       color: SVGHeatmap.volumeColor(maximum: busiest), format: { String(Int($0)) })
        let legend = "<p class=\"legend\"><span><i style=\"background:#2e7d4f\"></i>at or above target</span>"
            + "<span><i style=\"background:#e0a030\"></i>within 10 points</span><span><i style=\"background:#d9733f\"></i>within 25</span>"
            + "<span><i style=\"background:#b3412e\"></i>further below</span><span><i style=\"background:#eef1f4\"></i>no calls</span></p>"
        return section("Service level by queue and interval", slMap + legend) + section("Offered calls by queue and interval", volume)
    }

    /// The intervals added up per local day and hour: (day, hour) → (offered, answered in T, short abandons).
    var dayHourCells: [String: [Int: (offered: Int, answeredInT: Int, short: Int)]] {
        var cells: [String: [Int: (offered: Int, answeredInT: Int, short: Int)]] = [:]
        for interval in figures.intervals {
            let chars = Array(interval.start)
            guard chars.count >= 13, let hour = Int(String(chars[11...12])) else { continue }
            var cell = cells[String(chars[0..<10]), default: [:]][hour] ?? (0, 0, 0)
            cell.offered += interval.offered
            cell.answeredInT += interval.answeredInT
            cell.short += interval.shortAbandoned
            cells[String(chars[0..<10]), default: [:]][hour] = cell
        }
        return cells
    }

    /// Service level per day for a long period, from the intervals' own counts.
    func slByDayChart() -> String {
        let cells = dayHourCells
        let days = cells.keys.sorted()
        let values = days.map { day -> Double? in
            let total = cells[day]!.values.reduce((0, 0, 0)) { ($0.0 + $1.offered, $0.1 + $1.answeredInT, $0.2 + $1.short) }
            return quotient(total.1, total.0 - total.2)
        }
        return SVGChart.bars(title: "Service level by day", categories: days.map { String($0.suffix(5)) },
                             series: [.init(name: "service level", color: "#2f6f9f", values: values)], yMax: 1,
                             target: (parameters.target, "target \(Self.percent(parameters.target))"), format: { Self.percent($0) },
                             labelEvery: max(1, days.count / 31))
    }

    /// Service level and offered calls by day and hour, when the period spans several days (up to two
    /// months: a year's would be 365 rows; by_week and by_month carry it).
    func dayHourHeatmaps() -> String {
        let cells = dayHourCells
        guard cells.count > 1, cells.count <= 62 else { return "" }
        let days = cells.keys.sorted()
        let hours = (0..<24).map { String(format: "%02d", $0) }
        let busiest = Double(cells.values.flatMap { $0.values.map(\.offered) }.max() ?? 0)
        let sl = days.map { day in
            SVGHeatmap.Row(label: day, values: (0..<24).map { hour in
                cells[day]?[hour].flatMap { quotient($0.answeredInT, $0.offered - $0.short) }
            })
        }
        let offered = days.map { day in
            SVGHeatmap.Row(label: day, values: (0..<24).map { hour in cells[day]?[hour].flatMap { $0.offered > 0 ? Double($0.offered) : nil } })
        }
        return section("Service level by day and hour",
                       SVGHeatmap.render(title: "Service level by day and hour", columns: hours, rows: sl, labelEvery: 1,
                                         color: SVGHeatmap.serviceLevelColor(target: parameters.target), format: { Self.percent($0) }))
            + section("Offered calls by day and hour",
                      SVGHeatmap.render(title: "Offered calls by day and hour", columns: hours, rows: offered, labelEvery: 1,
                                        color: SVGHeatmap.volumeColor(maximum: busiest), format: { String(Int($0)) }))
    }

    func hourChart() -> String {
        let hours = figures.hours
        guard !hours.isEmpty else { return "<p>No calls.</p>" }
        return SVGChart.bars(title: "Offered, answered and abandoned by hour", categories: hours.map { String(format: "%02d:00", $0.hour) }, series: [
            .init(name: "offered", color: "#8aa9c4", values: hours.map { Double($0.offered) }),
            .init(name: "answered", color: "#2f6f9f", values: hours.map { Double($0.answered) }),
            .init(name: "abandoned", color: "#c4553f", values: hours.map { Double($0.abandoned) }),
        ], format: { String(Int($0)) })
    }

    func waitChart() -> String {
        let waits = figures.waits
        guard !waits.isEmpty else { return "<p>No waits.</p>" }
        return SVGChart.bars(title: "Wait distribution, answered beside abandoned", categories: waits.map { $0.label + " s" }, series: [
            .init(name: "answered", color: "#2f6f9f", values: waits.map { Double($0.answered) }),
            .init(name: "abandoned", color: "#c4553f", values: waits.map { Double($0.abandoned) }),
        ], format: { String(Int($0)) })
    }

    func variants(_ headline: ReportFigures.Headline) -> String {
        "<div class=\"scroll\"><table class=\"wrap\"><thead><tr><th>formula</th><th>definition</th><th class=\"num\">value</th></tr></thead><tbody>"
            + headline.variants.map {
                "<tr><td>\($0.name.htmlEscaped)</td><td>\($0.definition.htmlEscaped)</td><td class=\"num\">\(Self.percent($0.value).htmlEscaped)</td></tr>"
            }.joined()
            + "</tbody></table></div>"
    }

    func staffingTable() -> String {
        let busy = staffing.filter { $0.offered > 0 }
        guard !busy.isEmpty else { return "<p>No offered calls.</p>" }
        var html = "<p class=\"note\">Agents needed per interval for \(Self.percent(parameters.target)) answered within \(Self.seconds(parameters.threshold)) s, from the interval's offered calls and AHT.</p>"
        html += "<div class=\"scroll\"><table><thead><tr><th>interval</th><th class=\"num\">offered</th><th class=\"num\">AHT s</th><th class=\"num\">load (Erlangs)</th><th class=\"num\">agents needed</th><th class=\"num\">SL with them</th></tr></thead><tbody>"
        for row in busy {
            html += "<tr><td>\(row.interval.htmlEscaped)</td><td class=\"num\">\(row.offered)</td><td class=\"num\">\(Self.duration(row.aht))</td>"
                + "<td class=\"num\">\(String(format: "%.2f", row.load))</td><td class=\"num\">\(row.agents)</td><td class=\"num\">\(Self.percent(row.serviceLevel))</td></tr>"
        }
        return html + "</tbody></table></div>"
    }

    /// A dataset as a table: `columns` (all when nil) in their order, the rest left to the CSV.
    func tableSection(_ title: String, _ name: String, percent: Set<String>, columns: [String]? = nil, limit: Int? = nil,
                      empty: String = "None in this period.") -> String {
        guard let full = datasets[name] else { return "" }
        let data = columns.map { full.selecting($0) } ?? full
        guard !data.rows.isEmpty else { return section(title, "<p>\(empty.htmlEscaped)</p>") }
        let numeric = Set(data.columns.indices.filter { c in data.rows.allSatisfy { $0[c].map { Double($0) != nil } ?? true } })
        var html = "<div class=\"scroll\"><table><thead><tr>"
        for (c, column) in data.columns.enumerated() {
            html += "<th\(numeric.contains(c) ? " class=\"num\"" : "")>\(column.replacingOccurrences(of: "_", with: " ").htmlEscaped)</th>"
        }
        html += "</tr></thead><tbody>"
        let shown = limit.map { Array(data.rows.prefix($0)) } ?? data.rows
        for row in shown {
            html += "<tr>"
            for (c, cell) in row.enumerated() {
                let text = percent.contains(data.columns[c]) ? Self.percent(cell.flatMap(Double.init)) : (cell ?? "—")
                html += "<td\(numeric.contains(c) ? " class=\"num\"" : "")>\(text.htmlEscaped)</td>"
            }
            html += "</tr>"
        }
        html += "</tbody></table></div>"
        if shown.count < data.rows.count {
            html += "<p class=\"note\">\(shown.count) of \(data.rows.count) rows shown; all are in \(name).csv.</p>"
        }
        if data.columns.count < full.columns.count {
            html += "<p class=\"note\">\(data.columns.count) of \(full.columns.count) columns shown; every figure is in \(name).csv.</p>"
        }
        return section(title, html)
    }

    func section(_ title: String, _ body: String) -> String {
        "<section><h2>\(title.htmlEscaped)</h2>\(body)</section>"
    }

    // MARK: formatting

    static func percent(_ value: Double?) -> String {
        guard let value else { return "—" }
        return String(format: "%.1f %%", value * 100)
    }

    static func duration(_ value: Double?) -> String {
        guard let value else { return "—" }
        return value >= 60 ? String(format: "%d:%02d", Int(value) / 60, Int(value.rounded()) % 60) : String(format: "%.1f s", value)
    }

    static func seconds(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// "2026-03-01T08:30:00-03:00" → "03-01 08:30".
    static func shortTime(_ iso: String) -> String {
        let chars = Array(iso)
        guard chars.count >= 16 else { return iso }
        return String(chars[5..<10]) + " " + String(chars[11..<16])
    }

    static let css = """
        :root{--ink:#1d2733;--muted:#5b6b7b;--line:#d9e1e8;--good:#2e7d4f;--bad:#b3412e}
        *{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#f6f8fa}
        header,main,footer{max-width:1200px;margin:0 auto;padding:12px 16px}h1{margin:8px 0 0;font-size:1.6em}
        h2{font-size:1.15em;margin:0 0 8px}.period{font-size:1.1em;margin:4px 0}.rules,.note,footer{color:var(--muted);font-size:.85em}
        .warning{color:var(--bad);font-weight:600;margin:4px 0}
        section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px;margin:14px 0}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;background:none;border:0;padding:0}
        .card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px;display:flex;flex-direction:column}
        .card .label{color:var(--muted);font-size:.85em}.card .value{font-size:1.7em;font-weight:600}.card .note{color:var(--muted);font-size:.8em}
        .card.good .value{color:var(--good)}.card.bad .value{color:var(--bad)}.card .change{font-size:.8em}
        .trend{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(440px,100%),1fr));gap:12px}.trend h3{font-size:.95em;margin:0 0 4px}
        .chart{width:100%;height:auto;display:block}.chart .grid{stroke:#e8edf1}.chart .axis{stroke:#9aa8b5}
        .chart .tick{font-size:11px;fill:var(--muted)}.chart .target{stroke:var(--bad);stroke-dasharray:6 4;stroke-width:1.5}
        .legend{font-size:.85em;color:var(--muted)}.legend span{margin-right:14px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
        .legend i.dash{border-top:2px dashed var(--bad);height:0;width:18px;vertical-align:3px}
        .scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9em}
        th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;white-space:nowrap}th{background:#f0f3f6;font-weight:600}
        table.wrap td{white-space:normal}
        .num{text-align:right;font-variant-numeric:tabular-nums}
        @media (max-width:600px){body{font-size:14px}.card .value{font-size:1.35em}th,td{padding:4px 5px}}
        @media print{body{background:#fff}section{break-inside:avoid;border:0;padding:0}.scroll{overflow:visible}}
        """
}
