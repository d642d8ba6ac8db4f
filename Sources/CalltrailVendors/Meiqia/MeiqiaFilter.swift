import CalltrailCore
import Foundation

/// The list filters of Meiqia's `records` a source may set, as seed 002 documents them:
/// `agent_ids` (客服ID数组, whole numbers), `call_types` (通话类型: `外呼` or `来电`), `states`
/// (通话状态: `主叫未接`, `被叫未接`, `接听` outbound; `ivr`, `队列放弃`, `振铃未接`, `接听` inbound),
/// `trunk_number` (中继号码), `customer_phone` (顾客号码) and `call_uuid` (通话id). Sent in the
/// body beside the window's `start_time`/`end_time`; keys not set are not sent.
public struct MeiqiaFilter: Sendable, Equatable {
    static let textKeys = ["trunk_number", "customer_phone", "call_uuid"]
    static let listKeys = ["call_types", "states"]
    static let allowed = (["agent_ids"] + listKeys + textKeys).joined(separator: ", ")
    /// The values seed 002 lists for the closed keys.
    static let documentedValues = [
        "call_types": ["外呼", "来电"],
        "states": ["主叫未接", "被叫未接", "接听", "ivr", "队列放弃", "振铃未接"],
    ]

    public var agentIDs: [Int] = []
    public var lists: [String: [String]] = [:]
    public var text: [String: String] = [:]

    public init() {}

    init(reading reader: TableReader?) throws {
        guard let reader else { return }
        for key in reader.keys {
            if key == "agent_ids" {
                agentIDs = try reader.intList(key, example: 1001)
            } else if Self.listKeys.contains(key) {
                let documented = Self.documentedValues[key] ?? []
                let values = try reader.stringList(key, example: documented[0])
                if let unknown = values.first(where: { !documented.contains($0) }) {
                    throw CalltrailError.configuration(
                        "\(reader.context): Meiqia's \(key) has no value '\(unknown)': use one of \(documented.joined(separator: ", ")) (seed 002)")
                }
                lists[key] = values
            } else if Self.textKeys.contains(key) {
                text[key] = try reader.string(key, example: key == "call_uuid" ? "…" : "02160001000")
            } else {
                throw CalltrailError.configuration(
                    "\(reader.context): Meiqia's records has no filter key \(key): use one of \(Self.allowed) (seed 002)")
            }
        }
    }

    /// The filter keys of one `records` body.
    var body: [String: Any] {
        var body: [String: Any] = [:]
        if !agentIDs.isEmpty { body["agent_ids"] = agentIDs }
        for (key, values) in lists where !values.isEmpty { body[key] = values }
        for (key, value) in text { body[key] = value }
        return body
    }
}
