import CalltrailCore
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// A connection to the warehouse: TLS required and verified unless `insecure` (or the URL's
/// `sslmode=disable`, for a server on loopback); failures become one-line errors naming the server.
public enum WarehouseConnection {
    public static func open(_ warehouse: WarehouseConfiguration, insecure: Bool, logger: Logger) async throws -> PostgresConnection {
        let password = try warehouse.credential?.resolve(for: "[warehouse]").value
        let tls: PostgresConnection.Configuration.TLS
        switch warehouse.tls {
        case .disable:
            tls = .disable
        case .verify:
            var configuration = TLSConfiguration.makeClientConfiguration()
            if insecure { configuration.certificateVerification = .none }
            tls = .require(try NIOSSLContext(configuration: configuration))
        }
        var configuration = PostgresConnection.Configuration(host: warehouse.host, port: warehouse.port, username: warehouse.user,
                                                             password: password, database: warehouse.database, tls: tls)
        configuration.options.connectTimeout = .seconds(15)
        do {
            return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            throw CalltrailError.failure("cannot publish to the warehouse at \(warehouse.address) (\(describe(error))): check [warehouse] url and the password")
        }
    }

    /// A server error's own message (without the query, which may carry values), or the error.
    public static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)"
        }
        return "\(error)"
    }
}
