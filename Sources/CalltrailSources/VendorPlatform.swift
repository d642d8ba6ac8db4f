import CalltrailCore
import CalltrailHTTP
import CalltrailRecordings
import CalltrailStore
import Foundation
import Logging

/// Everything Calltrail knows about one vendor, in the vendor's folder: how its `[[source]]` table
/// reads (`SourceSchema`), its listing client, its recording resolver and what a dry run says of it.
/// `Platforms.all` lists them; nothing outside a vendor's folder asks which vendor a source is.
public protocol VendorPlatform: SourceSchema {
    /// The listing client for `source`.
    func makeSource(_ source: SourceConfiguration, secret: Secret, fetcher: HTTPFetcher, logger: Logger) -> any RecordSource
    /// `source`'s recording resolver, or nil when it has no recordings to fetch.
    func recordingResolver(for source: SourceConfiguration, tools: RecordingTools) async -> (any RecordingResolver)?
    /// What a nightly run would fetch recordings from, for `nightly --dry-run`.
    func recordingPlan(for source: SourceConfiguration) -> [String]
    /// The consistency checks its mapping runs on every record (the [guess] readings of docs/VENDORS.md).
    var mappingChecks: [MappingCheck] { get }
    /// The checks as `source` runs them (a reading its options choose can change what a check means).
    func mappingChecks(for source: SourceConfiguration) -> [MappingCheck]
    /// How a case sync asks the vendor for only `subject`'s calls (docs/VENDORS.md says which
    /// filters each listing documents).
    func caseListing(_ subject: CaseSubject, of source: SourceConfiguration) throws -> CaseListing
}

extension VendorPlatform {
    public func mappingChecks(for source: SourceConfiguration) -> [MappingCheck] { mappingChecks }
}

/// The vendor platforms Calltrail speaks. A fifth vendor is a folder beside these and a line here.
public struct Platforms: RecordingResolverProvider {
    public static let all: [any VendorPlatform] = [UContactPlatform(), MeiqiaPlatform(), CCAIPlatform(), VonagePlatform()]

    static let byKind = Dictionary(all.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })

    public init() {}

    /// The platform of a configured source (the configuration only admits the kinds listed here).
    public static func platform(of source: SourceConfiguration) -> any VendorPlatform {
        guard let platform = byKind[source.kind] else {
            preconditionFailure("source '\(source.name)' has kind \(source.kind), which no platform provides")
        }
        return platform
    }

    public func recordingResolver(for source: SourceConfiguration, tools: RecordingTools) async -> (any RecordingResolver)? {
        await Self.platform(of: source).recordingResolver(for: source, tools: tools)
    }
}

extension Configuration {
    /// Reads a configuration file whose sources may be of any kind `Platforms.all` lists.
    public static func load(path: String) throws -> Configuration {
        try load(path: path, schemas: Platforms.all)
    }

    public static func parse(_ text: String, file: URL) throws -> Configuration {
        try parse(text, file: file, schemas: Platforms.all)
    }
}
