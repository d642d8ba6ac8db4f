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

    public init(from: Date? = nil, to: Date? = nil, callIDs: [String] = [], number: String? = nil, agent: String? = nil, source: String? = nil) {
        self.from = from
        self.to = to
        self.callIDs = callIDs
        self.number = number
        self.agent = agent
        self.source = source
    }

    /// A WHERE clause over `calls` aliased `c`, with its arguments.
    func sql() -> (String, StatementArguments) {
        var clauses = ["1 = 1"]
        var arguments = StatementArguments()
        if let from { clauses.append("c.started_at >= ?"); arguments += [from.timeIntervalSince1970] }
        if let to { clauses.append("c.started_at < ?"); arguments += [to.timeIntervalSince1970] }
        if !callIDs.isEmpty {
            clauses.append("c.call_id IN (\(callIDs.map { _ in "?" }.joined(separator: ", ")))")
            arguments += StatementArguments(callIDs)
        }
        if let digits = number.map({ String($0.filter(\.isNumber)) }), !digits.isEmpty {
            let stored = "replace(replace(replace(replace(replace(replace(c.customer_number, '+', ''), ' ', ''), '-', ''), '.', ''), '(', ''), ')', '')"
            clauses.append("(\(stored) = ? OR (length(?) >= 6 AND \(stored) LIKE '%' || ?) OR (length(\(stored)) >= 6 AND ? LIKE '%' || \(stored)))")
            arguments += [digits, digits, digits, digits]
        }
        if let agent { clauses.append("c.agent = ?"); arguments += [agent] }
        if let source { clauses.append("c.source = ?"); arguments += [source] }
        return (clauses.joined(separator: " AND "), arguments)
    }
}
