@_spi(Connections) import CalltrailStore
import Foundation
import GRDB
import Testing

/// v20: a migrated database's sync_cursors keeps what a cursor is (its source, endpoint, how far
/// everything is stored), not the window columns sync_windows replaced in v14 (the sync tests move it).
@Suite struct SyncCursorColumnsTests {
    @Test func theCursorTableHoldsOnlyWhatACursorIs() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cursor-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try CallStore(path: folder.appendingPathComponent("c.sqlite").path)
        let columns = try await store.read { db in try db.columns(in: "sync_cursors").map(\.name) }
        #expect(Set(columns) == ["source", "endpoint", "complete_until", "updated_at"])
        #expect(try await store.cursor(source: "ucontact", endpoint: "Cdr/getrecords") == nil)
    }
}
