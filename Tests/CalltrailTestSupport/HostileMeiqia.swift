import CalltrailCore
import Foundation

/// A Meiqia records endpoint on a loopback server, as an independent vendor would run it: the calls it
/// holds are the test's to add, and it can list more records in a window than it serves (`phantoms`: a
/// count that never holds). Its name and agent endpoints answer 404 (an optional figure: a warning).
public final class HostileMeiqia: @unchecked Sendable {
    public let tokenVariable = "CALLTRAIL_TEST_HOSTILE_MEIQIA_TOKEN"
    public let token = "hostile-meiqia-token"
    private let lock = NSLock()
    private var calls: [(id: String, start: Date)] = []
    private var phantomsAt: [Date] = []
    private var recordingBase: String?
    public private(set) var server: LoopbackHTTPServer!

    public init() throws {
        server = try LoopbackHTTPServer { [unowned self] request in self.answer(request) }
    }

    public func stop() { server.stop() }

    /// A call the vendor now holds (a 30-second answered inbound call starting at `start`).
    public func add(_ id: String, at start: Date) { lock.withLock { calls.append((id, start)) } }
    /// A record counted in `total` for every window holding `at`, but never served.
    public func addPhantom(at date: Date) { lock.withLock { phantomsAt.append(date) } }
    public func removePhantoms() { lock.withLock { phantomsAt.removeAll() } }
    /// Each call's `record_path` from now on: `<base>/<call_uuid>.mp3`.
    public func serveRecordings(from base: String) { lock.withLock { recordingBase = base } }

    /// Listing requests received for windows holding `date`.
    public func listings(holding date: Date) -> Int {
        server.requests.filter { request in
            guard Self.path(request).hasSuffix("/records"), let body = Self.json(request), let window = Self.window(body) else { return false }
            return window.contains(date) && window.end != date
        }.count
    }

    static func path(_ request: RawRequest) -> String { URLComponents(string: request.target)?.path ?? request.target }
    static func json(_ request: RawRequest) -> [String: Any]? { (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any] }

    static func json(_ object: Any, status: Int = 200) -> RawResponse {
        RawResponse(status: status, headers: [("Content-Type", "application/json")],
                    body: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    /// `[start_time, end_time)` of a records request.
    static func window(_ body: [String: Any]) -> DateInterval? {
        let parser = ISO8601DateFormatter()
        guard let from = (body["start_time"] as? String).flatMap(parser.date(from:)),
              let to = (body["end_time"] as? String).flatMap(parser.date(from:)), from <= to else { return nil }
        return DateInterval(start: from, end: to)
    }

    func answer(_ request: RawRequest) -> RawResponse {
        guard Self.path(request).hasSuffix("/records") else { return Self.json(["error": ["code": "404", "message": "not here"]], status: 404) }
        let (calls, phantoms, recordingBase) = lock.withLock { (self.calls, self.phantomsAt, self.recordingBase) }
        guard request.header("Authorization") == "Bearer \(token)" else {
            return Self.json(["error": ["code": "Unauthenticated", "message": "access token revoked"]], status: 401)
        }
        guard let body = Self.json(request), let window = Self.window(body),
              let index = body["page_index"] as? Int, let size = body["page_size"] as? Int, index >= 1, size >= 1 else {
            return Self.json(["error": ["code": "400", "message": "bad request"]], status: 400)
        }
        let inWindow = calls.filter { $0.start >= window.start && $0.start < window.end }.sorted { $0.id < $1.id }
        let total = inWindow.count + phantoms.filter { $0 >= window.start && $0 < window.end }.count
        let page = inWindow.dropFirst((index - 1) * size).prefix(size)
        let utc = ISO8601DateFormatter()
        let records: [[String: Any]] = page.map { call in
            var record: [String: Any] = [
                "call_uuid": call.id, "call_type": "来电", "states": "接听", "start_time": utc.string(from: call.start),
                "end_time": utc.string(from: call.start.addingTimeInterval(30)), "duration": 30, "customer_duration": 25,
                "queue_wait_time": 2, "wait_time": 3, "customer_phone": "13800138000", "agent_id": 1001,
            ]
            if let recordingBase { record["record_path"] = "\(recordingBase)/\(call.id).mp3" }
            return record
        }
        return Self.json(["total": total, "data": records])
    }

    /// A configuration with this vendor as source `meiqia`, its database `name.sqlite`; `lines` add keys.
    public func configuration(in folder: URL, _ name: String, since: Date, lines: [String] = []) throws -> URL {
        let local = LocalDateTime(since, in: TimeZone(identifier: "America/Montevideo")!)
        let keys = ["kind = \"meiqia\"", "base_url = \"\(server.baseURL)\"", "password_env = \"\(tokenVariable)\"",
                    "since = \"\(local)\"", "window_hours = 24", "page_size = 20", "settle_minutes = 0",
                    "timeout_seconds = 2", "retry_base_seconds = 0.01", "max_attempts = 2"]
        let own = keys.filter { key in !lines.contains { $0.hasPrefix(key.prefix { $0 != " " } + " =") } }
        let text = (["database = \"\(name).sqlite\"", "timezone = \"America/Montevideo\"", "", "[[source]]"] + own + lines)
            .joined(separator: "\n")
        let url = folder.appendingPathComponent("\(name).toml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
