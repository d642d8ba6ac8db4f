import Foundation

/// One `[[source]]` of the configuration: the keys every vendor shares, and the vendor's own options
/// as its platform decoded them.
public struct SourceConfiguration: Sendable {
    /// The name rows are stored under in `calls.source`; defaults to the kind.
    public var name: String
    /// The vendor platform (`kind = "ucontact"`).
    public var kind: String
    public var baseURL: URL
    /// The login name (uContact user); empty for token-only vendors (Meiqia).
    public var user: String
    public var credential: CredentialReference
    /// The zone of the vendor's offset-less times (uContact's `calldate`); defaults to the center's.
    public var timeZone: TimeZone
    /// Where the first run starts when no cursor exists yet.
    public var since: LocalDateTime?
    public var windowHours: Int
    public var pageSize: Int
    /// Windows read at once; the cursor moves over the contiguous prefix of finished ones.
    public var concurrency: Int
    /// Requests of this source at most a second, over all its windows; nil: as fast as answered.
    public var maxRequestsPerSecond: Double?
    /// Each run re-reads this far behind its cursor, for late records.
    public var lookback: TimeInterval
    /// Windows end this long before now, so calls still in progress are not read half-written.
    public var settle: TimeInterval
    public var requestTimeout: TimeInterval
    public var maxAttempts: Int
    public var retryBase: TimeInterval
    /// A `Retry-After` longer than this is a failure for this run rather than a wait.
    public var maxRetryAfter: TimeInterval
    /// The vendor's own keys, read back by its platform.
    public var options: any SourceOptions

    /// The keys every `[[source]]` may carry, whatever its kind.
    public static let commonKeys = [
        "kind", "name", "base_url", "user", "password_env", "password_file", "timezone", "since", "window_hours",
        "page_size", "concurrency", "max_requests_per_second", "lookback_minutes", "settle_minutes", "timeout_seconds", "max_attempts", "retry_base_seconds",
        "max_retry_after_seconds",
    ]

    public init(
        name: String, kind: String, baseURL: URL, user: String, credential: CredentialReference,
        timeZone: TimeZone, since: LocalDateTime? = nil, windowHours: Int = 24, pageSize: Int = 50,
        concurrency: Int = 1, maxRequestsPerSecond: Double? = nil, lookback: TimeInterval = 7200, settle: TimeInterval = 300, requestTimeout: TimeInterval = 30,
        maxAttempts: Int = 5, retryBase: TimeInterval = 0.5, maxRetryAfter: TimeInterval = 120,
        options: any SourceOptions = NoSourceOptions()
    ) {
        self.name = name
        self.kind = kind
        self.baseURL = baseURL
        self.user = user
        self.credential = credential
        self.timeZone = timeZone
        self.since = since
        self.windowHours = windowHours
        self.pageSize = pageSize
        self.concurrency = concurrency
        self.maxRequestsPerSecond = maxRequestsPerSecond
        self.lookback = lookback
        self.settle = settle
        self.requestTimeout = requestTimeout
        self.maxAttempts = maxAttempts
        self.retryBase = retryBase
        self.maxRetryAfter = maxRetryAfter
        self.options = options
    }

    /// The vendor's options as the type its platform decoded; a platform asking for another type's
    /// options is a programming error.
    public func options<Options: SourceOptions>(as type: Options.Type) -> Options {
        guard let options = options as? Options else {
            preconditionFailure("source '\(name)' of kind \(kind) carries \(Swift.type(of: options)), not \(type)")
        }
        return options
    }

    /// `max_requests_per_second`, at most the vendor's documented rate, which is the default.
    static func requestRate(_ reader: TableReader, ceiling: Double?) throws -> Double? {
        guard reader.has("max_requests_per_second") else { return ceiling }
        return try reader.double("max_requests_per_second", default: ceiling ?? 10, range: 0.01...(ceiling ?? 10_000))
    }

    init(reading reader: TableReader, centerTimeZone: TimeZone, schemas: [any SourceSchema]) throws {
        let kindName = try reader.string("kind", example: schemas.first?.kind ?? "KIND")
        let byKind = Dictionary(schemas.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        guard let schema = byKind[kindName] else {
            throw CalltrailError.configuration(
                "\(reader.context): kind '\(kindName)' is unknown: use one of \(schemas.map(\.kind).joined(separator: ", "))")
        }
        let name = try reader.optionalString("name") ?? schema.kind
        let context = "\(reader.context) (\(name))"
        let named = TableReader(table: reader.table, context: context, directory: reader.directory)

        if named.has("password") {
            throw CalltrailError.configuration(
                "\(context): a password in the configuration file is refused: move it to an environment variable named by password_env")
        }
        let allowed = Self.commonKeys + schema.optionKeys
        if let unknown = named.keys.first(where: { !allowed.contains($0) }) {
            let own = schema.optionKeys.isEmpty ? "" : "; its own keys are \(schema.optionKeys.joined(separator: ", "))"
            throw CalltrailError.configuration(
                "\(context): \(unknown) is not an option of \(schema.kind) sources: remove it or correct its spelling\(own)")
        }
        guard let credential = try CredentialReference.read(from: named, context: context) else {
            throw CalltrailError.configuration(
                "\(context) has no password_env: add password_env = \"CALLTRAIL_\(name.uppercased())_\(schema.secretName)\" (or password_file = \"path\", mode 0600)")
        }

        self.init(
            name: name,
            kind: schema.kind,
            baseURL: try named.url("base_url", example: "https://\(schema.kind).example.com"),
            user: schema.needsUser ? try named.string("user", example: "supervisor") : (try named.optionalString("user") ?? ""),
            credential: credential,
            timeZone: try named.timeZone("timezone", default: centerTimeZone),
            since: try named.localDateTime("since"),
            windowHours: try named.int("window_hours", default: schema.windowHours.default, range: schema.windowHours.range),
            pageSize: try named.int("page_size", default: schema.pageSize.default, range: schema.pageSize.range),
            concurrency: try named.int("concurrency", default: schema.concurrency.default, range: schema.concurrency.range),
            maxRequestsPerSecond: try Self.requestRate(named, ceiling: schema.maxRequestsPerSecond),
            lookback: Double(try named.int("lookback_minutes", default: 120, range: 0...10_080)) * 60,
            settle: Double(try named.int("settle_minutes", default: 5, range: 0...1440)) * 60,
            requestTimeout: try named.double("timeout_seconds", default: 30, range: 0.05...600),
            maxAttempts: try named.int("max_attempts", default: 5, range: 1...20),
            retryBase: try named.double("retry_base_seconds", default: 0.5, range: 0...60),
            maxRetryAfter: try named.double("max_retry_after_seconds", default: 120, range: 0...3600),
            options: try schema.options(named)
        )
    }
}
