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

    /// `written`: the CSV files of datasets written during the pass (whose rows are not all in memory), by
    /// dataset; they are moved into place with the others.
    public func write(datasets: [String: Dataset], figures: ReportFigures, into folder: URL, written: [String: URL] = [:]) throws -> ReportOutput {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        let incoming = folder.appendingPathComponent(".incoming")
        try? FileManager.default.removeItem(at: incoming)
        try FileManager.default.createDirectory(at: incoming, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        var files: [URL] = []
        // Written in full and synced in .incoming/, then renamed into place.
        @Sendable func stage(_ name: String, _ write: (([UInt8]) throws -> Void) throws -> Void) throws {
            let file = try StagedFile(incoming.appendingPathComponent(name))
            do {
                try write(file.write)
                try file.finish()
            } catch {
                file.close()
                throw error
            }
        }
        func publish(_ name: String) throws -> URL {
            let url = folder.appendingPathComponent(name)
            try StagedFile.move(incoming.appendingPathComponent(name), to: url)
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
                Result {
                    let name = "\(tables[index].name).csv"
                    if let file = written[tables[index].name] {
                        try StagedFile.move(file, to: incoming.appendingPathComponent(name))
                    } else {
                        try stage(name) { sink in try CSV.write(header: tables[index].columns, rows: tables[index].rows, sink) }
                    }
                }
            }
            for result in staged { try result.get() }
            for table in tables { _ = try publish("\(table.name).csv") }
        }
        var html: URL?
        if format != .csv {
            let staffing = StaffingRow.rows(figures.intervals, parameters: parameters)
            let page = try HTMLReport(parameters: parameters, datasets: datasets, figures: figures, staffing: staffing, generatedAt: now,
                                      origin: origin, definition: definition).render()
            try stage("report.html") { sink in try sink(Array(page.utf8)) }
            html = try publish("report.html")
        }
        try? FileManager.default.removeItem(at: incoming)
        return ReportOutput(folder: folder, files: files, html: html, datasets: datasets, figures: figures)
    }
}
