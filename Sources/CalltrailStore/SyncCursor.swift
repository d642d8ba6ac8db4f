import Foundation
import GRDB

/// Where a source's sync stands: everything before `completeUntil` is stored. The windows being read
/// beyond it are `SyncWindow` rows; a page, its window's row and any move of this cursor are written
/// in one transaction.
public struct SyncCursor: Codable, Sendable, Equatable, CalltrailRecord, PersistableRecord {
    public static let databaseTableName = "sync_cursors"

    public var source: String
    public var endpoint: String
    /// Everything before this instant has been stored (the end of the contiguous finished windows).
    public var completeUntil: Date?
    public var updatedAt: Date

    public init(source: String, endpoint: String, completeUntil: Date? = nil, updatedAt: Date = Date()) {
        self.source = source
        self.endpoint = endpoint
        self.completeUntil = completeUntil
        self.updatedAt = updatedAt
    }

    /// Writes the cursor, never moving `completeUntil` back: commits of concurrent windows may reach
    /// the writer in any order, and a cursor only ever advances.
    func advance(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO sync_cursors (source, endpoint, complete_until, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (source, endpoint) DO UPDATE SET
                complete_until = CASE
                    WHEN sync_cursors.complete_until IS NULL OR excluded.complete_until > sync_cursors.complete_until
                    THEN excluded.complete_until ELSE sync_cursors.complete_until END,
                updated_at = excluded.updated_at
            """, arguments: [source, endpoint, completeUntil?.timeIntervalSince1970, updatedAt.timeIntervalSince1970])
    }
}
