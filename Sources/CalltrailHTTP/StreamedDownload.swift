import AsyncHTTPClient
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
    /// included). Each attempt, body included, is bounded by `timeout`. A transfer cut off after some
    /// bytes resumes with `Range: bytes=N-` where the server said it takes ranges; a server that
    /// answers a range with 200 sends the whole file again, and the file is written anew.
    public func download(_ url: String, to file: URL, maxBytes: Int, timeout: TimeInterval,
                         headers: [(String, String)] = []) async throws -> DownloadedFile {
        _ = FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600])
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        let state = DownloadState()
        return try await retrying(url: url) { _ in
            var request = HTTPClientRequest(url: url)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            let resumeAt = state.acceptsRanges ? state.written : 0
            if resumeAt > 0 { request.headers.add(name: "Range", value: "bytes=\(resumeAt)-") }
            let (client, prepared) = (self.client, request)
            return try await TimeLimit.run(seconds: timeout) {
                let response = try await client.execute(prepared, timeout: .milliseconds(Int64(timeout * 1000)))
                let status = Int(response.status.code)
                if Self.isTransient(status) {
                    return .transient(status: status, headers: response.headers, body: "")
                }
                if status == 404 || status == 410 { throw NotFound(url: url) }
                let appending = status == 206 && resumeAt > 0 && Self.rangeStart(response.headers) == resumeAt
                guard status == 200 || appending else { throw DownloadRefused("\(url) answered HTTP \(status)") }
                if response.headers.first(name: "Accept-Ranges")?.lowercased() == "bytes" { state.acceptsRanges = true }
                if appending {
                    state.resumed += 1
                } else {
                    try handle.truncate(atOffset: 0)
                    state.written = 0
                    state.head = []
                }
                try handle.seek(toOffset: UInt64(state.written))
                for try await buffer in response.body {
                    state.written += buffer.readableBytes
                    guard state.written <= maxBytes else {
                        throw DownloadRefused("\(url) is larger than \(maxBytes >> 20) MiB (max_megabytes)")
                    }
                    if state.head.count < 4096 { state.head += buffer.readableBytesView.prefix(4096 - state.head.count) }
                    if buffer.readableBytes > 0 {
                        try buffer.withUnsafeReadableBytes { bytes in
                            try handle.write(contentsOf: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress!), count: bytes.count, deallocator: .none))
                        }
                    }
                }
                try handle.synchronize()
                return .done(DownloadedFile(bytes: state.written, head: state.head, resumed: state.resumed))
            }
        }
    }

    /// The first byte of a `Content-Range: bytes N-M/T` answer.
    static func rangeStart(_ headers: HTTPHeaders) -> Int? {
        guard let value = headers.first(name: "Content-Range"), value.hasPrefix("bytes ") else { return nil }
        return Int(value.dropFirst(6).prefix { $0.isNumber })
    }
}

/// How far one download has come across its attempts.
private final class DownloadState: @unchecked Sendable {
    var written = 0
    var head: [UInt8] = []
    var acceptsRanges = false
    var resumed = 0
}
