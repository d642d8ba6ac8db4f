import AsyncHTTPClient
import CalltrailHTTP
import CalltrailTestSupport
import Foundation
import Logging
import Testing

/// Issue #32: a redirect never carries a credential. A plain GET (a recording moved to a CDN) follows
/// a few redirects; a request with an Authorization header stops at the first, and the other host
/// sees nothing.
@Suite(.serialized) struct RedirectTests {
    func fetcher(_ client: HTTPClient) -> HTTPFetcher {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return HTTPFetcher(client: client, source: "test", policy: RetryPolicy(maxAttempts: 1), timeout: 20, logger: logger)
    }

    @Test func aPlainDownloadFollowsARedirectToAnotherHost() async throws {
        let audio = Data((0..<5000).map { UInt8($0 % 251) })
        let cdn = try LoopbackHTTPServer(host: "127.0.0.2") { _ in RawResponse(status: 200, headers: [("Content-Type", "audio/mpeg")], body: audio) }
        let origin = try LoopbackHTTPServer { request in RawResponse(status: 302, headers: [("Location", "\(cdn.baseURL)/signed\(request.target)?sig=abc")]) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("redirect-\(UUID().uuidString).part")
        defer { try? FileManager.default.removeItem(at: file) }
        let downloaded = try await withHTTPClient { client in
            try await fetcher(client).download("\(origin.baseURL)/records/a.mp3", to: file, maxBytes: 1 << 20, timeout: 20)
        }
        origin.stop()
        cdn.stop()
        #expect(downloaded.bytes == audio.count)
        #expect(try Data(contentsOf: file) == audio)
        #expect(cdn.requests.first?.target == "/signed/records/a.mp3?sig=abc")
    }

    @Test func aRequestWithCredentialsIsNeverResentAfterARedirect() async throws {
        let elsewhere = try LoopbackHTTPServer(host: "127.0.0.2") { _ in RawResponse(status: 200, body: Data("{}".utf8)) }
        let origin = try LoopbackHTTPServer { request in RawResponse(status: 307, headers: [("Location", "\(elsewhere.baseURL)\(request.target)")]) }
        try await withHTTPClient { client in
            let fetcher = fetcher(client)
            await #expect {
                _ = try await fetcher.send(.POST, url: "\(origin.baseURL)/login", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                           body: "user=a&password=redirect-canary")
            } throws: { error in
                guard case .redirected(_, let refused)? = error as? SourceError else { return false }
                return refused.location == "\(elsewhere.baseURL)/login" && refused.reason.contains("carries credentials")
            }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("redirect-\(UUID().uuidString).part")
            defer { try? FileManager.default.removeItem(at: file) }
            await #expect(throws: RedirectRefused.self) {
                _ = try await fetcher.download("\(origin.baseURL)/content/1", to: file, maxBytes: 1 << 20, timeout: 20,
                                               headers: [("Authorization", "Bearer redirect-canary-token")])
            }
        }
        origin.stop()
        elsewhere.stop()
        #expect(elsewhere.requests.isEmpty, "\(elsewhere.requests.map(\.text))")
    }

    @Test func redirectsAreBoundedInNumber() async throws {
        let loop = try LoopbackHTTPServer { request in RawResponse(status: 302, headers: [("Location", request.target + "x")]) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("redirect-\(UUID().uuidString).part")
        defer { try? FileManager.default.removeItem(at: file) }
        try await withHTTPClient { client in
            await #expect {
                _ = try await fetcher(client).download("\(loop.baseURL)/a", to: file, maxBytes: 1 << 20, timeout: 20)
            } throws: { error in (error as? RedirectRefused)?.reason == "more than \(HTTPFetcher.maxRedirects) redirects" }
        }
        loop.stop()
        #expect(loop.requests.count == HTTPFetcher.maxRedirects + 1)
    }
}
