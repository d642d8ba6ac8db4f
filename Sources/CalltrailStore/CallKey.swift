import GRDB

/// The compact key a call is found by: 31 bits of FNV-1a over its source and id. The calls table is
/// indexed by this instead of by `(source, call_id)`: vendors' ids are random UUIDs, so each new call
/// lands at a random place of that index, and at millions of calls a text index no longer fits the
/// writer's cache, so every upsert read and rewrote a page of it (BENCHMARKS.md). Entries of a few
/// bytes stay in memory. Equal keys do not mean equal calls: the writer compares source and id on the
/// rows a key finds, in the same transaction, so a call is stored once whatever the key's collisions.
/// Never change the function: stored rows carry its value.
public enum CallKey {
    /// `call_key(source, call_id)` in SQL, on every CallStore connection: a join from another table's
    /// key finds its call through `calls_by_key` (`c.key_hash = call_key(r.source, r.call_id) AND
    /// c.source = r.source AND c.call_id = r.call_id`), where `USING (source, call_id)` has no index.
    static let sqlFunction = DatabaseFunction("call_key", argumentCount: 2, pure: true) { values in
        guard let source = String.fromDatabaseValue(values[0]), let callID = String.fromDatabaseValue(values[1]) else { return nil }
        return of(source: source, callID: callID)
    }

    public static func of(source: String, callID: String) -> Int {
        var hash: UInt32 = 0x811C_9DC5
        func add(_ byte: UInt8) {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        for byte in source.utf8 { add(byte) }
        add(0)
        for byte in callID.utf8 { add(byte) }
        return Int(hash & 0x7FFF_FFFF)
    }
}
