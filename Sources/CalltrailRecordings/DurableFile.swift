import Foundation

/// Writes that survive a power loss: the file's bytes synced before it takes its name, and the folder
/// synced after, so a name the ledger or the audit log counts on is never missing or partial.
public enum DurableFile {
    /// Writes `data` to a temporary file beside `url` (mode `permissions`), fsyncs it, renames it to
    /// `url` and fsyncs the folder.
    public static func write(_ data: Data, to url: URL, permissions: mode_t = 0o640) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).part")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, permissions)
        guard fd >= 0 else { throw failure("create", temporary) }
        var ok = true
        data.withUnsafeBytes { bytes in
            var offset = 0
            while ok && offset < bytes.count {
                let count = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { ok = false } else { offset += count }
            }
        }
        let error = ok ? nil : failure("write", temporary)
        // The mode asked for, whatever the umask made of it at creation.
        if ok && (fchmod(fd, permissions) != 0 || fsync(fd) != 0) { ok = false }
        let synced = ok ? nil : (error ?? failure("fsync", temporary))
        close(fd)
        if let synced {
            unlink(temporary.path)
            throw synced
        }
        guard rename(temporary.path, url.path) == 0 else {
            let error = failure("rename to", url)
            unlink(temporary.path)
            throw error
        }
        try syncFolder(folder)
    }

    /// fsyncs a folder, so the names created or renamed in it survive a power loss.
    public static func syncFolder(_ folder: URL) throws {
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw failure("open", folder) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("fsync", folder) }
    }

    static func failure(_ action: String, _ url: URL) -> CocoaError {
        CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(action) \(url.path): \(String(cString: strerror(errno)))"])
    }
}
