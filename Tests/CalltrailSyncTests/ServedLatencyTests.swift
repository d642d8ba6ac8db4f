import AsyncHTTPClient
import CalltrailHTTP
import CalltrailSimulator
import Foundation
import Synchronization
import Testing

/// `calltrail simulate --latency-ms N --max-concurrent M`: every response waits about N ms, and a
/// vendor server answers 429 with Retry-After beyond M requests in flight.
@Suite struct ServedLatencyTests {
    /// What one round saw: the two requests admitted first, the three sent while the server held them,
    /// whether it still held both once those three were answered, the most requests it had in flight at
    /// once, and a request sent after the two were answered.
    struct Round {
        var admitted: [(status: UInt, seconds: TimeInterval)]
        var beyond: [UInt]
        var held: Bool
        var most: Int
        var again: UInt
    }

    /// The admitted requests answered so far.
    final class Answered: Sendable {
        let count = Mutex(0)
    }

    @Test(.timeLimit(.minutes(3)))
    func responsesWaitTheLatencyAndRequestsBeyondTheLimitAre429() async throws {
        // A round decides when the server still held its two admitted requests after the three others
        // were answered. On a machine so busy that one of the two was answered first, the round proves
        // nothing about the limit, and the next one runs with twice the latency.
        var undecided: [String] = []
        for latency in [2000, 4000, 8000, 16000] {
            let round = try await Self.round(latencyMS: latency)
            // The jitter is ±25 %: each admitted request waited at least three quarters of the latency.
            let least = 0.75 * Double(latency) / 1000 - 0.001
            #expect(round.admitted.allSatisfy { $0.status == 200 && $0.seconds >= least }, "\(round.admitted)")
            #expect(round.again == 200, "once the two were answered, a request is served again")
            try #require(round.most <= 2, "the server had \(round.most) requests in flight at once, beyond its limit of two")
            if round.held {
                #expect(round.beyond == [429, 429, 429], "two in flight, so the next three are refused: \(round.beyond)")
                return
            }
            undecided.append("\(latency) ms: \(round.beyond)")
        }
        Issue.record("no round held its two admitted requests while three more were answered: \(undecided)")
    }

    /// A simulator limited to two requests in flight, each waiting `latencyMS`: two requests, then,
    /// once the server has both in flight, three more one after the other.
    static func round(latencyMS: Int) async throws -> Round {
        var options = SimulatorOptions()
        options.days = 1
        options.latencyMS = latencyMS
        options.maxConcurrent = 2
        let running = try await Simulator(options: options).start()
        let client = HTTPClientFactory.make(insecure: false)
        do {
            let url = running.baseURL + "/_simulator/stats"
            @Sendable func get() async throws -> (status: UInt, seconds: TimeInterval) {
                let start = Date()
                let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(120))
                _ = try await response.body.collect(upTo: 1 << 20)
                return (response.status.code, Date().timeIntervalSince(start))
            }
            let answered = Answered()
            let first = Task {
                defer { answered.count.withLock { $0 += 1 } }
                return try await get()
            }
            let second = Task {
                defer { answered.count.withLock { $0 += 1 } }
                return try await get()
            }
            while running.requestsInFlight(root: "_simulator").now < 2 && answered.count.withLock({ $0 }) == 0 {
                try await Task.sleep(for: .milliseconds(10))
            }
            var beyond: [UInt] = []
            for _ in 0..<3 { beyond.append(try await get().status) }
            // Every request but the first two has been answered: two in flight are those two.
            let held = running.requestsInFlight(root: "_simulator").now == 2
            let admitted = [try await first.value, try await second.value]
            let again = try await get().status
            try await client.shutdown()
            await running.stop()
            return Round(admitted: admitted, beyond: beyond, held: held, most: running.requestsInFlight(root: "_simulator").most,
                         again: again)
        } catch {
            try? await client.shutdown()
            await running.stop()
            throw error
        }
    }
}
