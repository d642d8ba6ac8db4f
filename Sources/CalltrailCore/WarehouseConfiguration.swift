import Foundation

/// `[warehouse]`: the PostgreSQL server every site publishes into. `url` names user, host, port and
/// database (`postgresql://calltrail@db.example.com:5432/calltrail`); the password comes from
/// `password_env` or a 0600 `password_file`, never the URL. TLS is required and the certificate
/// verified (`--insecure` skips the verification); `?sslmode=disable` is refused for any host but loopback.
public struct WarehouseConfiguration: Sendable, Equatable {
    public enum TLSMode: String, Sendable, Equatable {
        case verify = "verify-full"
        case disable
    }

    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var credential: CredentialReference?
    /// Every published row carries it: `madrid`; defaults to the host name.
    public var site: String
    public var tls: TLSMode
    /// The server's `statement_timeout` and `lock_timeout` for every statement and `COPY` a publish sends.
    public var statementTimeout: TimeInterval = 600

    public init(host: String, port: Int = 5432, user: String, database: String, credential: CredentialReference?, site: String,
                tls: TLSMode = .verify) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.credential = credential
        self.site = site
        self.tls = tls
    }

    /// The `[warehouse]` of a configuration that must have one (publish, report --from-warehouse).
    public static func required(_ configuration: Configuration) throws -> WarehouseConfiguration {
        guard let warehouse = configuration.warehouse else {
            throw CalltrailError.configuration("\(configuration.file.lastPathComponent) has no [warehouse]: add url = \"postgresql://calltrail@db.example.com:5432/calltrail\"")
        }
        return warehouse
    }

    /// Where the server is, for messages (no secret in it).
    public var address: String { "postgresql://\(user)@\(host):\(port)/\(database)" }

    init(reading reader: TableReader) throws {
        let allowed = ["url", "password_env", "password_file", "site", "statement_timeout_seconds"]
        if let unknown = reader.keys.first(where: { !allowed.contains($0) }) {
            throw CalltrailError.configuration("\(reader.context) has no key \(unknown): use \(allowed.joined(separator: ", "))")
        }
        let text = try reader.string("url", example: "postgresql://calltrail@db.example.com:5432/calltrail")
        let fix = "write url = \"postgresql://user@host:5432/database\""
        guard let components = URLComponents(string: text), ["postgresql", "postgres"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty
        else {
            throw CalltrailError.configuration("\(reader.context): url is not a postgresql:// address: \(fix)")
        }
        guard components.password == nil else {
            throw CalltrailError.configuration("\(reader.context): url carries a password: remove it and set password_env or password_file")
        }
        guard let user = components.user, !user.isEmpty else {
            throw CalltrailError.configuration("\(reader.context): url names no user: \(fix)")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw CalltrailError.configuration("\(reader.context): url names no database: \(fix)") }
        var tls = TLSMode.verify
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode", let value = item.value, let mode = TLSMode(rawValue: value) else {
                throw CalltrailError.configuration(
                    "\(reader.context): url takes only sslmode=verify-full (the default) or sslmode=disable (a server on loopback), not \(item.name)=\(item.value ?? "")")
            }
            tls = mode
        }
        if tls == .disable && !LoopbackHost.contains(host) {
            throw CalltrailError.configuration(
                "\(reader.context): url has sslmode=disable for \(host), which is not loopback: remove sslmode=disable (TLS is required off this machine)")
        }
        let credential = try CredentialReference.read(from: reader, context: reader.context)
        let site = try reader.optionalString("site") ?? ProcessInfo.processInfo.hostName
        self.init(host: host, port: components.port ?? 5432, user: user, database: database, credential: credential, site: site, tls: tls)
        statementTimeout = try reader.double("statement_timeout_seconds", default: 600, range: 1...86_400)
    }
}
