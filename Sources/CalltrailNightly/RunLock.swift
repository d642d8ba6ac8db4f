import CalltrailCore
import Foundation

/// One nightly run at a time: an exclusive `flock` on `<database>.lock`, holding the holder's pid and
/// start time. The kernel releases it when the process ends, however it ends (kill -9 included), so a
/// crashed run never leaves a stale lock behind.
public final class RunLock {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock or throws a `.locked` error (exit 3) naming the holder.
    public init(path: String, now: Date = Date()) throws {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT, 0o600)
        guard fd >= 0 else {
            throw CalltrailError.configuration("lock file \(path) cannot be opened (\(String(cString: strerror(errno)))): check the database folder's permissions")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 256)
            let count = pread(fd, &buffer, 255, 0)
            close(fd)
            let holder = count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "unknown"
            throw CalltrailError(.locked, "another calltrail run holds the lock \(path) (\(holder)): wait for it to finish")
        }
        descriptor = fd
        let text = "pid \(getpid()) since \(LocalDateTime.iso8601(now, in: TimeZone(identifier: "UTC")!))\n"
        ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        fsync(fd)
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
