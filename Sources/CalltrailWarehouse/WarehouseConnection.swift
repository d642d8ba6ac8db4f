import CalltrailCore
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// A connection to the warehouse: TLS required and verified unless `insecure` (or the URL's
/// `sslmode=disable`, only for a server on loopback); failures become one-line errors naming the server.
/// Nothing waits forever on it: the socket sends TCP keepalives (a peer that is gone fails the
/// connection within about two minutes), and every statement and `COPY` runs under the server's
/// `statement_timeout`, `lock_timeout` and `idle_in_transaction_session_timeout` (`[warehouse]
/// statement_timeout_seconds`), so a session whose client went quiet ends and frees its locks.
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
        do {
            let channel = try await keptAliveChannel(host: warehouse.host, port: warehouse.port)
            var configuration = PostgresConnection.Configuration(establishedChannel: channel, tls: tls, username: warehouse.user,
                                                                 password: password, database: warehouse.database)
            configuration.options.tlsServerName = warehouse.host
            let milliseconds = String(CheckedNumber.milliseconds(warehouse.statementTimeout))
            // The server's side too: a statement, a lock wait, or a transaction whose client went quiet
            // ends (and a session that ends frees the publish's advisory lock); dead clients are probed.
            configuration.options.additionalStartupParameters = [
                ("statement_timeout", milliseconds), ("lock_timeout", milliseconds), ("idle_in_transaction_session_timeout", milliseconds),
                ("tcp_keepalives_idle", "30"), ("tcp_keepalives_interval", "10"), ("tcp_keepalives_count", "6"),
            ]
            // On the channel's own event loop, as an established channel requires.
            return try await PostgresConnection.connect(on: channel.eventLoop, configuration: configuration, id: 1, logger: logger).get()
        } catch {
            throw CalltrailError.failure("cannot publish to the warehouse at \(warehouse.address) (\(describe(error))): check [warehouse] url and the password")
        }
    }

    /// A TCP connection with keepalives on: first probe after 30 s idle, then every 10 s, given up after 6.
    static func keptAliveChannel(host: String, port: Int) async throws -> any Channel {
        let tcp = SocketOptionLevel(IPPROTO_TCP)
        return try await ClientBootstrap(group: PostgresConnection.defaultEventLoopGroup)
            .connectTimeout(.seconds(15))
            .channelOption(ChannelOptions.socketOption(.so_keepalive), value: 1)
            .channelOption(ChannelOptions.Types.SocketOption(level: tcp, name: TCP_KEEPIDLE), value: 30)
            .channelOption(ChannelOptions.Types.SocketOption(level: tcp, name: TCP_KEEPINTVL), value: 10)
            .channelOption(ChannelOptions.Types.SocketOption(level: tcp, name: TCP_KEEPCNT), value: 6)
            .connect(host: host, port: port).get()
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
