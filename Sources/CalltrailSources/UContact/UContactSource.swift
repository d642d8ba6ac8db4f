import AsyncHTTPClient
import CalltrailCore
import CalltrailStore
import Foundation
import Logging
import NIOCore
import Synchronization

/// uContact's Integra API: a session token from `auth/getUserToken`, `Cdr/getrecords` paged by
/// `lastrow`/`searchLimit` with a JSON `filter`, `auth/EndSession` at the end.
public final class UContactSource: RecordSource, SupplementarySource {
    public let name: String
    public let endpoint = "Cdr/getrecords"
    let configuration: SourceConfiguration
    let password: Secret
    let fetcher: HTTPFetcher
    let mapper: UContactRecordMapper
    let logger: Logger
    private let token = Mutex<Secret?>(nil)

    public init(configuration: SourceConfiguration, password: Secret, fetcher: HTTPFetcher, logger: Logger) {
        self.name = configuration.name
        self.configuration = configuration
        self.password = password
        self.fetcher = fetcher
        self.mapper = UContactRecordMapper(source: configuration.name, timeZone: configuration.timeZone, renames: configuration.fieldNames)
        self.logger = logger
    }

    func url(_ path: String) -> String {
        var base = configuration.baseURL.absoluteString
        if !base.hasSuffix("/") { base += "/" }
        return base + "Integra/resources/" + path
    }

    func post(_ path: String, _ fields: [(String, String)], authorized: Bool) async throws -> FetchedResponse {
        let target = url(path)
        let body = FormBody.encode(fields)
        let authorization = authorized ? token.withLock { $0?.value } : nil
        return try await fetcher.send(url: target) {
            var request = HTTPClientRequest(url: target)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=UTF-8")
            request.headers.add(name: "Accept", value: "application/json")
            if let authorization { request.headers.add(name: "Authorization", value: "Basic \(authorization)") }
            request.body = .bytes(ByteBuffer(string: body))
            return request
        }
    }

    public func open() async throws {
        let response = try await post("auth/getUserToken", [("user", configuration.user), ("password", password.value)], authorized: false)
        let body = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard response.status == 200 else {
            if [401, 403].contains(response.status) {
                throw SourceError.rejectedCredentials(source: name, user: configuration.user, detail: "HTTP \(response.status)")
            }
            throw SourceError.status(source: name, url: url("auth/getUserToken"), code: response.status, body: body.oneLine())
        }
        // The token is the last element of a JSON list; `0` (status 200) means refused.
        guard body != "0", case .array(let list)? = try? JSONValue.parse(Data(body.utf8)) else {
            throw SourceError.rejectedCredentials(source: name, user: configuration.user, detail: "getUserToken answered \(body.oneLine(limit: 20))")
        }
        guard let last = list.last?.text else {
            throw SourceError.rejectedCredentials(source: name, user: configuration.user, detail: "getUserToken answered an empty list")
        }
        token.withLock { $0 = Secret(last) }
    }

    public func close() async {
        guard let current = token.withLock({ $0 }) else { return }
        do {
            _ = try await post("auth/EndSession", [("user", configuration.user), ("token", current.value)], authorized: true)
        } catch {
            logger.warning("logout failed", metadata: ["source": "\(name)", "error": "\(error)"])
        }
        token.withLock { $0 = nil }
    }

    /// The `filter` object of getrecords for a window. `calldatef` is inclusive to the second, so the
    /// window's open end becomes its last second.
    func filter(for window: DateInterval) -> String {
        let from = LocalDateTime(window.start, in: configuration.timeZone)
        let to = LocalDateTime(window.end.addingTimeInterval(-1), in: configuration.timeZone)
        let object: [String: String] = [
            "calldatei": from.description, "calldatef": to.description, "agent": "", "campaign": "",
            "source": "", "destination": "", "data": "", "range": "", "rating": "", "mindur": "",
            "exclude": "", "type": "record", "cont": "",
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    public func page(window: DateInterval, offset: Int, limit: Int) async throws -> SourcePage {
        let fields = [("lastrow", String(offset)), ("searchLimit", String(limit)), ("filter", filter(for: window)), ("Random", "1")]
        var response = try await post("Cdr/getrecords", fields, authorized: true)
        // An expired session shows as 401 or as the body `0`: log in again, once.
        if Self.isSessionFailure(response) {
            logger.info("session refused, logging in again", metadata: ["source": "\(name)"])
            try await open()
            response = try await post("Cdr/getrecords", fields, authorized: true)
        }
        let target = url("Cdr/getrecords")
        if response.status == 401 || response.status == 403 {
            throw SourceError.rejectedCredentials(source: name, user: configuration.user, detail: "getrecords answered HTTP \(response.status) after a new login")
        }
        guard response.status == 200 else {
            throw SourceError.status(source: name, url: target, code: response.status, body: response.text.oneLine())
        }
        return try response.body.withUnsafeReadableBytes { body in
            let elements: [Range<Int>]
            do {
                elements = try JSONArraySplitter.elements(in: body)
            } catch {
                throw SourceError.protocolViolation(source: name, url: target, detail: "a body that is not a JSON list (\(response.text.oneLine(limit: 40)))")
            }
            return SourcePage(body: body, elements: elements, decode: mapper.decode)
        }
    }

    /// `Supervisor/convert`: asks the platform to turn `guid`'s GSM recording of day `folder`
    /// (YYYYMMDD) into MP3. True when it answered `1`.
    public func convert(guid: String, folder: String) async throws -> Bool {
        if token.withLock({ $0 }) == nil { try await open() }
        let fields = [("guid", guid), ("folder", folder)]
        var response = try await post("Supervisor/convert", fields, authorized: true)
        if response.status == 401 || response.status == 403 {
            try await open()
            response = try await post("Supervisor/convert", fields, authorized: true)
        }
        return response.status == 200 && response.text.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// A `Supervisor/campaignstatus` snapshot of every campaign (an empty `queue` asks for all [guess]),
    /// stored per campaign so reports can set the platform's service level beside Calltrail's.
    public func syncSupplements(into store: CallStore) async throws {
        let target = url("Supervisor/campaignstatus")
        let response = try await post("Supervisor/campaignstatus", [("queue", "")], authorized: true)
        guard response.status == 200 else {
            throw SourceError.status(source: name, url: target, code: response.status, body: response.text.oneLine())
        }
        let takenAt = Date()
        guard case .object(let campaigns)? = try? JSONValue.parse(Data(response.body.readableBytesView)) else {
            throw SourceError.protocolViolation(source: name, url: target, detail: "a body that is not a JSON object (\(response.text.oneLine(limit: 40)))")
        }
        var stats: [PlatformStat] = []
        for (key, value) in campaigns.sorted(by: { $0.key < $1.key }) {
            // Agents and ACD calls share the object: campaigns are the entries with a `campaign` field.
            guard case .object = value, value["campaign"] != nil || value["servicelevel"] != nil else { continue }
            let payload = (try? JSONSerialization.data(withJSONObject: value.foundationObject, options: [.sortedKeys]))
                .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            stats.append(PlatformStat(
                source: name, campaign: value["campaign"]?.text ?? key, takenAt: takenAt,
                completed: value["completed"]?.number.map { Int($0) }, abandoned: value["abandoned"]?.number.map { Int($0) },
                servicelevel: value["servicelevel"]?.number, servicelevel2: value["servicelevel2"]?.number,
                slevelthreshold: value["slevelthreshold"]?.number, abandonedlevel: value["abandonedlevel"]?.number,
                payload: payload))
        }
        try await store.savePlatformStats(stats)
    }

    /// uContact answers `0` with status 200 when the session is gone. Only a short body can be that:
    /// a page of records is not copied into a string to find out.
    static func isSessionFailure(_ response: FetchedResponse) -> Bool {
        if response.status == 401 || response.status == 403 { return true }
        return response.status == 200 && response.body.readableBytes <= 16
            && response.text.trimmingCharacters(in: .whitespacesAndNewlines) == "0"
    }
}
