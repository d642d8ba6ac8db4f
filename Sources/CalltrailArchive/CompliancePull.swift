import CalltrailCore
import CalltrailStore
import Foundation

/// `recordings pull`: copies the matching recordings into a folder with `manifest.csv` (one row per
/// file with its sha256, and the audit chain's head so a party outside can anchor the log),
/// `SHA256SUMS` (every file and the manifest, as `sha256sum -c` reads it) and `AUDIT-HEAD` (the
/// pull's own audit row: its id and keyed hash), and appends who pulled what to the audit log. The
/// folder checks itself on any machine: `sha256sum -c SHA256SUMS`, or `calltrail audit verify --folder`.
public struct CompliancePull: Sendable {
    public let store: CallStore
    public let archive: RecordingArchive
    /// Hashes a customer's number in the audit row; nil keeps it out of the row altogether.
    public let key: SubjectKey?

    public init(store: CallStore, archive: RecordingArchive, key: SubjectKey?) {
        self.store = store
        self.archive = archive
        self.key = key
    }

    public static let sumsName = "SHA256SUMS"
    public static let headName = "AUDIT-HEAD"

    public struct Result: Sendable {
        public var files: Int
        public var bytes: Int
        public var manifest: URL
        public var manifestSHA256: String
    }

    public struct Mismatch: Error, CustomStringConvertible {
        public let file: String
        public var description: String {
            "\(file) no longer matches the sha256 in the ledger: nothing was pulled; run `calltrail recordings verify`"
        }
    }

    public func pull(_ filter: CallFilter, into folder: URL, user: String = OSUser.name) async throws -> Result {
        let recordings = try await store.storedRecordings(filter)
        let head = try await store.auditHead()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        // A case folder is 0750 even when it existed before, or the umask widened it.
        try FileManager.default.setAttributes([.posixPermissions: 0o750], ofItemAtPath: folder.path)
        var rows: [[String?]] = []
        var sums: [(name: String, sha256: String)] = []
        var bytes = 0
        for recording in recordings {
            let entry = recording.entry
            guard let path = entry.path else { continue }
            let source = archive.root.appendingPathComponent(path)
            let name = source.lastPathComponent
            let target = folder.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: source, to: target)
            try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: target.path)
            // The copy is hashed, not the original: the manifest vouches for what was handed over.
            let hash = try FileHash.sha256(of: target)
            guard hash == entry.sha256 else {
                try? FileManager.default.removeItem(at: target)
                throw Mismatch(file: path)
            }
            let size = (try FileManager.default.attributesOfItem(atPath: target.path)[.size] as? NSNumber)?.intValue ?? 0
            bytes += size
            sums.append((name, hash))
            rows.append([
                entry.callId, entry.source, LocalDateTime.iso8601(recording.startedAt, in: archive.timeZone), recording.agent,
                recording.customerNumber, recording.durationS.map { String(format: "%.1f", $0) }, name, String(size), hash,
                entry.location, entry.state == .converted ? "yes" : "no",
                entry.originUrl, entry.originBytes.map(String.init), entry.originSha256, entry.note,
                String(head.id), head.hash,
            ])
        }
        let manifest = folder.appendingPathComponent("manifest.csv")
        let text = CSV.render(header: ["call_id", "source", "start_time", "agent", "customer_number", "duration_s", "file",
                                       "bytes", "sha256", "origin_location", "converted",
                                       "origin_url", "origin_bytes", "origin_sha256", "note",
                                       "audit_head_id", "audit_head_sha256"], rows: rows)
        try DurableFile.write(Data(text.utf8), to: manifest, permissions: 0o640)
        let manifestHash = try FileHash.sha256(of: manifest)
        sums.append((manifest.lastPathComponent, manifestHash))
        let sumsText = sums.map { "\($0.sha256)  \($0.name)\n" }.joined()
        try DurableFile.write(Data(sumsText.utf8), to: folder.appendingPathComponent(Self.sumsName), permissions: 0o640)
        let row = try await store.appendAudit(AuditEntry(osUser: user, action: "pull", filters: filter.auditJSON(key: key), count: rows.count,
                                                         manifestPath: manifest.path, manifestSha256: manifestHash))
        try DurableFile.write(Data("audit_log row \(row.id ?? 0) \(row.rowHash) manifest.csv sha256 \(manifestHash)\n".utf8),
                              to: folder.appendingPathComponent(Self.headName), permissions: 0o640)
        return Result(files: rows.count, bytes: bytes, manifest: manifest, manifestSHA256: manifestHash)
    }
}
