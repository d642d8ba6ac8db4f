import CalltrailCore
import CalltrailHTTP
import CalltrailJSON
import CalltrailStore
import Foundation
import Logging

/// CCAI Platform's Manager API: `GET /manager/api/v1/calls` tailed by `updated_at[from]` in ascending
/// order, `page`/`per` (at most 100), HTTP Basic with the company key and API token; the fetcher's
/// pacer keeps to the documented 10 requests a second (`CCAIPlatform.maxRequestsPerSecond`). Paging
/// ends at a short page, a missing `Link: rel="next"`, or the `Total` header.
public final class CCAIRecordSource: RecordSource {
    public let name: String
    public let endpoint = "calls"
    let configuration: SourceConfiguration
    let authorization: String
    let fetcher: HTTPFetcher
    let mapper: CCAIRecordMapper

    public init(configuration: SourceConfiguration, token: Secret, fetcher: HTTPFetcher) {
        self.name = configuration.name
        self.configuration = configuration
        self.authorization = "Basic " + Data("\(configuration.user):\(token.value)".utf8).base64EncodedString()
        self.fetcher = fetcher
        self.mapper = CCAIRecordMapper(source: configuration.name)
    }

    public func open() async throws {}
    public func close() async {}

    public func page(window: DateInterval, offset: Int, limit: Int) async throws -> SourcePage {
        let per = min(limit, 100)
        let page = offset / per + 1
        let target = Endpoint.join(configuration.baseURL, "manager/api/v1/calls", query: [
            ("updated_at[from]", LocalDateTime.iso8601(window.start, in: TimeZone(identifier: "UTC")!).replacingOccurrences(of: "+00:00", with: "Z")),
            ("sort_column", "updated_at"),
            ("sort_direction", "ASC"),
            ("page", String(page)),
            ("per", String(per)),
        ])
        let response = try await fetcher.send(url: target, headers: [("Authorization", authorization), ("Accept", "application/json")])
        if response.status == 401 || response.status == 403 {
            throw SourceError.rejectedCredentials(source: name, user: configuration.user, detail: "HTTP \(response.status): \(Self.message(response))")
        }
        guard response.status == 200 else {
            throw SourceError.status(source: name, url: target, code: response.status, body: Self.message(response))
        }
        let total = try SourceError.checkingPage(source: name, url: target) {
            try response.headers.first(name: "Total").map { try CheckedNumber.integer(text: $0, field: "the Total header", in: CheckedNumber.counts) }
        }
        let hasNext = response.headers[canonicalForm: "Link"].contains { $0.contains("rel=\"next\"") }
        var result = try SourcePage(listing: response, source: name, url: target, reportedTotal: total, decode: mapper.decode)
        result.isLast = !hasNext && response.headers.contains(name: "Link")
        // The list is in ascending `updated_at`: once a page reaches the window's end, the rest belongs
        // to later windows, and the `Total` (which counts to the end of the tail) says nothing of this one.
        if let last = Self.lastUpdatedAt(response), last >= window.end {
            result.isLast = true
            result.reportedTotal = nil
        }
        return result
    }

    /// The `updated_at` of the page's last call, when it has one.
    static func lastUpdatedAt(_ response: FetchedResponse) -> Date? {
        guard case .array(let calls)? = try? JSONValue.parse(Data(response.body.readableBytesView)),
              let text = calls.last?["updated_at"]?.text else { return nil }
        return TimePoint(parsing: text)?.date(in: TimeZone(identifier: "UTC")!)
    }

    static func message(_ response: FetchedResponse) -> String {
        if let value = try? JSONValue.parse(Data(response.body.readableBytesView)), let message = value["message"]?.text ?? value["error"]?.text {
            return message
        }
        return response.text.oneLine()
    }
}
