import CalltrailRecordings
import CalltrailStore
import Foundation

/// `calltrail audit verify`: re-computes the audit log's hash chain and re-hashes each pull's
/// manifest that is still where the pull wrote it, checking the chain head it names.
public struct AuditVerifier: Sendable {
    public let store: CallStore

    public init(store: CallStore) { self.store = store }

    public struct Result: Sendable {
        public var rows: Int
        public var head: AuditChain.Head
        /// The first row that does not hold, and why.
        public var firstBad: (id: Int64, problem: String)?
        /// Manifests re-hashed and found as written.
        public var manifestsChecked: Int
        /// Pulls whose manifest is no longer where it was written (handed over, moved): not checked.
        public var manifestsAbsent: Int
    }

    public func verify() async throws -> Result {
        let entries = try await store.auditLog()
        var result = Result(rows: entries.count, head: try await store.auditHead(), firstBad: AuditChain.firstBreak(entries),
                            manifestsChecked: 0, manifestsAbsent: 0)
        let hashes = Dictionary(entries.compactMap { entry in entry.id.map { ($0, entry.rowHash) } }, uniquingKeysWith: { a, _ in a })
        for entry in entries where entry.action == "pull" {
            guard let path = entry.manifestPath, let id = entry.id else { continue }
            guard FileManager.default.fileExists(atPath: path) else {
                result.manifestsAbsent += 1
                continue
            }
            let problem: String?
            if try FileHash.sha256(of: URL(fileURLWithPath: path)) != entry.manifestSha256 {
                problem = "its manifest \(path) no longer has the sha256 the row recorded"
            } else if let anchor = Self.anchor(of: path), anchor.id > 0, hashes[anchor.id] != anchor.hash {
                problem = "its manifest names audit row \(anchor.id) with a hash the log no longer has: rows before it were changed or removed"
            } else {
                problem = nil
            }
            if let problem {
                if result.firstBad.map({ id < $0.id }) ?? true { result.firstBad = (id, problem) }
            } else {
                result.manifestsChecked += 1
            }
        }
        return result
    }

    /// The chain head a manifest recorded (its last two columns, the same on every row).
    static func anchor(of manifest: String) -> AuditChain.Head? {
        guard let text = try? String(contentsOfFile: manifest, encoding: .utf8) else { return nil }
        let lines = text.split(whereSeparator: \.isNewline)
        guard lines.count > 1, let header = lines.first?.split(separator: ","), header.suffix(2) == ["audit_head_id", "audit_head_sha256"] else {
            return nil
        }
        let fields = lines[1].split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count >= 2, let id = Int64(fields[fields.count - 2]) else { return nil }
        return AuditChain.Head(id: id, hash: String(fields[fields.count - 1]))
    }
}
