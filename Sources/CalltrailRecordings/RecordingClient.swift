import AsyncHTTPClient
import CalltrailAudio
import CalltrailHTTP
import Foundation
import Logging

/// HTTP for recording servers: existence probes (HEAD, or a one-byte ranged GET where HEAD is not
/// allowed) and streamed downloads, through the HTTP layer's fetcher, so both follow the same retry
/// policy as pages (Retry-After on 429/503, bounded backoff with jitter).
public final class RecordingClient: Sendable {
    public enum Presence: Sendable, Equatable { case present, absent }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    public let fetcher: HTTPFetcher
    let timeout: TimeInterval
    let maxBytes: Int

    public init(client: HTTPClient, source: String, policy: RetryPolicy, timeout: TimeInterval, maxBytes: Int, logger: Logger) {
        self.fetcher = HTTPFetcher(client: client, source: source, policy: policy, timeout: timeout, maxBodyBytes: 1 << 16, logger: logger)
        self.timeout = timeout
        self.maxBytes = maxBytes
    }

    public func probe(_ url: String, headers: [(String, String)] = []) async throws -> Presence {
        let head = try await fetcher.send(.HEAD, url: url, headers: headers)
        switch head.status {
        case 200...299: return .present
        case 404, 410: return .absent
        case 405, 501, 403:
            let ranged = try await fetcher.send(url: url, headers: headers + [("Range", "bytes=0-0")])
            switch ranged.status {
            case 200...299: return .present
            case 404, 410: return .absent
            default: throw Failure(message: "\(url) answered HTTP \(ranged.status) to a ranged GET")
            }
        default:
            throw Failure(message: "\(url) answered HTTP \(head.status) to HEAD")
        }
    }

    /// Streams `url` into `file`, at most `max_megabytes`, `timeout_seconds` of [recordings] for each
    /// attempt, body included. Returns the bytes written and the format the file's first bytes show.
    public func download(_ url: String, to file: URL, headers: [(String, String)] = []) async throws -> (bytes: Int, format: AudioFormat) {
        do {
            let file = try await fetcher.download(url, to: file, maxBytes: maxBytes, timeout: timeout, headers: headers)
            return (file.bytes, AudioFormat.sniff(file.head))
        } catch let refused as DownloadRefused {
            throw Failure(message: refused.message)
        } catch let error as SourceError {
            throw Failure(message: error.calltrailError.message)
        }
    }
}
