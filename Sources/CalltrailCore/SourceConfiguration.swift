import Foundation

/// One `[[source]]` of the configuration: a vendor endpoint and how to page it.
public struct SourceConfiguration: Sendable {
    /// The name rows are stored under in `calls.source`; defaults to the kind.
    public var name: String
    public var kind: SourceKind
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
    /// Each run re-reads this far behind its cursor, for late records.
    public var lookback: TimeInterval
    /// Windows end this long before now, so calls still in progress are not read half-written.
    public var settle: TimeInterval
    public var requestTimeout: TimeInterval
    public var maxAttempts: Int
    public var retryBase: TimeInterval
    /// A `Retry-After` longer than this is a failure for this run rather than a wait.
    public var maxRetryAfter: TimeInterval
    /// Vendor field renames: CallRecord field → the vendor's key (`customer_number = "cliente"`).
    public var fieldNames: [String: String]
    /// uContact's recording servers (`{telephony}/records/...`); no recordings are fetched without them.
    public var telephonyRecordsURL: URL?
    public var backupRecordsURL: URL?
    /// Ask the platform's `Supervisor/convert` to turn a GSM recording into MP3 before converting locally.
    public var convertOnServer: Bool
    /// Meiqia's `page_index` of the first page: 1 [guess] or 0.
    public var pageIndexBase: Int
    /// Vonage's OAuth token endpoint (`https://{region}.cc.vonage.com/Auth/connect/token`); default: on base_url.
    public var authURL: URL?

    public init(
        name: String, kind: SourceKind, baseURL: URL, user: String, credential: CredentialReference,
        timeZone: TimeZone, since: LocalDateTime? = nil, windowHours: Int = 24, pageSize: Int = 50,
        lookback: TimeInterval = 7200, settle: TimeInterval = 300, requestTimeout: TimeInterval = 30,
        maxAttempts: Int = 5, retryBase: TimeInterval = 0.5, maxRetryAfter: TimeInterval = 120,
        fieldNames: [String: String] = [:], telephonyRecordsURL: URL? = nil, backupRecordsURL: URL? = nil,
        convertOnServer: Bool = true, pageIndexBase: Int = 1, authURL: URL? = nil
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
        self.lookback = lookback
        self.settle = settle
        self.requestTimeout = requestTimeout
        self.maxAttempts = maxAttempts
        self.retryBase = retryBase
        self.maxRetryAfter = maxRetryAfter
        self.fieldNames = fieldNames
        self.telephonyRecordsURL = telephonyRecordsURL
        self.backupRecordsURL = backupRecordsURL
        self.convertOnServer = convertOnServer
        self.pageIndexBase = pageIndexBase
        self.authURL = authURL
    }

    init(reading reader: TableReader, centerTimeZone: TimeZone) throws {
        let kindName = try reader.string("kind", example: "ucontact")
        guard let kind = SourceKind(rawValue: kindName) else {
            throw CalltrailError.configuration("\(reader.context): kind '\(kindName)' is unknown: use one of \(SourceKind.names)")
        }
        let name = try reader.optionalString("name") ?? kind.rawValue
        let context = "\(reader.context) (\(name))"
        let named = TableReader(table: reader.table, context: context, directory: reader.directory)

        if named.has("password") {
            throw CalltrailError.configuration(
                "\(context): a password in the configuration file is refused: move it to an environment variable named by password_env")
        }
        let credential: CredentialReference
        switch (try named.optionalString("password_env"), try named.optionalString("password_file")) {
        case (let env?, nil): credential = .environment(env)
        case (nil, let file?): credential = .file(URL(fileURLWithPath: named.resolve(file)))
        case (.some, .some):
            throw CalltrailError.configuration("\(context) has both password_env and password_file: keep one")
        case (nil, nil):
            throw CalltrailError.configuration(
                "\(context) has no password_env: add password_env = \"CALLTRAIL_\(name.uppercased())_\(kind == .meiqia ? "TOKEN" : "PASSWORD")\" (or password_file = \"path\", mode 0600)")
        }

        self.init(
            name: name,
            kind: kind,
            baseURL: try named.url("base_url", example: "https://ucontact.example.com"),
            user: kind.needsUser ? try named.string("user", example: "supervisor") : (try named.optionalString("user") ?? ""),
            credential: credential,
            timeZone: try named.timeZone("timezone", default: centerTimeZone),
            since: try named.localDateTime("since"),
            // CCAI is tailed by updated_at with no upper bound: one window per run reads each call once.
            // Vonage allows at most 31 days per request.
            windowHours: try named.int("window_hours", default: kind == .ccai ? 744 : 24, range: 1...744),
            // CCAI allows at most 100 a page; Vonage sets its own page size (100 [guess]): page_size must match it.
            pageSize: try named.int("page_size", default: kind == .ccai || kind == .vonage ? 100 : 50, range: 1...(kind == .ccai ? 100 : 1000)),
            lookback: Double(try named.int("lookback_minutes", default: 120, range: 0...10_080)) * 60,
            settle: Double(try named.int("settle_minutes", default: 5, range: 0...1440)) * 60,
            requestTimeout: try named.double("timeout_seconds", default: 30, range: 0.05...600),
            maxAttempts: try named.int("max_attempts", default: 5, range: 1...20),
            retryBase: try named.double("retry_base_seconds", default: 0.5, range: 0...60),
            maxRetryAfter: try named.double("max_retry_after_seconds", default: 120, range: 0...3600),
            fieldNames: try named.stringMap("fields"),
            telephonyRecordsURL: named.has("telephony_records_url") ? try named.url("telephony_records_url", example: "https://telephony.example.com") : nil,
            backupRecordsURL: named.has("backup_records_url") ? try named.url("backup_records_url", example: "https://backup.example.com") : nil,
            convertOnServer: try named.bool("convert_on_server", default: true),
            pageIndexBase: try named.int("page_index_base", default: 1, range: 0...1),
            authURL: named.has("auth_url") ? try named.url("auth_url", example: "https://emea.cc.vonage.com/Auth/connect/token") : nil
        )
    }
}
