import AsyncHTTPClient
import CalltrailArchive
import CalltrailCore
import CalltrailHTTP
import CalltrailStore
import Foundation
import Logging

/// What a recordings run did, for the command's coverage lines.
public struct RecordingsSummary: Sendable, Equatable {
    public var attempted = 0
    public var states: [RecordingEntry.State: Int] = [:]
    /// Found or converted, by the location the archived MP3 (or its GSM) came from.
    public var locations: [String: Int] = [:]
    /// HTTP requests sent to recording servers (probes and downloads, retries included).
    public var requests = 0
    public var convertedOnServer = 0
    public var convertedLocally = 0
    /// A few of this run's failures, for the operator.
    public var failures: [String] = []
    /// A few notes on files archived all the same (a truncated GSM file), for the operator.
    public var notes: [String] = []

    public var failed: Int { states[.failed] ?? 0 }
}

/// Resolves and downloads the recordings of synced calls, `concurrency` at a time, and records each
/// outcome in the ledger; a failure is kept with its error and retried by the next run. Which vendor
/// keeps a recording where is its platform's resolver: the stage knows no vendor.
public enum RecordingsStage {
    public static func run(configuration: Configuration, store: CallStore, filter: CallFilter, concurrency: Int,
                           resolvers: any RecordingResolverProvider, logger: Logger,
                           progress: ProgressHandler? = nil) async throws -> RecordingsSummary {
        let archive = RecordingArchive(root: URL(fileURLWithPath: configuration.recordings.folder), timeZone: configuration.timeZone)
        archive.sweepIncoming()
        var summary = RecordingsSummary()
        let client = HTTPClientFactory.make(insecure: configuration.insecureTLS)
        // No key file: no erasure was ever made here.
        var erasureKey: SubjectKey?
        if FileManager.default.fileExists(atPath: configuration.compliance.keyFile) {
            do {
                erasureKey = try SubjectKey.load(path: configuration.compliance.keyFile)
            } catch let error as SubjectKeyError {
                throw CalltrailError.configuration(error.message)
            }
        }
        var thrown: (any Error)?
        for source in configuration.sources {
            let policy = RetryPolicy(maxAttempts: source.maxAttempts, base: source.retryBase, maxRetryAfter: source.maxRetryAfter)
            let recordingClient = RecordingClient(client: client, source: source.name, policy: policy,
                                                  timeout: configuration.recordings.requestTimeout,
                                                  maxBytes: configuration.recordings.maxBytes, logger: logger)
            let tools = RecordingTools(
                http: client, policy: policy, client: recordingClient,
                ingest: RecordingIngest(client: recordingClient, archive: archive, keepOriginal: configuration.recordings.keepOriginal),
                logger: logger)
            var sourceFilter = filter
            sourceFilter.source = source.name
            do {
                // A call of an erased customer that a sync brought back gets no recording.
                if let erasureKey { try await store.eraseCallsOfErasedSubjects(sourceFilter, key: erasureKey, numbers: configuration.compliance.numberPlan) }
                let candidates = try await store.recordingCandidates(sourceFilter)
                guard !candidates.isEmpty, let resolver = await resolvers.recordingResolver(for: source, tools: tools) else { continue }
                do {
                    try await fetch(candidates, with: resolver, store: store, archive: archive, concurrency: concurrency, summary: &summary,
                                    progress: progress)
                } catch {
                    await resolver.close()
                    throw error
                }
                await resolver.close()
                summary.requests += recordingClient.fetcher.requestsSent
            } catch {
                thrown = error
                break
            }
        }
        try? await client.shutdown()
        if let thrown { throw thrown }
        return summary
    }

    /// One attempt at one recording, kept in its ledger row whatever happens.
    static func attempt(_ candidate: RecordingCandidate, with resolver: any RecordingResolver) async -> RecordingEntry {
        var entry = candidate.entry ?? RecordingEntry(source: candidate.source, callId: candidate.callID)
        entry.attempts += 1
        entry.updatedAt = Date()
        entry.callAt = candidate.attributedAt
        do {
            try await resolver.resolve(candidate, into: &entry)
            if entry.state != .missing { entry.lastError = nil }
        } catch let missing as NotFound {
            entry.state = .missing
            entry.lastError = missing.description
        } catch {
            entry.state = .failed
            entry.lastError = "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
        }
        return entry
    }

    static func fetch(_ candidates: [RecordingCandidate], with resolver: any RecordingResolver, store: CallStore, archive: RecordingArchive,
                      concurrency: Int, summary: inout RecordingsSummary, progress: ProgressHandler?) async throws {
        let before = summary.attempted
        try await withThrowingTaskGroup(of: RecordingEntry.self) { group in
            var next = 0
            func record(_ entry: RecordingEntry) async throws {
                summary.attempted += 1
                // Erased (or purged) while it downloaded: the ledger keeps `erased`, the file goes.
                guard try await store.saveRecording(entry) else {
                    if let path = entry.path { try ArchivedFiles.remove(path, in: archive) }
                    summary.states[.erased, default: 0] += 1
                    return
                }
                summary.states[entry.state, default: 0] += 1
                if let location = entry.location, entry.state == .found || entry.state == .converted {
                    summary.locations[location, default: 0] += 1
                }
                if entry.state == .converted { entry.converted ? (summary.convertedLocally += 1) : (summary.convertedOnServer += 1) }
                if let note = entry.note, entry.state == .found || entry.state == .converted, summary.notes.count < 5 {
                    summary.notes.append("\(entry.callId): \(note)")
                }
                if entry.state == .failed, summary.failures.count < 5 { summary.failures.append("\(entry.callId): \(entry.lastError ?? "")") }
            }
            while next < candidates.count && next < concurrency {
                let candidate = candidates[next]
                group.addTask { await attempt(candidate, with: resolver) }
                next += 1
            }
            while let entry = try await group.next() {
                try await record(entry)
                progress?(.recording(done: summary.attempted, total: before + candidates.count))
                if next < candidates.count {
                    let candidate = candidates[next]
                    group.addTask { await attempt(candidate, with: resolver) }
                    next += 1
                }
            }
        }
    }
}
