import CalltrailCore
import Foundation
import GRDB

/// The mapping checks of each source (MappingCheck), as data_quality lists them.
enum MappingChecks {
    /// `calls.failed_checks`: the names as a JSON array, NULL when none failed. Names are plain
    /// identifiers (no quote or backslash), so no escaping is needed.
    static func json(_ names: [String]) -> String? {
        names.isEmpty ? nil : "[" + names.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }
}

extension CallStore {
    /// Records the checks `source`'s mapping runs, replacing what an earlier version listed.
    public func registerMappingChecks(source: String, checks: [MappingCheck]) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM mapping_checks WHERE source = ?", arguments: [source])
            for check in checks {
                try db.execute(sql: "INSERT INTO mapping_checks (source, name, meaning) VALUES (?, ?, ?)",
                               arguments: [source, check.name, check.meaning])
            }
        }
    }
}
