import Foundation
import Synchronization

/// Spaces the requests of one source at least `1 / perSecond` apart, however many windows send them:
/// each request reserves the next free slot and sleeps until it. A vendor's documented rate (CCAI's
/// 10 requests a second) or the `max_requests_per_second` of a `[[source]]`.
public final class RequestPacer: Sendable {
    public let perSecond: Double
    private let spacing: Duration
    private let next = Mutex<ContinuousClock.Instant?>(nil)

    public init(perSecond: Double) {
        precondition(perSecond > 0, "a rate of requests must be positive")
        self.perSecond = perSecond
        self.spacing = .nanoseconds(Int64((1e9 / perSecond).rounded()))
    }

    /// Returns when this request may leave.
    public func wait() async throws {
        let now = ContinuousClock.now
        let slot: ContinuousClock.Instant = next.withLock { next in
            let slot = max(next ?? now, now)
            next = slot + spacing
            return slot
        }
        if slot > now { try await Task.sleep(until: slot, clock: .continuous) }
    }
}
