import CalltrailCore
import Foundation

/// uContact's state behind the simulator's endpoints: the CDR history, sessions and the fault
/// schedule. The adversary of the client: it pages over a live, sorted result set, answers `0` with
/// status 200 for bad requests, and lets sessions expire.
public actor UContactBackend {
    struct Row {
        let calldate: LocalDateTime
        let call: SimulatedCall
        let json: String
        var guid: String { call.guid }
        var campaign: String { call.campaign }
        var agent: String? { call.agent }
    }

    public let user: String
    let password: String
    let timeZone: TimeZone
    let encoder: UContactCDREncoder
    public private(set) var faults: FaultPlan
    private var rows: [Row] = []
    private var sessions: [String: Int] = [:]
    private var listingRequests = 0
    private var lateWindows: Set<String> = []
    private var random: SeededRandom
    public private(set) var undecodable = 0
    /// The `Supervisor/campaignstatus` answer: today's counters up to the history's end.
    let campaignStatus: String

    public init(calls: [SimulatedCall], timeZone: TimeZone, user: String, password: String, faults: FaultPlan, seed: UInt64, now: Date) {
        var midnight = LocalDateTime(now.addingTimeInterval(-1), in: timeZone)
        midnight.hour = 0
        midnight.minute = 0
        midnight.second = 0
        self.campaignStatus = CampaignStatus.json(calls: calls, dayStart: midnight.date(in: timeZone), now: now)
        self.user = user
        self.password = password
        self.timeZone = timeZone
        let encoder = UContactCDREncoder(timeZone: timeZone)
        self.encoder = encoder
        self.faults = faults
        self.random = SeededRandom(seed: seed ^ 0x5EED_0C0A)
        let malformedIndex = faults.malformedRecord && !calls.isEmpty ? min(10, calls.count - 1) : -1
        let encoded = calls.enumerated().map { index, call in
            Row(calldate: LocalDateTime(call.start, in: timeZone), call: call,
                json: encoder.encode(call, index: index, malformed: index == malformedIndex))
        }
        self.rows = Self.sorted(encoded)
        self.undecodable = malformedIndex >= 0 ? 1 : 0
    }

    private static func sorted(_ rows: [Row]) -> [Row] {
        rows.sorted { ($0.calldate, $0.guid) < ($1.calldate, $1.guid) }
    }

    /// Every record the simulator holds now, late arrivals included.
    public var recordCount: Int { rows.count }

    public func setFaults(_ plan: FaultPlan) { faults = plan }

    /// Listing requests answered or refused so far.
    public var listingRequestCount: Int { listingRequests }

    // MARK: auth

    public enum LoginResult: Sendable { case token(String), refused }

    public func login(user: String, password: String) -> LoginResult {
        guard user == self.user, password == self.password else { return .refused }
        let token = random.guid().replacingOccurrences(of: "-", with: "")
        sessions[token] = 0
        return .token(token)
    }

    /// A live session's `Authorization: Basic <token>` (endpoints other than the listing).
    public func isAuthorized(_ authorization: String?) -> Bool {
        guard let authorization, authorization.hasPrefix("Basic ") else { return false }
        return sessions[String(authorization.dropFirst(6))] != nil
    }

    /// `Supervisor/campaignstatus` for all campaigns (`queue` empty) or one.
    /// `Supervisor/campaignstatus` for one campaign (seed 003: `queue`, e.g. `CampTest2<-`), with the
    /// agent entries that ride along; an empty or unknown `queue` gets uContact's failure body `0`.
    public func campaignStatus(authorization: String?, queue: String) -> String? {
        guard isAuthorized(authorization) else { return nil }
        guard !queue.isEmpty, let all = try? JSONSerialization.jsonObject(with: Data(campaignStatus.utf8)) as? [String: Any],
              let one = all[queue] as? [String: Any], one["campaign"] != nil
        else { return "0" }
        var answer: [String: Any] = [queue: one]
        for (key, value) in all where (value as? [String: Any])?["agent"] != nil { answer[key] = value }
        guard let data = try? JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys]) else { return "0" }
        return String(decoding: data, as: UTF8.self)
    }

    public func endSession(token: String) -> Bool {
        sessions.removeValue(forKey: token) != nil
    }

    // MARK: getrecords

    public enum ListingResult: Sendable {
        case records(String)
        /// uContact's failure: status 200, body `0`.
        case zero
        case unauthorized
        case rateLimited(retryAfter: Int)
        case serverError
        case hang
    }

    /// What the listing request should get, and how long to wait before answering it.
    public func listing(authorization: String?, form: [String: String]) -> (ListingResult, delay: Double) {
        listingRequests += 1
        let n = listingRequests
        if let hang = faults.hangAfterRequests, n > hang { return (.hang, 0) }

        guard let authorization, authorization.hasPrefix("Basic "),
              let used = sessions[String(authorization.dropFirst(6))]
        else { return (.unauthorized, 0) }
        let token = String(authorization.dropFirst(6))
        if faults.tokenExpiry && used >= 6 {
            sessions.removeValue(forKey: token)
            return (.unauthorized, 0)
        }
        sessions[token] = used + 1
        if faults.rateLimit && n % 7 == 3 { return (.rateLimited(retryAfter: faults.retryAfterSeconds), 0) }
        if faults.serverErrors && n % 5 == 2 { return (.serverError, 0) }
        let delay = faults.slowResponses && n % 9 == 4 ? faults.slowSeconds : 0

        guard let lastrow = form["lastrow"].flatMap({ Int($0) }), lastrow >= 0,
              let limit = form["searchLimit"].flatMap({ Int($0) }), limit > 0,
              let filterText = form["filter"], let filterData = filterText.data(using: .utf8),
              let filter = try? JSONSerialization.jsonObject(with: filterData) as? [String: Any]
        else { return (.zero, delay) }
        let from = (filter["calldatei"] as? String).flatMap { LocalDateTime(parsing: $0) }
        let to = (filter["calldatef"] as? String).flatMap { LocalDateTime(parsing: $0) }
        guard let from, let to else { return (.zero, delay) }

        if faults.lateArrivals && lastrow > 0 && lateWindows.count < 3 && !lateWindows.contains(filterText) {
            lateWindows.insert(filterText)
            arriveLate(at: from, before: to)
        }

        guard let matches = GetRecordsFilter(filter) else { return (.zero, delay) }
        let lower = rows.partitionIndex { $0.calldate >= from }
        let upper = rows.partitionIndex { $0.calldate > to }
        let inRange = rows[lower..<upper]
        let perNumber = matches.cont > 0 ? Dictionary(inRange.map { ($0.call.customerNumber, 1) }, uniquingKeysWith: +) : [:]
        let page = inRange.lazy
            .filter { matches.admits($0.call) && perNumber[$0.call.customerNumber, default: 0] >= matches.cont }
            .dropFirst(lastrow).prefix(limit).map(\.json)
        return (.records("[" + page.joined(separator: ",") + "]"), delay)
    }

    /// Two calls that "arrive late": they start within the window's first minutes, so they sort
    /// before rows already paged and shift every later row by two.
    private func arriveLate(at from: LocalDateTime, before to: LocalDateTime) {
        let start = from.date(in: timeZone)
        let end = to.date(in: timeZone)
        guard end > start else { return }
        for k in 0..<2 {
            let offset = min(end.timeIntervalSince(start) / 4, 600) * random.unit()
            let call = SimulatedCall(
                guid: random.guid(), start: Date(timeIntervalSince1970: floor(start.timeIntervalSince1970 + offset)),
                campaign: "Soporte<-", inbound: true, agent: "ana.perez", customerNumber: "09" + random.digits(7),
                did: "26001000", waitS: 3 + k, talkS: 95, holdS: 0, fate: .answered)
            rows.append(Row(calldate: LocalDateTime(call.start, in: timeZone), call: call, json: encoder.encode(call, index: rows.count)))
        }
        rows = Self.sorted(rows)
    }
}

extension Array {
    /// The first index whose element satisfies `predicate`, for a predicate false then true along the array.
    func partitionIndex(where predicate: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if predicate(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
