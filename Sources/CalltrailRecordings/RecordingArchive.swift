import CalltrailCore
import Foundation

/// The archive folder: `YYYY/MM/DD/<source>-<call_id>.mp3` (the call's day in the center's zone),
/// folders 0750, files 0640, written to a temporary name, synced, then renamed into place so a
/// kill never leaves a partial file under a final name.
public struct RecordingArchive: Sendable {
    public let root: URL
    public let timeZone: TimeZone

    public init(root: URL, timeZone: TimeZone) {
        self.root = root
        self.timeZone = timeZone
    }

    /// The path below `root` for a call's recording.
    public func relativePath(source: String, callID: String, startedAt: Date, ext: String = "mp3") throws -> String {
        let day = LocalDateTime(startedAt, in: timeZone)
        let safeSource = try RecordingName.validate(source)
        let safeCall = try RecordingName.validate(callID)
        return String(format: "%04d/%02d/%02d/", day.year, day.month, day.day) + "\(safeSource)-\(safeCall).\(ext)"
    }

    /// A temporary file in the archive (same file system as the final place, so rename is atomic).
    public func temporaryFile(_ suffix: String) throws -> URL {
        let folder = root.appendingPathComponent(".incoming")
        try makeFolder(folder)
        return folder.appendingPathComponent("\(UUID().uuidString).\(suffix).part")
    }

    /// Syncs `file` and renames it to `relative`.
    public func place(_ file: URL, at relative: String) throws -> URL {
        let target = root.appendingPathComponent(relative)
        try makeFolder(target.deletingLastPathComponent())
        let handle = try FileHandle(forUpdating: file)
        try handle.synchronize()
        try handle.close()
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file.path)
        guard rename(file.path, target.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "rename to \(target.path): \(String(cString: strerror(errno)))"])
        }
        return target
    }

    func makeFolder(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
    }

    /// Removes temporary files a killed run left behind.
    public func sweepIncoming() {
        let folder = root.appendingPathComponent(".incoming")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".part") {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}
