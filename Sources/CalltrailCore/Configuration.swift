import Foundation
import TOMLKit

/// `calltrail.toml`: the database, the center's time zone and each source.
///
/// ```toml
/// database = "calltrail.sqlite"      # relative to this file
/// timezone = "America/Montevideo"
///
/// [[source]]
/// kind = "ucontact"
/// base_url = "https://ucontact.example.com"
/// user = "supervisor"
/// password_env = "CALLTRAIL_UCONTACT_PASSWORD"
/// ```
public struct Configuration: Sendable {
    public var file: URL
    public var databasePath: String
    public var timeZone: TimeZone
    public var sources: [SourceConfiguration]
    public var recordings: RecordingsConfiguration
    /// `[retention]`; nil when not configured (nothing is ever purged).
    public var retention: RetentionConfiguration?
    public var compliance: ComplianceConfiguration
    /// `[warehouse]`; nil when this site publishes nowhere.
    public var warehouse: WarehouseConfiguration?
    /// `[nightly]`: each stage's deadline.
    public var nightly = NightlyConfiguration()
    /// Set by `--insecure` only (never from the file): skip TLS certificate verification.
    public var insecureTLS = false

    public init(file: URL, databasePath: String, timeZone: TimeZone, sources: [SourceConfiguration],
                recordings: RecordingsConfiguration) {
        self.file = file
        self.databasePath = databasePath
        self.timeZone = timeZone
        self.sources = sources
        self.recordings = recordings
        self.compliance = ComplianceConfiguration(keyFile: file.deletingLastPathComponent().appendingPathComponent("calltrail.key").path)
    }

    public static let defaultPath = "calltrail.toml"

    /// Reads `path`; `schemas` are the vendor platforms a `kind` may name.
    public static func load(path: String, schemas: [any SourceSchema]) throws -> Configuration {
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CalltrailError.configuration(
                "configuration file \(path) not found: pass --config PATH, or run `calltrail demo` to write an example")
        }
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw CalltrailError.configuration("configuration file \(path) cannot be read as UTF-8 text: check its permissions and encoding")
        }
        return try parse(text, file: url, schemas: schemas)
    }

    public static func parse(_ text: String, file: URL, schemas: [any SourceSchema]) throws -> Configuration {
        let name = file.lastPathComponent
        let reader = try TableReader.parse(text, name: name, directory: file.deletingLastPathComponent())
        let table = reader.table
        let timeZone = try reader.timeZone("timezone", default: TimeZone.current)
        let database = try reader.path("database", default: "calltrail.sqlite")

        guard let sourceArray = table["source"] else {
            throw CalltrailError.configuration("\(name) has no [[source]] table: add one with kind, base_url, user and password_env")
        }
        guard let array = sourceArray.array else {
            throw CalltrailError.configuration("\(name): source must be an array of tables: write it as [[source]]")
        }
        var sources: [SourceConfiguration] = []
        for (index, element) in array.enumerated() {
            guard let sourceTable = element.table else {
                throw CalltrailError.configuration("\(name): [[source]] #\(index + 1) is not a table: write it as [[source]] with key = value lines")
            }
            let source = try SourceConfiguration(
                reading: TableReader(table: sourceTable, context: "\(name) [[source]] #\(index + 1)", directory: reader.directory),
                centerTimeZone: timeZone, schemas: schemas)
            if sources.contains(where: { $0.name == source.name }) {
                throw CalltrailError.configuration(
                    "\(name): two sources are named '\(source.name)': give one of them name = \"\(source.name)-2\"")
            }
            sources.append(source)
        }
        var recordings = RecordingsConfiguration(folder: reader.resolve("recordings"))
        if let value = table["recordings"] {
            guard let recordingsTable = value.table else {
                throw CalltrailError.configuration("\(name): recordings must be a table: write it as [recordings]")
            }
            recordings = try RecordingsConfiguration(reading: TableReader(table: recordingsTable, context: "\(name) [recordings]", directory: reader.directory))
        }
        var configuration = Configuration(file: file, databasePath: database, timeZone: timeZone, sources: sources, recordings: recordings)
        if let value = table["retention"] {
            guard let retentionTable = value.table else {
                throw CalltrailError.configuration("\(name): retention must be a table: write it as [retention]")
            }
            configuration.retention = try RetentionConfiguration(
                reading: TableReader(table: retentionTable, context: "\(name) [retention]", directory: reader.directory))
        }
        if let value = table["compliance"] {
            guard let complianceTable = value.table else {
                throw CalltrailError.configuration("\(name): compliance must be a table: write it as [compliance]")
            }
            configuration.compliance = try ComplianceConfiguration(
                reading: TableReader(table: complianceTable, context: "\(name) [compliance]", directory: reader.directory))
        }
        if let value = table["nightly"] {
            guard let nightlyTable = value.table else {
                throw CalltrailError.configuration("\(name): nightly must be a table: write it as [nightly]")
            }
            configuration.nightly = try NightlyConfiguration(
                reading: TableReader(table: nightlyTable, context: "\(name) [nightly]", directory: reader.directory))
        }
        if let value = table["warehouse"] {
            guard let warehouseTable = value.table else {
                throw CalltrailError.configuration("\(name): warehouse must be a table: write it as [warehouse]")
            }
            configuration.warehouse = try WarehouseConfiguration(
                reading: TableReader(table: warehouseTable, context: "\(name) [warehouse]", directory: reader.directory))
        }
        return configuration
    }

    /// The sources a command works on: all of them, or the one `--source` names.
    public func selectSources(_ names: [String]) throws -> [SourceConfiguration] {
        if names.isEmpty { return sources }
        return try names.map { wanted in
            guard let source = sources.first(where: { $0.name == wanted }) else {
                let known = sources.map(\.name).joined(separator: ", ")
                throw CalltrailError.configuration("--source '\(wanted)' names no source in \(file.lastPathComponent): use one of \(known)")
            }
            return source
        }
    }
}
