import CalltrailCore
import CalltrailHTTP
import CalltrailRecordings
import Foundation
import Logging

/// Vonage's own `[[source]]` keys.
public struct VonageOptions: SourceOptions {
    /// The OAuth token endpoint (`https://{region}.cc.vonage.com/Auth/connect/token`); default: on base_url.
    public var authURL: URL?

    static let keys = ["auth_url"]

    init(reading reader: TableReader) throws {
        authURL = try reader.optionalURL("auth_url", example: "https://emea.cc.vonage.com/Auth/connect/token")
    }
}

/// Vonage Contact Center (NewVoiceMedia) Insights Stats: OAuth client credentials (`user` is the
/// client id), at most 31 days a request, the server's page size (100 [guess]).
public struct VonagePlatform: VendorPlatform {
    public let kind = "vonage"
    public var pageSize: (default: Int, range: ClosedRange<Int>) { (100, 1...1000) }
    public var optionKeys: [String] { VonageOptions.keys }

    public init() {}

    public func options(_ reader: TableReader) throws -> any SourceOptions { try VonageOptions(reading: reader) }

    public func makeSource(_ source: SourceConfiguration, secret: Secret, fetcher: HTTPFetcher, logger: Logger) -> any RecordSource {
        VonageSource(configuration: source, secret: secret, fetcher: fetcher)
    }

    /// Recordings sit behind the Interaction Content API, which Calltrail does not fetch yet.
    public func recordingResolver(for source: SourceConfiguration, tools: RecordingTools) async -> (any RecordingResolver)? { nil }

    public func recordingPlan(for source: SourceConfiguration) -> [String] {
        ["recordings: not fetched (the Interaction Content API is not supported yet)"]
    }
}
