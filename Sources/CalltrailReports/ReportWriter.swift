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
            // Every dataset, the definition's own queries, and the listing the page drills down to when the
            // figures came from the SQLite file; a year's are large, so they are rendered on every core.
            let tables = try (QueryCatalog.names + definition.queries.keys.sorted()).map(dataset)
                + (definition.needsCalls ? QueryCatalog.listings.compactMap { datasets[$0] } : [])
            let texts = RenderedTexts(count: tables.count)
            DispatchQueue.concurrentPerform(iterations: tables.count) { index in texts.set(index, CSVWriter.render(tables[index])) }
            for (index, table) in tables.enumerated() { _ = try write(texts.text(index), "\(table.name).csv") }
        }
        var html: URL?
        if format != .csv {
            let staffing = StaffingRow.rows(figures.intervals, parameters: parameters)
            let page = try HTMLReport(parameters: parameters, datasets: datasets, figures: figures, staffing: staffing, generatedAt: now,
                                      origin: origin, definition: definition).render()
            html = try write(page, "report.html")
        }
        try? FileManager.default.removeItem(at: incoming)
        return ReportOutput(folder: folder, files: files, html: html, datasets: datasets, figures: figures)
    }
}

/// Texts rendered on several threads at once, each into its own slot.
private final class RenderedTexts: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [String]

    init(count: Int) { texts = Array(repeating: "", count: count) }

    func set(_ index: Int, _ text: String) { lock.withLock { texts[index] = text } }

    func text(_ index: Int) -> String { lock.withLock { texts[index] } }
}
