import CalltrailCore
import CalltrailHTTP
import CalltrailRecordings
import CalltrailSync
import Foundation
import Logging

/// CCAI Platform (UJET) Manager API: HTTP Basic with the company key (`user`) and an API token;
/// calls tailed by `updated_at` in ascending order, each window ending at the first page past its end;
/// at most 100 a page; recordings at the `recording_url` each call carries.
public struct CCAIPlatform: VendorPlatform {
    public let kind = "ccai"
    public var windowHours: (default: Int, range: ClosedRange<Int>) { (744, 1...744) }
    public var pageSize: (default: Int, range: ClosedRange<Int>) { (100, 1...100) }
    /// A window ends at the first page that reaches its end (the list is in ascending `updated_at`), so
    /// windows can be read at once; all of them share the 10 requests a second, which two windows reach
    /// at round trips up to 200 ms, and ten at any round trip up to a second.
    public var concurrency: (default: Int, range: ClosedRange<Int>) { (2, 1...10) }
    /// "The system limits requests to a rate of 10 request per second per customer" [doc: Manager API,
    /// Rate Limits].
    public var maxRequestsPerSecond: Double? { 10 }

    public var mappingChecks: [MappingCheck] { CCAIRecordMapper.checks }

    public init() {}

    /// The Manager API's calls list takes only tailing and paging parameters ([doc: Pagination and
    /// tailing]): a case sync reads the whole period.
    public func caseListing(_ subject: CaseSubject, of source: SourceConfiguration) throws -> CaseListing {
        .wholePeriod(reason: "CCAI's calls list has no number or agent filter (only updated_at, sort, page, per)")
    }

    public func makeSource(_ source: SourceConfiguration, secret: Secret, fetcher: HTTPFetcher, logger: Logger) -> any RecordSource {
        CCAIRecordSource(configuration: source, token: secret, fetcher: fetcher)
    }

    public func recordingResolver(for source: SourceConfiguration, tools: RecordingTools) async -> (any RecordingResolver)? {
        URLRecordingResolver(ingest: tools.ingest)
    }

    public func recordingPlan(for source: SourceConfiguration) -> [String] { ["recordings: the recording_url each call carries"] }
}
