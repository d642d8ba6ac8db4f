import Foundation
import GRDB

/// One row per sync run and source: what it read, how often it retried, what failed.
public struct SyncRun: Codable, Sendable, Equatable, CalltrailRecord, MutablePersistableRecord {
    public static let databaseTableName = "sync_runs"

    public enum Status: String, Codable, Sendable {
        case running, ok, failed
    }

    public var id: Int64?
    public var source: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var status: Status
    public var rangeFrom: Date?
    public var rangeTo: Date?
    public var windows = 0
    public var pages = 0
    public var records = 0
    public var retries = 0
    /// HTTP requests the run sent (logins, pages, supplements; retries included): what a vendor's
    /// latency is paid for.
    public var requests = 0
    /// Windows read again because their count did not add up (records arrived while paging).
    public var rereads = 0
    public var failures = 0
    public var decodeErrors = 0
    /// Records stored with outcome `unknown` (an enum value the mapping does not know).
    public var unknownOutcomes = 0
    /// The last failure, one line, never a credential.
    public var lastError: String?
    /// What did not hold up the run but an operator should see: an optional figure that failed (a
    /// platform snapshot), a mapping check broken by many records. JSON text in the column.
    public var warnings: [String] = []

    public init(source: String, startedAt: Date = Date(), rangeFrom: Date? = nil, rangeTo: Date? = nil) {
        self.source = source
        self.startedAt = startedAt
        self.status = .running
        self.rangeFrom = rangeFrom
        self.rangeTo = rangeTo
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
