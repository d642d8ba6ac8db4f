import AsyncHTTPClient
import CalltrailHTTP
import CalltrailSimulator
import Foundation
import Testing

/// `calltrail simulate --latency-ms N --max-concurrent M`: every response waits about N ms, and a
/// vendor server answers 429 with Retry-After beyond M requests in flight.
@Suite struct ServedLatencyTests {
    @Test(.timeLimit(.minutes(2)))
    func responsesWaitTheLatencyAndRequestsBeyondTheLimitAre429() async throws {
        var options = SimulatorOptions()
        options.days = 1
        // Long enough that all five requests are in flight before the first two are answered, on a loaded machine too
        // (the suite's start, with every other suite's simulator booting, delayed requests by seconds).
        options.latencyMS = 6000
        options.maxConcurrent = 2
        let simulator = Simulator(options: options)
        let running = try await simulator.start()
        let client = HTTPClientFactory.make(insecure: false)
        do {
            let url = running.baseURL + "/_simulator/stats"
            let statuses = try await withThrowingTaskGroup(of: (UInt, TimeInterval).self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        let start = Date()
                        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(60))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        return (response.status.code, Date().timeIntervalSince(start))
                    }
                }
                var all: [(UInt, TimeInterval)] = []
                for try await result in group { all.append(result) }
                return all
            }
            let served = statuses.filter { $0.0 == 200 }
            #expect(served.count == 2, "two in flight at once: \(statuses)")
            #expect(statuses.filter { $0.0 == 429 }.count == 3)
            // The jitter is ±25 %: a served response waited at least 4.5 s.
            #expect(served.allSatisfy { $0.1 >= 4.5 }, "\(statuses)")
            // Once the two finished, a request is served again.
            let again = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(60))
            #expect(again.status.code == 200)
        } catch {
            try? await client.shutdown()
            await running.stop()
            throw error
        }
        try await client.shutdown()
        await running.stop()
    }
}
