import CalltrailCore
import Foundation
import GRDB

/// A dataset's rows as SQLite returned them: the one way a query of `queries/` (or a report
/// definition's own) reads the store, on a read-only connection, with named parameters.
public struct QueryRows: Sendable {
    public var columns: [String]
    public var rows: [[StoredValue]]
}

extension CallStore {
    /// Runs `sql` read-only (the pool's readers cannot write) with `parameters` bound by name; a
    /// statement SQLite refuses fails with its message, as `QueryFailure`.
    public func query(_ sql: String, parameters: [String: StoredValue]) async throws -> QueryRows {
        var arguments: [String: (any DatabaseValueConvertible)?] = [:]
        for (key, value) in parameters {
            switch value {
            case .null: arguments[key] = DatabaseValue.null
            case .integer(let v): arguments[key] = v
            case .real(let v): arguments[key] = v
            case .text(let v): arguments[key] = v
            case .blob(let v): arguments[key] = v
            }
        }
        let bound = StatementArguments(arguments)
        return try await read { db in
            do {
                let statement = try db.makeStatement(sql: sql)
                var rows: [[StoredValue]] = []
                let cursor = try Row.fetchCursor(statement, arguments: bound)
                while let row = try cursor.next() { rows.append(row.databaseValues.map(StoredValue.init)) }
                return QueryRows(columns: statement.columnNames, rows: rows)
            } catch let error as DatabaseError {
                throw QueryFailure(message: error.message ?? "\(error.resultCode)")
            }
        }
    }
}

/// SQLite refused a query: its message.
public struct QueryFailure: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
