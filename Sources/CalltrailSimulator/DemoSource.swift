import CalltrailCore
import Foundation

/// One vendor's part of `calltrail demo`: the `[[source]]` keys that point Calltrail at this
/// simulator's vendor, its secret (written to a 0600 file), and what the vendor served, to check the
/// database against. Each vendor folder makes its own; `Simulator.demoSources` lists them in the
/// registry's order.
public struct DemoSource: Sendable {
    /// A value of a `[[source]]` key.
    public enum Value: Sendable, Equatable {
        case text(String)
        case integer(Int)
        case number(Double)
    }

    /// What the vendor served: records (late arrivals included), malformed ones, and the calls it generated.
    public struct Served: Sendable {
        public var records: Int
        public var undecodable: Int
        public var generated: Int
    }

    public var kind: String
    public var secret: String
    /// The table's keys beside `kind`, `base_url` and `password_file`, in the order written.
    public var keys: [(String, Value)]
    public var served: @Sendable () async -> Served
}

extension Simulator {
    /// Every vendor's demo source, for a simulator answering at `baseURL`.
    public func demoSources(baseURL: String) -> [DemoSource] {
        vendors.map { $0.demoSource(options: options, baseURL: baseURL) }
    }

    /// The keys every demo source shares: its first run starts where the history starts, windows end
    /// now, and retries come fast.
    static func demoCommon(since: Date, in zone: TimeZone) -> [(String, DemoSource.Value)] {
        [("since", .text(LocalDateTime(since, in: zone).description)), ("settle_minutes", .integer(0)), ("retry_base_seconds", .number(0.125))]
    }
}
