import Foundation
import GRDB

/// Which calls a recordings command works on: every given filter must hold.
public struct CallFilter: Sendable, Equatable, Codable {
    public var from: Date?
    public var to: Date?
    public var callIDs: [String]
    /// The customer's number in E.164 (NumberPlan.normalize(given:)), matched exactly against each
    /// call's `customer_e164` (CallStore.normalizeNumbers fills it first).
    public var number: String?
    public var agent: String?
    public var source: String?
    /// The calls a legal hold of this case covers now (its active criteria, any of them).
    public var caseID: String?

    public init(from: Date? = nil, to: Date? = nil, callIDs: [String] = [], number: String? = nil, agent: String? = nil, source: String? = nil,
                caseID: String? = nil) {
        self.from = from
        self.to = to
        self.callIDs = callIDs
        self.number = number
        self.agent = agent
        self.source = source
        self.caseID = caseID
    }

    /// A WHERE clause over `calls` aliased `c`, with its arguments.
    public func sql() -> (String, StatementArguments) {
        var clauses = ["1 = 1"]
        var arguments = StatementArguments()
        if let from { clauses.append("c.started_at >= ?"); arguments += [from.timeIntervalSince1970] }
        if let to { clauses.append("c.started_at < ?"); arguments += [to.timeIntervalSince1970] }
        if !callIDs.isEmpty {
            clauses.append("c.call_id IN (\(callIDs.map { _ in "?" }.joined(separator: ", ")))")
            arguments += StatementArguments(callIDs)
        }
        if let number {
            clauses.append(CustomerNumber.sqlMatch("c", "?"))
            arguments += [number]
        }
        if let agent { clauses.append("c.agent = ?"); arguments += [agent] }
        if let source { clauses.append("c.source = ?"); arguments += [source] }
        if let caseID {
            clauses.append("EXISTS (SELECT 1 FROM legal_holds h WHERE h.case_id = ? AND h.released_at IS NULL AND \(LegalHold.covers("c")))")
            arguments += [caseID]
        }
        return (clauses.joined(separator: " AND "), arguments)
    }
}
