import CalltrailCore
import Foundation
import GRDB

/// The store's tables a publish sends, by name: what each is read from is the store's to say (the
/// undecodable records are the raw records that failed to decode).
public enum PublishedStoreTable: String, Sendable, CaseIterable {
    case calls, recordings
    case syncRuns = "sync_runs", platformStats = "platform_stats", sourceAgents = "source_agents", sourceNumbers = "source_numbers"
    case queueSettings = "queue_settings", mappingChecks = "mapping_checks", undecodableRecords = "undecodable_records"

    var origin: String {
        switch self {
        case .undecodableRecords: "raw_records WHERE decode_error IS NOT NULL"
        default: rawValue
        }
    }

    /// The tables sent by what changed: their rows carry a publish sequence (v17, v19).
    var hasSequence: Bool { self == .calls || self == .recordings }
}

/// A stored value on its way out of the store (to the warehouse): what SQLite holds, without GRDB's types.
public enum StoredValue: Sendable, Equatable {
    case null, text(String), integer(Int64), real(Double), blob(Data)

    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let number): self = .integer(number)
        case .double(let number): self = .real(number)
        case .string(let text): self = .text(text)
        case .blob(let data): self = .blob(data)
        }
    }
}

/// One row of a publish stream: its place in the stream (the publish sequence, then rowid) and its
/// values in the columns asked for.
public struct PublishedRow: Sendable {
    public var sequence: Double
    public var rowID: Int64
    public var values: [StoredValue]
}

extension CallStore {
    /// The rows of `table` past `(sequence, rowID)` in `(publish_seq, rowid)` order, at most `limit`, with
    /// `columns` (names of the table's columns; anything else is refused).
    public func publishedRows(_ table: PublishedStoreTable, columns: [String], after mark: (sequence: Double, rowID: Int64),
                              limit: Int) async throws -> [PublishedRow] {
        precondition(table.hasSequence, "\(table.rawValue) is sent whole")
        let select = try Self.columnList(columns, of: table)
        return try await read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT publish_seq AS mark_at, rowid AS mark_rowid, \(select) FROM \(table.rawValue)
                WHERE publish_seq >= ? AND (publish_seq > ? OR rowid > ?)
                ORDER BY publish_seq, rowid LIMIT ?
                """, arguments: [mark.sequence, mark.sequence, mark.rowID, limit])
            var batch: [PublishedRow] = []
            while let row = try rows.next() {
                batch.append(PublishedRow(sequence: row["mark_at"], rowID: row["mark_rowid"], values: (0..<columns.count).map { StoredValue(row[$0 + 2]) }))
            }
            return batch
        }
    }

    /// Where a stream sent by time before (`formerly`, then rowid, up to `(at, rowID)`) goes on by
    /// sequence: the sequence just before the first row past that mark (the migrations numbered the rows
    /// in that order).
    public func sequenceMark(_ table: PublishedStoreTable, formerly column: String, at: Double, rowID: Int64) async throws -> Double {
        let formerly = try Self.columnList([column], of: table)
        return try await read { db in
            let next = try Double.fetchOne(db, sql: "SELECT min(publish_seq) FROM \(table.rawValue) WHERE \(formerly) > ? OR (\(formerly) = ? AND rowid > ?)",
                                           arguments: [at, at, rowID])
            let last = try Double.fetchOne(db, sql: "SELECT max(publish_seq) FROM \(table.rawValue)") ?? 0
            return (next ?? last + 1) - 1
        }
    }

    /// Calls retention removed past `(at, rowID)` in `(removed_at, rowid)` order, at most `limit`.
    public func removedCalls(after mark: (at: Double, rowID: Int64), limit: Int) async throws
        -> [(at: Double, rowID: Int64, source: String, callID: String)] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT removed_at, rowid, source, call_id FROM removed_calls
                WHERE removed_at >= ? AND (removed_at > ? OR rowid > ?) ORDER BY removed_at, rowid LIMIT ?
                """, arguments: [mark.at, mark.at, mark.rowID, limit]).map { ($0[0], $0[1], $0[2], $0[3]) }
        }
    }

    /// Every row of a table sent whole, in `columns`.
    public func wholeTable(_ table: PublishedStoreTable, columns: [String]) async throws -> [[StoredValue]] {
        let select = try Self.columnList(columns, of: table)
        return try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(select) FROM \(table.origin)").map { Array($0.databaseValues.map(StoredValue.init)) }
        }
    }

    /// `columns` joined for a SELECT, each checked to be a plain column name of the table.
    static func columnList(_ columns: [String], of table: PublishedStoreTable) throws -> String {
        for column in columns where column.isEmpty || !column.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
            throw CalltrailError.failure("\(column) is not a column of \(table.rawValue)")
        }
        return columns.joined(separator: ", ")
    }
}
