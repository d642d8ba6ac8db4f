import CalltrailCore
import CalltrailHTTP
import CalltrailStore
import Foundation
import Logging
import Synchronization

/// CCAI Platform's Manager API: `GET /manager/api/v1/calls` tailed by `updated_at[from]` in ascending
/// order, `page`/`per` (at most 100), HTTP Basic with the company key and API token, at most 10
/// requests a second. Paging ends at a short page, a missing `Link: rel="next"`, or the `Total` header.
public final class CCAIRecordSource: RecordSource {
    public let name: String
    public let endpoint = "calls"
    let configuration: SourceConfiguration
    let authorization: String
    let fetcher: HTTPFetcher
    let mapper: CCAIRecordMapper
    /// When the last request left, for the client-side limit of 10 requests a second.
    private let lastRequest = Mutex<ContinuousClock.Instant?>(nil)
    static let minimumSpacing = Duration.milliseconds(100)

    public init(configuration: SourceConfiguration, token: Secret, fetcher: HTTPFetcher) {
        self.name = configuration.name
        self.configuration = configuration
        self.authorization = "Basic " + Data("\(configuration.user):\(token.value)".utf8).base64EncodedString()
        self.fetcher = fetcher
        self.mapper = CCAIRecordMapper(source: configuration.name)
    }

    public func open() async throws {}
    public func close() async {}

    /// Waits so that requests leave at least 100 ms apart.
    func pace() async throws {
        let now = ContinuousClock.now
        let wait: Duration = lastRequest.withLock { last in
            let next = last.map { $0 + Self.minimumSpacing } ?? now
            last = max(next, now)
            return next > now ? next - now : .zero
        }
        if wait > .zero { try await Task.sleep(for: wait) }
    }

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
        try await pace()
        let response = try await fetcher.send(url: target, headers: [("Authorization", authorization), ("Accept", "application/json")])
        if response.status == 401 || response.status == 403 {
            throw SourceError.rejectedCredentials(source: name, user: configuration.user, detail: "HTTP \(response.status): \(Self.message(response))")
        }
        guard response.status == 200 else {
            throw SourceError.status(source: name, url: target, code: response.status, body: Self.message(response))
        }
        let total = response.headers.first(name: "Total").flatMap { Int($0) }
        let hasNext = response.headers[canonicalForm: "Link"].contains { $0.contains("rel=\"next\"") }
        var result = try SourcePage(listing: response, source: name, url: target, reportedTotal: total, decode: mapper.decode)
        result.isLast = !hasNext && response.headers.contains(name: "Link")
        return result
    }

    static func message(_ response: FetchedResponse) -> String {
        if let value = try? JSONValue.parse(Data(response.body.readableBytesView)), let message = value["message"]?.text ?? value["error"]?.text {
            return message
        }
        return response.text.oneLine()
    }
}
