import GRDB

/// The compact key a call is found by: 31 bits of FNV-1a over its source and id. The calls table is
/// indexed by this instead of by `(source, call_id)`: vendors' ids are random UUIDs, so each new call
/// lands at a random place of that index, and at millions of calls a text index no longer fits the
/// writer's cache, so every upsert read and rewrote a page of it (BENCHMARKS.md). Entries of a few
/// bytes stay in memory. Equal keys do not mean equal calls: the writer compares source and id on the
/// rows a key finds, in the same transaction, so a call is stored once whatever the key's collisions.
/// Never change the function: stored rows carry its value.
public enum CallKey {
    /// `call_key(source, call_id)` in SQL, on every CallStore connection, for `sqlMatch`: `calls` has
    /// no index on `(source, call_id)`, so a statement or join that names a call by them reads the table.
    /// The condition that finds the call of `source` and `callID` (SQL expressions: parameters or
    /// another table's columns) through `calls_by_key`, the calls table aliased `alias`.
    public static func sqlMatch(_ alias: String? = nil, source: String, callID: String) -> String {
        let c = alias.map { "\($0)." } ?? ""
        return "\(c)key_hash = call_key(\(source), \(callID)) AND \(c)source = \(source) AND \(c)call_id = \(callID)"
    }

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
