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
        func number(_ n: Int) -> JSONText.Value { quoted ? .string(String(n)) : .integer(n) }
        // Keys in sorted order, as the platform's export writes them.
        var json = JSONText()
        json.add("agent", call.agent.map { .string($0) } ?? .null)
        json.add("billsec", number(call.talkS))
        json.add("calldate", .string(calldate))
        json.add("campaign", .string(call.campaign))
        json.add("data", .string(""))
        json.add("disposition", .string(disposition))
        json.add("dst", .string(call.inbound ? call.did : call.customerNumber))
        json.add("duration", number(duration))
        json.add("guid", .string(call.guid))
        json.add("rating", .string(""))
        json.add("src", .string(call.inbound ? call.customerNumber : call.did))
        json.add("type", .string("record"))
        return json.object
    }
}
