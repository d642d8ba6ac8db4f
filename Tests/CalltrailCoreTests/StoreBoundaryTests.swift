import Foundation
import Testing

/// The store owns its SQL (issue #31): a Swift file outside Sources/CalltrailStore that opens the store's
/// connections (`store.read`/`store.write`, a `db` handle, which are SPI: only a file that imports
/// `@_spi(Connections)` compiles against them), imports GRDB or opens the file with SQLite's own API holds
/// SQL against the store's tables. Every such file is listed, unless `pending` says why it still does; a file that stops leaves the
/// list (the test fails until it is deleted there), so the list only shrinks.
@Suite struct StoreBoundaryTests {
    static let pending: [String: String] = [
        // Benchmarks measure the store from outside on purpose (their own setup and counts).
        "Sources/calltrail-bench/BackfillBenchmark.swift": "counts what the backfill stored, to check it",
        "Sources/calltrail-bench/IngestBenchmark.swift": "writes the pages bare, as the ceiling the ingest is measured against",
        "Sources/calltrail-bench/RecordingsBenchmark.swift": "empties the ledger between runs and reads the recording references",
        "Sources/calltrail-bench/TalliesBenchmark.swift": "deletes the tallies before timing a first build, and counts what a refresh made",
    ]

    /// Each Swift file under Sources/ outside the store whose code reaches the store's connections, with
    /// its first such line.
    static func reachingTheStoresConnections() throws -> [String: String] {
        var found: [String: String] = [:]
        for (path, lines) in try SourceTree.swiftFiles() where !path.hasPrefix("Sources/CalltrailStore/") {
            if let line = lines.first(where: { $0.contains(/^import GRDB$|@_spi\(Connections\)|\bstore\.(read|write)\b|\.(read|write) \{ db\b|sqlite3_open/) }) {
                found[path] = line.trimmingCharacters(in: .whitespaces)
            }
        }
        return found
    }

    @Test func onlyTheStoreHoldsSQLAgainstItsTables() throws {
        let found = try Self.reachingTheStoresConnections()
        for (path, line) in found.sorted(by: { $0.key < $1.key }) where Self.pending[path] == nil {
            Issue.record("\(path) reaches the store's connections (\(line)): give the store a typed operation for it")
        }
        for path in Self.pending.keys.sorted() where found[path] == nil {
            Issue.record("\(path) no longer reaches the store's connections: delete it from `pending`")
        }
    }
}
