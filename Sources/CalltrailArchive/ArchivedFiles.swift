import CalltrailStore
import Foundation

/// A recording's files in the archive: the MP3 the ledger names and any original kept beside it
/// (`keep_original`: the same name with the vendor's extension). Removed by purge and erasure, and by
/// a fetch whose row was erased while it downloaded.
public enum ArchivedFiles {
    static let originalExtensions = ["gsm", "wav", "wav49", "WAV"]

    static func urls(of path: String, in archive: RecordingArchive) -> [URL] {
        let file = archive.root.appendingPathComponent(path)
        let stem = file.deletingPathExtension()
        return [file] + originalExtensions.map { stem.appendingPathExtension($0) }.filter { $0 != file }
    }

    /// Removes them; returns the bytes removed. A file already gone is not an error (a run killed
    /// after the ledger said `purged` finishes here).
    @discardableResult
    public static func remove(_ path: String, in archive: RecordingArchive) throws -> Int {
        var bytes = 0
        for url in urls(of: path, in: archive) where FileManager.default.fileExists(atPath: url.path) {
            bytes += (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
            try FileManager.default.removeItem(at: url)
        }
        return bytes
    }

    /// Removes the files of every recording the ledger says was purged or erased: the ledger is
    /// marked first, in the transaction with its audit row, so a purge or an erasure killed before
    /// its files went leaves them for this sweep, which both run after their transaction.
    @discardableResult
    public static func removeLeftovers(of store: CallStore, in archive: RecordingArchive) async throws -> Int {
        return try await store.removedRecordingPaths().reduce(0) { $0 + (try remove($1, in: archive)) }
    }
}
