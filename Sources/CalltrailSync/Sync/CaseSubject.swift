import CalltrailCore

/// Whose calls a case sync reads: a customer's number, an agent, or both (both must match).
public struct CaseSubject: Sendable, Equatable, CustomStringConvertible {
    public var number: String?
    public var agent: String?

    public init(number: String? = nil, agent: String? = nil) {
        precondition(number != nil || agent != nil, "a case names a number or an agent")
        self.number = number
        self.agent = agent
    }

    public var description: String {
        [number.map { "number \($0)" }, agent.map { "agent \($0)" }].compactMap { $0 }.joined(separator: " and ")
    }
}

/// How a case sync reads one source: the source's configuration with the vendor's own filters set
/// for the subject, one per pass (uContact needs one pass per direction), or the whole period when
/// the vendor's listing has no such filter.
public enum CaseListing: Sendable {
    case filtered([SourceConfiguration])
    case wholePeriod(reason: String)
}
