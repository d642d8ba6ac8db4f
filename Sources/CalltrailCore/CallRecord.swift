import Foundation

/// One call, normalized from any vendor into the fields docs/METRICS.md defines.
/// Times are absolute instants; `wait_s` and the other durations are seconds.
public struct CallRecord: Sendable, Equatable {
    /// The configured source name (by default the vendor kind: `ucontact`, `meiqia`, ...).
    public var source: String
    /// The vendor's identifier for the call, unique within `source`.
    public var callID: String
    public var direction: Direction
    public var outcome: Outcome
    /// Queue or campaign the call was offered to (uContact campaign, CCAI menu path, ...).
    public var queue: String?
    public var agent: String?
    public var customerNumber: String?
    /// The number the customer dialled (inbound) or the number presented (outbound).
    public var did: String?
    /// When the vendor says the call began.
    public var startedAt: Date
    /// When the call entered a queue; nil when it never reached one (IVR only, outbound).
    public var queuedAt: Date?
    public var answeredAt: Date?
    public var endedAt: Date?
    /// Answered: answered − queued; not answered: ended − queued. Nil when not queued.
    public var waitS: Double?
    public var talkS: Double
    public var holdS: Double
    public var wrapS: Double
    public var transfers: Int
    /// The vendor's own disposition text, kept verbatim.
    public var disposition: String?
    /// What the recordings stage needs to find the audio (uContact guid, a URL, ...).
    public var recordingRef: String?
    /// The failed call this one answers (CCAI's `recovered` callback and its `parent_id`): the two are
    /// one contact.
    public var parentCallID: String?
    /// The names of the vendor's mapping checks (MappingCheck) this record broke; empty when it
    /// passed them all.
    public var failedChecks: [String] = []

    public init(
        source: String, callID: String, direction: Direction, outcome: Outcome,
        queue: String? = nil, agent: String? = nil, customerNumber: String? = nil, did: String? = nil,
        startedAt: Date, queuedAt: Date? = nil, answeredAt: Date? = nil, endedAt: Date? = nil,
        waitS: Double? = nil, talkS: Double = 0, holdS: Double = 0, wrapS: Double = 0,
        transfers: Int = 0, disposition: String? = nil, recordingRef: String? = nil
    ) {
        self.source = source
        self.callID = callID
        self.direction = direction
        self.outcome = outcome
        self.queue = queue
        self.agent = agent
        self.customerNumber = customerNumber
        self.did = did
        self.startedAt = startedAt
        self.queuedAt = queuedAt
        self.answeredAt = answeredAt
        self.endedAt = endedAt
        self.waitS = waitS
        self.talkS = talkS
        self.holdS = holdS
        self.wrapS = wrapS
        self.transfers = transfers
        self.disposition = disposition
        self.recordingRef = recordingRef
    }

    /// Vendors write "no agent" as 0 or an empty id (Meiqia's `agent_id` 0 on calls abandoned in the
    /// queue): every mapping's agent goes through this, so no call is stored under agent "0".
    public static func agentID(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed.allSatisfy({ $0 == "0" }) ? nil : trimmed
    }
}

public enum Direction: String, Sendable, CaseIterable, Codable {
    case inbound, outbound, `internal`
}

/// The outcomes of docs/METRICS.md; `unknown` when a vendor value maps to none of them.
public enum Outcome: String, Sendable, CaseIterable, Codable {
    case answered, abandoned, unanswered, deflected, voicemail, failed
    case outboundAnswered = "outbound_answered"
    case outboundUnanswered = "outbound_unanswered"
    case unknown
}
