import CalltrailCore
import Foundation
import Mustache

/// The self-contained `report.html`: the sections a report definition lists (reports/*.toml), laid out
/// by its Mustache template, which escapes every value; charts are inline SVG built here (their text
/// escaped as they are drawn); no script, no external resource.
struct HTMLReport {
    let parameters: ReportParameters
    let datasets: [String: Dataset]
    let figures: ReportFigures
    let staffing: [StaffingRow]
    let generatedAt: Date
    /// Where the figures were read, when not this site's SQLite file (the warehouse and its sites).
    var origin: String? = nil
    var definition: ReportDefinition

    /// The calls behind the counts, when the definition drills down and the listing was read.
    var drill: DrillDown? {
        guard definition.needsCalls, let calls = datasets["calls"] else { return nil }
        return DrillDown(calls: calls, intervalMinutes: parameters.interval)
    }

    func render() throws -> String {
        let template: MustacheTemplate
        do {
            template = try MustacheTemplate(string: definition.template)
        } catch {
            throw CalltrailError.configuration("the template of \(definition.name) is not valid Mustache (\(error)): fix it, or start again from reports/report.mustache")
        }
        return template.render(context)
    }

    /// What the template reads: the header's texts, the CSS and one entry per section.
    var context: [String: Any] {
        let period = "\(LocalDateTime(parameters.from, in: parameters.timeZone)) – \(LocalDateTime(parameters.to, in: parameters.timeZone))"
        var context: [String: Any] = [
            "title": definition.title, "period": period, "zone": parameters.timeZone.identifier, "css": Self.css,
            "rules": "Service level = answered within T / (offered − short abandons) (V5) · T = \(Self.seconds(parameters.threshold)) s (inclusive) · "
                + "short abandon: wait under \(Self.seconds(parameters.shortAbandon)) s · target \(Self.percent(parameters.target)) · "
                + "a call counts in the interval and day it was offered, on the center's clock · ratios of groups are summed numerators over summed denominators.",
            "warnings": MappingCheckWarnings.of(figures.mappingChecks),
            "generated": LocalDateTime(generatedAt, in: parameters.timeZone).description,
            "sections": definition.sections.flatMap { contexts($0, drill: drill) },
        ]
        if !parameters.queues.isEmpty { context["queues"] = parameters.queues.joined(separator: ", ") }
        if let origin { context["origin"] = origin }
        return context
    }

    /// A section's entries for the template (none when it has nothing to show; a chart may make two).
    func contexts(_ section: ReportDefinition.Section, drill: DrillDown?) -> [[String: Any]] {
        switch section.kind {
        case .drill:
            return drillSections(section.title ?? "The calls behind the counts", drill: drill)
        case .cards:
            return [["cards": cards(figures.headline)]]
        case .trend:
            guard let svg = trendCharts() else { return [] }
            return [block(section.title ?? "Trend: the \(figures.trend.count) days with calls of the 30 ending \(figures.trend.last!.day)", svg: svg)]
        case .chart:
            return chart(section.chart!, title: section.title, drill: drill)
        case .table:
            let name = section.dataset!
            guard let full = datasets[name], full.rowCount >= section.minRows else { return [] }
            let title = section.title ?? name
            guard full.rowCount > 0 else { return [block(title, notes: [section.empty ?? "None in this period."])] }
            let data = section.columns.map { full.selecting($0) } ?? full
            var notes: [String] = []
            let shown = section.limit.map { min($0, data.rows.count) } ?? data.rows.count
            if shown < data.rowCount { notes.append("\(shown) of \(data.rowCount) rows shown; all are in \(name).csv.") }
            if data.columns.count < full.columns.count {
                notes.append("\(data.columns.count) of \(full.columns.count) columns shown; every figure is in \(name).csv.")
            }
            // Counts with calls behind them link to the list of those calls.
            // The key column of each dataset whose counts have calls behind them.
            let keyed = ["by_queue": ("queue", "queue"), "by_day": ("day", "day"), "by_number": ("number", "number")]
            let links: (String, Int, [String?]) -> String? = { column, _, row in
                guard let drill, let (keyColumn, kind) = keyed[name], let key = data.column(keyColumn).flatMap({ row[$0] }) else { return nil }
                switch column {
                case "abandoned": return drill.link(kind, key)
                case "answered" where kind == "queue": return drill.link("queue-over-t", key)
                default: return nil
                }
            }
            if drill != nil, keyed[name] != nil {
                notes.append(name == "by_queue" ? "An abandoned count lists those calls; an answered count lists the calls answered after T."
                                                : "An abandoned count lists those calls.")
            }
            return [block(title, table: table(data, percent: section.percent, limit: shown, links: links), notes: notes)]
        }
    }

    func block(_ heading: String, lead: String? = nil, svg: String? = nil, table: [String: Any]? = nil, notes: [String] = [],
               anchor: String? = nil) -> [String: Any] {
        var block: [String: Any] = ["heading": heading, "notes": notes]
        if let anchor { block["anchor"] = anchor }
        if let lead { block["lead"] = lead }
        if let svg { block["svg"] = svg }
        if let table { block["table"] = table }
        return ["block": block]
    }

    /// An index of the lists (queues with their abandoned and late-answered calls), then each list as a
    /// section the page shows only when a link to it is followed.
    func drillSections(_ title: String, drill: DrillDown?) -> [[String: Any]] {
        guard let drill else {
            return [block(title, notes: ["The calls behind the counts were not read for this report."])]
        }
        guard !drill.lists.isEmpty else { return [block(title, notes: ["No abandoned or late-answered call in this period."])] }
        let index = Dataset(name: "drill", columns: ["list", "calls"], rows: drill.lists.map { [$0.title, String($0.rows.count)] })
        let ids = drill.lists.map { "#" + $0.id }
        var sections = [block(title, lead: "Every call is in calls.csv. Follow a link (or a count in the queue table or the heatmap) to list its calls here.",
                              table: table(index, percent: [], limit: index.rows.count, links: { column, number, _ in
                                  column == "list" ? ids[number] : nil
                              }))]
        for list in drill.lists {
            let rows = Dataset(name: list.id, columns: drill.calls.columns, rows: list.rows.map { drill.calls.rows[$0] }).selecting(DrillDown.shown)
            sections.append(block(list.title, table: table(rows, percent: [], limit: rows.rows.count), anchor: list.id))
        }
        return sections
    }

    func chart(_ chart: ReportDefinition.Chart, title: String?, drill: DrillDown?) -> [[String: Any]] {
        switch chart {
        case .slByInterval:
            // Past 200 intervals (a custom range of days) a bar would be thinner than a pixel: by day instead.
            if figures.intervals.count > 200 { return [block("Service level by day", svg: slByDayChart())] }
            return [block(title ?? "Service level by interval", svg: slChart())]
        case .slByDay:
            return [block(title ?? "Service level by day", svg: slByDayChart())]
        case .queueIntervalHeatmaps:
            return queueIntervalHeatmaps(drill: drill)
        case .dayHourHeatmaps:
            return dayHourHeatmaps()
        case .callsByHour:
            return [block(title ?? "Calls by hour of day", svg: hourChart())]
        case .waitDistribution:
            return [block(title ?? "Wait before answer or hang-up", svg: waitChart())]
        case .slFormulas:
            let rows: [[String?]] = figures.headline.variants.map { [$0.name, $0.definition, $0.value.map { String($0) }] }
            let data = Dataset(name: "formulas", columns: ["formula", "definition", "value"], rows: rows)
            var table = table(data, percent: ["value"], limit: rows.count)
            table["wrap"] = true
            return [block(title ?? "All five service-level formulas", table: table)]
        case .staffing:
            let busy = staffing.filter { $0.offered > 0 }
            guard !busy.isEmpty else { return [block(title ?? "Staffing (Erlang C)", notes: ["No offered calls."])] }
            let rows: [[String?]] = busy.map { row in
                [row.interval, String(row.offered), Self.duration(row.aht), String(format: "%.2f", row.load), String(row.agents), Self.percent(row.serviceLevel)]
            }
            let data = Dataset(name: "staffing", columns: ["interval", "offered", "AHT s", "load (Erlangs)", "agents needed", "SL with them"], rows: rows)
            return [block(title ?? "Staffing (Erlang C)",
                          lead: "Agents needed per interval for \(Self.percent(parameters.target)) answered within \(Self.seconds(parameters.threshold)) s, from the interval's offered calls and AHT.",
                          table: table(data, percent: [], limit: rows.count, numeric: [1, 2, 3, 4, 5]))]
        }
    }

    /// A dataset's first `limit` rows for the template: numeric columns right-aligned, `percent`
    /// columns as percentages, an empty cell as a dash.
    func table(_ data: Dataset, percent: Set<String>, limit: Int, numeric forced: Set<Int>? = nil,
               links: ((_ column: String, _ row: Int, _ cells: [String?]) -> String?)? = nil) -> [String: Any] {
        let numeric = forced ?? Set(data.columns.indices.filter { c in data.rows.allSatisfy { $0[c].map { Double($0) != nil } ?? true } })
        let columns: [[String: Any]] = data.columns.enumerated().map { c, name in
            ["name": name.replacingOccurrences(of: "_", with: " "), "num": numeric.contains(c)]
        }
        let rows: [[String: Any]] = data.rows.prefix(limit).enumerated().map { number, row in
            ["cells": row.enumerated().map { c, cell -> [String: Any] in
                let text = percent.contains(data.columns[c]) ? Self.percent(cell.flatMap(Double.init)) : (cell ?? "—")
                var context: [String: Any] = ["text": text, "num": numeric.contains(c)]
                if let href = links?(data.columns[c], number, row) { context["href"] = href }
                return context
            }]
        }
        return ["columns": columns, "rows": rows]
    }

    // MARK: sections

    func cards(_ headline: ReportFigures.Headline) -> [String: Any] {
        let sl = headline.serviceLevel
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
        var cards: [String: Any] = ["items": items.map { label, value, note, change -> [String: Any] in
            var item: [String: Any] = ["label": label, "value": value, "note": note]
            if label == "Service level", let sl { item["state"] = sl >= parameters.target ? "good" : "bad" }
            if let change { item["change"] = change }
            return item
        }]
        if let comparison = figures.comparison {
            let period = "\(LocalDateTime(comparison.from, in: parameters.timeZone)) – \(LocalDateTime(comparison.to, in: parameters.timeZone))"
            cards["beside"] = "Beside each figure: the \(comparison.label) (\(period)), then the difference."
        }
        return cards
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
    func trendCharts() -> String? {
        let days = figures.trend
        guard !days.isEmpty else { return nil }
        let labels = days.map { String($0.day.suffix(5)) }
        let every = max(1, labels.count / 15)
        let charts = [
            SVGChart.bars(title: "Service level by day", categories: labels,
                          series: [.init(name: "service level", color: "#2f6f9f", values: days.map(\.serviceLevel))], axis: .ratio,
                          target: (parameters.target, "target \(Self.percent(parameters.target))"), format: { Self.percent($0) }, labelEvery: every,
                          width: .column),
            SVGChart.bars(title: "Abandon rate by day", categories: labels,
                          series: [.init(name: "abandon rate", color: "#c4553f", values: days.map(\.abandonRate))], axis: .ratio,
                          format: { Self.percent($0) }, labelEvery: every, width: .column),
            SVGChart.bars(title: "Offered calls by day", categories: labels,
                          series: [.init(name: "offered", color: "#8aa9c4", values: days.map { Double($0.offered) })], axis: .count,
                          format: { String(Int($0)) }, labelEvery: every, width: .column),
            SVGChart.bars(title: "AHT by day", categories: labels,
                          series: [.init(name: "AHT", color: "#5b6b7b", values: days.map(\.aht))], axis: .seconds, format: { Self.duration($0) },
                          labelEvery: every, width: .column),
        ]
        let titles = ["Service level", "Abandon rate", "Offered", "AHT"]
        return "<div class=\"trend\">" + zip(titles, charts).map { "<div><h3>\($0.htmlEscaped)</h3>\($1)</div>" }.joined() + "</div>"
    }

    func slChart() -> String {
        let intervals = figures.intervals
        guard !intervals.isEmpty else { return "<p>No intervals.</p>" }
        let labels = intervals.map { Self.shortTime($0.start) }
        let every = max(1, labels.count / 24)
        return SVGChart.bars(title: "Service level by interval", categories: labels,
                             series: [.init(name: "service level", color: "#2f6f9f", values: intervals.map(\.serviceLevel))],
                             axis: .ratio, target: (parameters.target, "target \(Self.percent(parameters.target))"),
                             format: { Self.percent($0) }, labelEvery: every)
    }

    /// Service level and offered calls per queue (ALL first) and interval, from by_queue_interval's
    /// cells (a colour needs no more than their four decimals). Left out past 200 intervals (a period of
    /// several days), where a cell would be thinner than a pixel: the CSV has them all.
    func queueIntervalHeatmaps(drill: DrillDown?) -> [[String: Any]] {
        guard let grid = datasets["by_queue_interval"], let start = grid.column("interval_start"), let queue = grid.column("queue"),
              let offered = grid.column("offered"), let sl = grid.column("service_level"), !grid.rows.isEmpty
        else { return [] }
        var intervals: [String] = [], queues: [String] = []
        var cells: [String: (offered: Double, sl: Double?)] = [:]
        for row in grid.rows {
            let interval = row[start] ?? "", name = row[queue] ?? ""
            if intervals.last != interval { intervals.append(interval) }
            if !queues.contains(name) { queues.append(name) }
            cells[interval + "\u{1F}" + name] = (row[offered].flatMap(Double.init) ?? 0, row[sl].flatMap(Double.init))
        }
        guard intervals.count <= 200 else {
            return [block("Service level by queue and interval",
                          notes: ["\(intervals.count) intervals: too many to draw; every queue's intervals are in by_queue_interval.csv."])]
        }
        let columns = intervals.map(Self.shortTime), every = max(1, intervals.count / 24)
        func rows(_ value: ((offered: Double, sl: Double?)) -> Double?) -> [SVGHeatmap.Row] {
            queues.map { name in
                SVGHeatmap.Row(label: name, values: intervals.map { cells[$0 + "\u{1F}" + name].flatMap(value) },
                               links: intervals.map { interval in drill?.link("interval", interval) })
            }
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
        return [block("Service level by queue and interval", svg: slMap + legend), block("Offered calls by queue and interval", svg: volume)]
    }

    /// The intervals added up per local day and hour: (day, hour) → their counts.
    var dayHourCells: [String: [Int: InboundCounts]] {
        var cells: [String: [Int: InboundCounts]] = [:]
        for interval in figures.intervals {
            let chars = Array(interval.start)
            guard chars.count >= 13, let hour = Int(String(chars[11...12])) else { continue }
            cells[String(chars[0..<10]), default: [:]][hour, default: InboundCounts()]
                .add(InboundCounts(offered: interval.offered, shortAbandoned: interval.shortAbandoned, answeredInT: interval.answeredInT))
        }
        return cells
    }

    /// Service level per day for a long period, from the intervals' own counts.
    func slByDayChart() -> String {
        let cells = dayHourCells
        let days = cells.keys.sorted()
        let values = days.map { day -> Double? in
            var total = InboundCounts()
            for cell in cells[day]!.values { total.add(cell) }
            return total.serviceLevel
        }
        return SVGChart.bars(title: "Service level by day", categories: days.map { String($0.suffix(5)) },
                             series: [.init(name: "service level", color: "#2f6f9f", values: values)], axis: .ratio,
                             target: (parameters.target, "target \(Self.percent(parameters.target))"), format: { Self.percent($0) },
                             labelEvery: max(1, days.count / 31))
    }

    /// Service level and offered calls by day and hour, when the period spans several days (up to two
    /// months: a year's would be 365 rows; by_week and by_month carry it).
    func dayHourHeatmaps() -> [[String: Any]] {
        let cells = dayHourCells
        guard cells.count > 1, cells.count <= 62 else { return [] }
        let days = cells.keys.sorted()
        let hours = (0..<24).map { String(format: "%02d", $0) }
        let busiest = Double(cells.values.flatMap { $0.values.map(\.offered) }.max() ?? 0)
        let sl = days.map { day in
            SVGHeatmap.Row(label: day, values: (0..<24).map { hour in
                cells[day]?[hour]?.serviceLevel
            })
        }
        let offered = days.map { day in
            SVGHeatmap.Row(label: day, values: (0..<24).map { hour in cells[day]?[hour].flatMap { $0.offered > 0 ? Double($0.offered) : nil } })
        }
        return [
            block("Service level by day and hour", svg: SVGHeatmap.render(title: "Service level by day and hour", columns: hours, rows: sl, labelEvery: 1,
                                                                          color: SVGHeatmap.serviceLevelColor(target: parameters.target),
                                                                          format: { Self.percent($0) })),
            block("Offered calls by day and hour", svg: SVGHeatmap.render(title: "Offered calls by day and hour", columns: hours, rows: offered,
                                                                          labelEvery: 1, color: SVGHeatmap.volumeColor(maximum: busiest),
                                                                          format: { String(Int($0)) })),
        ]
    }

    func hourChart() -> String {
        let hours = figures.hours
        guard !hours.isEmpty else { return "<p>No calls.</p>" }
        return SVGChart.bars(title: "Offered, answered and abandoned by hour", categories: hours.map { String(format: "%02d:00", $0.hour) }, series: [
            .init(name: "offered", color: "#8aa9c4", values: hours.map { Double($0.offered) }),
            .init(name: "answered", color: "#2f6f9f", values: hours.map { Double($0.answered) }),
            .init(name: "abandoned", color: "#c4553f", values: hours.map { Double($0.abandoned) }),
        ], axis: .count, format: { String(Int($0)) })
    }

    func waitChart() -> String {
        let waits = figures.waits
        guard !waits.isEmpty else { return "<p>No waits.</p>" }
        return SVGChart.bars(title: "Wait distribution, answered beside abandoned", categories: waits.map { $0.label + " s" }, series: [
            .init(name: "answered", color: "#2f6f9f", values: waits.map { Double($0.answered) }),
            .init(name: "abandoned", color: "#c4553f", values: waits.map { Double($0.abandoned) }),
        ], axis: .count, format: { String(Int($0)) })
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
        section.drill:not(:target){display:none}section.drill:target{border-color:var(--ink)}
        .card.good .value{color:var(--good)}.card.bad .value{color:var(--bad)}.card .change{font-size:.8em}
        .trend{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(440px,100%),1fr));gap:12px}.trend h3{font-size:.95em;margin:0 0 4px}
        .chart{width:100%;height:auto;display:block}.chart .grid{stroke:#e8edf1}.chart .axis{stroke:#9aa8b5}
        .chart .tick{font-size:12px;fill:var(--muted)}.chart.w480 .tick{font-size:13px}
        .chart.heatmap{min-width:720px}.chart.heatmap .tick{font-size:15px}.chart .target{stroke:var(--bad);stroke-dasharray:6 4;stroke-width:1.5}
        .legend{font-size:.85em;color:var(--muted)}.legend span{margin-right:14px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
        .legend i.dash{border-top:2px dashed var(--bad);height:0;width:18px;vertical-align:3px}
        .scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9em}
        th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;white-space:nowrap}th{background:#f0f3f6;font-weight:600}
        table.wrap td{white-space:normal}
        .num{text-align:right;font-variant-numeric:tabular-nums}
        @media (max-width:600px){body{font-size:14px}.card .value{font-size:1.35em}th,td{padding:4px 5px}
        .chart.w960 .tick{font-size:30px}.chart.w480 .tick{font-size:16px}.chart .tick.minor{display:none}}
        @media print{body{background:#fff}section{break-inside:avoid;border:0;padding:0}.scroll{overflow:visible}}
        """
}
