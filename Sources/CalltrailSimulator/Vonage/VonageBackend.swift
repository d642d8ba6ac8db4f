import CalltrailCore
import Foundation

/// Vonage Contact Center behind the simulator: OAuth client credentials, interactions and queue
/// times. As adversary it insists on its versioned `Accept` header, refuses windows over 31 days,
/// answers a busy window only up to `upTo`, and lets tokens lapse.
public actor VonageBackend {
    struct Interaction {
        let start: Date
        let guid: String
        let json: [String: Any]
        let queueTime: [String: Any]?
        /// Both as JSON text, encoded once: a page is their texts joined, as a real server answers in its
        /// latency whatever the page (encoding each page anew took the actor ≈ 20 ms, which every
        /// concurrent request waited for).
        let jsonText: String
        let queueTimeText: String?

        init(start: Date, guid: String, json: [String: Any], queueTime: [String: Any]?) {
            self.start = start
            self.guid = guid
            self.json = json
            self.queueTime = queueTime
            jsonText = Self.text(json)
            queueTimeText = queueTime.map(Self.text)
        }

        static func text(_ object: [String: Any]) -> String {
            String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
    }

    static let accept = "application/vnd.newvoicemedia.v3+json"
    static let pageSize = 100
    /// A window with more interactions than this is answered up to `upTo`.
    static let windowLimit = 250
    static let ivrSeconds = 5

    let clientID: String
    let clientSecret: String
    public private(set) var faults: FaultPlan
    var interactions: [Interaction]
    var tokens: [String: Int] = [:]
    private var requests = 0
    private var lateWindows: Set<String> = []
    var random: SeededRandom
    public private(set) var undecodable = 0
    /// The interactions with a call recording in the Interaction Content API (VonageContent.swift).
    var recorded: Set<String> = []
    var recordingAudio: [String: Data] = [:]
    var recordingGets: [String: Int] = [:]
    var cutTransfers = false
    public internal(set) var contentRequests = 0

    public init(calls: [SimulatedCall], clientID: String, clientSecret: String, faults: FaultPlan, seed: UInt64) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.faults = faults
        self.random = SeededRandom(seed: seed ^ 0x564F_4E41)
        var list = calls.enumerated().map { Self.interaction($1, index: $0) }
        if faults.malformedRecord, list.count > 4 {
            var json = list[4].json
            json["start"] = "sometime"
            list[4] = Interaction(start: list[4].start, guid: list[4].guid, json: json, queueTime: list[4].queueTime)
            undecodable = 1
        }
        interactions = list.sorted { ($0.start, $0.guid) < ($1.start, $1.guid) }
        // Connected interactions are recorded, but one in ten has no recording.
        for (index, call) in calls.enumerated() where call.agent != nil && (call.fate == .answered || call.fate == .outboundAnswered) && index % 10 != 7 {
            recorded.insert(call.guid)
        }
        cutTransfers = faults.serverErrors
    }

    static func iso(_ date: Date) -> String {
        LocalDateTime.iso8601(date, in: TimeZone(identifier: "UTC")!).replacingOccurrences(of: "+00:00", with: ".000Z")
    }

    static func interaction(_ call: SimulatedCall, index: Int) -> Interaction {
        let ivr = call.inbound ? ivrSeconds : 0
        let start = call.start.addingTimeInterval(-Double(ivr))
        let answered = call.fate == .answered || call.fate == .outboundAnswered
        let callback = call.fate == .abandoned && index % 4 == 1
        let voicemail = call.fate == .abandoned && index % 9 == 2
        // Labels beyond the few the docs show: an interaction that ended in the IVR says so in its own words.
        let outcome = answered ? "Connected" : (callback ? "Callback" : voicemail ? "Voicemail"
            : call.fate == .failed ? "EndedInIVR" : (call.inbound ? "Abandoned" : "NoAnswer"))
        var channels: [[String: Any]] = [["party": ["id": call.customerNumber, "role": "External"],
                                          "events": [["type": "Ringing", "offset": 0, "duration": 2000]]]]
        if let agent = call.agent, answered {
            var events: [[String: Any]] = [["type": "Connected", "offset": (ivr + call.waitS) * 1000, "duration": call.talkS * 1000]]
            if call.holdS > 0 { events.append(["type": "Hold", "offset": (ivr + call.waitS + 20) * 1000, "duration": call.holdS * 1000]) }
            channels.append(["party": ["id": agent, "role": "Agent"], "events": events])
        }
        let json: [String: Any] = [
            "guid": call.guid, "conversationGuid": call.guid, "start": iso(start),
            "duration": (ivr + call.waitS + call.talkS) * 1000,
            "direction": call.inbound ? "Inbound" : "Outbound", "serviceName": call.campaign,
            "connectFrom": call.inbound ? call.customerNumber : call.did,
            "connectTo": call.inbound ? call.did : call.customerNumber,
            "outcome": outcome, "interactionPlanMapping": ["name": "Main plan"], "channels": channels,
        ]
        var queueTime: [String: Any]?
        if call.inbound && call.fate != .failed {
            queueTime = ["guid": call.guid, "queue": call.campaign, "category": answered ? "Answered" : "Breakout",
                         "duration": call.waitS * 1000, "targets": ["targetTimeToAnswer": 20000]]
            if !answered { queueTime?["reason"] = callback ? "Callback" : voicemail ? "Voicemail" : "CallerHungUp" }
        }
        return Interaction(start: start, guid: call.guid, json: json, queueTime: queueTime)
    }

    public var recordCount: Int { interactions.count }
    public func setFaults(_ plan: FaultPlan) {
        faults = plan
        cutTransfers = plan.serverErrors
    }

    public enum Reply: Sendable {
        case json(String)
        case error(status: Int, body: String)
        case rateLimited(retryAfter: Int)
    }

    /// `POST /Auth/connect/token` (client credentials).
    public func token(form: [String: String]) -> Reply {
        guard form["grant_type"] == "client_credentials" else { return .error(status: 400, body: "{\"error\":\"unsupported_grant_type\"}") }
        guard form["client_id"] == clientID, form["client_secret"] == clientSecret else {
            return .error(status: 400, body: "{\"error\":\"invalid_client\"}")
        }
        let token = random.guid().replacingOccurrences(of: "-", with: "")
        tokens[token] = 0
        return .json("{\"access_token\":\"\(token)\",\"expires_in\":7200,\"token_type\":\"Bearer\",\"scope\":\"stats interaction-content:read\"}")
    }

    /// `GET /stats/interactions` and `GET /stats/queue-times`.
    public func stats(_ kind: String, authorization: String?, accept: String?, query: [String: String]) -> (Reply, delay: Double) {
        requests += 1
        let n = requests
        guard let authorization, authorization.hasPrefix("Bearer "), let used = tokens[String(authorization.dropFirst(7))] else {
            return (.error(status: 401, body: "{\"message\":\"Unauthorized\"}"), 0)
        }
        let token = String(authorization.dropFirst(7))
        if faults.tokenExpiry && used >= 6 {
            tokens.removeValue(forKey: token)
            return (.error(status: 401, body: "{\"message\":\"The access token expired\"}"), 0)
        }
        tokens[token] = used + 1
        guard accept == Self.accept else {
            return (.error(status: 406, body: "{\"message\":\"Accept must be \(Self.accept)\"}"), 0)
        }
        if faults.rateLimit && n % 7 == 3 { return (.rateLimited(retryAfter: faults.retryAfterSeconds), 0) }
        if faults.serverErrors && n % 5 == 2 { return (.error(status: 500, body: "{\"message\":\"Internal error\"}"), 0) }
        let delay = faults.slowResponses && n % 9 == 4 ? faults.slowSeconds : 0
        let utc = TimeZone(identifier: "UTC")!
        guard let start = query["start"].flatMap({ TimePoint(parsing: $0) })?.date(in: utc) else {
            return (.error(status: 400, body: "{\"message\":\"start is required\"}"), delay)
        }
        let end = query["end"].flatMap { TimePoint(parsing: $0) }?.date(in: utc) ?? start.addingTimeInterval(31 * 86_400)
        guard end > start, end.timeIntervalSince(start) <= 31 * 86_400 else {
            return (.error(status: 400, body: "{\"message\":\"The period between start and end must be at most 31 days\"}"), delay)
        }
        let page = Int(query["page"] ?? "1") ?? 1
        guard page >= 1 else { return (.error(status: 400, body: "{\"message\":\"page starts at 1\"}"), delay) }
        if kind == "interactions" && faults.lateArrivals && page > 1 && lateWindows.count < 3 && !lateWindows.contains("\(start)") {
            lateWindows.insert("\(start)")
            arriveLate(from: start, to: end)
        }
        // The interactions are in start order: the window is the range between two binary searches.
        var matching = interactions[interactions.partitioningIndex(where: { $0.start >= start })..<interactions.partitioningIndex(where: { $0.start >= end })]
        var upTo: Date?
        if matching.count > Self.windowLimit {
            let limit = matching[matching.startIndex + Self.windowLimit].start
            upTo = limit
            matching = matching[matching.startIndex..<matching.partitioningIndex(where: { $0.start >= limit })]
        }
        let slice: [String]
        let total: Int
        if kind == "interactions" {
            total = matching.count
            slice = matching.dropFirst((page - 1) * Self.pageSize).prefix(Self.pageSize).map(\.jsonText)
        } else {
            let items = matching.compactMap(\.queueTimeText)
            total = items.count
            slice = Array(items.dropFirst((page - 1) * Self.pageSize).prefix(Self.pageSize))
        }
        let pageCount = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        // The keys in order, as JSONSerialization's .sortedKeys writes them: items, meta, upTo.
        var body = "{\"items\":[" + slice.joined(separator: ",") + "],"
        body += "\"meta\":{\"count\":\(slice.count),\"page\":\(page),\"pageCount\":\(pageCount),\"totalCount\":\(total)}"
        if let upTo { body += ",\"upTo\":\"\(Self.iso(upTo))\"" }
        return (.json(body + "}"), delay)
    }

    private func arriveLate(from: Date, to: Date) {
        for k in 0..<2 {
            let start = Date(timeIntervalSince1970: floor(from.timeIntervalSince1970 + 30 + random.unit() * 300))
            guard start < to else { return }
            let call = SimulatedCall(guid: random.guid(), start: start, campaign: "Sales Line", inbound: true, agent: "agent-101",
                                     customerNumber: "+44 7700 900" + random.digits(3), did: "+44 20 7946 0100", waitS: 4 + k,
                                     talkS: 70, holdS: 0, fate: .answered)
            interactions.append(Self.interaction(call, index: interactions.count))
        }
        interactions.sort { ($0.start, $0.guid) < ($1.start, $1.guid) }
    }
}
