import CalltrailStore
import Foundation

/// A fresh database with Calltrail's schema, made by the real migrations (for the peers).
enum CalltrailStoreSchema {
    static func create(_ url: URL) throws -> CallStore { try CallStore(path: url.path) }
}
