import AsyncHTTPClient
import CalltrailAudio
import CalltrailHTTP
import Foundation
import Logging
import Synchronization

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
    /// Servers that answered HEAD with 405, 501 or 403.
    private let headRefused = Mutex<Set<String>>([])

    public init(client: HTTPClient, source: String, policy: RetryPolicy, timeout: TimeInterval, maxBytes: Int, logger: Logger) {
        self.fetcher = HTTPFetcher(client: client, source: source, policy: policy, timeout: timeout, maxBodyBytes: 1 << 16, logger: logger)
        self.timeout = timeout
        self.maxBytes = maxBytes
    }

    /// Whether `url` exists: HEAD, or a one-byte ranged GET on a server that refused HEAD once
    /// (uContact's backup server answers 405), so a refusal costs one request a server, not one a probe.
    public func probe(_ url: String, headers: [(String, String)] = []) async throws -> Presence {
        let server = Self.server(of: url)
        if !headRefused.withLock({ $0.contains(server) }) {
            let head = try await fetcher.send(.HEAD, url: url, headers: headers)
            switch head.status {
            case 200...299: return .present
            case 404, 410: return .absent
            case 405, 501, 403: headRefused.withLock { _ = $0.insert(server) }
            default: throw Failure(message: "\(url) answered HTTP \(head.status) to HEAD")
            }
        }
        let ranged = try await fetcher.send(url: url, headers: headers + [("Range", "bytes=0-0")])
        switch ranged.status {
        case 200...299: return .present
        case 404, 410: return .absent
        default: throw Failure(message: "\(url) answered HTTP \(ranged.status) to a ranged GET")
        }
    }

    /// Scheme, host and port: what refuses HEAD is the server, whatever the path.
    static func server(of url: String) -> String {
        guard let components = URLComponents(string: url) else { return url }
        return "\(components.scheme ?? "")://\(components.host ?? ""):\(components.port.map(String.init) ?? "")"
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
