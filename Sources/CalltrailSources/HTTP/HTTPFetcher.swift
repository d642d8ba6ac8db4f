import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// A vendor response, fully read (bounded in size).
public struct FetchedResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: ByteBuffer

    public var text: String { String(buffer: body) }
}

/// Sends requests with the retry contract of DESIGN.md and counts the retries for `sync_runs`.
/// Statuses the caller must judge itself (2xx, 401, other 4xx) are returned, never retried here.
public final class HTTPFetcher: Sendable {
    public let client: HTTPClient
    let source: String
    let policy: RetryPolicy
    let timeout: TimeInterval
    let maxBodyBytes: Int
    let logger: Logger
    private let retryCount = Mutex(0)

    public init(client: HTTPClient, source: String, policy: RetryPolicy, timeout: TimeInterval,
                maxBodyBytes: Int = 64 << 20, logger: Logger) {
        self.client = client
        self.source = source
        self.policy = policy
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
    }

    /// Retries since the last call of this method.
    public func takeRetries() -> Int {
        retryCount.withLock { value in
            defer { value = 0 }
            return value
        }
    }

    /// Sends `build()` until it gets an answer that is not a transient failure, within the policy.
    /// `url` is only for messages: it never carries credentials.
    public func send(url: String, _ build: @Sendable () -> HTTPClientRequest) async throws -> FetchedResponse {
        var attempt = 0
        while true {
            attempt += 1
            let wait: TimeInterval
            do {
                // The deadline covers the head; the whole exchange, body included, gets twice that.
                let request = build()
                let (client, timeout, maxBodyBytes) = (self.client, self.timeout, self.maxBodyBytes)
                let (response, body) = try await TimeLimit.run(seconds: timeout * 2) {
                    let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
                    return (response, try await response.body.collect(upTo: maxBodyBytes))
                }
                let status = Int(response.status.code)
                let fetched = FetchedResponse(status: status, headers: response.headers, body: body)
                switch status {
                case 429, 503:
                    let asked = RetryPolicy.retryAfter(response.headers.first(name: "Retry-After"))
                    if let asked, asked > policy.maxRetryAfter {
                        throw SourceError.throttled(source: source, url: url, seconds: asked)
                    }
                    guard attempt < policy.maxAttempts else {
                        throw SourceError.status(source: source, url: url, code: status, body: fetched.text.oneLine())
                    }
                    wait = asked ?? policy.backoff(afterAttempt: attempt)
                case 500...599:
                    guard attempt < policy.maxAttempts else {
                        throw SourceError.status(source: source, url: url, code: status, body: fetched.text.oneLine())
                    }
                    wait = policy.backoff(afterAttempt: attempt)
                default:
                    return fetched
                }
                logger.info("retrying after HTTP \(status)", metadata: ["source": "\(source)", "attempt": "\(attempt)", "wait_s": "\(wait)"])
            } catch let error as SourceError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                let reason = Self.describe(error)
                guard attempt < policy.maxAttempts else {
                    throw SourceError.unreachable(source: source, url: url, reason: reason)
                }
                wait = policy.backoff(afterAttempt: attempt)
                logger.info("retrying after \(reason)", metadata: ["source": "\(source)", "attempt": "\(attempt)", "wait_s": "\(wait)"])
            }
            retryCount.withLock { $0 += 1 }
            if wait > 0 { try await Task.sleep(for: .milliseconds(Int64(wait * 1000))) }
        }
    }

    /// A short reason for a transport failure.
    public static func describe(_ error: any Error) -> String {
        if let exceeded = error as? TimeLimit.Exceeded { return exceeded.description }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out"
            case .remoteConnectionClosed: return "connection closed by the server"
            default: return "\(error)".oneLine(limit: 80)
            }
        }
        let text = String(describing: error)
        if text.contains("NIOSSL") || text.contains("certificate") || text.contains("handshake") {
            return "TLS certificate not accepted: fix the server's certificate, or use --insecure for a lab server"
        }
        if text.contains("connectionRefused") || text.contains("refused") || text.contains("ECONNREFUSED") { return "connection refused" }
        if text.lowercased().contains("timeout") || text.lowercased().contains("timed out") { return "timed out" }
        if text.contains("NXDOMAIN") || text.lowercased().contains("resolve") { return "host name not found" }
        if error is NIOTooManyBytesError { return "response too large" }
        return text.oneLine(limit: 80)
    }
}
