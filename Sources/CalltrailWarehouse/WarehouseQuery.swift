import CalltrailCore
import Foundation
import Logging
import PostgresNIO

/// Reads the warehouse's metric functions (queries/postgres/) as rows of text in their columns'
/// order, as the SQLite report writes them.
public struct WarehouseQuery: Sendable {
    public let connection: PostgresConnection
    public let logger: Logger

    public init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// `calltrail_summary` over `[from, to)`, of one site or all; columns and rows as text.
    public func summary(from: Date, to: Date, threshold: Double, shortAbandon: Double, site: String?,
                        queues: [String]? = nil) async throws -> (columns: [String], rows: [[String?]]) {
        try await rows("""
            \(unescaped: Self.cells) calltrail_summary(
                to_timestamp(\(from.timeIntervalSince1970)), to_timestamp(\(to.timeIntervalSince1970)),
                \(threshold), \(shortAbandon), \(site), \(queues)) \(unescaped: Self.cellOrder)
            """)
    }

    /// `calltrail_by_interval`: every interval of `[from, to)` on the clock of `timeZone`.
    public func byInterval(from: Date, to: Date, timeZone: TimeZone, interval: Int, threshold: Double, shortAbandon: Double,
                           site: String?, queues: [String]? = nil) async throws -> (columns: [String], rows: [[String?]]) {
        try await rows("""
            \(unescaped: Self.cells) calltrail_by_interval(
                to_timestamp(\(from.timeIntervalSince1970)), to_timestamp(\(to.timeIntervalSince1970)), \(timeZone.identifier),
                \(Int32(interval)), \(threshold), \(shortAbandon), \(site), \(queues)) \(unescaped: Self.cellOrder)
            """)
    }

    /// `calltrail_by_day`, `calltrail_by_hour` and `calltrail_wait_distribution` over `[from, to)`.
    public func byDay(from: Date, to: Date, timeZone: TimeZone, threshold: Double, shortAbandon: Double, site: String?,
                      queues: [String]? = nil) async throws -> (columns: [String], rows: [[String?]]) {
        try await rows("""
            \(unescaped: Self.cells) calltrail_by_day(to_timestamp(\(from.timeIntervalSince1970)),
                to_timestamp(\(to.timeIntervalSince1970)), \(timeZone.identifier), \(threshold), \(shortAbandon), \(site), \(queues)) \(unescaped: Self.cellOrder)
            """)
    }

    public func byQueue(from: Date, to: Date, threshold: Double, shortAbandon: Double, site: String?,
                        queues: [String]? = nil) async throws -> (columns: [String], rows: [[String?]]) {
        try await rows("""
            \(unescaped: Self.cells) calltrail_by_queue(to_timestamp(\(from.timeIntervalSince1970)),
                to_timestamp(\(to.timeIntervalSince1970)), \(threshold), \(shortAbandon), \(site), \(queues)) \(unescaped: Self.cellOrder)
            """)
    }

    public func byHour(from: Date, to: Date, timeZone: TimeZone, site: String?, queues: [String]? = nil) async throws -> (columns: [String], rows: [[String?]]) {
        try await rows("""
            \(unescaped: Self.cells) calltrail_by_hour(to_timestamp(\(from.timeIntervalSince1970)),
                to_timestamp(\(to.timeIntervalSince1970)), \(timeZone.identifier), \(site), \(queues)) \(unescaped: Self.cellOrder)
            """)
    }

    public func waitDistribution(from: Date, to: Date, site: String?, queues: [String]? = nil) async throws -> (columns: [String], rows: [[String?]]) {
        try await rows("""
            \(unescaped: Self.cells) calltrail_wait_distribution(to_timestamp(\(from.timeIntervalSince1970)),
                to_timestamp(\(to.timeIntervalSince1970)), \(site), \(queues)) \(unescaped: Self.cellOrder)
            """)
    }

    /// Every cell of a function's rows as `(row, column, text)`, in the rows' and the columns' order:
    /// `json_each_text` gives each value as text (a number as its digits, NULL as nil).
    static let cells = "SELECT o.ordinality, e.key, e.value FROM"
    static let cellOrder = """
        WITH ORDINALITY o, json_each_text(row_to_json(o)) WITH ORDINALITY e(key, value, position)
        WHERE e.key <> 'ordinality' ORDER BY o.ordinality, e.position
        """

    /// A query of `cells … cellOrder` as columns and rows of text.
    func rows(_ query: PostgresQuery) async throws -> (columns: [String], rows: [[String?]]) {
        var columns: [String] = []
        var rows: [[String?]] = []
        var current: Int64?
        for try await (row, key, value) in try await connection.query(query, logger: logger).decode((Int64, String, String?).self) {
            if row != current {
                current = row
                rows.append([])
            }
            if rows.count == 1 { columns.append(key) }
            rows[rows.count - 1].append(value)
        }
        return (columns, rows)
    }
}
