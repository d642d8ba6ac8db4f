import CalltrailCore
import CalltrailStore
import Foundation
import GRDB

/// Runs a dataset's SQL with the report's named parameters. Swift only binds and collects: the SQL
/// file is the definition an analyst can read and rerun in the sqlite3 shell.
public struct QueryRunner: Sendable {
    public let store: CallStore

    public init(store: CallStore) { self.store = store }

    public func run(_ name: String, parameters: ReportParameters, overrides: [String: QueryValue] = [:]) async throws -> Dataset {
        try await store.ensureTimeZone(parameters.timeZone)
        let bindings = parameters.bindings.merging(overrides) { $1 }
        return try await store.read { db in try Self.run(name, arguments: Self.arguments(bindings), db) }
    }

    static func run(_ name: String, arguments: StatementArguments, _ db: Database) throws -> Dataset {
        try run(name, sql: try QueryCatalog.sql(name), arguments: arguments, db)
    }

    /// A query of a report definition's own (`queries` folder), with the same parameters; read-only,
    /// as every read of the store is.
    public func run(_ name: String, sql: String, parameters: ReportParameters) async throws -> Dataset {
        try await store.ensureTimeZone(parameters.timeZone)
        let arguments = Self.arguments(parameters.bindings)
        return try await store.read { db in
            do {
                return try Self.run(name, sql: sql, arguments: arguments, db)
            } catch let error as DatabaseError {
                throw CalltrailError.configuration("query \(name).sql failed: \(error.message ?? "\(error)"): fix the SQL (it runs in the sqlite3 shell with the same .param names)")
            }
        }
    }

    static func run(_ name: String, sql: String, arguments: StatementArguments, _ db: Database) throws -> Dataset {
        let statement = try db.makeStatement(sql: sql)
        let columns = statement.columnNames
        var rows: [[String?]] = []
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try cursor.next() {
            rows.append(row.databaseValues.map(Self.text))
        }
        return Dataset(name: name, columns: columns, rows: rows)
    }

    static func arguments(_ bindings: [String: QueryValue]) -> StatementArguments {
        var arguments: [String: (any DatabaseValueConvertible)?] = [:]
        for (key, value) in bindings {
            switch value {
            case .null: arguments[key] = DatabaseValue.null
            case .integer(let v): arguments[key] = v
            case .real(let v): arguments[key] = v
            case .text(let v): arguments[key] = v
            }
        }
        return StatementArguments(arguments)
    }

    /// Integers as integers; a real that is not pre-formatted is a duration: one decimal.
    static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: nil
        case .int64(let v): String(v)
        case .double(let v): SQLText.real(v)
        case .string(let v): v
        case .blob(let v): v.base64EncodedString()
        }
    }
}
