import Foundation

/// `records`' body filters as seed 002 lists them, applied to the simulated history: `agent_id` and
/// `agent_ids`, `call_types`, `states`, `trunk_number`, `customer_phone`, `call_uuid`, each an exact
/// match (a list matches any of its values). A key the seed does not list is refused with
/// `400 InvalidArgument` [guess: the API's errors are gRPC-style codes, and a gRPC gateway refuses
/// unknown fields].
struct RecordsFilter {
    static let documented: Set<String> = [
        "agent_id", "agent_ids", "call_types", "call_uuid", "customer_phone", "end_time", "page_index", "page_size",
        "start_time", "states", "trunk_number",
    ]
    /// Field of the record → the values it may have.
    var required: [String: Set<String>] = [:]

    /// Throws the first key the seed does not list.
    init(_ body: [String: Any]) throws(UnknownKey) {
        if let key = body.keys.sorted().first(where: { !Self.documented.contains($0) }) { throw UnknownKey(key: key) }
        func strings(_ value: Any?) -> Set<String>? {
            switch value {
            case let list as [Any]: Set(list.map { "\($0)" })
            case let text as String: [text]
            case let number as NSNumber: [number.stringValue]
            default: nil
            }
        }
        var agents = strings(body["agent_ids"]) ?? []
        agents.formUnion(strings(body["agent_id"]) ?? [])
        if !agents.isEmpty { required["agent_id"] = agents }
        for (key, field) in [("call_types", "call_type"), ("states", "states"), ("trunk_number", "trunk_number"),
                             ("customer_phone", "customer_phone"), ("call_uuid", "call_uuid")] {
            if let values = strings(body[key]), !values.isEmpty { required[field] = values }
        }
    }

    struct UnknownKey: Error { let key: String }

    /// Whether a record (its encoded fields) passes every filter.
    func admits(_ fields: [String: String]) -> Bool {
        required.allSatisfy { field, values in fields[field].map(values.contains) ?? false }
    }
}
