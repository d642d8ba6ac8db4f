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
    let state: ServedLatencyState

    init(latencyMS: Int, maxConcurrent: Int?, state: ServedLatencyState) {
        self.latencyMS = latencyMS
        self.maxConcurrent = maxConcurrent
        self.state = state
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let root = request.uri.path.split(separator: "/").first ?? ""
        if let maxConcurrent, !state.admit(root, limit: maxConcurrent) {
            return Response(status: .tooManyRequests, headers: [.retryAfter: "1"])
        }
        defer { if maxConcurrent != nil { state.release(root) } }
        if latencyMS > 0 {
            let jitter = state.random.withLock { $0.unit() } * 0.5 + 0.75
            try await Task.sleep(for: .microseconds(Int(Double(latencyMS) * 1000 * jitter)))
        }
        return try await next(request, context)
    }
}

/// What every request of a `ServedLatency` shares (a Mutex cannot be copied with the middleware): the
/// requests each API root has admitted and not answered yet, and the jitter's random source.
final class ServedLatencyState: Sendable {
    /// An API root's requests in flight, and the most it has had at once.
    struct Load {
        var now = 0
        var most = 0
    }

    let loads = Mutex<[Substring: Load]>([:])
    let random: Mutex<SeededRandom>

    init(seed: UInt64) { random = Mutex(SeededRandom(seed: seed ^ 0x4C41_5445)) }

    /// Admits a request at `root` when fewer than `limit` are in flight there.
    func admit(_ root: Substring, limit: Int) -> Bool {
        loads.withLock { loads in
            var load = loads[root, default: Load()]
            guard load.now < limit else { return false }
            load.now += 1
            load.most = max(load.most, load.now)
            loads[root] = load
            return true
        }
    }

    func release(_ root: Substring) { loads.withLock { $0[root, default: Load()].now -= 1 } }

    /// The load of `root` (counted only under a `maxConcurrent`).
    func load(root: String) -> Load { loads.withLock { $0[Substring(root), default: Load()] } }
}
