import Foundation
import GRDB

/// The folders reports were rendered into from this database (`report_folders`): an erasure masks
/// the number in the files Calltrail wrote there.
extension CallStore {
    /// Records `folder` (made absolute) as holding a report of this database.
    public func recordReportFolder(_ folder: URL, at date: Date = Date()) async throws {
        let path = folder.standardizedFileURL.path
        try await write { db in
            try db.execute(sql: """
                INSERT INTO report_folders (path, written_at) VALUES (?1, ?2)
                ON CONFLICT (path) DO UPDATE SET written_at = excluded.written_at
                """, arguments: [path, date.timeIntervalSince1970])
        }
    }

    /// Every recorded folder, oldest first.
    public func reportFolders() async throws -> [String] {
        try await read { db in try String.fetchAll(db, sql: "SELECT path FROM report_folders ORDER BY written_at, path") }
    }
}
