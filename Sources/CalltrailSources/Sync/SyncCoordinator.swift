import AsyncHTTPClient
import CalltrailCore
import CalltrailHTTP
import CalltrailStore
import Foundation
import Logging

/// Syncs a set of configured sources into one store, one after the other, sharing one HTTP client.
public enum SyncCoordinator {
    /// Credentials are read for every source before any request, so a missing one fails fast.
    /// Failed pages are recorded in the returned runs; rejected credentials are thrown.
    public static func run(sources: [SourceConfiguration], store: CallStore, from: Date?, to: Date?,
                           logger: Logger, progress: ProgressHandler? = nil, insecureTLS: Bool = false) async throws -> [SyncRun] {
        let secrets = try sources.map { try $0.credential.resolve(for: "source '\($0.name)'") }
        let client = HTTPClientFactory.make(insecure: insecureTLS)
        var runs: [SyncRun] = []
        var failure: (any Error)?
        for (source, secret) in zip(sources, secrets) {
            let fetcher = HTTPFetcher(
                client: client, source: source.name,
                policy: RetryPolicy(maxAttempts: source.maxAttempts, base: source.retryBase, maxRetryAfter: source.maxRetryAfter),
                timeout: source.requestTimeout, logger: logger)
            let platform = Platforms.platform(of: source)
            var engine = SyncEngine(store: store, source: platform.makeSource(source, secret: secret, fetcher: fetcher, logger: logger),
                                    configuration: source, fetcher: fetcher, logger: logger)
            engine.progress = progress
            do {
                try await store.registerMappingChecks(source: source.name, checks: platform.mappingChecks)
                runs.append(try await engine.run(from: from, to: to))
            } catch {
                failure = error
                break
            }
        }
        try? await client.shutdown()
        if let failure { throw failure }
        return runs
    }
}
