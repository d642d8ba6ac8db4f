import CalltrailCore
import Foundation

/// One run at a time over a database: an exclusive `flock` on `<database>.lock`, taken by `nightly`,
/// `sync`, `recordings fetch`, `publish`, `recordings purge` and `erase`, holding the holder's pid and
/// start time. The kernel releases it when the process ends, however it ends (kill -9 included), so a
/// crashed run never leaves a stale lock behind.
public final class RunLock {
    /// The lock file of the database at `databasePath`.
    public static func path(forDatabase databasePath: String) -> String { databasePath + ".lock" }

    public let path: String
    private let descriptor: Int32

    /// Takes the lock, trying for up to `wait` seconds (0: once), or throws a `.locked` error (exit 3)
    /// naming the holder.
    public init(path: String, wait: TimeInterval = 0, now: Date = Date()) throws {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT, 0o600)
        guard fd >= 0 else {
            throw CalltrailError.configuration("lock file \(path) cannot be opened (\(String(cString: strerror(errno)))): check the database folder's permissions")
        }
        let deadline = Date().addingTimeInterval(max(0, wait))
        var taken = flock(fd, LOCK_EX | LOCK_NB) == 0
        while !taken && Date() < deadline {
            usleep(100_000)
            taken = flock(fd, LOCK_EX | LOCK_NB) == 0
        }
        guard taken else {
            var buffer = [UInt8](repeating: 0, count: 256)
            let count = pread(fd, &buffer, 255, 0)
            close(fd)
            let holder = count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "unknown"
            let waited = wait > 0 ? " after waiting \(Int(wait)) s" : ""
            throw CalltrailError(.locked, "another calltrail run holds the lock \(path) (\(holder))\(waited): wait for it to finish, or pass --wait SECONDS")
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
