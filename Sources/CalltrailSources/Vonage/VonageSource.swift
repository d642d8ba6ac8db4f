import CalltrailCore
import CalltrailHTTP
import CalltrailStore
import Foundation
import Logging
import Synchronization

/// Vonage Contact Center Insights Stats [doc]: an OAuth client-credentials token (renewed before its
/// `expires_in`), `GET /stats/interactions` (`start`, `end` ≤ 31 days, `include=Processed`, `page`)
/// joined with `GET /stats/queue-times` for queue wait and outcome; the next window starts at `upTo`.
/// Every request sends `Accept: application/vnd.newvoicemedia.v3+json`.
public final class VonageSource: RecordSource {
    public let name: String
    public let endpoint = "stats/interactions"
    let configuration: SourceConfiguration
    let secret: Secret
    let fetcher: HTTPFetcher
    let mapper: VonageRecordMapper
    static let accept = "application/vnd.newvoicemedia.v3+json"

    private struct Token { var value: String; var expires: Date }
    private let token = Mutex<Token?>(nil)
    /// Queue times of the window being paged, fetched once per window.
    private let queueTimes = Mutex<(DateInterval, [String: VonageQueueTime])?>(nil)

    public init(configuration: SourceConfiguration, secret: Secret, fetcher: HTTPFetcher) {
        self.name = configuration.name
        self.configuration = configuration
        self.secret = secret
        self.fetcher = fetcher
        self.mapper = VonageRecordMapper(source: configuration.name)
    }

    var authURL: String {
        configuration.options(as: VonageOptions.self).authURL?.absoluteString ?? Endpoint.join(configuration.baseURL, "Auth/connect/token")
    }

    public func open() async throws { _ = try await bearer(renew: true) }
    public func close() async {}

    /// A token valid for at least another minute.
    func bearer(renew: Bool = false) async throws -> String {
        if !renew, let current = token.withLock({ $0 }), current.expires.timeIntervalSinceNow > 60 { return current.value }
        let form = FormBody.encode([("grant_type", "client_credentials"), ("client_id", configuration.user),
                                    ("client_secret", secret.value), ("scope", "stats interaction-content:read")])
        let target = authURL
        let response = try await fetcher.send(.POST, url: target, headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                                              body: form)
        guard response.status == 200, let value = try? JSONValue.parse(Data(response.body.readableBytesView)),
              let access = value["access_token"]?.text
        else {
            let detail = (try? JSONValue.parse(Data(response.body.readableBytesView)))?["error"]?.text ?? response.text.oneLine(limit: 60)
            if response.status == 400 || response.status == 401 || response.status == 403 {
                throw SourceError.rejectedCredentials(source: name, user: configuration.user, detail: "HTTP \(response.status): \(detail)")
            }
            throw SourceError.status(source: name, url: target, code: response.status, body: detail)
        }
        let lifetime = value["expires_in"]?.number ?? 3600
        token.withLock { $0 = Token(value: access, expires: Date().addingTimeInterval(lifetime)) }
        return access
    }

    /// GET with the bearer token; a 401 renews the token once.
    func get(_ path: String, _ query: [(String, String)]) async throws -> JSONValue {
        let target = Endpoint.join(configuration.baseURL, path, query: query)
        var renewed = false
        while true {
            let authorization = "Bearer " + (try await bearer(renew: renewed))
            let response = try await fetcher.send(url: target, headers: [("Authorization", authorization), ("Accept", Self.accept)])
            if response.status == 401 && !renewed {
                renewed = true
                continue
            }
            guard response.status == 200 else {
                let message = (try? JSONValue.parse(Data(response.body.readableBytesView)))?["message"]?.text ?? response.text.oneLine()
                if response.status == 401 || response.status == 403 {
                    throw SourceError.rejectedCredentials(source: name, user: configuration.user, detail: "HTTP \(response.status): \(message)")
                }
                throw SourceError.status(source: name, url: target, code: response.status, body: message)
            }
            guard let value = try? JSONValue.parse(Data(response.body.readableBytesView)), case .object = value else {
                throw SourceError.protocolViolation(source: name, url: target, detail: "a body that is not a JSON object (\(response.text.oneLine(limit: 40)))")
            }
            return value
        }
    }

    func window(_ window: DateInterval) -> [(String, String)] {
        let utc = TimeZone(identifier: "UTC")!
        return [("start", LocalDateTime.iso8601(window.start, in: utc).replacingOccurrences(of: "+00:00", with: "Z")),
                ("end", LocalDateTime.iso8601(window.end, in: utc).replacingOccurrences(of: "+00:00", with: "Z"))]
    }

    /// Every queue-time item of the window, all pages.
    func loadQueueTimes(_ window: DateInterval) async throws -> [String: VonageQueueTime] {
        if let cached = queueTimes.withLock({ $0 }), cached.0 == window { return cached.1 }
        var map: [String: VonageQueueTime] = [:]
        var page = 1
        while page <= 10_000 {
            let value = try await get("stats/queue-times", self.window(window) + [("page", String(page))])
            if case .array(let items)? = value["items"] {
                for item in items { if let (guid, time) = VonageRecordMapper.queueTime(item) { map[guid] = time } }
            }
            let pageCount = value["meta"]?["pageCount"]?.number.map { Int($0) } ?? page
            if page >= pageCount { break }
            page += 1
        }
        let result = map
        queueTimes.withLock { $0 = (window, result) }
        return result
    }

    public func page(window: DateInterval, offset: Int, limit: Int) async throws -> SourcePage {
        // The server sets the page size; `page_size` must match it (default 100) [guess].
        if offset == 0 { queueTimes.withLock { $0 = nil } }
        let times = try await loadQueueTimes(window)
        let page = offset / limit + 1
        let value = try await get("stats/interactions", self.window(window) + [("include", "Processed"), ("page", String(page))])
        var elements: [Data] = []
        if case .array(let items)? = value["items"] {
            elements = items.map { item in
                // Re-encode each item: the body is parsed once for meta and upTo, so its bytes are not split.
                (try? JSONSerialization.data(withJSONObject: item.foundationObject, options: [.sortedKeys])) ?? Data()
            }
        }
        let meta = value["meta"]
        var result = SourcePage(elements: elements, reportedTotal: meta?["totalCount"]?.number.map { Int($0) }) { bytes in
            mapper.decode(bytes, queueTimes: times)
        }
        if let pageCount = meta?["pageCount"]?.number.map({ Int($0) }) { result.isLast = page >= pageCount }
        if let upTo = value["upTo"]?.text, let date = TimePoint(parsing: upTo)?.date(in: TimeZone(identifier: "UTC")!) {
            result.coveredUntil = date
        }
        return result
    }
}
