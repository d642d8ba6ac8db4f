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
        do {
            try data.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let count = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else { throw failure("write", temporary) }
                    offset += count
                }
            }
            // The mode asked for, whatever the umask made of it at creation.
            guard fchmod(fd, permissions) == 0 else { throw failure("chmod", temporary) }
            guard fsync(fd) == 0 else { throw failure("fsync", temporary) }
            close(fd)
        } catch {
            close(fd)
            unlink(temporary.path)
            throw error
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
