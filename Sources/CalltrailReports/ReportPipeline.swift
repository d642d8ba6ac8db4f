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

/// queries/*.sql → datasets → one CSV each and `report.html`.
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
        try await store.ensureTimeZone(parameters.timeZone)
        let arguments = QueryRunner.arguments(parameters.bindings)
        async let platform = store.read { db in try QueryRunner.run("platform_comparison", arguments: arguments, db) }
        async let verification = store.read { db in try QueryRunner.run("recording_verification", arguments: arguments, db) }
        var (datasets, figures) = try await ReportEngine(parameters: parameters).run(store)
        datasets["platform_comparison"] = try await platform
        datasets["recording_verification"] = try await verification
        return (datasets, figures)
    }

    public func render(_ parameters: ReportParameters, into folder: URL, format: ReportFormat = .both, now: Date = Date()) async throws -> ReportOutput {
        let (datasets, figures) = try await report(parameters)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        // Each file is written in full into `.incoming/`, then renamed into place: a run killed while
        // rendering leaves whole files only, and the next run sweeps what it left in `.incoming/`.
        let incoming = folder.appendingPathComponent(".incoming")
        try? FileManager.default.removeItem(at: incoming)
        try FileManager.default.createDirectory(at: incoming, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        var files: [URL] = []
        func write(_ text: String, _ name: String) throws -> URL {
            let temporary = incoming.appendingPathComponent(name)
            let url = folder.appendingPathComponent(name)
            FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o640])
            let handle = try FileHandle(forUpdating: temporary)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary.path, url.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "rename to \(url.path): \(String(cString: strerror(errno)))"])
            }
            files.append(url)
            return url
        }
        // Every catalogued dataset is computed; one missing is a bug, said in words, not a crash.
        func dataset(_ name: String) throws -> Dataset {
            guard let dataset = datasets[name] else {
                throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "report dataset \(name) was not computed"])
            }
            return dataset
        }
        if format != .html {
            for name in QueryCatalog.names { _ = try write(CSVWriter.render(try dataset(name)), "\(name).csv") }
        }
        var html: URL?
        if format != .csv {
            let staffing = StaffingRow.rows(figures.intervals, parameters: parameters)
            let page = HTMLReport(parameters: parameters, datasets: datasets, figures: figures, staffing: staffing, generatedAt: now).render()
            html = try write(page, "report.html")
        }
        try? FileManager.default.removeItem(at: incoming)
        return ReportOutput(folder: folder, files: files, html: html, datasets: datasets, figures: figures)
    }
}
