import CalltrailCore
import Foundation

/// Which sections a report has, in which order, with which titles, charts and columns, and the HTML
/// template that lays them out: reports/daily.toml and reports/monthly.toml are the defaults (embedded
/// in the binary, EmbeddedReports), and `calltrail report --definition FILE` renders an analyst's copy.
public struct ReportDefinition: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case cards, trend, chart, table, drill
    }

    /// The charts the page can draw; each reads the report's typed figures.
    public enum Chart: String, Sendable, CaseIterable {
        case slByInterval = "sl_by_interval", slByDay = "sl_by_day", queueIntervalHeatmaps = "queue_interval_heatmaps"
        case dayHourHeatmaps = "day_hour_heatmaps", callsByHour = "calls_by_hour", waitDistribution = "wait_distribution"
        case slFormulas = "sl_formulas", staffing
    }

    public struct Section: Sendable {
        public var kind: Kind
        public var chart: Chart?
        public var dataset: String?
        public var title: String?
        /// The columns a table shows, in order; nil for all of them.
        public var columns: [String]?
        public var percent: Set<String> = []
        public var limit: Int?
        public var empty: String?
        /// A table with fewer rows is left out.
        public var minRows = 0
    }

    public var name: String
    public var title: String
    public var sections: [Section]
    /// The template's text (`template`, beside the definition, else the built-in report.mustache).
    public var template: String
    /// The definition's own queries: dataset name → SQL, from the `queries` folder.
    public var queries: [String: String]

    /// The most rows of `dataset` a table of the page shows: nil when one shows them all, 0 when none
    /// shows it.
    public func rowsShown(_ dataset: String) -> Int? {
        var most = 0
        for section in sections where section.kind == .table && section.dataset == dataset {
            guard let limit = section.limit else { return nil }
            most = max(most, limit)
        }
        return most
    }

    /// Whether the report lists its calls (calls.csv): a `drill` section, or a table of the listing.
    public var needsCalls: Bool {
        sections.contains { $0.kind == .drill || $0.dataset.map(QueryCatalog.listings.contains) == true }
    }

    /// The built-in definition for a period: daily up to a week, monthly beyond.
    public static func builtIn(for parameters: ReportParameters) throws -> ReportDefinition {
        let daily = parameters.to.timeIntervalSince(parameters.from) <= 7 * 86_400 + 7200
        return try builtIn(daily ? "daily" : "monthly")
    }

    public static func builtIn(_ name: String) throws -> ReportDefinition {
        guard let text = EmbeddedReports.files["\(name).toml"] else {
            throw CalltrailError.configuration("no built-in report definition '\(name)': use daily or monthly, or --definition FILE")
        }
        return try parse(text, name: "\(name).toml", directory: nil)
    }

    /// A definition file; its template and queries folder are read beside it.
    public static func load(path: String) throws -> ReportDefinition {
        let url = URL(fileURLWithPath: path)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw CalltrailError.configuration("report definition \(path) cannot be read: check the path, or copy reports/daily.toml")
        }
        return try parse(text, name: url.lastPathComponent, directory: url.deletingLastPathComponent())
    }

    /// `directory` nil: a built-in definition, whose template is the built-in one.
    static func parse(_ text: String, name: String, directory: URL?) throws -> ReportDefinition {
        let reader = try TableReader.parse(text, name: name, directory: directory ?? URL(fileURLWithPath: "."))
        let known = ["title", "template", "queries", "section"]
        if let unknown = reader.keys.first(where: { !known.contains($0) }) {
            throw CalltrailError.configuration("\(name): unknown key \(unknown): use \(known.joined(separator: ", "))")
        }
        let title = try reader.optionalString("title") ?? "Call report"
        let templateName = try reader.optionalString("template") ?? "report.mustache"
        var template = EmbeddedReports.files["report.mustache"]!
        if let directory, FileManager.default.fileExists(atPath: directory.appendingPathComponent(templateName).path) {
            guard let text = try? String(contentsOf: directory.appendingPathComponent(templateName), encoding: .utf8) else {
                throw CalltrailError.configuration("\(name): template \(templateName) cannot be read: check its permissions")
            }
            template = text
        } else if directory != nil, templateName != "report.mustache" {
            throw CalltrailError.configuration("\(name): template \(templateName) is not beside the definition: copy reports/report.mustache there")
        }
        var queries: [String: String] = [:]
        if let folder = try reader.optionalString("queries") {
            let url = URL(fileURLWithPath: reader.resolve(folder))
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: url.path) else {
                throw CalltrailError.configuration("\(name): queries folder \(url.path) cannot be read: check the path (relative to the definition)")
            }
            for file in files.sorted() where file.hasSuffix(".sql") {
                let dataset = String(file.dropLast(4))
                guard dataset.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !QueryCatalog.names.contains(dataset),
                      !QueryCatalog.listings.contains(dataset) else {
                    throw CalltrailError.configuration(
                        "\(name): query \(file) needs a name of letters, digits and _ that no built-in dataset has: rename it")
                }
                queries[dataset] = try String(contentsOf: url.appendingPathComponent(file), encoding: .utf8)
            }
        }
        var sections: [Section] = []
        for (index, table) in try reader.tables("section", example: "[[section]]").enumerated() {
            let place = "\(name) [[section]] #\(index + 1)"
            let keys = ["kind", "chart", "dataset", "title", "columns", "percent", "limit", "empty", "min_rows"]
            if let unknown = table.keys.first(where: { !keys.contains($0) }) {
                throw CalltrailError.configuration("\(place): unknown key \(unknown): use \(keys.joined(separator: ", "))")
            }
            let kindText = try table.string("kind", example: "table")
            guard let kind = Kind(rawValue: kindText) else {
                throw CalltrailError.configuration("\(place): kind \(kindText) is not one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var section = Section(kind: kind)
            section.title = try table.optionalString("title")
            if kind == .chart {
                let chartText = try table.string("chart", example: "sl_by_interval")
                guard let chart = Chart(rawValue: chartText) else {
                    throw CalltrailError.configuration(
                        "\(place): chart \(chartText) is not one of \(Chart.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                section.chart = chart
            }
            if kind == .table {
                let dataset = try table.string("dataset", example: "by_queue")
                guard QueryCatalog.names.contains(dataset) || QueryCatalog.listings.contains(dataset) || queries[dataset] != nil else {
                    throw CalltrailError.configuration(
                        "\(place): dataset \(dataset) is neither a built-in dataset nor a .sql file of `queries`: use one of \(QueryCatalog.names.joined(separator: ", "))")
                }
                section.dataset = dataset
                if table.has("columns") { section.columns = try table.stringList("columns", example: "offered") }
                section.percent = Set(try table.stringList("percent", example: "service_level"))
                if table.has("limit") { section.limit = try table.int("limit", default: 200, range: 1...1_000_000) }
                section.empty = try table.optionalString("empty")
                section.minRows = try table.int("min_rows", default: 0, range: 0...1_000_000)
            }
            sections.append(section)
        }
        guard !sections.isEmpty else {
            throw CalltrailError.configuration("\(name) has no [[section]]: add one, e.g. [[section]] kind = \"cards\"")
        }
        return ReportDefinition(name: name, title: title, sections: sections, template: template, queries: queries)
    }
}
