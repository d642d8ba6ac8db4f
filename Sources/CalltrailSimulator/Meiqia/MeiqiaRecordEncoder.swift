import CalltrailCore
import Foundation

/// Writes a simulated call as a Meiqia `records` entry (seed 002): RFC 3339 times in Shanghai,
/// Chinese call types and states, the talk time as `customer_duration`, no answered time.
struct MeiqiaRecordEncoder {
    let timeZone: TimeZone
    static let ivrSeconds = 10
    /// Stands for the simulator's own `http://127.0.0.1:PORT/meiqia/records` in stored records.
    static let recordBase = "{{records}}"
    static let ringSeconds = 3
    static let agentNames = ["1001": "王芳", "1002": "李娜", "1003": "张伟", "1004": "刘洋", "1005": "陈静", "1006": "杨磊"]
    static let trunkNames = ["02160001000": "售前热线", "02160002000": "售后热线", "02160003000": "回访专线"]

    func encode(_ call: SimulatedCall, malformed: Bool = false) -> String {
        let inbound = call.inbound
        let state: String = switch call.fate {
        case .answered: "接听"
        case .abandoned: "队列放弃"
        case .failed: "ivr"
        case .outboundAnswered: "接听"
        case .outboundUnanswered: "被叫未接"
        case .outboundBusy: "主叫未接"
        }
        // Inbound calls pass an IVR before the queue; an answered one rings at the agent first.
        let ivr = inbound ? Self.ivrSeconds : 0
        let ring = inbound && call.fate == .answered ? min(Self.ringSeconds, call.waitS) : (inbound ? 0 : call.waitS)
        let queueWait = inbound && call.fate != .failed ? call.waitS - ring : 0
        let start = call.start.addingTimeInterval(-Double(ivr))
        let duration = ivr + queueWait + ring + call.talkS
        let end = start.addingTimeInterval(Double(duration))
        var object: [String: Any] = [
            "call_uuid": call.guid,
            "call_type": inbound ? "来电" : "外呼",
            "states": state,
            "start_time": malformed ? "昨天下午" : LocalDateTime.iso8601(start, in: timeZone),
            "end_time": LocalDateTime.iso8601(end, in: timeZone),
            "duration": duration,
            "customer_duration": call.talkS,
            "queue_wait_time": queueWait,
            "wait_time": ring,
            "agent_phone": call.agent.map { "80" + $0.suffix(2) } ?? "",
            "answer_way": call.talkS > 0 ? "软电话" : "",
            "hangup_disposition": call.fate == .abandoned ? "客户挂机" : "坐席挂机",
            "customer_phone": "1" + call.customerNumber.dropFirst(1) + "8",
            "customer_attribution": "上海",
            "trunk_number": call.did,
            "trunk_number_name": Self.trunkNames[call.did] ?? "",
            // The host is filled in when the page is served (the port is known only then).
            "record_path": call.talkS > 0 ? "\(Self.recordBase)/\(call.guid).mp3" : "",
            "agent_evaluated": call.talkS > 0 ? 5 : 0,
            "user_data": "",
        ]
        // A call no agent took carries agent_id 0, as Meiqia's own records do.
        if let agent = call.agent.flatMap({ Int($0) }), call.talkS > 0 || !inbound { object["agent_id"] = agent } else { object["agent_id"] = 0 }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
