import Foundation
import GRDB

/// Where a source's sync stands. A page and the move of this cursor are written in one transaction.
public struct SyncCursor: Codable, Sendable, Equatable, CalltrailRecord, PersistableRecord {
    public static let databaseTableName = "sync_cursors"

    public var source: String
    public var endpoint: String
    /// Everything before this instant has been stored (the end of the last complete window).
    public var completeUntil: Date?
    /// The window being paged, when a run stopped inside one.
    public var windowStart: Date?
    public var windowEnd: Date?
    /// The offset of the next page of that window.
    public var nextOffset: Int
    /// Which read of the window this is: a window whose count does not add up is read again.
    public var pass: Int
    public var updatedAt: Date

    public init(source: String, endpoint: String, completeUntil: Date? = nil, windowStart: Date? = nil,
                windowEnd: Date? = nil, nextOffset: Int = 0, pass: Int = 1, updatedAt: Date = Date()) {
        self.source = source
        self.endpoint = endpoint
        self.completeUntil = completeUntil
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.nextOffset = nextOffset
        self.pass = pass
        self.updatedAt = updatedAt
    }

    /// A window in progress, if the last run stopped inside one.
    public var openWindow: DateInterval? {
        guard let windowStart, let windowEnd, windowEnd > windowStart else { return nil }
        return DateInterval(start: windowStart, end: windowEnd)
    }
}
