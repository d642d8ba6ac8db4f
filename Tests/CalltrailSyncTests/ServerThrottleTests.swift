import AsyncHTTPClient
import CalltrailHTTP
import CalltrailTestSupport
import Foundation
import Logging
import Testing

/// Issue #33: a 429 with Retry-After pauses every request Calltrail sends to that server (all windows
/// of a source, all downloads from the host, across fetchers), and concurrency follows AIMD so a
/// steady limit settles. The server counts what reached it.
@Suite(.serialized) struct ServerThrottleTests {
    func fetcher(_ client: HTTPClient, attempts: Int = 5) -> HTTPFetcher {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return HTTPFetcher(client: client, source: "test", policy: RetryPolicy(maxAttempts: attempts, base: 0.01), timeout: 10, logger: logger)
    }

    /// One answer state shared with the server's threads.
    final class Log: @unchecked Sendable {
        let lock = NSLock()
        var count = 0
        var inFlight = 0
        var throttledAt: [Date] = []
        var refused = 0
    }

    @Test func aRetryAfterPausesEveryWindowAndDownloadToThatServer() async throws {
        // The first window's first page is answered 429 Retry-After: 3. Once the client knows (its server
        // is paused), the other 7 windows and 32 downloads start: none of their requests may reach the
        // server before the pause ends, however loaded the machine (every request starts after the client
        // learned of the pause, so a late arrival can only land later, never inside it).
        let log = Log()
        let server = try LoopbackHTTPServer { _ in
            let number = log.lock.withLock { () -> Int in log.count += 1; return log.count }
            if number == 1 {
                log.lock.withLock { log.throttledAt.append(Date()) }
                return RawResponse(status: 429, headers: [("Retry-After", "3")])
            }
            Thread.sleep(forTimeInterval: 0.05)
            return RawResponse(status: 200, headers: [("Content-Type", "application/octet-stream")], body: Data(repeating: 7, count: 2048))
        }
        let origin = ServerThrottle.origin(of: server.baseURL)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("throttle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try await withHTTPClient { client in
            // Two fetchers, as the sync and the recordings stage have: the pause is the server's, not theirs.
            let windows = fetcher(client)
            let downloads = fetcher(client)
            try await withThrowingTaskGroup(of: Void.self) { group in
                func window(_ number: Int) {
                    group.addTask {
                        for page in 0..<10 { _ = try await windows.send(url: "\(server.baseURL)/window/\(number)?page=\(page)") }
                    }
                }
                window(0)
                var paused = false
                for _ in 0..<3000 where !paused {
                    paused = await ServerThrottle.shared.state(of: origin).paused
                    if !paused { try await Task.sleep(for: .milliseconds(10)) }
                }
                #expect(paused, "the 429 never paused the server")
                for number in 1..<8 { window(number) }
                for file in 0..<32 {
                    group.addTask {
                        let downloaded = try await downloads.download("\(server.baseURL)/recording/\(file).mp3",
                                                                      to: folder.appendingPathComponent("\(file).part"), maxBytes: 1 << 20, timeout: 10)
                        #expect(downloaded.bytes == 2048)
                    }
                }
                try await group.waitForAll()
            }
        }
        server.stop()
        try? FileManager.default.removeItem(at: folder)
        let throttled = try #require(log.lock.withLock { log.throttledAt.first })
        let during = server.requests.filter { $0.receivedAt > throttled && $0.receivedAt < throttled.addingTimeInterval(2.9) }
        #expect(during.isEmpty, "\(during.count) requests reached the server during its pause: \(during.map(\.target))")
        let expected = 8 * 10 + 32 + 1
        #expect(server.requests.count == expected)
    }

    @Test func aSteadyLimitSettlesWithFewRefusals() async throws {
        let log = Log()
        let limit = 4
        let server = try LoopbackHTTPServer { _ in
            let admitted = log.lock.withLock { () -> Bool in
                guard log.inFlight < limit else { log.refused += 1; return false }
                log.inFlight += 1
                return true
            }
            guard admitted else { return RawResponse(status: 429, headers: [("Retry-After", "0.2")]) }
            Thread.sleep(forTimeInterval: 0.03)
            log.lock.withLock { log.inFlight -= 1 }
            return RawResponse(status: 200, body: Data(repeating: 1, count: 512))
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aimd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try await withHTTPClient { client in
            let downloads = fetcher(client, attempts: 8)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for file in 0..<96 {
                    group.addTask {
                        _ = try await downloads.download("\(server.baseURL)/r/\(file)", to: folder.appendingPathComponent("\(file).part"),
                                                         maxBytes: 1 << 20, timeout: 10)
                    }
                    if file % 32 == 31 { try await group.waitForAll() }
                }
                try await group.waitForAll()
            }
        }
        server.stop()
        try? FileManager.default.removeItem(at: folder)
        let refused = log.lock.withLock { log.refused }
        // Without a shared limit each batch of 32 meets 28 refusals, then 24, 20, … as the retries come
        // back together: 112 a batch, 336 in all. With AIMD the first batch's refusals halve the limit
        // toward 4 (28 + 12 + 4) and later it only probes upward, one request at a time (51 measured).
        // Every download still completes: the limit settles without errors.
        #expect(refused < 96, "\(refused) requests were refused by a server that takes \(limit) at once")
    }
}
