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
            SELECT row_to_json(s)::text FROM calltrail_summary(
                to_timestamp(\(from.timeIntervalSince1970)), to_timestamp(\(to.timeIntervalSince1970)),
                \(threshold), \(shortAbandon), \(site), \(queues)) s
            """)
    }

    /// `calltrail_by_interval`: every interval of `[from, to)` on the clock of `timeZone`.
    public func byInterval(from: Date, to: Date, timeZone: TimeZone, interval: Int, threshold: Double, shortAbandon: Double,
                           site: String?, queues: [String]? = nil) async throws -> (columns: [String], rows: [[String?]]) {
        try await rows("""
            SELECT row_to_json(s)::text FROM calltrail_by_interval(
                to_timestamp(\(from.timeIntervalSince1970)), to_timestamp(\(to.timeIntervalSince1970)), \(timeZone.identifier),
                \(Int32(interval)), \(threshold), \(shortAbandon), \(site), \(queues)) s
            """)
    }

    /// `calltrail_by_day`, `calltrail_by_hour` and `calltrail_wait_distribution` over `[from, to)`.
    public func byDay(from: Date, to: Date, timeZone: TimeZone, threshold: Double, shortAbandon: Double, site: String?,
                      queues: [String]? = nil) async throws -> (columns: [String], rows: [[String?]]) {
        try await rows("""
            SELECT row_to_json(s)::text FROM calltrail_by_day(to_timestamp(\(from.timeIntervalSince1970)),
                to_timestamp(\(to.timeIntervalSince1970)), \(timeZone.identifier), \(threshold), \(shortAbandon), \(site), \(queues)) s
            """)
    }

    public func byQueue(from: Date, to: Date, threshold: Double, shortAbandon: Double, site: String?,
                        queues: [String]? = nil) async throws -> (columns: [String], rows: [[String?]]) {
        try await rows("""
            SELECT row_to_json(s)::text FROM calltrail_by_queue(to_timestamp(\(from.timeIntervalSince1970)),
                to_timestamp(\(to.timeIntervalSince1970)), \(threshold), \(shortAbandon), \(site), \(queues)) s
            """)
    }

    public func byHour(from: Date, to: Date, timeZone: TimeZone, site: String?, queues: [String]? = nil) async throws -> (columns: [String], rows: [[String?]]) {
        try await rows("""
            SELECT row_to_json(s)::text FROM calltrail_by_hour(to_timestamp(\(from.timeIntervalSince1970)),
                to_timestamp(\(to.timeIntervalSince1970)), \(timeZone.identifier), \(site), \(queues)) s
            """)
    }

    public func waitDistribution(from: Date, to: Date, site: String?, queues: [String]? = nil) async throws -> (columns: [String], rows: [[String?]]) {
        try await rows("""
            SELECT row_to_json(s)::text FROM calltrail_wait_distribution(to_timestamp(\(from.timeIntervalSince1970)),
                to_timestamp(\(to.timeIntervalSince1970)), \(site), \(queues)) s
            """)
    }

    /// A query of `row_to_json` rows, as columns (in the function's order) and text cells.
    func rows(_ query: PostgresQuery) async throws -> (columns: [String], rows: [[String?]]) {
        var columns: [String] = []
        var rows: [[String?]] = []
        for try await text in try await connection.query(query, logger: logger).decode(String.self) {
            // row_to_json keeps the function's column order; JSON numbers become their text.
            let ordered = try Self.orderedKeys(text)
            columns = ordered.map(\.key)
            rows.append(ordered.map(\.value))
        }
        return (columns, rows)
    }

    /// A flat JSON object's keys in their order, each value as text (null: nil).
    static func orderedKeys(_ json: String) throws -> [(key: String, value: String?)] {
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [] }
        // JSONSerialization loses the order: find each key's position in the text.
        let positions = object.keys.map { key in (key, json.range(of: "\"\(key)\":")?.lowerBound ?? json.endIndex) }
        return positions.sorted { $0.1 < $1.1 }.map { key, _ in
            switch object[key] {
            case let number as NSNumber: (key, number.stringValue)
            case let text as String: (key, text)
            default: (key, nil)
            }
        }
    }
}
