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
}

/// queries/*.sql → datasets → one CSV each and `report.html`.
public struct ReportPipeline: Sendable {
    public let store: CallStore

    public init(store: CallStore) { self.store = store }

    public func datasets(_ parameters: ReportParameters) async throws -> [String: Dataset] {
        let runner = QueryRunner(store: store)
        var datasets: [String: Dataset] = [:]
        for name in QueryCatalog.names {
            datasets[name] = try await runner.run(name, parameters: parameters)
        }
        return datasets
    }

    public func render(_ parameters: ReportParameters, into folder: URL, format: ReportFormat = .both, now: Date = Date()) async throws -> ReportOutput {
        let datasets = try await datasets(parameters)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        var files: [URL] = []
        func write(_ text: String, _ name: String) throws -> URL {
            let url = folder.appendingPathComponent(name)
            try Data(text.utf8).write(to: url, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: url.path)
            files.append(url)
            return url
        }
        if format != .html {
            for name in QueryCatalog.names { _ = try write(CSVWriter.render(datasets[name]!), "\(name).csv") }
        }
        var html: URL?
        if format != .csv {
            let staffing = StaffingRow.rows(byInterval: datasets["by_interval"]!, parameters: parameters)
            let page = HTMLReport(parameters: parameters, datasets: datasets, staffing: staffing, generatedAt: now).render()
            html = try write(page, "report.html")
        }
        return ReportOutput(folder: folder, files: files, html: html, datasets: datasets)
    }
}
