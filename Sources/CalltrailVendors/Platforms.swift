import CalltrailCore
import CalltrailRecordings
import CalltrailSync
import Foundation

/// The vendor platforms Calltrail speaks. A fifth vendor is a folder beside these and a line here.
public struct Platforms: RecordingResolverProvider, SourcePlatformProvider {
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

    public func sourcePlatform(of source: SourceConfiguration) -> any SourcePlatform {
        Self.platform(of: source)
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
