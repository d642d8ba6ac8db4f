import AsyncHTTPClient
import CalltrailCore
import CalltrailHTTP
import CalltrailStore
import Logging

/// Finds one call's recording on its vendor and archives it. Each vendor platform has its own
/// (uContact's four locations and `Supervisor/convert`, a URL per call, a content API); the stage
/// around it keeps the ledger.
public protocol RecordingResolver: Sendable {
    /// Resolves, downloads and archives `candidate`'s recording into `entry` (state, location, path,
    /// hashes), or sets the state `missing` when the vendor has none. Throws when it failed: the
    /// stage records the error and the next run tries again; `NotFound` is a missing recording.
    func resolve(_ candidate: RecordingCandidate, into entry: inout RecordingEntry) async throws
    /// Ends a session the resolver opened (uContact's login for `Supervisor/convert`).
    func close() async
}

extension RecordingResolver {
    public func close() async {}
}

/// What a resolver is made with: the HTTP client shared by the run, the source's retry policy, the
/// recording client and the ingest that checks, converts and archives a downloaded file.
public struct RecordingTools: Sendable {
    public let http: HTTPClient
    public let policy: RetryPolicy
    public let client: RecordingClient
    public let ingest: RecordingIngest
    public let logger: Logger
}

/// Makes each source's resolver: the vendor platforms' registry.
public protocol RecordingResolverProvider: Sendable {
    /// `source`'s resolver, or nil when it has no recordings to fetch (no recording server configured).
    func recordingResolver(for source: SourceConfiguration, tools: RecordingTools) async -> (any RecordingResolver)?
}
