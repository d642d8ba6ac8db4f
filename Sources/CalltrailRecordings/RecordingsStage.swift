import AsyncHTTPClient
import CalltrailCore
import CalltrailSources
import CalltrailStore
import Foundation
import Logging

/// What a recordings run did, for the command's coverage lines.
public struct RecordingsSummary: Sendable, Equatable {
    public var attempted = 0
    public var states: [RecordingEntry.State: Int] = [:]
    /// Found or converted, by the location the archived MP3 (or its GSM) came from.
    public var locations: [String: Int] = [:]
    public var convertedOnServer = 0
    public var convertedLocally = 0
    /// A few of this run's failures, for the operator.
    public var failures: [String] = []

    public var failed: Int { states[.failed] ?? 0 }
}

/// Resolves and downloads the recordings of synced calls, `concurrency` at a time, and records each
/// outcome in the ledger; a failure is kept with its error and retried by the next run.
public enum RecordingsStage {
    public static func run(configuration: Configuration, store: CallStore, filter: CallFilter, concurrency: Int,
                           logger: Logger, progress: ProgressHandler? = nil) async throws -> RecordingsSummary {
        // uContact needs its recording servers configured; single-URL vendors carry the URL per call.
        // (Vonage keeps recordings behind its Interaction Content API, not fetched yet: no references.)
        let sources = configuration.sources.filter { $0.kind != .ucontact || $0.telephonyRecordsURL != nil || $0.backupRecordsURL != nil }
        let archive = RecordingArchive(root: URL(fileURLWithPath: configuration.recordings.folder), timeZone: configuration.timeZone)
        archive.sweepIncoming()
        var summary = RecordingsSummary()
        guard !sources.isEmpty else { return summary }

        let client = HTTPClientFactory.make(insecure: configuration.insecureTLS)
        var thrown: (any Error)?
        for source in sources {
            do {
                try await fetch(source: source, configuration: configuration, client: client, store: store, archive: archive,
                                filter: filter, concurrency: concurrency, summary: &summary, logger: logger, progress: progress)
            } catch {
                thrown = error
                break
            }
        }
        try? await client.shutdown()
        if let thrown { throw thrown }
        return summary
    }

    static func fetch(source: SourceConfiguration, configuration: Configuration, client: HTTPClient, store: CallStore,
                      archive: RecordingArchive, filter: CallFilter, concurrency: Int,
                      summary: inout RecordingsSummary, logger: Logger, progress: ProgressHandler?) async throws {
        var sourceFilter = filter
        sourceFilter.source = source.name
        let candidates = try await store.recordingCandidates(sourceFilter)
        guard !candidates.isEmpty else { return }
        let before = summary.attempted
        let policy = RetryPolicy(maxAttempts: source.maxAttempts, base: source.retryBase, maxRetryAfter: source.maxRetryAfter)
        let recordingClient = RecordingClient(client: client, policy: policy, timeout: configuration.recordings.requestTimeout,
                                              maxBytes: configuration.recordings.maxBytes, logger: logger)
        let ingest = RecordingIngest(client: recordingClient, archive: archive, keepOriginal: configuration.recordings.keepOriginal)
        var converter: UContactSource?
        if source.kind == .ucontact && source.convertOnServer {
            do {
                let secret = try source.credential.resolve(for: "source '\(source.name)'")
                let fetcher = HTTPFetcher(client: client, source: source.name, policy: policy, timeout: source.requestTimeout, logger: logger)
                let session = UContactSource(configuration: source, password: secret, fetcher: fetcher, logger: logger)
                try await session.open()
                converter = session
            } catch {
                logger.warning("Supervisor/convert unavailable, GSM recordings are converted here",
                               metadata: ["source": "\(source.name)", "error": "\(error)"])
            }
        }
        let uContact = UContactRecordingResolver(client: recordingClient, configuration: source, converter: converter,
                                                 ingest: ingest, logger: logger)
        let single = URLRecordingResolver(ingest: ingest)
        let kind = source.kind
        @Sendable func resolve(_ candidate: RecordingCandidate) async -> RecordingEntry {
            switch kind {
            case .ucontact: await uContact.fetch(candidate)
            case .meiqia, .ccai, .vonage: await single.fetch(candidate)
            }
        }
        try await withThrowingTaskGroup(of: RecordingEntry.self) { group in
            var next = 0
            func record(_ entry: RecordingEntry) async throws {
                try await store.saveRecording(entry)
                summary.attempted += 1
                summary.states[entry.state, default: 0] += 1
                if let location = entry.location, entry.state == .found || entry.state == .converted {
                    summary.locations[location, default: 0] += 1
                }
                if entry.state == .converted { entry.converted ? (summary.convertedLocally += 1) : (summary.convertedOnServer += 1) }
                if entry.state == .failed, summary.failures.count < 5 { summary.failures.append("\(entry.callId): \(entry.lastError ?? "")") }
            }
            while next < candidates.count && next < concurrency {
                let candidate = candidates[next]
                group.addTask { await resolve(candidate) }
                next += 1
            }
            while let entry = try await group.next() {
                try await record(entry)
                progress?(.recording(done: summary.attempted, total: before + candidates.count))
                if next < candidates.count {
                    let candidate = candidates[next]
                    group.addTask { await resolve(candidate) }
                    next += 1
                }
            }
        }
        await converter?.close()
    }
}
