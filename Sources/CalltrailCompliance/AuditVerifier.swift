import CalltrailArchive
import CalltrailStore
import Foundation

/// `calltrail audit verify`: re-computes the audit log's keyed hash chain, checks it against the
/// anchor file (every head written there must be in the log, with its hash, and no row may come
/// after the last one), and re-hashes each pull's manifest that is still where the pull wrote it,
/// checking the chain head it names.
public struct AuditVerifier: Sendable {
    public let store: CallStore
    /// The compliance key: without it keyed rows are checked for their links only.
    public let key: SubjectKey?
    public let anchor: AuditAnchor?

    public init(store: CallStore, key: SubjectKey?, anchor: AuditAnchor?) {
        self.store = store
        self.key = key
        self.anchor = anchor
    }

    public struct Result: Sendable {
        public var rows: Int
        /// Rows with a keyed hash (the rest were written before the chain was keyed).
        public var keyedRows: Int
        public var head: AuditChain.Head
        /// The first row that does not hold, and why.
        public var firstBad: (id: Int64, problem: String)?
        /// Why the log is not the one the anchor file recorded (a cut tail, an older copy, rows never anchored).
        public var anchorProblem: String?
        public var anchorLines: Int
        /// Manifests re-hashed and found as written.
        public var manifestsChecked: Int
        /// Pulls whose manifest is no longer where it was written (handed over, moved): not checked.
        public var manifestsAbsent: Int
    }

    public func verify() async throws -> Result {
        let entries = try await store.auditLog()
        let lines = try anchor?.lines()
        var result = Result(rows: entries.count, keyedRows: entries.filter { $0.rowHash.hasPrefix(AuditChain.keyedPrefix) }.count, head: try await store.auditHead(), firstBad: AuditChain.firstBreak(entries, key: key),
                            anchorProblem: anchor.flatMap { Self.anchorProblem(entries, lines: lines, path: $0.path) },
                            anchorLines: lines?.count ?? 0, manifestsChecked: 0, manifestsAbsent: 0)
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

    /// Why `entries` are not the log the anchor's lines recorded, or nil. Rows written before the chain
    /// was keyed have no line; every line must name a row of the log with its hash, and the log must
    /// end at the last line's row.
    static func anchorProblem(_ entries: [AuditEntry], lines: [AuditAnchor.Line]?, path: String) -> String? {
        guard let lines, let last = lines.last else {
            if entries.contains(where: { $0.rowHash.hasPrefix(AuditChain.keyedPrefix) }) {
                return "the anchor file \(path) is missing or empty, yet the log has keyed rows: restore it, or point [compliance] anchor_file at it"
            }
            return nil
        }
        let hashes = Dictionary(entries.compactMap { entry in entry.id.map { ($0, entry.rowHash) } }, uniquingKeysWith: { a, _ in a })
        let end = entries.last?.id ?? 0
        for line in lines {
            guard let hash = hashes[line.head.id] else {
                if line.head.id > end {
                    return "the anchor file's line \(line.number) records row \(line.head.id) (written \(line.at)), but the log ends at row \(end): its newest rows were removed, or the database was restored from an older copy"
                }
                return "row \(line.head.id), anchored at line \(line.number) of the anchor file (written \(line.at)), is missing from the log: rows were removed"
            }
            if hash != line.head.hash {
                return "row \(line.head.id) is not the row anchored at line \(line.number) of the anchor file (written \(line.at)): the log was rewritten from there, or the database is another copy (restored from an older one and written since)"
            }
        }
        let anchored = lines.map(\.head.id).max() ?? last.head.id
        if end > anchored {
            return "rows \(anchored + 1) to \(end) are not in the anchor file \(path): they were written without Calltrail (or it stopped between writing and anchoring them: the next audit write anchors them)"
        }
        return nil
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
