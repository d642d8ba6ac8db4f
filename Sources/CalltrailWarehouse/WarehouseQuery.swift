import CalltrailCore
import CalltrailReports
import Foundation
import Logging
import PostgresNIO

/// Reads the warehouse's metric functions (Sources/CalltrailWarehouse/postgres/): each report dataset NAME is the function
/// `calltrail_NAME`, called with the report's parameters by name, its rows as text in their columns'
/// order (each column cast to text), as the SQLite report writes them.
public struct WarehouseQuery: Sendable {
    public let connection: PostgresConnection
    public let logger: Logger

    public init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// The dataset `name` over the period of `parameters`, of one site or of all (nil).
    public func dataset(_ name: String, _ parameters: ReportParameters, site: String?) async throws -> Dataset {
        if let unknown = QueryCatalog.unknown(name) { throw WarehouseSchemaError(message: unknown) }
        let function = "calltrail_" + name
        // The columns from the function's definition, so an empty dataset still has its header.
        var columns: [String] = []
        for try await column in try await connection.query("""
            SELECT a.name FROM pg_proc p, unnest(p.proargnames, p.proargmodes) WITH ORDINALITY a(name, mode, position)
            WHERE p.proname = \(function) AND p.pronamespace = current_schema()::regnamespace AND a.mode = 't'
            ORDER BY a.position
            """, logger: logger).decode(String.self) {
            columns.append(column)
        }
        // Each column as its text (a number as its digits, NULL as nil), as the SQLite report writes it.
        let select = columns.map { "\"\($0)\"::text" }.joined(separator: ", ")
        let query = PostgresQuery(unsafeSQL: "SELECT \(select) FROM \(function)(\(Self.namedArguments)) WITH ORDINALITY ORDER BY ordinality",
                                  binds: Self.bindings(parameters, site: site))
        var rows: [[String?]] = []
        for try await row in try await connection.query(query, logger: logger) {
            rows.append(try row.map { try $0.decode(String?.self) })
        }
        return Dataset(name: name, columns: columns, rows: rows)
    }

    /// Every function takes the same parameters, passed by name.
    static let namedArguments = """
        p_from => to_timestamp($1), p_to => to_timestamp($2), p_tz => $3, p_interval => $4::integer,
        p_threshold => $5, p_short_abandon => $6, p_site => $7, p_queues => $8::text[]
        """

    static func bindings(_ parameters: ReportParameters, site: String?) -> PostgresBindings {
        var binds = PostgresBindings(capacity: 8)
        binds.append(parameters.from.timeIntervalSince1970)
        binds.append(parameters.to.timeIntervalSince1970)
        binds.append(parameters.timeZone.identifier)
        binds.append(Int64(parameters.interval))
        binds.append(parameters.threshold)
        binds.append(parameters.shortAbandon)
        if let site { binds.append(site) } else { binds.appendNull() }
        if parameters.queues.isEmpty { binds.appendNull() } else { binds.append(parameters.queues) }
        return binds
    }

    /// A typed function (`calltrail_summary_tallies`, …) with the report's parameters, decoded as `T`.
    func typed<each Column: PostgresDecodable>(_ function: String, _ parameters: ReportParameters, site: String?, columns: String,
                                                orderedBy order: String? = nil,
                                                as type: (repeat each Column).Type) async throws -> [(repeat each Column)] {
        let query = PostgresQuery(unsafeSQL: "SELECT \(columns) FROM calltrail_\(function)(\(Self.namedArguments))" + (order.map { " ORDER BY \($0)" } ?? ""),
                                  binds: Self.bindings(parameters, site: site))
        var decoded: [(repeat each Column)] = []
        for try await row in try await connection.query(query, logger: logger).decode(type) { decoded.append(row) }
        return decoded
    }
}
