import CalltrailCore
import CalltrailStore
import Foundation

/// `recordings verify`: re-hashes the stored recordings against the ledger, all of them or, with a
/// sample share, the share re-hashed longest ago, so that nightly runs at P % go over the whole archive
/// every 100 / P nights.
public struct RecordingVerifier: Sendable {
    public let store: CallStore
    public let archive: RecordingArchive
    public let key: SubjectKey?

    public init(store: CallStore, archive: RecordingArchive, key: SubjectKey?) {
        self.store = store
        self.archive = archive
        self.key = key
    }

    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var issue: String
        public var description: String { "\(path): \(issue)" }
    }

    public struct Result: Sendable {
        public var checked: Int
        public var problems: [Problem]
    }

    /// - Parameter percent: re-hash only this share (rounded up) of the matching recordings, those
    ///   verified longest ago first.
    public func verify(_ filter: CallFilter = CallFilter(), sample percent: Double? = nil, now: Date = Date(),
                       user: String = OSUser.name) async throws -> Result {
        var limit: Int?
        if let percent {
            let total = try await store.storedRecordingCount(filter)
            limit = Int((Double(total) * percent / 100).rounded(.up))
        }
        let recordings = try await store.storedRecordings(filter, leastRecentlyVerified: limit)
        var problems: [Problem] = []
        var matched: [(source: String, callID: String)] = []
        for recording in recordings {
            guard let path = recording.entry.path else {
                problems.append(Problem(path: "\(recording.entry.source)-\(recording.entry.callId)", issue: "stored without a path"))
                continue
            }
            let url = archive.root.appendingPathComponent(path)
            guard FileManager.default.fileExists(atPath: url.path) else {
                problems.append(Problem(path: path, issue: "missing"))
                continue
            }
            let hash = try FileHash.sha256(of: url)
            if hash != recording.entry.sha256 {
                problems.append(Problem(path: path, issue: "sha256 \(hash) differs from the ledger's \(recording.entry.sha256 ?? "none")"))
            } else {
                matched.append((recording.entry.source, recording.entry.callId))
            }
        }
        try await store.markVerified(matched, at: now)
        try await store.appendAudit(AuditEntry(osUser: user, action: "verify", filters: filter.auditJSON(key: key),
                                               count: recordings.count, problems: problems.count,
                                               detail: percent.map { "{\"sample_percent\":\($0)}" }))
        return Result(checked: recordings.count, problems: problems)
    }
}
