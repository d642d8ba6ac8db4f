import CalltrailCore
import Foundation

/// The archive folder: `YYYY/MM/DD/<source>-<call_id>.mp3` (the call's day in the center's zone),
/// folders 0750, files 0640, written to a temporary name, synced, then renamed into place and the
/// folder synced, so a kill never leaves a partial file under a final name and a power loss never
/// loses a file the ledger counts.
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

    /// A temporary file in the archive (same file system as the final place, so rename is atomic),
    /// named `<pid>-<uuid>.<suffix>.part` after the process that writes it.
    public func temporaryFile(_ suffix: String) throws -> URL {
        let folder = root.appendingPathComponent(".incoming")
        try makeFolder(folder)
        return folder.appendingPathComponent("\(getpid())-\(UUID().uuidString).\(suffix).part")
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
        // The rename is durable only once its folder is: a power loss would otherwise leave a ledger
        // saying `found` over a file that is gone.
        try DurableFile.syncFolder(target.deletingLastPathComponent())
        return target
    }

    func makeFolder(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
    }

    /// Removes temporary files a killed run left behind: those whose owner (the pid their name starts
    /// with) is gone; another live process's files, and this one's, are left alone.
    public func sweepIncoming() {
        let folder = root.appendingPathComponent(".incoming")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".part") {
            if let owner = Self.owner(ofTemporary: name), owner == getpid() || kill(owner, 0) == 0 || errno != ESRCH { continue }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// The pid a temporary file's name starts with; nil for a name without one (written before
    /// names carried it: its owner is long gone).
    static func owner(ofTemporary name: String) -> pid_t? {
        guard let dash = name.firstIndex(of: "-"), let pid = pid_t(name[..<dash]), pid > 0 else { return nil }
        return pid
    }
}
