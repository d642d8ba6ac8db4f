import CalltrailCore
import Foundation

/// Meiqia's state behind the simulator: the records, the token, and the fault schedule. Paging is
/// by `page_index`/`page_size` over a live result set whose `total` grows when records arrive.
public actor MeiqiaBackend {
    struct Row {
        let start: Date
        let end: Date
        let guid: String
        let json: String
        /// The record's filterable fields as text (RecordsFilter).
        let fields: [String: String]
    }

    let token: String
    let timeZone: TimeZone
    let encoder: MeiqiaRecordEncoder
    public private(set) var faults: FaultPlan
    private var rows: [Row]
    private var requests = 0
    private var lateWindows: Set<String> = []
    private var random: SeededRandom
    public private(set) var undecodable = 0
    /// Where `record_path` points: the simulator's Meiqia recordings, set once the port is bound.
    private var recordBase = "http://127.0.0.1/meiqia/records"

    public func setRecordBase(_ url: String) { recordBase = url }

    public init(calls: [SimulatedCall], timeZone: TimeZone, token: String, faults: FaultPlan, seed: UInt64) {
        let encoder = MeiqiaRecordEncoder(timeZone: timeZone)
        self.encoder = encoder
        self.token = token
        self.timeZone = timeZone
        self.faults = faults
        self.random = SeededRandom(seed: seed ^ 0x3E1_A1A)
        let malformedIndex = faults.malformedRecord && !calls.isEmpty ? min(7, calls.count - 1) : -1
        self.rows = calls.enumerated().map { index, call in Self.row(call, encoder: encoder, malformed: index == malformedIndex) }
            .sorted { ($0.start, $0.guid) < ($1.start, $1.guid) }
        self.undecodable = malformedIndex >= 0 ? 1 : 0
    }

    static func row(_ call: SimulatedCall, encoder: MeiqiaRecordEncoder, malformed: Bool = false) -> Row {
        let json = encoder.encode(call, malformed: malformed)
        let ivr = call.inbound ? MeiqiaRecordEncoder.ivrSeconds : 0
        let start = call.start.addingTimeInterval(-Double(ivr))
        let end = start.addingTimeInterval(Double(ivr + call.waitS + call.talkS))
        let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]) ?? [:]
        let fields = object.compactMapValues { value -> String? in
            switch value {
            case let text as String: text
            case let number as NSNumber: number.stringValue
            default: nil
            }
        }
        return Row(start: start, end: end, guid: call.guid, json: json, fields: fields)
    }

    public var recordCount: Int { rows.count }
    public func setFaults(_ plan: FaultPlan) { faults = plan }

    public enum Reply: Sendable {
        case json(String)
        case error(status: Int, code: String, message: String)
        case rateLimited(retryAfter: Int)
    }

    public func authorized(_ header: String?) -> Bool { header == "Bearer \(token)" }

    /// `POST records`: `start_time` filters on the call's start, `end_time` on its end, and the list
    /// filters as RecordsFilter applies them (seed 002).
    public func records(authorization: String?, body: Data) -> (Reply, delay: Double) {
        requests += 1
        let n = requests
        guard authorized(authorization) else {
            return (.error(status: 401, code: "Unauthenticated", message: "access token 无效或已被重置"), 0)
        }
        if faults.rateLimit && n % 7 == 3 { return (.rateLimited(retryAfter: faults.retryAfterSeconds), 0) }
        if faults.serverErrors && n % 5 == 2 { return (.error(status: 500, code: "Internal", message: "服务器内部错误"), 0) }
        let delay = faults.slowResponses && n % 9 == 4 ? faults.slowSeconds : 0
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            return (.error(status: 400, code: "InvalidArgument", message: "请求体不是合法的 JSON"), delay)
        }
        let from = (object["start_time"] as? String).flatMap { TimePoint(parsing: $0) }?.date(in: timeZone)
        let to = (object["end_time"] as? String).flatMap { TimePoint(parsing: $0) }?.date(in: timeZone)
        let index = (object["page_index"] as? Int) ?? 1
        let size = (object["page_size"] as? Int) ?? 20
        guard size > 0, size <= 1000, index >= 1 else {
            return (.error(status: 400, code: "InvalidArgument", message: "page_index 从 1 开始, page_size 为 1 到 1000"), delay)
        }
        if faults.lateArrivals && index > 1, let from, let to, lateWindows.count < 3, !lateWindows.contains("\(from)") {
            lateWindows.insert("\(from)")
            arriveLate(from: from, to: to)
        }
        let filter: RecordsFilter
        do {
            filter = try RecordsFilter(object)
        } catch {
            return (.error(status: 400, code: "InvalidArgument", message: "未知字段 \(error.key)"), delay)
        }
        // The rows are in start order, and a row that ends by `to` starts by it: the candidates lie between
        // two binary searches, not in a scan of the whole history for every page.
        let low = from.map { from in rows.partitioningIndex { $0.start >= from } } ?? rows.startIndex
        let high = to.map { to in rows.partitioningIndex { $0.start > to } } ?? rows.endIndex
        let matching = rows[low..<max(low, high)].filter { row in
            (from.map { row.start >= $0 } ?? true) && (to.map { row.end <= $0 } ?? true) && filter.admits(row.fields)
        }
        let page = matching.dropFirst((index - 1) * size).prefix(size).map(\.json).joined(separator: ",")
            .replacingOccurrences(of: MeiqiaRecordEncoder.recordBase.replacingOccurrences(of: "/", with: "\\/"), with: recordBase.replacingOccurrences(of: "/", with: "\\/"))
            .replacingOccurrences(of: MeiqiaRecordEncoder.recordBase, with: recordBase)
        return (.json("{\"data\":[" + page + "],\"total\":\(matching.count)}"), delay)
    }

    /// Two answered calls that start near the window's start: every later row shifts, and `total` grows.
    private func arriveLate(from: Date, to: Date) {
        for k in 0..<2 {
            let start = Date(timeIntervalSince1970: floor(from.timeIntervalSince1970 + 60 + random.unit() * 600))
            guard start < to else { return }
            let call = SimulatedCall(guid: random.guid(), start: start, campaign: "售前咨询", inbound: true, agent: "1001",
                                     customerNumber: "09" + random.digits(7), did: "02160001000", waitS: 5 + k, talkS: 80,
                                     holdS: 0, fate: .answered)
            rows.append(Self.row(call, encoder: encoder))
        }
        rows.sort { ($0.start, $0.guid) < ($1.start, $1.guid) }
    }

    /// `GET rule_outnumber_group`.
    public func numberGroups() -> String {
        let numbers = MeiqiaRecordEncoder.trunkNames.sorted { $0.key < $1.key }
            .map { "{\"name\":\"\($0.value)\",\"number\":\"\($0.key)\"}" }.joined(separator: ",")
        return "{\"groups\":[{\"id\":1,\"name\":\"上海号码组\",\"numbers\":[\"02160001000\",\"02160002000\"],\"rule_type\":1},"
            + "{\"id\":2,\"name\":\"回访号码组\",\"numbers\":[\"02160003000\"],\"rule_type\":2}],\"numbers\":[\(numbers)]}"
    }

    /// `GET sips`: seats with their agents, and (as the real API does) their SIP passwords.
    public func seats() -> String {
        "[" + MeiqiaRecordEncoder.agentNames.sorted { $0.key < $1.key }.map { id, name in
            "{\"agent_id\":\(id),\"agent_name\":\"\(name)\",\"expiration_at\":\"2027-01-01T00:00:00+08:00\",\"occupied\":\"y\",\"password\":\"sip-secret-\(id)\",\"sip\":\"80\(id.suffix(2))\"}"
        }.joined(separator: ",") + "]"
    }
}
