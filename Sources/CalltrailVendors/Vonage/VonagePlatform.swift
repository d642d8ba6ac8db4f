import CalltrailCore
import CalltrailHTTP
import CalltrailRecordings
import CalltrailSync
import Foundation
import Logging

/// Vonage's own `[[source]]` keys.
public struct VonageOptions: SourceOptions {
    /// The OAuth token endpoint (`https://{region}.cc.vonage.com/Auth/connect/token`); default: on base_url.
    public var authURL: URL?
    /// The Interaction Content API's base (`interaction-content/...` is joined to it); default: base_url.
    public var contentURL: URL?
    /// Whether recordings are fetched (default true): the OAuth client needs the
    /// `interaction-content:read` scope.
    public var recordings: Bool

    static let keys = ["auth_url", "content_url", "recordings"]

    init(reading reader: TableReader) throws {
        authURL = try reader.optionalURL("auth_url", example: "https://emea.cc.vonage.com/Auth/connect/token")
        contentURL = try reader.optionalURL("content_url", example: "https://emea.api.vonage.com")
        recordings = try reader.bool("recordings", default: true)
    }
}

/// Vonage Contact Center (NewVoiceMedia) Insights Stats: OAuth client credentials (`user` is the
/// client id), at most 31 days a request, the server's page size (100 [guess]).
public struct VonagePlatform: VendorPlatform {
    public let kind = "vonage"
    public var pageSize: (default: Int, range: ClosedRange<Int>) { (100, 1...1000) }
    /// No number is published: the limit is fair use, answered 429 and shared by every Vonage API the
    /// account calls [guess], so two windows leave room for the recordings and the account's other clients.
    public var concurrency: (default: Int, range: ClosedRange<Int>) { (2, 1...32) }
    public var optionKeys: [String] { VonageOptions.keys }

    public var mappingChecks: [MappingCheck] { VonageRecordMapper.checks }

    public init() {}

    public func options(_ reader: TableReader) throws -> any SourceOptions { try VonageOptions(reading: reader) }

    /// The Stats API's interactions take `start`, `end`, `include` and `page` only [doc: Insights
    /// Stats API]: a case sync reads the whole period.
    public func caseListing(_ subject: CaseSubject, of source: SourceConfiguration) throws -> CaseListing {
        .wholePeriod(reason: "Vonage's Stats API interactions have no number or agent filter (only start, end, include, page)")
    }

    public func makeSource(_ source: SourceConfiguration, secret: Secret, fetcher: HTTPFetcher, logger: Logger) -> any RecordSource {
        VonageSource(configuration: source, secret: secret, fetcher: fetcher)
    }

    /// Recordings through the Interaction Content API, with the source's own OAuth client.
    public func recordingResolver(for source: SourceConfiguration, tools: RecordingTools) async -> (any RecordingResolver)? {
        let options = source.options(as: VonageOptions.self)
        guard options.recordings else { return nil }
        do {
            let secret = try source.credential.resolve(for: "source '\(source.name)'")
            let fetcher = HTTPFetcher(client: tools.http, source: source.name, policy: tools.policy, timeout: source.requestTimeout,
                                      logger: tools.logger)
            let session = VonageSession(configuration: source, secret: secret, fetcher: fetcher)
            return VonageRecordingResolver(session: session, base: options.contentURL ?? source.baseURL, ingest: tools.ingest)
        } catch {
            tools.logger.error("Vonage recordings not fetched: no credential", metadata: ["source": "\(source.name)", "error": "\(error)"])
            return nil
        }
    }

    public func recordingPlan(for source: SourceConfiguration) -> [String] {
        let options = source.options(as: VonageOptions.self)
        guard options.recordings else { return ["recordings: off (recordings = false)"] }
        let base = options.contentURL ?? source.baseURL
        return ["recordings: \(Endpoint.join(base, "interaction-content/interactions"))?start&end (7-day windows), "
                + "then interactions/<guid>/content/callRecording (WAV, archived as MP3)"]
    }
}
