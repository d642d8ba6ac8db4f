import Crypto
import Foundation
import GRDB

/// One row of the append-only, hash-chained `audit_log`: who pulled, verified, purged, held or
/// erased what, when, with what result.
public struct AuditEntry: Codable, Sendable, Equatable, CalltrailRecord, MutablePersistableRecord {
    public static let databaseTableName = "audit_log"

    public var id: Int64?
    public var at: Date
    public var osUser: String
    public var action: String
    /// JSON; a customer's number appears only as its keyed hash.
    public var filters: String
    public var count: Int
    public var manifestPath: String?
    public var manifestSha256: String?
    public var problems: Int
    /// JSON: what the action did (counts, rules, the case).
    public var detail: String?
    public var prevHash: String = AuditChain.genesis
    public var rowHash: String = ""

    public init(at: Date = Date(), osUser: String, action: String, filters: String, count: Int,
                manifestPath: String? = nil, manifestSha256: String? = nil, problems: Int = 0, detail: String? = nil) {
        self.at = at
        self.osUser = osUser
        self.action = action
        self.filters = filters
        self.count = count
        self.manifestPath = manifestPath
        self.manifestSha256 = manifestSha256
        self.problems = problems
        self.detail = detail
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// The audit log's hash chain: each row's hash is HMAC-SHA256, with the compliance key, over the
/// previous row's hash and the row's own fields (its id included, so rows cannot be swapped), each
/// written with its length so no two rows encode alike; it is stored as `hmac:<hex>`. Editing,
/// deleting or inserting a row breaks every hash after it, and a row written without the key does
/// not verify. Rows written before the chain was keyed (plain SHA-256, 64 hex digits) stay as they
/// are, verified as such, and only before the first keyed row. The head (last id and hash) goes into
/// the anchor file at every write and into each pull's manifest.
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)
    public static let keyedPrefix = "hmac:"

    /// The fields as hashed, after the previous row's hash.
    static func message(_ entry: AuditEntry, previous: String, version: String) -> Data {
        let fields: [String?] = [
            entry.id.map { String($0) }, String(Int64((entry.at.timeIntervalSince1970 * 1000).rounded())), entry.osUser, entry.action,
            entry.filters, String(entry.count), entry.manifestPath, entry.manifestSha256, String(entry.problems), entry.detail,
        ]
        var text = "\(version)\n\(previous)\n"
        for field in fields {
            if let field { text += "\(field.utf8.count):\(field)\n" } else { text += "-\n" }
        }
        return Data(text.utf8)
    }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 { bytes.map { String(format: "%02x", $0) }.joined() }

    /// The unkeyed hash of rows written before the chain was keyed (v11's migration chains them so).
    public static func hash(_ entry: AuditEntry, previous: String) -> String {
        hex(SHA256.hash(data: message(entry, previous: previous, version: "calltrail-audit-v1")))
    }

    /// The keyed hash every row gets since.
    public static func keyedHash(_ entry: AuditEntry, previous: String, key: SubjectKey) -> String {
        keyedPrefix + hex(HMAC<SHA256>.authenticationCode(for: message(entry, previous: previous, version: "calltrail-audit-v2"),
                                                          using: SymmetricKey(data: key.bytes)))
    }

    /// The last row's id and hash, or (0, genesis) for an empty log.
    public struct Head: Sendable, Equatable {
        public var id: Int64
        public var hash: String

        public init(id: Int64, hash: String) {
            self.id = id
            self.hash = hash
        }
    }

    static func head(_ db: Database) throws -> Head {
        guard let row = try Row.fetchOne(db, sql: "SELECT id, row_hash FROM audit_log ORDER BY id DESC LIMIT 1") else {
            return Head(id: 0, hash: genesis)
        }
        return Head(id: row["id"], hash: row["row_hash"])
    }

    /// The first row whose link or hash does not hold, with what is wrong; nil when the chain holds.
    /// Without `key` keyed rows are checked for their links only.
    public static func firstBreak(_ entries: [AuditEntry], key: SubjectKey?) -> (id: Int64, problem: String)? {
        var previous = genesis
        var keyedSeen = false
        for entry in entries {
            let id = entry.id ?? 0
            if entry.prevHash != previous {
                return (id, "its previous-row hash does not match the row before it: a row was removed, inserted or edited before it")
            }
            if entry.rowHash.hasPrefix(keyedPrefix) {
                keyedSeen = true
                if let key, keyedHash(entry, previous: previous, key: key) != entry.rowHash {
                    return (id, "its keyed hash does not match its fields: the row was edited, or written without the compliance key")
                }
            } else if keyedSeen {
                return (id, "it has no keyed hash after keyed rows: it was written without the compliance key")
            } else if hash(entry, previous: previous) != entry.rowHash {
                return (id, "its fields do not match its hash: the row was edited")
            }
            previous = entry.rowHash
        }
        return nil
    }
}

extension CallStore {
    /// Appends `entry` to the chain in one transaction, after the current head; returns it as stored.
    @discardableResult
    public func appendAudit(_ entry: AuditEntry) async throws -> AuditEntry {
        try await write { db in try Self.appendAudit(entry, db, audit: self.audit) }
    }

    /// The same, in the caller's transaction (an erase or purge writes its rows and its audit row at
    /// once). The row is keyed with `audit`'s key; once the transaction commits, the new head is
    /// appended to the anchor file (a failure there is printed: `audit verify` then names the rows
    /// the anchor lacks, and the next write anchors them).
    @discardableResult
    public static func appendAudit(_ entry: AuditEntry, _ db: Database, audit: AuditTrail?) throws -> AuditEntry {
        guard let audit else { throw AuditUnkeyed() }
        var entry = entry
        let head = try AuditChain.head(db)
        // Never chain on from a row this key did not write: a lost key replaced by a new one, or a forged
        // last row, would otherwise be sealed under rows that verify.
        if head.hash.hasPrefix(AuditChain.keyedPrefix), let last = try AuditEntry.fetchOne(db, key: head.id),
           AuditChain.keyedHash(last, previous: last.prevHash, key: audit.key) != head.hash {
            throw AuditKeyMismatch(row: head.id)
        }
        let next = max(head.id, try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'") ?? 0) + 1
        entry.id = next
        entry.prevHash = head.hash
        entry.rowHash = AuditChain.keyedHash(entry, previous: head.hash, key: audit.key)
        try entry.insert(db)
        let anchored = AuditChain.Head(id: next, hash: entry.rowHash)
        db.afterNextTransaction(onCommit: { _ in
            do {
                try audit.anchor.append(anchored)
            } catch {
                FileHandle.standardError.write(Data("calltrail: warning: \(error); `calltrail audit verify` will name row \(next) until the next audit write\n".utf8))
            }
        })
        return entry
    }

    public func auditLog() async throws -> [AuditEntry] {
        try await read { db in try AuditEntry.order(Column("id")).fetchAll(db) }
    }

    public func auditHead() async throws -> AuditChain.Head {
        try await read { db in try AuditChain.head(db) }
    }
}
