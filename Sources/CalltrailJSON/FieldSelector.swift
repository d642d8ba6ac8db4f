/// Picks a record's fields in one pass over its members: each field is the first of its candidate
/// keys (in order of preference) that holds a non-null value. A record of a dozen members costs a
/// dozen hash lookups, where searching the members for each candidate key of each field cost ten
/// times that in string comparisons (BENCHMARKS.md).
public struct FieldSelector: Sendable {
    /// For each key, the fields it is a candidate for and its rank there.
    private let slots: [String: [(field: Int, rank: Int)]]
    public let fieldCount: Int

    /// `candidates[i]`: the keys of field `i`, preferred first.
    public init(_ candidates: [[String]]) {
        var slots: [String: [(field: Int, rank: Int)]] = [:]
        for (field, keys) in candidates.enumerated() {
            for (rank, key) in keys.enumerated() where !(slots[key]?.contains { $0.field == field } ?? false) {
                slots[key, default: []].append((field, rank))
            }
        }
        self.slots = slots
        fieldCount = candidates.count
    }

    /// The value of each field, nil where no candidate key holds one; empty when `record` is not an
    /// object. A key given twice counts with its last non-null value.
    public func select(_ record: JSONValue) -> [JSONValue?] {
        guard case .object(let object) = record else { return [] }
        var values = [JSONValue?](repeating: nil, count: fieldCount)
        withUnsafeTemporaryAllocation(of: Int.self, capacity: fieldCount) { ranks in
            ranks.initialize(repeating: .max)
            for member in object.members {
                if case .null = member.value { continue }
                guard let candidates = slots[member.key] else { continue }
                for slot in candidates where slot.rank <= ranks[slot.field] {
                    values[slot.field] = member.value
                    ranks[slot.field] = slot.rank
                }
            }
        }
        return values
    }
}
