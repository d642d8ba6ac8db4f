import Foundation

/// The faults a simulator run injects, switched on by name (`--faults rate-limit,server-errors` or `all`).
/// Each fires on a fixed schedule of request numbers, so a run is repeatable.
public struct FaultPlan: Sendable, Equatable {
    /// 429 with `Retry-After` on every 7th listing request (3rd, 10th, ...).
    public var rateLimit = false
    /// 500 on every 5th listing request (2nd, 7th, ...).
    public var serverErrors = false
    /// Every 9th listing request answers after `slowSeconds`.
    public var slowResponses = false
    /// Every session token expires after 6 listing requests.
    public var tokenExpiry = false
    /// New records appear inside the window being paged, before the page being read, in the first 3 windows paged past their first page.
    public var lateArrivals = false
    /// One record of the history carries an impossible `calldate`.
    public var malformedRecord = false

    public var retryAfterSeconds = 1
    public var slowSeconds = 2.0
    /// Listing requests after this many hang (for kill tests); nil: never.
    public var hangAfterRequests: Int?

    public init() {}

    public static let names = ["rate-limit", "server-errors", "slow", "token-expiry", "late-arrivals", "malformed"]

    public static var all: FaultPlan {
        var plan = FaultPlan()
        plan.rateLimit = true
        plan.serverErrors = true
        plan.slowResponses = true
        plan.tokenExpiry = true
        plan.lateArrivals = true
        plan.malformedRecord = true
        return plan
    }

    /// Parses a comma-separated list of `names`, or `all`, or `none`.
    public init(parsing text: String) throws {
        self.init()
        for raw in text.split(separator: ",") {
            let name = raw.trimmingCharacters(in: .whitespaces)
            switch name {
            case "all": self = .all
            case "none", "": break
            case "rate-limit": rateLimit = true
            case "server-errors": serverErrors = true
            case "slow": slowResponses = true
            case "token-expiry": tokenExpiry = true
            case "late-arrivals": lateArrivals = true
            case "malformed": malformedRecord = true
            default:
                throw FaultPlanError(name: name)
            }
        }
    }
}

public struct FaultPlanError: Error, CustomStringConvertible {
    public let name: String
    public var description: String {
        "--faults: '\(name)' is not a fault: use all, none or a list of \(FaultPlan.names.joined(separator: ", "))"
    }
}
