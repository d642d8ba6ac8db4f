import CalltrailCore
import Foundation

/// What one server asked of every request Calltrail sends it: a pause (a 429 or 503 with
/// `Retry-After`), and how many requests it takes at once. Real vendors rate-limit per account, not per
/// connection, and answer a client that keeps sending during a pause with longer bans; so the pause
/// holds every request to that server (all windows of a source, all downloads from that host, every
/// fetcher in the process), not only the one that was told. A 500's backoff stays with its request.
///
/// The number of requests in flight follows AIMD: a throttling answer halves it (once per pause, however
/// many requests in flight are refused together), every answer that is not throttled adds `1/limit`, so
/// it grows by about one request per round of answers and a steady server limit settles without errors.
public actor ServerThrottle {
    public static let shared = ServerThrottle()

    /// Requests in flight to one server before any throttling answer: more than any caller asks for.
    public static let ceiling = 64.0

    /// What an attempt came to, for the server's state.
    public enum Outcome: Sendable {
        /// The server asked to wait this long (429 or 503 with Retry-After).
        case throttled(seconds: TimeInterval)
        /// Anything else: an answer, an error, a transport failure.
        case answered
    }

    struct Server {
        var pausedUntil: ContinuousClock.Instant?
        var limit = ServerThrottle.ceiling
        var inFlight = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private var servers: [String: Server] = [:]

    public init() {}

    /// The server a URL names: scheme, host and port.
    public nonisolated static func origin(of url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return url }
        return "\(components.scheme ?? "http")://\(host.lowercased()):\(components.port.map(String.init) ?? "")"
    }

    /// Returns when a request to `origin` may leave: not during a pause, and not beyond the limit.
    public func acquire(_ origin: String) async throws {
        while true {
            try Task.checkCancellation()
            var server = servers[origin, default: Server()]
            if let until = server.pausedUntil, until > .now {
                try await Task.sleep(until: until, clock: .continuous)
                continue
            }
            if Double(server.inFlight) < max(1, server.limit.rounded(.down)) {
                server.inFlight += 1
                servers[origin] = server
                return
            }
            await withCheckedContinuation { continuation in
                servers[origin, default: Server()].waiters.append(continuation)
            }
        }
    }

    /// Ends a request acquired for `origin`.
    public func release(_ origin: String, _ outcome: Outcome) {
        var server = servers[origin, default: Server()]
        server.inFlight = max(0, server.inFlight - 1)
        switch outcome {
        case .throttled(let seconds):
            let until = ContinuousClock.now + .milliseconds(CheckedNumber.milliseconds(seconds))
            // Halve once per pause: the requests refused together are one signal, not many.
            if server.pausedUntil.map({ $0 < .now }) ?? true {
                server.limit = max(1, min(server.limit, Double(server.inFlight + 1)) / 2)
            }
            server.pausedUntil = max(server.pausedUntil ?? until, until)
        case .answered:
            server.limit = min(Self.ceiling, server.limit + 1 / server.limit)
        }
        // Every waiter looks again (a pause makes them sleep until it ends; a slot lets one through).
        let waiters = server.waiters
        server.waiters = []
        servers[origin] = server
        for waiter in waiters { waiter.resume() }
    }

    /// The current limit and pause of `origin`, for tests and the log.
    public func state(of origin: String) -> (limit: Double, paused: Bool) {
        let server = servers[origin, default: Server()]
        return (server.limit, server.pausedUntil.map { $0 > .now } ?? false)
    }
}
