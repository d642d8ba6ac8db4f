import AsyncHTTPClient
import CalltrailCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// An error no retry can mend (a refused login, a missing file, a body that breaks the protocol):
/// the retry loop passes it through at once.
public protocol FinalHTTPError: Error, Sendable {}

/// Sends requests with the retry contract of docs/DESIGN.md and counts the retries for `sync_runs`.
/// Pages, recording probes, downloads and vendor calls such as uContact's `Supervisor/convert` all
/// go through it. Statuses the caller must judge itself (2xx, 401, other 4xx) are returned, never
/// retried here.
public final class HTTPFetcher: Sendable {
    public let client: HTTPClient
    let source: String
    public let policy: RetryPolicy
    let timeout: TimeInterval
    let maxBodyBytes: Int
    let logger: Logger
    /// Spaces every attempt, retries included, when the source has a rate of requests.
    let pacer: RequestPacer?
    /// Pauses and limits every request to a server that throttled any of them.
    let throttle: ServerThrottle
    private let retryCount = Mutex(0)
    private let attempts = Mutex(0)

    public init(client: HTTPClient, source: String, policy: RetryPolicy, timeout: TimeInterval,
                maxBodyBytes: Int = 64 << 20, pacer: RequestPacer? = nil, throttle: ServerThrottle = .shared, logger: Logger) {
        self.client = client
        self.pacer = pacer
        self.throttle = throttle
        self.source = source
        self.policy = policy
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
    }

    /// Requests sent so far, retries included: what a recording costs (`RecordingsSummary.requests`).
    public var requestsSent: Int { attempts.withLock { $0 } }

    /// Retries since the last call of this method.
    public func takeRetries() -> Int {
        retryCount.withLock { value in
            defer { value = 0 }
            return value
        }
    }

    /// What one attempt came to: a value, or a status that another attempt may mend.
    public enum Attempt<Value: Sendable>: Sendable {
        case done(Value)
        case transient(status: Int, headers: HTTPHeaders, body: String)
    }

    /// Runs `attempt` until it is done, within the policy: 429 and 503 wait what `Retry-After` asks
    /// (a wait above `maxRetryAfter` fails at once), other 5xx, timeouts and transport errors wait a
    /// bounded backoff with full jitter. A `FinalHTTPError` is thrown as it is. Every attempt holds a
    /// slot of its server's `ServerThrottle`, and a honoured `Retry-After` pauses the whole server.
    public func retrying<Value: Sendable>(url: String, _ attempt: (Int) async throws -> Attempt<Value>) async throws -> Value {
        let origin = ServerThrottle.origin(of: url)
        var number = 0
        while true {
            number += 1
            let wait: TimeInterval
            let reason: String
            do {
                try await pacer?.wait()
                try await throttle.acquire(origin)
                attempts.withLock { $0 += 1 }
                let outcome: Attempt<Value>
                do {
                    outcome = try await attempt(number)
                } catch {
                    await throttle.release(origin, .answered)
                    throw error
                }
                await throttle.release(origin, Self.throttling(outcome, within: policy.maxRetryAfter))
                switch outcome {
                case .done(let value):
                    return value
                case .transient(let status, let headers, let body):
                    let asked = status == 429 || status == 503 ? RetryPolicy.retryAfter(headers.first(name: "Retry-After")) : nil
                    if let asked, asked > policy.maxRetryAfter { throw SourceError.throttled(source: source, url: url, seconds: asked) }
                    guard number < policy.maxAttempts else {
                        throw SourceError.status(source: source, url: url, code: status, body: body.oneLine())
                    }
                    wait = asked ?? policy.backoff(afterAttempt: number)
                    reason = "HTTP \(status)"
                }
            } catch let error as any FinalHTTPError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                let described = Self.describe(error)
                guard number < policy.maxAttempts else {
                    throw SourceError.unreachable(source: source, url: url, reason: described)
                }
                wait = policy.backoff(afterAttempt: number)
                reason = described
            }
            logger.info("retrying after \(reason)", metadata: ["source": "\(source)", "attempt": "\(number)", "wait_s": "\(wait)"])
            retryCount.withLock { $0 += 1 }
            if wait > 0 { try await Task.sleep(for: .milliseconds(CheckedNumber.milliseconds(wait))) }
        }
    }

    /// Headers whose values are credentials: each value sent (and the credential after its scheme
    /// word, `Basic …`, `Bearer …`) is masked wherever text is kept, since a vendor may echo it.
    static let credentialHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie", "x-api-key"]

    static func registerCredentials(_ headers: HTTPHeaders) {
        for header in headers where credentialHeaders.contains(header.name.lowercased()) {
            Redaction.register(header.value)
            if let space = header.value.firstIndex(of: " ") { Redaction.register(String(header.value[header.value.index(after: space)...])) }
        }
    }

    /// A 429 or 503 whose `Retry-After` is honoured pauses its server; anything else is an answer
    /// (a wait beyond `max_retry_after_seconds` fails the page at once and pauses nothing).
    static func throttling<Value>(_ outcome: Attempt<Value>, within longest: TimeInterval) -> ServerThrottle.Outcome {
        guard case .transient(let status, let headers, _) = outcome, status == 429 || status == 503,
              let asked = RetryPolicy.retryAfter(headers.first(name: "Retry-After")), asked <= longest
        else { return .answered }
        return .throttled(seconds: asked)
    }

    /// Whether a status is one another attempt may mend.
    public static func isTransient(_ status: Int) -> Bool { status == 429 || (500...599).contains(status) }

    /// Sends `build()` until it gets an answer that is not a transient failure, within the policy.
    /// `url` is only for messages: it never carries credentials.
    public func send(url: String, _ build: @Sendable () -> HTTPClientRequest) async throws -> FetchedResponse {
        do {
            return try await exchange(url: url, build)
        } catch let refused as RedirectRefused {
            throw SourceError.redirected(source: source, refused)
        }
    }

    private func exchange(url: String, _ build: @Sendable () -> HTTPClientRequest) async throws -> FetchedResponse {
        try await retrying(url: url) { _ in
            // The deadline covers the head; the whole exchange, body included, gets twice that.
            let request = build()
            Self.registerCredentials(request.headers)
            let (timeout, maxBodyBytes) = (self.timeout, self.maxBodyBytes)
            let (response, body) = try await TimeLimit.run(seconds: timeout * 2) {
                let response = try await self.execute(request, timeout: timeout)
                return (response, try await response.body.collect(upTo: maxBodyBytes))
            }
            let fetched = FetchedResponse(status: Int(response.status.code), headers: response.headers, body: body)
            if Self.isTransient(fetched.status) {
                return .transient(status: fetched.status, headers: fetched.headers, body: fetched.text)
            }
            return .done(fetched)
        }
    }

    /// A request with the usual parts: method, headers, an optional body.
    public func send(_ method: HTTPMethod = .GET, url: String, headers: [(String, String)] = [], body: String? = nil) async throws -> FetchedResponse {
        try await send(url: url) {
            var request = HTTPClientRequest(url: url)
            request.method = method
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let body { request.body = .bytes(ByteBuffer(string: body)) }
            return request
        }
    }

    /// A short reason for a transport failure.
    public static func describe(_ error: any Error) -> String {
        if let exceeded = error as? TimeLimit.Exceeded { return exceeded.description }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out"
            case .remoteConnectionClosed: return "connection closed by the server"
            // The case's name alone: some carry the request's header values (a refused header quotes
            // its value, which may be `Bearer <token>`).
            default: return "HTTP client error: " + String(String(describing: error).prefix { $0 != "(" }).oneLine(limit: 60)
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
        return Redaction.scrub(text.oneLine(limit: 80))
    }
}
