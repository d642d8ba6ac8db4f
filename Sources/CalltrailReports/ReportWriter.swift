import CalltrailCore
import Foundation

/// A report's datasets and figures, from the SQLite file or the warehouse, → one CSV per dataset of the
/// catalog and the self-contained `report.html`. Each file is written in full into `.incoming/`, then
/// renamed into place: a run killed while rendering leaves whole files only, and the next run sweeps
/// what it left in `.incoming/`.
public struct ReportWriter: Sendable {
    public var parameters: ReportParameters
    public var format: ReportFormat
    public var now: Date
    /// Where the figures come from, when not this site's SQLite file: shown in the page's header.
    public var origin: String?
    /// The sections and template of report.html; its own queries' datasets are written as CSV too.
    public var definition: ReportDefinition

    public init(parameters: ReportParameters, format: ReportFormat = .both, now: Date = Date(), origin: String? = nil,
                definition: ReportDefinition? = nil) throws {
        self.parameters = parameters
        self.format = format
        self.now = now
        self.origin = origin
        self.definition = try definition ?? ReportDefinition.builtIn(for: parameters)
    }

    public func write(datasets: [String: Dataset], figures: ReportFigures, into folder: URL) throws -> ReportOutput {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        let incoming = folder.appendingPathComponent(".incoming")
        try? FileManager.default.removeItem(at: incoming)
        try FileManager.default.createDirectory(at: incoming, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        var files: [URL] = []
        // Written in full and synced in .incoming/, then renamed into place.
        @Sendable func stage(_ bytes: [UInt8], _ name: String) throws {
            let temporary = incoming.appendingPathComponent(name)
            FileManager.default.createFile(atPath: temporary.path, contents: Data(bytes), attributes: [.posixPermissions: 0o640])
            let handle = try FileHandle(forUpdating: temporary)
            try handle.synchronize()
            try handle.close()
        }
        func publish(_ name: String) throws -> URL {
            let url = folder.appendingPathComponent(name)
            guard rename(incoming.appendingPathComponent(name).path, url.path) == 0 else {
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
            // Every dataset, the definition's own queries, and the listing the page drills down to when the
            // figures came from the SQLite file; a year's are large, so they are rendered on every core.
            let tables = try (QueryCatalog.names + definition.queries.keys.sorted()).map(dataset)
                + (definition.needsCalls ? QueryCatalog.listings.compactMap { datasets[$0] } : [])
            let staged = Parallel.map(tables.count) { index in
                Result { try stage(CSV.bytes(header: tables[index].columns, rows: tables[index].rows), "\(tables[index].name).csv") }
            }
            for result in staged { try result.get() }
            for table in tables { _ = try publish("\(table.name).csv") }
        }
        var html: URL?
        if format != .csv {
            let staffing = StaffingRow.rows(figures.intervals, parameters: parameters)
            let page = try HTMLReport(parameters: parameters, datasets: datasets, figures: figures, staffing: staffing, generatedAt: now,
                                      origin: origin, definition: definition).render()
            try stage(Array(page.utf8), "report.html")
            html = try publish("report.html")
        }
        try? FileManager.default.removeItem(at: incoming)
        return ReportOutput(folder: folder, files: files, html: html, datasets: datasets, figures: figures)
    }
}
