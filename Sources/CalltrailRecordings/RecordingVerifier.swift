import CalltrailStore
import Foundation

/// `recordings verify`: re-hashes every stored recording against the ledger.
public struct RecordingVerifier: Sendable {
    public let store: CallStore
    public let archive: RecordingArchive

    public init(store: CallStore, archive: RecordingArchive) {
        self.store = store
        self.archive = archive
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

    public func verify(_ filter: CallFilter = CallFilter(), user: String = OSUser.name) async throws -> Result {
        let recordings = try await store.storedRecordings(filter)
        var problems: [Problem] = []
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
            }
        }
        try await store.appendAudit(AuditEntry(osUser: user, action: "verify", filters: CompliancePull.json(filter),
                                               count: recordings.count, problems: problems.count))
        return Result(checked: recordings.count, problems: problems)
    }
}
