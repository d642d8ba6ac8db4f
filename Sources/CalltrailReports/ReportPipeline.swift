import CalltrailCore
import CalltrailStore
import Foundation

public enum ReportFormat: String, Sendable, CaseIterable {
    case csv, html, both
}

/// What a report run wrote.
public struct ReportOutput: Sendable {
    public var folder: URL
    public var files: [URL]
    public var html: URL?
    public var datasets: [String: Dataset]
    public var figures: ReportFigures
}

/// queries/*.sql → datasets and figures → one CSV each and `report.html` (ReportWriter).
public struct ReportPipeline: Sendable {
    public let store: CallStore

    public init(store: CallStore) { self.store = store }

    /// Every dataset of the catalog: the report engine's pass over the period, and beside it, on the
    /// other reader, platform_comparison's few snapshots and recording_verification's archive-wide
    /// ledger counts by their SQL.
    public func datasets(_ parameters: ReportParameters) async throws -> [String: Dataset] {
        try await report(parameters).datasets
    }

    /// The datasets and the typed figures the HTML page reads.
    public func report(_ parameters: ReportParameters) async throws -> (datasets: [String: Dataset], figures: ReportFigures) {
        try await report(parameters, spool: nil)
    }

    func report(_ parameters: ReportParameters, spool: AbandonedCallsSpool?) async throws -> (datasets: [String: Dataset], figures: ReportFigures) {
        try await store.ensureTimeZone(parameters.timeZone)
        let runner = QueryRunner(store: store)
        async let platform = runner.run("platform_comparison", parameters: parameters)
        async let verification = runner.run("recording_verification", parameters: parameters)
        // Summed from the interval tallies by their queries alone.
        async let hours = runner.run("by_hour", parameters: parameters)
        async let waits = runner.run("wait_distribution", parameters: parameters)
        var (datasets, figures) = try await ReportEngine(parameters: parameters, spool: spool).run(store)
        datasets["platform_comparison"] = try await platform
        datasets["recording_verification"] = try await verification
        let byHour = try await hours, waitDistribution = try await waits
        datasets["by_hour"] = byHour
        datasets["wait_distribution"] = waitDistribution
        // Counts, printed as SQLite gives integers: read back exactly.
        figures.hours = byHour.rows.map { row in
            ReportFigures.Hour(hour: Self.count(row, 0), offered: Self.count(row, 1), answered: Self.count(row, 2), abandoned: Self.count(row, 3))
        }
        figures.waits = waitDistribution.rows.map { row in
            ReportFigures.WaitBucket(label: row[0] ?? "", answered: Self.count(row, 3), abandoned: Self.count(row, 4))
        }
        if let range = parameters.comparisonRange {
            let period = try await store.tallySums(TallyScope(parameters, from: range.from, to: range.to), by: .period)
            figures.comparison = .init(label: range.label, from: range.from, to: range.to, headline: (period.first?.sums ?? TallySums()).headline)
        }
        if let range = parameters.trendRange {
            figures.trend = try await store.tallySums(TallyScope(parameters, from: range.from, to: range.to), by: .day).map {
                ReportFigures.TrendDay(day: $0.bucket, $0.sums.counts, aht: $0.sums.aht)
            }
        }
        return (datasets, figures)
    }

    static func count(_ row: [String?], _ column: Int) -> Int { column < row.count ? row[column].flatMap { Int($0) } ?? 0 : 0 }

    /// The report as `definition` (default: the built-in one for the period) lays it out, its own
    /// queries run beside the catalog's datasets.
    public func render(_ parameters: ReportParameters, into folder: URL, format: ReportFormat = .both, now: Date = Date(),
                       definition: ReportDefinition? = nil) async throws -> ReportOutput {
        let writer = try ReportWriter(parameters: parameters, format: format, now: now, definition: definition)
        // Its files carry customers' numbers: an erasure reaches them through this record.
        try await store.recordReportFolder(folder, at: now)
        // The abandoned calls go to their file as the pass finds them (when CSV is asked for), the rows the
        // page shows kept: a year's million need not be in memory. A killed run's spool is swept by the next.
        let spoolFolder = folder.appendingPathComponent(".spool")
        try? FileManager.default.removeItem(at: spoolFolder)
        try FileManager.default.createDirectory(at: spoolFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        defer { try? FileManager.default.removeItem(at: spoolFolder) }
        let spool = try AbandonedCallsSpool(format == .html ? nil : spoolFolder.appendingPathComponent("abandoned_calls.csv"),
                                            keep: writer.definition.rowsShown("abandoned_calls") ?? .max)
        var (datasets, figures) = try await report(parameters, spool: spool)
        for (name, sql) in writer.definition.queries {
            datasets[name] = try await QueryRunner(store: store).run(name, sql: sql, parameters: parameters)
        }
        if writer.definition.needsCalls { datasets["calls"] = try await QueryRunner(store: store).run("calls", parameters: parameters) }
        return try writer.write(datasets: datasets, figures: figures, into: folder, written: spool.url.map { ["abandoned_calls": $0] } ?? [:])
    }
}
