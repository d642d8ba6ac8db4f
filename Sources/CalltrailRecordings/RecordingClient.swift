import AsyncHTTPClient
import CalltrailAudio
import CalltrailSources
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// HTTP for recording servers: existence probes (HEAD, or a one-byte ranged GET where HEAD is not
/// allowed) and streamed downloads, with the same retry policy as the sync.
public final class RecordingClient: Sendable {
    public enum Presence: Sendable, Equatable { case present, absent }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    let fetcher: HTTPFetcher
    let policy: RetryPolicy
    let timeout: TimeInterval
    let maxBytes: Int
    let logger: Logger

    public init(client: HTTPClient, policy: RetryPolicy, timeout: TimeInterval, maxBytes: Int, logger: Logger) {
        self.fetcher = HTTPFetcher(client: client, source: "recordings", policy: policy, timeout: timeout, maxBodyBytes: 1 << 16, logger: logger)
        self.policy = policy
        self.timeout = timeout
        self.maxBytes = maxBytes
        self.logger = logger
    }

    public func probe(_ url: String) async throws -> Presence {
        let head = try await fetcher.send(url: url) {
            var request = HTTPClientRequest(url: url)
            request.method = .HEAD
            return request
        }
        switch head.status {
        case 200...299: return .present
        case 404, 410: return .absent
        case 405, 501, 403:
            let ranged = try await fetcher.send(url: url) {
                var request = HTTPClientRequest(url: url)
                request.headers.add(name: "Range", value: "bytes=0-0")
                return request
            }
            switch ranged.status {
            case 200...299: return .present
            case 404, 410: return .absent
            default: throw Failure(message: "\(url) answered HTTP \(ranged.status) to a ranged GET")
            }
        default:
            throw Failure(message: "\(url) answered HTTP \(head.status) to HEAD")
        }
    }

    /// Streams `url` into `file`, at most `maxBytes`, retrying transient failures from the start.
    /// Returns the bytes written and the format the file's first bytes show.
    public func download(_ url: String, to file: URL) async throws -> (bytes: Int, format: AudioFormat) {
        var attempt = 0
        while true {
            attempt += 1
            do {
                // `timeout_seconds` of [recordings] bounds the whole download, body included.
                return try await TimeLimit.run(seconds: timeout) { try await self.downloadOnce(url, to: file) }
            } catch let failure as Failure {
                throw failure
            } catch let missing as NotFound {
                throw missing
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                guard attempt < policy.maxAttempts else {
                    throw Failure(message: "\(url): \(HTTPFetcher.describe(error)) after \(attempt) attempts")
                }
                try await Task.sleep(for: .milliseconds(Int64(policy.backoff(afterAttempt: attempt) * 1000)))
            }
        }
    }

    struct Transient: Error { let status: Int }

    /// The server has no such file (404 or 410).
    public struct NotFound: Error, CustomStringConvertible, Sendable {
        public let url: String
        public var description: String { "\(url) is not on the server (404)" }
    }

    func downloadOnce(_ url: String, to file: URL) async throws -> (bytes: Int, format: AudioFormat) {
        let response = try await fetcher.client.execute(HTTPClientRequest(url: url), timeout: .milliseconds(Int64(timeout * 1000)))
        let status = Int(response.status.code)
        if status == 429 || status >= 500 { throw Transient(status: status) }
        if status == 404 || status == 410 { throw NotFound(url: url) }
        guard status == 200 else { throw Failure(message: "\(url) answered HTTP \(status)") }
        _ = FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600])
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var bytes = 0
        var head: [UInt8] = []
        for try await buffer in response.body {
            bytes += buffer.readableBytes
            guard bytes <= maxBytes else { throw Failure(message: "\(url) is larger than \(maxBytes >> 20) MiB (max_megabytes)") }
            if head.count < 4096 { head += buffer.readableBytesView.prefix(4096 - head.count) }
            if buffer.readableBytes > 0 { try buffer.withUnsafeReadableBytes { try handle.write(contentsOf: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0.baseAddress!), count: $0.count, deallocator: .none)) } }
        }
        try handle.synchronize()
        return (bytes, AudioFormat.sniff(head))
    }
}
