import CalltrailCore
import Foundation
import GRDB
import GRDBSQLite

/// The recordings ledger's rows of one day's calls, read by their call's instant (`recordings.call_at`)
/// and matched to the calls in memory. The LEFT JOIN this replaces looked each call up in the ledger's
/// `(source, call_id)` key, whose random ids made that a page read a call: with a full ledger the year's
/// report took 44 s (BENCHMARKS.md, "The year report"). A row whose call's instant is not known (NULL:
/// written before v15 for a call since removed, or its call removed and stored again) is in no day's
/// rows: when the ledger has such rows, a call not matched here is looked up by key, as the join did.
struct RecordingsOfDay {
    private struct Row {
        var sourceID: Int
        /// The call id's bytes in `callIDs`.
        var start: Int
        var count: Int
        var stateID: Int
        var bytes: Int?
        /// The next row whose key hashes alike, or -1.
        var next: Int
    }

    static let sql = "SELECT source, call_id, state, bytes FROM recordings WHERE call_at >= ? AND call_at < ?"
    static let unplacedSQL = "SELECT EXISTS (SELECT 1 FROM recordings WHERE call_at IS NULL)"
    static let lookupSQL = "SELECT state, bytes FROM recordings WHERE source = ? AND call_id = ?"

    private let day: Statement
    /// Nil when every ledger row has its call's instant.
    private let lookup: Statement?
    private var firstByHash = IntMap<Int>()
    private var rows: [Row] = []
    private var callIDs: [UInt8] = []
    /// A day's rows are of a few sources, most of them of one state: the last text is compared first.
    private var lastSource = LastText()
    private var lastState = LastText()

    init(_ db: Database) throws {
        day = try db.makeStatement(sql: Self.sql)
        let unplaced = try Bool.fetchOne(db, sql: Self.unplacedSQL) ?? false
        lookup = unplaced ? try db.makeStatement(sql: Self.lookupSQL) : nil
    }

    /// Reads the rows of the calls attributed to `[from, to)`, in place of the last day's.
    mutating func read(from: Double, to: Double, texts: inout TextCache) throws {
        firstByHash = IntMap()
        rows.removeAll(keepingCapacity: true)
        callIDs.removeAll(keepingCapacity: true)
        let handle = day.sqliteStatement
        sqlite3_bind_double(handle, 1, from)
        sqlite3_bind_double(handle, 2, to)
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { throw stepFailure(code, handle, Self.sql) }
            guard let source = bytes(handle, 0), let callID = bytes(handle, 1), let state = bytes(handle, 2) else { continue }
            let sourceID = lastSource.number(source, column: CallScan.sourceColumn, &texts)
            let hash = byteHash(callID, seed: sourceID)
            var row = Row(sourceID: sourceID, start: callIDs.count, count: callID.count,
                          stateID: lastState.number(state, column: CallScan.stateColumn, &texts),
                          bytes: sqlite3_column_type(handle, 3) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(handle, 3)), next: -1)
            callIDs.append(contentsOf: callID)
            if let first = firstByHash[hash] {
                // Another key with the same hash: chained behind the first.
                row.next = rows[first].next
                rows[first].next = rows.count
            } else {
                firstByHash.insert(hash, rows.count)
            }
            rows.append(row)
        }
    }

    /// The ledger state (text number, -1 for none) and bytes of the call `callID` of source `sourceID`.
    func entry(sourceID: Int, callID: UnsafeBufferPointer<UInt8>, source: UnsafeBufferPointer<UInt8>,
               texts: inout TextCache) throws -> (stateID: Int, bytes: Int?) {
        var index = firstByHash[byteHash(callID, seed: sourceID)] ?? -1
        while index >= 0 {
            let row = rows[index]
            if row.sourceID == sourceID, callIDs.withUnsafeBufferPointer({ equal(UnsafeBufferPointer(rebasing: $0[row.start..<row.start + row.count]), callID) }) {
                return (row.stateID, row.bytes)
            }
            index = row.next
        }
        guard let lookup else { return (-1, nil) }
        let handle = lookup.sqliteStatement
        // The texts stay where the calls' statement has them until its next step: bound without a copy.
        for (index, text) in [source, callID].enumerated() {
            sqlite3_bind_text(handle, Int32(index + 1), UnsafeRawPointer(text.baseAddress!).assumingMemoryBound(to: CChar.self),
                              Int32(text.count), nil)
        }
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        if code == SQLITE_DONE { return (-1, nil) }
        guard code == SQLITE_ROW else { throw stepFailure(code, handle, Self.lookupSQL) }
        return (bytes(handle, 0).map { texts.number($0, column: CallScan.stateColumn) } ?? -1,
                sqlite3_column_type(handle, 1) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(handle, 1)))
    }
}

/// The last text a column numbered, compared before the text is hashed.
private struct LastText {
    private var bytes: [UInt8] = []
    private var id = -1

    mutating func number(_ text: UnsafeBufferPointer<UInt8>, column: Int, _ texts: inout TextCache) -> Int {
        if id >= 0, equal(bytes, text) { return id }
        id = texts.number(text, column: column)
        bytes = Array(text)
        return id
    }
}
