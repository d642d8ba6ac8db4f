import CalltrailStore
import Foundation
import GRDBSQLite

/// A fresh database with Calltrail's schema, made by the real migrations (for the peers).
enum CalltrailStoreSchema {
    static func create(_ url: URL) throws -> CallStore { try CallStore(path: url.path) }
}

func sqlite3Version() -> UnsafePointer<CChar> { sqlite3_libversion() }
