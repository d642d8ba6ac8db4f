import Foundation

/// A file written through its descriptor, chunk after chunk, and synced before it is renamed into place.
final class StagedFile {
    let url: URL
    private var descriptor: Int32

    init(_ url: URL) throws {
        self.url = url
        descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw Self.failure("create", url) }
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw Self.failure("write", url) }
                offset += written
            }
        }
    }

    func finish() throws {
        guard fsync(descriptor) == 0 else { throw Self.failure("sync", url) }
        close()
    }

    func close() {
        if descriptor >= 0 { _ = Foundation.close(descriptor) }
        descriptor = -1
    }

    /// A run that failed before finishing leaves no descriptor open.
    deinit { close() }

    /// `from` renamed to `to` (a staged file into place, or into the staging folder).
    static func move(_ from: URL, to: URL) throws {
        guard rename(from.path, to.path) == 0 else { throw failure("move \(from.path) to", to) }
    }

    private static func failure(_ what: String, _ url: URL) -> Error {
        CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(what) \(url.path): \(String(cString: strerror(errno)))"])
    }
}
