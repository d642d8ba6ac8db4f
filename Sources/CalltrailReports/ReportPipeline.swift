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

    /// Every dataset of the catalog: the inbound figures and wait_distribution summed from the interval
    /// tallies in one read of them, by_agent from the agent tallies in one read of theirs (TallyFigures),
    /// the report engine's pass over the period's calls for the listings and the outbound side, and beside
    /// them the queries of by_hour, platform_comparison's few snapshots and recording_verification's
    /// ledger counts.
    public func datasets(_ parameters: ReportParameters) async throws -> [String: Dataset] {
        try await report(parameters).datasets
    }

    /// The datasets and the typed figures the HTML page reads.
    public func report(_ parameters: ReportParameters) async throws -> (datasets: [String: Dataset], figures: ReportFigures) {
        try await report(parameters, spool: nil)
    }

    /// The inbound datasets of `grains` as the report makes them, from one read of the period's tallies
    /// (by_number's without the numbers only outbound calls reached, and without its outbound columns).
    public func inboundDatasets(_ parameters: ReportParameters, grains: Set<InboundGrain>) async throws -> [String: Dataset] {
        try await TallyFigures(store: store, parameters: parameters).datasets(grains)
    }

    /// The datasets whose queries run as they are.
    static let queried = ["by_hour", "platform_comparison", "recording_verification"]

    func report(_ parameters: ReportParameters, spool: AbandonedCallsSpool?) async throws -> (datasets: [String: Dataset], figures: ReportFigures) {
        try await store.ensureTimeZone(parameters.timeZone)
        try await store.refreshTallies(keepingTheirZoneOr: parameters.timeZone)
        let runner = QueryRunner(store: store, refreshed: true)
        async let queried = withThrowingTaskGroup(of: Dataset.self) { group in
            for name in Self.queried { group.addTask { try await runner.run(name, parameters: parameters) } }
            return try await group.reduce(into: [String: Dataset]()) { $0[$1.name] = $1 }
        }
        async let engine = ReportEngine(parameters: parameters, spool: spool).run(store)
        async let tallied = TallyFigures(store: store, parameters: parameters).figures()
        var made = try await engine
        let summed = try await tallied
        made.offeredNumbers = summed.offeredNumbers
        var datasets = made.all, figures = made.figures
        datasets.merge(summed.datasets) { $1 }
        datasets.merge(try await queried) { $1 }
        figures.headline = summed.headline
        figures.comparison = summed.comparison
        figures.trend = summed.trend
        figures.intervals = summed.intervals
        // Counts, printed as SQLite gives integers: read back exactly.
        figures.hours = (datasets["by_hour"]?.rows ?? []).map { row in
            ReportFigures.Hour(hour: Self.count(row, 0), offered: Self.count(row, 1), answered: Self.count(row, 2), abandoned: Self.count(row, 3))
        }
        figures.waits = (datasets["wait_distribution"]?.rows ?? []).map { row in
            ReportFigures.WaitBucket(label: row[0] ?? "", answered: Self.count(row, 3), abandoned: Self.count(row, 4))
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
