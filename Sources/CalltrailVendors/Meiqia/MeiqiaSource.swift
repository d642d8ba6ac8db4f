import CalltrailCore
import CalltrailHTTP
import CalltrailJSON
import CalltrailStore
import CalltrailSync
import Foundation
import Logging
import NIOHTTP1

/// Meiqia's call-center open API: `POST .../records` with a bearer token (permanent: fetching a new
/// one revokes the old, so it is never "refreshed"), `page_index`/`page_size`, `total` in the body.
public final class MeiqiaSource: RecordSource, SupplementarySource {
    public let name: String
    public let endpoint = "records"
    let configuration: SourceConfiguration
    let token: Secret
    let fetcher: HTTPFetcher
    let mapper: MeiqiaRecordMapper
    let pageIndexBase: Int
    let filter: MeiqiaFilter
    let logger: Logger
    /// `end_time` filters by the call's *end* (seed: 通话结束时间筛选): a call that starts inside a
    /// window but ends after it would fall between windows, so each request reaches this far past
    /// the window's end. Records outside the window are stored too; upserts make repeats harmless.
    static let endSlack: TimeInterval = 4 * 3600

    public init(configuration: SourceConfiguration, token: Secret, fetcher: HTTPFetcher, logger: Logger) {
        self.name = configuration.name
        self.configuration = configuration
        self.token = token
        self.fetcher = fetcher
        self.mapper = MeiqiaRecordMapper(source: configuration.name, timeZone: configuration.timeZone,
                                         wait: configuration.options(as: MeiqiaOptions.self).wait)
        let options = configuration.options(as: MeiqiaOptions.self)
        self.pageIndexBase = options.pageIndexBase
        self.filter = options.filter
        self.logger = logger
    }

    func url(_ path: String) -> String { Endpoint.join(configuration.baseURL, "unified-api/call/openapi/ent/v1/" + path) }

    /// Sends a request and turns Meiqia's `{"error":{"code","message"}}` into a one-line error.
    func send(_ path: String, method: HTTPMethod, body: [String: Any]?) async throws -> FetchedResponse {
        let target = url(path)
        let text = try body.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
        let response = try await fetcher.send(method, url: target, headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(token.value)")],
                                              body: text)
        guard response.status == 200 else {
            let message = Self.errorMessage(response) ?? response.text.oneLine()
            if response.status == 401 || response.status == 403 {
                throw SourceError.rejectedCredentials(source: name, user: nil, detail: "HTTP \(response.status): \(message)")
            }
            throw SourceError.status(source: name, url: target, code: response.status, body: message)
        }
        return response
    }

    static func errorMessage(_ response: FetchedResponse) -> String? {
        guard let value = try? JSONValue.parse(Data(response.body.readableBytesView)), let error = value["error"] else { return nil }
        let code = error["code"]?.text
        let message = error["message"]?.text
        return [code, message].compactMap { $0 }.joined(separator: ": ")
    }

    /// The token is checked by the first listing; there is no session.
    public func open() async throws {}

    public func close() async {}

    public func page(window: DateInterval, offset: Int, limit: Int) async throws -> SourcePage {
        let pageIndex = offset / limit + pageIndexBase
        var body = filter.body
        body.merge([
            "start_time": LocalDateTime.iso8601(window.start, in: configuration.timeZone),
            "end_time": LocalDateTime.iso8601(window.end.addingTimeInterval(Self.endSlack), in: configuration.timeZone),
            "page_index": pageIndex,
            "page_size": limit,
        ]) { _, window in window }
        let response = try await send("records", method: .POST, body: body)
        let target = url("records")
        guard case .object(let object)? = try? JSONValue.parse(Data(response.body.readableBytesView)) else {
            throw SourceError.protocolViolation(source: name, url: target, detail: "a body that is not a JSON object (\(response.text.oneLine(limit: 40)))")
        }
        let total = try SourceError.checkingPage(source: name, url: target) { try object["total"].count(field: "total") }
        // The records' own bytes, as sent: split the `data` array out of the body.
        guard let start = response.body.withUnsafeReadableBytes(Self.dataArrayOffset) else {
            return SourcePage(elements: [], reportedTotal: total, decode: mapper.decode)
        }
        return try SourcePage(listing: response, from: start, source: name, url: target, reportedTotal: total, decode: mapper.decode)
    }

    /// The byte offset of the `[` after the first `"data"` key of the body; the splitter finds the
    /// array's end itself.
    static func dataArrayOffset(in body: UnsafeRawBufferPointer) -> Int? {
        let key = Array(#""data""#.utf8)
        guard body.count >= key.count else { return nil }
        for start in 0...(body.count - key.count) where body[start] == key[0] && body[start..<(start + key.count)].elementsEqual(key) {
            return body[(start + key.count)...].firstIndex(of: UInt8(ascii: "["))
        }
        return nil
    }

    /// The dimension endpoints: outbound numbers with their names and groups, and SIP seats with
    /// agent names (the seats' SIP passwords are never read).
    public func syncSupplements(into store: CallStore, period: DateInterval?) async -> [String] {
        do {
            let (numbers, agents) = try await dimensions()
            try await store.replaceDimensions(
                source: name,
                numbers: numbers.map { SourceNumber(source: name, number: $0.number, name: $0.name, groupName: $0.group) },
                agents: agents.map { SourceAgent(source: name, agentId: $0.id, name: $0.name) })
            return []
        } catch let error as SourceError {
            return ["agent and number names not refreshed: \(error.calltrailError.message)"]
        } catch {
            return ["agent and number names not refreshed: \(error)"]
        }
    }

    func dimensions() async throws -> (numbers: [(number: String, name: String?, group: String?)], agents: [(id: String, name: String?)]) {
        let numbersBody = try await send("rule_outnumber_group", method: .GET, body: nil)
        let seatsBody = try await send("sips", method: .GET, body: nil)
        var numbers: [(String, String?, String?)] = []
        if let value = try? JSONValue.parse(Data(numbersBody.body.readableBytesView)) {
            var groupOf: [String: String] = [:]
            if case .array(let groups)? = value["groups"] {
                for group in groups {
                    if case .array(let members)? = group["numbers"] {
                        for member in members { if let n = member.text { groupOf[n] = group["name"]?.text } }
                    }
                }
            }
            if case .array(let list)? = value["numbers"] {
                for entry in list {
                    if let number = entry["number"]?.text { numbers.append((number, entry["name"]?.text, groupOf[number])) }
                }
            }
        }
        var agents: [(String, String?)] = []
        if case .array(let seats)? = try? JSONValue.parse(Data(seatsBody.body.readableBytesView)) {
            for seat in seats {
                if let id = seat["agent_id"]?.text { agents.append((id, seat["agent_name"]?.text)) }
            }
        }
        return (numbers, agents)
    }
}
