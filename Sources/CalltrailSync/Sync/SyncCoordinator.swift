import AsyncHTTPClient
import CalltrailCore
import CalltrailHTTP
import CalltrailStore
import Foundation
import Logging

/// Syncs a set of configured sources into one store, one after the other, sharing one HTTP client.
public enum SyncCoordinator {
    /// Credentials are read for every source before any request, so a missing one fails fast.
    /// What fails at a vendor (refused credentials, an unreachable host, a malformed answer, failed
    /// pages) is recorded in that source's returned run and the next source is synced; only a local
    /// error (the database) is thrown.
    /// With a `subject`, each source is read for that customer or agent only (a case sync: the
    /// period must be given, and the cursors stay where they were); a vendor whose listing needs
    /// two passes (uContact: one per direction) gives two runs. `platforms` knows each source's vendor.
    public static func run(sources: [SourceConfiguration], platforms: any SourcePlatformProvider, store: CallStore, from: Date?, to: Date?, subject: CaseSubject? = nil,
                           logger: Logger, progress: ProgressHandler? = nil, insecureTLS: Bool = false) async throws -> [SyncRun] {
        let secrets = try sources.map { try $0.credential.resolve(for: "source '\($0.name)'") }
        var passes: [(configuration: SourceConfiguration, secret: Secret, warning: String?)] = []
        for (source, secret) in zip(sources, secrets) {
            guard let subject else {
                passes.append((source, secret, nil))
                continue
            }
            switch try platforms.sourcePlatform(of: source).caseListing(subject, of: source) {
            case .filtered(let configurations):
                passes += configurations.map { ($0, secret, nil) }
            case .wholePeriod(let reason):
                passes.append((source, secret, "\(reason): every call of the period was read and stored, not only \(subject)'s"))
            }
        }
        let client = HTTPClientFactory.make(insecure: insecureTLS)
        var runs: [SyncRun] = []
        var failure: (any Error)?
        for pass in passes {
            let source = pass.configuration
            let fetcher = HTTPFetcher(
                client: client, source: source.name,
                policy: RetryPolicy(maxAttempts: source.maxAttempts, base: source.retryBase, maxRetryAfter: source.maxRetryAfter),
                timeout: source.requestTimeout, pacer: source.maxRequestsPerSecond.map(RequestPacer.init(perSecond:)), logger: logger)
            let platform = platforms.sourcePlatform(of: source)
            var engine = SyncEngine(store: store, source: platform.makeSource(source, secret: pass.secret, fetcher: fetcher, logger: logger),
                                    configuration: source, fetcher: fetcher, logger: logger)
            engine.progress = progress
            engine.movesCursor = subject == nil
            do {
                try await store.registerMappingChecks(source: source.name, checks: platform.mappingChecks(for: source))
                var run = try await engine.run(from: from, to: to)
                if let warning = pass.warning { run.warnings.append(warning) }
                runs.append(run)
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
