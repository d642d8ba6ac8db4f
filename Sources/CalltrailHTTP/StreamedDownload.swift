import AsyncHTTPClient
import CalltrailCore
import Foundation
import NIOCore
import NIOHTTP1

/// The server has no such file (404 or 410).
public struct NotFound: FinalHTTPError, CustomStringConvertible {
    public let url: String
    public init(url: String) { self.url = url }
    public var description: String { "\(url) is not on the server (404)" }
}

/// A download the server or the limits refuse for good (a 4xx other than 404, a file too large).
public struct DownloadRefused: FinalHTTPError, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What a finished download wrote.
public struct DownloadedFile: Sendable {
    /// Bytes in the file.
    public var bytes: Int
    /// Its first bytes (up to 4 KiB), to tell the format by.
    public var head: [UInt8]
    /// Attempts that resumed a cut-off transfer with `Range` instead of starting over.
    public var resumed: Int
}

extension HTTPFetcher {
    /// Streams `url` into `file`, at most `maxBytes`, with the fetcher's retry policy (Retry-After
    /// included). Each attempt, body included, is bounded by `timeout`. Only bytes written to the file
    /// count: a write that fails (a full disk) ends the attempt at the last byte on disk. A transfer
    /// cut off after some bytes resumes with `Range: bytes=N-` and `If-Range` (the strong ETag or
    /// Last-Modified of the first answer) where the server said it takes ranges; without a validator
    /// it starts over, and a server whose file changed (or that ignores the range) answers 200 with
    /// the whole file, which is written anew: two versions of a file are never spliced.
    public func download(_ url: String, to file: URL, maxBytes: Int, timeout: TimeInterval,
                         headers: [(String, String)] = []) async throws -> DownloadedFile {
        // Created in place, not through FileManager.createFile: that writes a `.dat.nosync…` file beside it
        // and renames it, and a run killed between the two leaves that file where no sweep looks.
        let created = open(file.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard created >= 0 else { throw DownloadRefused("cannot create \(file.path): \(String(cString: strerror(errno)))") }
        close(created)
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        let state = DownloadState()
        return try await retrying(url: url) { _ in
            var request = HTTPClientRequest(url: url)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            Self.registerCredentials(request.headers)
            let resumeAt = state.acceptsRanges && state.validator != nil ? state.written : 0
            if resumeAt > 0, let validator = state.validator {
                request.headers.add(name: "Range", value: "bytes=\(resumeAt)-")
                request.headers.add(name: "If-Range", value: validator)
            }
            let prepared = request
            return try await TimeLimit.run(seconds: timeout) {
                let response = try await self.execute(prepared, timeout: timeout)
                let status = Int(response.status.code)
                if Self.isTransient(status) {
                    return .transient(status: status, headers: response.headers, body: "")
                }
                if status == 404 || status == 410 { throw NotFound(url: url) }
                let appending = status == 206 && resumeAt > 0 && (try? Self.rangeStart(response.headers)) == resumeAt
                guard status == 200 || appending else { throw DownloadRefused("\(url) answered HTTP \(status)") }
                if !appending {
                    // The whole file (again): its ranges and validator are this answer's.
                    state.acceptsRanges = response.headers.first(name: "Accept-Ranges")?.lowercased() == "bytes"
                    state.validator = Self.validator(response.headers)
                    try handle.truncate(atOffset: 0)
                    state.written = 0
                    state.head = []
                } else {
                    state.resumed += 1
                }
                try handle.seek(toOffset: UInt64(state.written))
                for try await buffer in response.body {
                    guard state.written + buffer.readableBytes <= maxBytes else {
                        throw DownloadRefused("\(url) is larger than \(maxBytes >> 20) MiB (max_megabytes)")
                    }
                    if buffer.readableBytes > 0 {
                        do {
                            try buffer.withUnsafeReadableBytes { bytes in
                                try handle.write(contentsOf: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress!), count: bytes.count, deallocator: .none))
                            }
                        } catch {
                            // Part of the buffer may be on disk: the next attempt resumes at the
                            // file's real end, never past a hole.
                            state.written = Int(clamping: (try? handle.seekToEnd()) ?? 0)
                            throw error
                        }
                    }
                    if state.head.count < 4096 { state.head += buffer.readableBytesView.prefix(4096 - state.head.count) }
                    state.written += buffer.readableBytes
                }
                try handle.synchronize()
                return .done(DownloadedFile(bytes: state.written, head: state.head, resumed: state.resumed))
            }
        }
    }

    /// The first byte of a `Content-Range: bytes N-M/T` answer, checked (nil when there is none).
    static func rangeStart(_ headers: HTTPHeaders) throws -> Int? {
        guard let value = headers.first(name: "Content-Range"), value.hasPrefix("bytes ") else { return nil }
        return try CheckedNumber.integer(text: String(value.dropFirst(6).prefix { $0 != "-" }), field: "Content-Range", in: 0...Int(Int64.max >> 1))
    }

    /// What `If-Range` may carry: a strong ETag, else Last-Modified; nil when the server gives neither
    /// (a weak ETag cannot validate a range).
    static func validator(_ headers: HTTPHeaders) -> String? {
        if let tag = headers.first(name: "ETag"), tag.hasPrefix("\""), !tag.isEmpty { return tag }
        return headers.first(name: "Last-Modified").flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// How far one download has come across its attempts.
private final class DownloadState: @unchecked Sendable {
    var written = 0
    var head: [UInt8] = []
    var acceptsRanges = false
    /// The first whole answer's validator, sent as `If-Range` with a resume.
    var validator: String?
    var resumed = 0
}
