import CalltrailCore
import CalltrailStore
import Foundation

/// Runs a dataset's SQL with the report's named parameters, through the store's one read-only entry
/// point (`CallStore.query`). Swift only binds and collects: the SQL file is the definition an analyst
/// can read and rerun in the sqlite3 shell.
public struct QueryRunner: Sendable {
    public let store: CallStore
    /// The caller brought the interval tallies up to date already (a report, once for its datasets).
    let refreshed: Bool

    public init(store: CallStore) {
        self.store = store
        refreshed = false
    }

    init(store: CallStore, refreshed: Bool) {
        self.store = store
        self.refreshed = refreshed
    }

    public func run(_ name: String, parameters: ReportParameters, overrides: [String: QueryValue] = [:]) async throws -> Dataset {
        let rows = try await runSQL(try QueryCatalog.sql(name), parameters: parameters, overrides: overrides)
        return Dataset(name: name, columns: rows.columns, rows: rows.rows.map { $0.map(Self.text) })
    }

    /// A query of a report definition's own (`queries` folder), with the same parameters; read-only,
    /// as every read of the store is.
    public func run(_ name: String, sql: String, parameters: ReportParameters) async throws -> Dataset {
        do {
            let rows = try await runSQL(sql, parameters: parameters)
            return Dataset(name: name, columns: rows.columns, rows: rows.rows.map { $0.map(Self.text) })
        } catch let failure as QueryFailure {
            throw CalltrailError.configuration("query \(name).sql failed: \(failure.message): fix the SQL (it runs in the sqlite3 shell with the same .param names)")
        }
    }

    /// The interval tallies brought up to date first: datasets sum them.
    func runSQL(_ sql: String, parameters: ReportParameters, overrides: [String: QueryValue] = [:]) async throws -> QueryRows {
        if !refreshed {
            try await store.ensureTimeZone(parameters.timeZone)
            try await store.refreshTallies(keepingTheirZoneOr: parameters.timeZone)
        }
        let bindings = parameters.bindings.merging(overrides) { $1 }
        return try await store.query(sql, parameters: bindings.mapValues(Self.stored))
    }

    static func stored(_ value: QueryValue) -> StoredValue {
        switch value {
        case .null: .null
        case .integer(let v): .integer(Int64(v))
        case .real(let v): .real(v)
        case .text(let v): .text(v)
        }
    }

    /// Integers as integers; a real that is not pre-formatted is a duration: one decimal.
    static func text(_ value: StoredValue) -> String? {
        switch value {
        case .null: nil
        case .integer(let v): String(v)
        case .real(let v): SQLText.real(v)
        case .text(let v): v
        case .blob(let v): v.base64EncodedString()
        }
    }
}
