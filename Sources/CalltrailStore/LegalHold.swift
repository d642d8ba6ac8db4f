import Foundation
import GRDB

/// One criterion of a case's legal hold: a customer's number, an agent, a call, or a period. What
/// it covers is decided when purge or erase runs, so calls synced after the hold are covered too.
public struct LegalHold: Codable, Sendable, Equatable, CalltrailRecord, MutablePersistableRecord {
    public static let databaseTableName = "legal_holds"

    public var id: Int64?
    public var caseId: String
    /// The number as given, and its E.164 form, which is what is matched.
    public var number: String?
    public var numberE164: String?
    /// The given number's digits (the table's CHECK names a number criterion by it).
    public var numberDigits: String?
    public var agent: String?
    public var callId: String?
    public var fromAt: Date?
    public var toAt: Date?
    public var reason: String
    public var createdAt: Date
    public var createdBy: String
    public var releasedAt: Date?
    public var releasedBy: String?

    /// `number`: as given; `numberE164`: its E.164 form (NumberPlan.normalize(given:)).
    public init(caseId: String, number: String? = nil, numberE164: String? = nil, agent: String? = nil, callId: String? = nil, fromAt: Date? = nil, toAt: Date? = nil,
                reason: String, createdAt: Date = Date(), createdBy: String) {
        self.caseId = caseId
        self.number = number
        self.numberE164 = numberE164
        self.numberDigits = number.map { String($0.filter(\.isNumber)) }
        self.agent = agent
        self.callId = callId
        self.fromAt = fromAt
        self.toAt = toAt
        self.reason = reason
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// What the criterion names, for `hold list` and the audit log (a number as given).
    public var criterion: String {
        if let number { return numberE164 == "" ? "number \(number) (no number under [compliance]: it holds no call)" : "number \(number)" }
        if let agent { return "agent \(agent)" }
        if let callId { return "call \(callId)" }
        let from = fromAt.map { "\($0)" } ?? "…", to = toAt.map { "\($0)" } ?? "…"
        return "period \(from) – \(to)"
    }

    /// The criterion as the audit log keeps it: JSON with sorted keys, a number only as its keyed hash.
    func auditFilters(key: SubjectKey?) -> String {
        var filters: [String: String] = ["case": caseId]
        if let number { filters["number"] = key?.hash(number: number) ?? "(number)" }
        if let agent { filters["agent"] = agent }
        if let callId { filters["call"] = callId }
        if let fromAt, let toAt { (filters["from"], filters["to"]) = ("\(fromAt)", "\(toAt)") }
        return Self.json(filters)
    }

    static func json(_ values: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: values, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// A SQL condition: hold row `h` covers call `alias`.
    public static func covers(_ alias: String) -> String {
        """
        ((h.number_e164 <> '' AND \(CustomerNumber.sqlMatch(alias, "h.number_e164")))
         OR (h.agent IS NOT NULL AND \(alias).agent = h.agent)
         OR (h.call_id IS NOT NULL AND \(alias).call_id = h.call_id)
         OR (h.from_at IS NOT NULL AND \(alias).started_at >= h.from_at AND \(alias).started_at < h.to_at))
        """
    }

    /// A SQL condition: call `alias` is under an active hold of any case.
    public static func held(_ alias: String) -> String {
        "EXISTS (SELECT 1 FROM legal_holds h WHERE h.released_at IS NULL AND \(covers(alias)))"
    }
}

/// A case's hold as `hold list` shows it: its criteria and what they cover now.
public struct HeldCase: Sendable, Equatable {
    public var caseID: String
    public var holds: [LegalHold]
    public var calls: Int
    public var recordings: Int
    public var active: Bool { holds.contains { $0.releasedAt == nil } }
}

extension CallStore {
    /// Adds a criterion to a case and its audit row (the criterion, the number only as its keyed
    /// hash, and the reason), in one transaction.
    public func addHold(_ hold: LegalHold, key: SubjectKey?) async throws -> LegalHold {
        try await write { db in
            var hold = hold
            try hold.insert(db)
            try Self.appendAudit(AuditEntry(at: hold.createdAt, osUser: hold.createdBy, action: "hold add", filters: hold.auditFilters(key: key),
                                            count: 1, detail: LegalHold.json(["reason": hold.reason])), db, audit: self.audit)
            return hold
        }
    }

    /// Releases every active criterion of a case, with its audit row; returns how many were
    /// released (0: no such active case, and no audit row).
    public func releaseHold(caseID: String, by user: String) async throws -> Int {
        try await write { db in
            try db.execute(sql: "UPDATE legal_holds SET released_at = ?, released_by = ? WHERE case_id = ? AND released_at IS NULL",
                           arguments: [Date().timeIntervalSince1970, user, caseID])
            let released = db.changesCount
            if released > 0 {
                try Self.appendAudit(AuditEntry(osUser: user, action: "hold release", filters: LegalHold.json(["case": caseID]), count: released), db, audit: self.audit)
            }
            return released
        }
    }

    /// A released hold on this number (an erasure) keeps its case and dates, the number only as its keyed hash.
    public static func forgetReleasedHolds(e164: String, subjectHash: String, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE legal_holds SET number = ?, number_digits = NULL, number_e164 = NULL
            WHERE released_at IS NOT NULL AND number_e164 = ?
            """, arguments: [subjectHash, e164])
    }

    /// Every case, active ones first, with the calls and stored recordings its active criteria cover.
    public func heldCases(includeReleased: Bool = true) async throws -> [HeldCase] {
        try await read { db in
            let holds = try LegalHold.order(Column("case_id"), Column("id")).fetchAll(db)
            var cases: [HeldCase] = []
            for (caseID, criteria) in Dictionary(grouping: holds, by: \.caseId).sorted(by: { $0.key < $1.key }) {
                let covered = "EXISTS (SELECT 1 FROM legal_holds h WHERE h.case_id = ? AND h.released_at IS NULL AND \(LegalHold.covers("c")))"
                let calls = try Int.fetchOne(db, sql: "SELECT count(*) FROM calls c WHERE \(covered)", arguments: [caseID]) ?? 0
                let recordings = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM calls c JOIN recordings r USING (source, call_id)
                    WHERE r.state IN ('found', 'converted') AND \(covered)
                    """, arguments: [caseID]) ?? 0
                let heldCase = HeldCase(caseID: caseID, holds: criteria, calls: calls, recordings: recordings)
                if includeReleased || heldCase.active { cases.append(heldCase) }
            }
            return cases.sorted { ($0.active ? 0 : 1, $0.caseID) < ($1.active ? 0 : 1, $1.caseID) }
        }
    }
}
