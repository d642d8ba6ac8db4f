import Foundation
import Hummingbird
import Synchronization

/// What a real vendor costs per request, for benchmarks and tests that must be latency-bound: every
/// response waits `latencyMS` (jittered ±25 %, from the seed), and each API root (the first path
/// component: one vendor server) answers 429 with `Retry-After: 1` beyond `maxConcurrent` requests in
/// flight, as a vendor's concurrency limit would.
struct ServedLatency<Context: RequestContext>: RouterMiddleware {
    let latencyMS: Int
    let maxConcurrent: Int?
    let state: State

    /// Shared by every request (a Mutex cannot be copied with the middleware).
    final class State: Sendable {
        let inFlight = Mutex<[Substring: Int]>([:])
        let random: Mutex<SeededRandom>
        init(seed: UInt64) { random = Mutex(SeededRandom(seed: seed ^ 0x4C41_5445)) }
    }

    init(latencyMS: Int, maxConcurrent: Int?, seed: UInt64) {
        self.latencyMS = latencyMS
        self.maxConcurrent = maxConcurrent
        self.state = State(seed: seed)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let root = request.uri.path.split(separator: "/").first ?? ""
        if let maxConcurrent {
            let admitted = state.inFlight.withLock { counts in
                guard counts[root, default: 0] < maxConcurrent else { return false }
                counts[root, default: 0] += 1
                return true
            }
            guard admitted else {
                return Response(status: .tooManyRequests, headers: [.retryAfter: "1"])
            }
        }
        defer { if maxConcurrent != nil { state.inFlight.withLock { $0[root, default: 1] -= 1 } } }
        if latencyMS > 0 {
            let jitter = state.random.withLock { $0.unit() } * 0.5 + 0.75
            try await Task.sleep(for: .microseconds(Int(Double(latencyMS) * 1000 * jitter)))
        }
        return try await next(request, context)
    }
}
