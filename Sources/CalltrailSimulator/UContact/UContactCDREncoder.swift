import CalltrailCore
import Foundation

/// Writes a simulated call as a `Cdr/getrecords` record: Asterisk CDR names (`src`, `dst`,
/// `duration`, `billsec`, `disposition`) beside the documented `guid` and `calldate`, with the
/// untidiness a real export has: numbers sometimes as strings, `null` agents on unanswered calls.
public struct UContactCDREncoder: Sendable {
    let timeZone: TimeZone

    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    public func encode(_ call: SimulatedCall, index: Int, malformed: Bool = false) -> String {
        let calldate = malformed ? "2026-02-30 25:61:00" : LocalDateTime(call.start, in: timeZone).description
        let disposition: String = switch call.fate {
        case .answered, .outboundAnswered: "ANSWERED"
        case .abandoned, .outboundUnanswered: "NO ANSWER"
        case .outboundBusy: "BUSY"
        case .failed: "FAILED"
        }
        let duration = call.waitS + call.talkS
        // Every 13th record carries its numbers as strings, as some exports do.
        let quoted = index % 13 == 5
        func number(_ n: Int) -> Any { quoted ? String(n) : n }
        let object: [String: Any] = [
            "guid": call.guid,
            "calldate": calldate,
            "campaign": call.campaign,
            "agent": call.agent.map { $0 as Any } ?? NSNull(),
            "src": call.inbound ? call.customerNumber : call.did,
            "dst": call.inbound ? call.did : call.customerNumber,
            "duration": number(duration),
            "billsec": number(call.talkS),
            "disposition": disposition,
            "data": "",
            "rating": "",
            "type": "record",
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
