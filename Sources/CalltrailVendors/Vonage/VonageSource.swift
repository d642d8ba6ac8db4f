import CalltrailCore
import CalltrailHTTP
import CalltrailJSON
import CalltrailStore
import CalltrailSync
import Foundation
import Logging
import Synchronization

/// Vonage Contact Center Insights Stats [doc]: an OAuth client-credentials token (renewed before its
/// `expires_in`), `GET /stats/interactions` (`start`, `end` ≤ 31 days, `include=Processed`, `page`)
/// joined with `GET /stats/queue-times` for queue wait and outcome; the next window starts at `upTo`.
/// The token and the versioned `Accept` header are VonageSession's.
public final class VonageSource: RecordSource {
    public let name: String
    public let endpoint = "stats/interactions"
    let session: VonageSession
    let mapper: VonageRecordMapper
    /// Queue times of the windows being paged (several at once), fetched once per window and pass.
    private let queueTimes = Mutex<[DateInterval: [String: VonageQueueTime]]>([:])
    /// Windows whose queue times are kept: more than the windows a source may read at once.
    static let keptWindows = 64

    public init(configuration: SourceConfiguration, secret: Secret, fetcher: HTTPFetcher) {
        self.name = configuration.name
        self.session = VonageSession(configuration: configuration, secret: secret, fetcher: fetcher)
        self.mapper = VonageRecordMapper(source: configuration.name)
    }

    public func open() async throws { _ = try await session.bearer(renew: true) }
    public func close() async {}

    func get(_ path: String, _ query: [(String, String)]) async throws -> JSONValue { try await session.get(path, query) }

    func window(_ window: DateInterval) -> [(String, String)] { VonageSession.window(window) }

    /// Every queue-time item of the window, all pages.
    func loadQueueTimes(_ window: DateInterval) async throws -> [String: VonageQueueTime] {
        if let cached = queueTimes.withLock({ $0[window] }) { return cached }
        var map: [String: VonageQueueTime] = [:]
        var page = 1
        while page <= 10_000 {
            let value = try await get("stats/queue-times", self.window(window) + [("page", String(page))])
            if case .array(let items)? = value["items"] {
                for item in items { if let (guid, time) = VonageRecordMapper.queueTime(item) { map[guid] = time } }
            }
            let pageCount = try SourceError.checkingPage(source: name, url: "stats/queue-times") {
                try value["meta"]?["pageCount"].count(field: "meta.pageCount")
            } ?? page
            if page >= pageCount { break }
            page += 1
        }
        let result = map
        queueTimes.withLock { kept in
            if kept.count >= Self.keptWindows, let oldest = kept.keys.min(by: { $0.start < $1.start }) { kept[oldest] = nil }
            kept[window] = result
        }
        return result
    }

    public func page(window: DateInterval, offset: Int, limit: Int) async throws -> SourcePage {
        // The server sets the page size; `page_size` must match it (default 100) [guess].
        // A window's first page (again, in a re-read) fetches its queue times afresh.
        if offset == 0 { queueTimes.withLock { $0[window] = nil } }
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
        let (totalCount, pageCount) = try SourceError.checkingPage(source: name, url: "stats/interactions") {
            (try meta?["totalCount"].count(field: "meta.totalCount"), try meta?["pageCount"].count(field: "meta.pageCount"))
        }
        var result = SourcePage(elements: elements, reportedTotal: totalCount) { bytes in
            mapper.decode(bytes, queueTimes: times)
        }
        if let pageCount { result.isLast = page >= pageCount }
        if let upTo = value["upTo"], upTo != .null {
            // Covered only up to here: a time the window has not passed is an error for this page (the
            // engine's), one that is not a time is one here; neither may finish the window.
            guard let text = upTo.text, let date = TimePoint(parsing: text)?.date(in: TimeZone(identifier: "UTC")!) else {
                throw SourceError.protocolViolation(source: name, url: "stats/interactions", detail: "an upTo that is not a time")
            }
            result.coveredUntil = date
        }
        return result
    }
}
