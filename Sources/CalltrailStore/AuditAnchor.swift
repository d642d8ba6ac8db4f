import CalltrailCore
import Foundation

/// The file outside the database that each audit write appends the chain's head to, one line a
/// write: `<id> <row hash> <ISO time>`. The database alone cannot show that its newest rows were
/// removed, or that it is yesterday's copy: the anchor still names the rows written since, and
/// `audit verify` checks the database against every line. Created 0600; only ever appended to.
public struct AuditAnchor: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public struct Line: Sendable, Equatable {
        public var head: AuditChain.Head
        public var at: String
        /// 1-based, for messages.
        public var number: Int
    }

    public struct Unwritable: Error, CustomStringConvertible {
        public let description: String
    }

    /// Checks that the file can be appended to (created 0600 when absent), so a command fails before
    /// it writes an audit row it could not anchor.
    public func checkWritable() throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw CalltrailError.configuration("the audit anchor \(path) cannot be written (\(String(cString: strerror(errno)))): fix its folder's permissions, or set [compliance] anchor_file")
        }
        // Only its owner writes it, whatever the umask or a copy left.
        fchmod(fd, 0o600)
        close(fd)
    }

    /// Appends the head and syncs it to disk.
    public func append(_ head: AuditChain.Head, at date: Date = Date()) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Unwritable(description: "the audit anchor \(path) cannot be opened: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let line = Array("\(head.id) \(head.hash) \(LocalDateTime.iso8601(date, in: TimeZone(identifier: "UTC")!))\n".utf8)
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(fd) == 0 else {
            throw Unwritable(description: "the audit anchor \(path) was not fully written: \(String(cString: strerror(errno)))")
        }
    }

    /// Every line, or nil when the file does not exist. A line that does not read is an error naming it.
    public func lines() throws -> [Line]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines: [Line] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            let fields = raw.split(separator: " ")
            guard fields.count >= 2, let id = Int64(fields[0]) else {
                throw Unwritable(description: "line \(index + 1) of the audit anchor \(path) is not `<id> <hash> <time>`: the file was edited")
            }
            lines.append(Line(head: AuditChain.Head(id: id, hash: String(fields[1])), at: fields.count > 2 ? String(fields[2]) : "", number: index + 1))
        }
        return lines
    }
}

/// What keys and anchors the audit log: the compliance key (HMAC-SHA256 of each row) and the anchor
/// file. A store opened without it cannot write audit rows.
public struct AuditTrail: Sendable {
    public let key: SubjectKey
    public let anchor: AuditAnchor

    public init(key: SubjectKey, anchor: AuditAnchor) {
        self.key = key
        self.anchor = anchor
    }

    /// `[compliance] key_file` (created 0600 on first use) and `anchor_file` (default beside the
    /// database), each checked before anything is written.
    public init(configuration: Configuration) throws {
        do {
            key = try SubjectKey.load(path: configuration.compliance.keyFile)
        } catch let error as SubjectKeyError {
            throw CalltrailError.configuration(error.message)
        }
        anchor = AuditAnchor(path: configuration.auditAnchorPath)
        try anchor.checkWritable()
    }
}

public struct AuditKeyMismatch: Error, CustomStringConvertible {
    public let row: Int64
    public var description: String {
        "audit_log row \(row), the last, was not written with this compliance key: restore [compliance] key_file from backup (or run `calltrail audit verify`: the row may be forged); nothing was written"
    }
}

public struct AuditUnkeyed: Error, CustomStringConvertible {
    public var description: String {
        "an audit row needs the compliance key: open the store with its AuditTrail ([compliance] key_file)"
    }
}
