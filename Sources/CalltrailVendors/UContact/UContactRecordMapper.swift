import CalltrailCore
import CalltrailJSON
import CalltrailStore
import CalltrailSync
import Foundation

/// Maps a `Cdr/getrecords` record to a `CallRecord`. The vendor documents only `guid` and `calldate`;
/// the other names follow the filter keys and Asterisk's CDR (docs/VENDORS.md, "uContact"),
/// tried in order, with `fields` in the configuration naming others first.
public struct UContactRecordMapper: Sendable {
    public let source: String
    public let timeZone: TimeZone
    let clock: ZoneClock
    /// The record's fields, read in one pass over its members.
    let selector: FieldSelector

    /// The fields read from a record, in the order `selector` was made with.
    enum Field: Int, CaseIterable {
        case callID, calldate, queue, agent, sourceNumber, destinationNumber, duration, talk, wait, hold, disposition, direction

        var name: String {
            switch self {
            case .callID: "call_id"
            case .calldate: "calldate"
            case .queue: "queue"
            case .agent: "agent"
            case .sourceNumber: "source_number"
            case .destinationNumber: "destination_number"
            case .duration: "duration"
            case .talk: "talk"
            case .wait: "wait"
            case .hold: "hold"
            case .disposition: "disposition"
            case .direction: "direction"
            }
        }
    }

    /// [guess] readings of docs/VENDORS.md, checked on every record.
    public static let checks = [
        MappingCheck("talk_within_duration",
                     "billsec (talk) exceeds duration: the wait (duration − billsec) is cut to 0 and the answer time is the start"),
        MappingCheck("hold_within_duration", "the hold exceeds duration: AHT counts more than the call lasted"),
    ]

    /// Field → the keys tried, first match wins.
    public static let defaultNames: [String: [String]] = [
        "call_id": ["guid", "uniqueid"],
        "calldate": ["calldate", "date"],
        "queue": ["campaign", "queue"],
        "agent": ["agent", "agentname"],
        "source_number": ["src", "source", "callerid", "clid"],
        "destination_number": ["dst", "destination"],
        "duration": ["duration"],
        "talk": ["billsec", "talktime", "talk"],
        "wait": ["waittime", "wait"],
        "hold": ["hold", "holdtime_agent"],
        "disposition": ["disposition", "status"],
        "direction": ["direction"],
    ]

    public init(source: String, timeZone: TimeZone, renames: [String: String] = [:]) {
        self.source = source
        self.timeZone = timeZone
        self.clock = ZoneClock(timeZone)
        var names = Self.defaultNames
        for (field, vendorKey) in renames { names[field, default: []].insert(vendorKey, at: 0) }
        selector = FieldSelector(Field.allCases.map { names[$0.name]! })
    }

    /// Decodes one record's bytes: the call, or the record with the reason it maps to none.
    public func decode(_ bytes: UnsafeRawBufferPointer) -> DecodedRecord {
        RecordDecoding.decode(bytes, key: { selector.select($0).first??.text }, map: map)
    }

    public func map(_ record: JSONValue) throws -> CallRecord {
        let fields = selector.select(record)
        func text(_ field: Field) -> String? { fields[field.rawValue]?.text }
        func seconds(_ field: Field) throws -> Double? {
            guard let value = fields[field.rawValue] else { return nil }
            if case .string(let s) = value, s.isEmpty { return nil }
            guard let number = value.number, number >= 0, number < 10 * 86_400 else {
                throw RecordFailure.invalid(field: field.name, value: value.text ?? "\(value)")
            }
            return number
        }

        guard let callID = text(.callID) else { throw RecordFailure.missing("guid") }
        guard let calldate = text(.calldate) else { throw RecordFailure.missing("calldate") }
        guard let local = LocalDateTime(parsing: calldate) else { throw RecordFailure.invalid(field: "calldate", value: calldate) }
        let startedAt = clock.date(local)

        let queue = text(.queue)
        let direction = Self.direction(campaign: queue, explicit: text(.direction))
        let sourceNumber = text(.sourceNumber)
        let destinationNumber = text(.destinationNumber)
        let duration = try seconds(.duration)
        let talk = try seconds(.talk) ?? 0
        let hold = try seconds(.hold) ?? 0
        let disposition = text(.disposition)
        // Asterisk's CDR: duration runs from the call's start, billsec from the answer, so the time
        // before the answer is duration − billsec unless the record states a wait of its own.
        let wait = try seconds(.wait) ?? duration.map { max(0, $0 - talk) }
        let outcome = Self.outcome(direction: direction, disposition: disposition, talk: talk)
        let answered = outcome == .answered || outcome == .outboundAnswered

        var call = CallRecord(source: source, callID: callID, direction: direction, outcome: outcome, startedAt: startedAt)
        if let duration, talk > duration + 1 { call.failedChecks.append(Self.checks[0].name) }
        if let duration, hold > duration + 1 { call.failedChecks.append(Self.checks[1].name) }
        call.queue = queue
        call.agent = text(.agent)
        call.customerNumber = direction == .outbound ? destinationNumber : sourceNumber
        call.did = direction == .outbound ? sourceNumber : destinationNumber
        call.talkS = talk
        call.holdS = hold
        call.disposition = disposition
        // Only connected calls are recorded: the guid names their file in the four locations.
        call.recordingRef = talk > 0 ? callID : nil
        if let duration { call.endedAt = startedAt.addingTimeInterval(duration) }
        if answered, let wait { call.answeredAt = startedAt.addingTimeInterval(wait) }
        if direction == .inbound {
            // uContact's calldate is when the call reached the campaign's queue [guess, docs/VENDORS.md].
            call.queuedAt = startedAt
            call.waitS = wait
        }
        return call
    }

    /// Campaign names end in `->` (outbound) or `<-` (inbound) [guess, docs/VENDORS.md].
    static func direction(campaign: String?, explicit: String?) -> Direction {
        if let explicit = explicit?.lowercased() {
            if explicit.hasPrefix("out") { return .outbound }
            if explicit.hasPrefix("in") && !explicit.hasPrefix("int") { return .inbound }
            if explicit.hasPrefix("int") { return .internal }
        }
        // The last two bytes before trailing spaces: a byte test, not a Unicode suffix search.
        guard let campaign else { return .inbound }
        var tail = campaign.utf8.reversed().drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.makeIterator()
        if tail.next() == UInt8(ascii: ">"), tail.next() == UInt8(ascii: "-") { return .outbound }
        return .inbound
    }

    /// The disposition trimmed and upper-cased; as it comes (already so) without a copy.
    static func normalized(_ disposition: String) -> String {
        let bytes = disposition.utf8
        let plain = bytes.allSatisfy { $0 < 0x80 && !($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) }
            && bytes.first != UInt8(ascii: " ") && bytes.last != UInt8(ascii: " ")
            && bytes.first != UInt8(ascii: "\t") && bytes.last != UInt8(ascii: "\t")
        return plain ? disposition : String(disposition.trimmingSpaces).uppercased()
    }

    /// Asterisk dispositions: ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION; uContact may add ABANDON.
    static func outcome(direction: Direction, disposition: String?, talk: Double) -> Outcome {
        let value = disposition.map(normalized)
        switch direction {
        case .outbound:
            if value == "ANSWERED" || talk > 0 { return .outboundAnswered }
            switch value {
            case "NO ANSWER", "NOANSWER", "BUSY", "FAILED", "CONGESTION", "CANCEL": return .outboundUnanswered
            default: return .unknown
            }
        case .inbound, .internal:
            switch value {
            case "ANSWERED": return .answered
            case "NO ANSWER", "NOANSWER", "ABANDON", "ABANDONED": return talk > 0 ? .answered : .abandoned
            case "BUSY", "FAILED", "CONGESTION": return .failed
            default: return talk > 0 ? .answered : .unknown
            }
        }
    }
}
