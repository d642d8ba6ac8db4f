import CalltrailCore
import CalltrailHTTP
import CalltrailJSON
import CalltrailStore
import CalltrailSync
import Foundation
import Logging
import Synchronization

/// CCAI Platform's Manager API: `GET /manager/api/v1/calls` tailed by `updated_at[from]` in ascending
/// order, `page`/`per` (at most 100), HTTP Basic with the company key and API token; the fetcher's
/// pacer keeps to the documented 10 requests a second (`CCAIPlatform.maxRequestsPerSecond`). Each page is
/// asked from the last `updated_at` read (`CCAITail`); a window ends at the page that reaches its end, a
/// short page, or a `Link` header without `rel="next"`. The `Total` header counts the tail from `from`,
/// never the window, and is not read.
public final class CCAIRecordSource: RecordSource {
    public let name: String
    public let endpoint = "calls"
    let configuration: SourceConfiguration
    let authorization: String
    let fetcher: HTTPFetcher
    let mapper: CCAIRecordMapper
    /// Each window's position in the tail, by window start (windows are read at once).
    private let tails = Mutex<[Date: CCAITail]>([:])

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
        let position = tails.withLock { $0[window.start] }.flatMap { $0.offset == offset ? $0 : nil }
            ?? (offset == 0 ? CCAITail(windowStart: window.start) : CCAITail(resuming: offset, per: per, windowStart: window.start))
        let target = Endpoint.join(configuration.baseURL, "manager/api/v1/calls", query: [
            ("updated_at[from]", Self.utcText(position.from)),
            ("sort_column", "updated_at"),
            ("sort_direction", "ASC"),
            ("page", String(position.page)),
            ("per", String(per)),
        ])
        let response = try await fetcher.send(url: target, headers: [("Authorization", authorization), ("Accept", "application/json")])
        if response.status == 401 || response.status == 403 {
            throw SourceError.rejectedCredentials(source: name, user: configuration.user, detail: "HTTP \(response.status): \(Self.message(response))")
        }
        guard response.status == 200 else {
            throw SourceError.status(source: name, url: target, code: response.status, body: Self.message(response))
        }
        let (result, next) = try response.body.withUnsafeReadableBytes { body in
            let elements: [Range<Int>]
            do {
                elements = try JSONArraySplitter.elements(in: body)
            } catch {
                throw SourceError.protocolViolation(source: name, url: target,
                                                    detail: "a body that is not a JSON list (\(response.text.oneLine(limit: 40)))")
            }
            let served = elements.map { Self.served(UnsafeRawBufferPointer(rebasing: body[$0])) }
            let keep: [Bool], next: CCAITail
            do throws(CCAITail.Disorder) {
                (keep, next) = try position.advance(past: served)
            } catch {
                throw SourceError.protocolViolation(source: name, url: target, detail: "a call updated at \(Self.utcText(error.updatedAt)) "
                                                    + "listed after one updated at \(Self.utcText(error.after)) (the list is asked in ascending updated_at)")
            }
            var page = SourcePage(body: body, elements: zip(elements, keep).filter(\.1).map(\.0), decode: mapper.decode)
            page.served = elements.count
            // The list is in ascending `updated_at`: once a page reaches the window's end, the rest
            // belongs to later windows.
            page.isLast = next.from >= window.end
                || (response.headers.contains(name: "Link") && !response.headers[canonicalForm: "Link"].contains { $0.contains("rel=\"next\"") })
            return (page, next)
        }
        tails.withLock { $0[window.start] = result.isLast ? nil : next }
        return result
    }

    /// A call's id and `updated_at`, where they can be read.
    static func served(_ bytes: UnsafeRawBufferPointer) -> CCAITail.Served {
        guard let call = try? JSONValue.parseRecord(bytes) else { return .init() }
        return .init(id: call["id"]?.text, updatedAt: call["updated_at"]?.text.flatMap { TimePoint(parsing: $0)?.date(in: utc) })
    }

    static let utc = TimeZone(identifier: "UTC")!

    static func utcText(_ date: Date) -> String {
        LocalDateTime.iso8601(date, in: utc).replacingOccurrences(of: "+00:00", with: "Z")
    }

    static func message(_ response: FetchedResponse) -> String {
        if let value = try? JSONValue.parse(Data(response.body.readableBytesView)), let message = value["message"]?.text ?? value["error"]?.text {
            return message
        }
        return response.text.oneLine()
    }
}
