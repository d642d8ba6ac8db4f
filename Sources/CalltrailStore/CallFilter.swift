import Foundation
import GRDB

/// Which calls a recordings command works on: every given filter must hold.
public struct CallFilter: Sendable, Equatable, Codable {
    public var from: Date?
    public var to: Date?
    public var callIDs: [String]
    /// The customer's number, compared on digits only, either side may lack a prefix
    /// (`+1 555 0100` matches `15550100` and `5550100`).
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
        if let digits = number.map(NumberMatch.digits), !digits.isEmpty {
            clauses.append(NumberMatch.sql(stored: "c.customer_number", given: "?"))
            arguments += [digits, digits, digits, digits]
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

/// How a given number matches a stored one: on digits only, and either side may lack a prefix
/// (`+1 555 0100` matches `15550100` and `5550100`), once it has six digits.
public enum NumberMatch {
    public static func digits(_ number: String) -> String { String(number.filter(\.isNumber)) }

    /// A SQL condition over the stored column and an expression that is already digits only (`?`,
    /// used four times, or a column).
    public static func sql(stored column: String, given: String) -> String {
        let stored = "replace(replace(replace(replace(replace(replace(\(column), '+', ''), ' ', ''), '-', ''), '.', ''), '(', ''), ')', '')"
        return "(\(stored) = \(given) OR (length(\(given)) >= 6 AND \(stored) LIKE '%' || \(given)) OR (length(\(stored)) >= 6 AND \(given) LIKE '%' || \(stored)))"
    }

    /// The condition with the given digits bound four times (`?`).
    public static func sqlCondition(stored column: String) -> String { sql(stored: column, given: "?") }
}
