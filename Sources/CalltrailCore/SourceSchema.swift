import Foundation

/// A vendor's own `[[source]]` options (uContact's recording servers, Meiqia's page base, …),
/// decoded by its platform and read back only by it.
public protocol SourceOptions: Sendable {}

/// No options beyond the common ones.
public struct NoSourceOptions: SourceOptions {
    public init() {}
}

/// What the configuration needs to know of a vendor to read its `[[source]]` tables: its kind, the
/// defaults and bounds of the common keys, and its own keys. Each vendor platform provides one; the
/// configuration knows no vendor by name.
public protocol SourceSchema: Sendable {
    /// The `kind` value, also the default `name`.
    var kind: String { get }
    /// Whether the source logs in with a user name beside its secret.
    var needsUser: Bool { get }
    /// The secret's name in the suggested variable: `CALLTRAIL_<NAME>_<SECRET>`.
    var secretName: String { get }
    var windowHours: (default: Int, range: ClosedRange<Int>) { get }
    var pageSize: (default: Int, range: ClosedRange<Int>) { get }
    /// How many windows a source reads at once (`concurrency`): the default and the bound, from the
    /// vendor's documented limits (docs/VENDORS.md says each and why).
    var concurrency: (default: Int, range: ClosedRange<Int>) { get }
    /// The vendor's documented rate of requests, which `max_requests_per_second` may only lower; nil
    /// when the vendor documents none.
    var maxRequestsPerSecond: Double? { get }
    /// The keys the vendor reads beside the common ones; any other key is refused.
    var optionKeys: [String] { get }
    /// The vendor's options from its table (only `optionKeys` are read).
    func options(_ reader: TableReader) throws -> any SourceOptions
}

extension SourceSchema {
    public var needsUser: Bool { true }
    public var secretName: String { "PASSWORD" }
    public var windowHours: (default: Int, range: ClosedRange<Int>) { (24, 1...744) }
    public var pageSize: (default: Int, range: ClosedRange<Int>) { (50, 1...1000) }
    public var concurrency: (default: Int, range: ClosedRange<Int>) { (4, 1...32) }
    public var maxRequestsPerSecond: Double? { nil }
    public var optionKeys: [String] { [] }
    public func options(_ reader: TableReader) throws -> any SourceOptions { NoSourceOptions() }
}
