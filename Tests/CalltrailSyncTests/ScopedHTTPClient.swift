import AsyncHTTPClient
import CalltrailHTTP

/// Runs `body` with an HTTP client that is shut down however `body` ends: a client dropped without
/// `shutdown()` traps in a debug build, which would end the whole test process, not one test.
func withHTTPClient<T: Sendable>(_ body: (HTTPClient) async throws -> T) async throws -> T {
    let client = HTTPClientFactory.make(insecure: false)
    do {
        let value = try await body(client)
        try await client.shutdown()
        return value
    } catch {
        try? await client.shutdown()
        throw error
    }
}
