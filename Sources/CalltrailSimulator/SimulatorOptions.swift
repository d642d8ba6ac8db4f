import Foundation

/// What the simulator generates and how it misbehaves.
public struct SimulatorOptions: Sendable {
    public var seed: UInt64 = 20_260_301
    /// Days of history, ending at `end`.
    public var days = 3
    /// The history's end: by default the start of the current minute.
    public var end = Date(timeIntervalSince1970: floor(Date().timeIntervalSince1970 / 60) * 60)
    /// The server's time zone, in which uContact writes `calldate`.
    public var timeZone = TimeZone(identifier: "America/Montevideo")!
    /// Each vendor's own settings (its credentials) by `kind.key`, read and set through the properties
    /// its folder declares, which hold the defaults.
    var vendorSettings: [String: String] = [:]
    public var faults = FaultPlan()
    public var model = CallCenterModel.standard
    /// Milliseconds every response waits (jittered ±25 %): a real vendor's round trip.
    public var latencyMS = 0
    /// Requests in flight per API root beyond which the server answers 429 (nil: no limit).
    public var maxConcurrent: Int?

    public init() {}

    public var start: Date { end.addingTimeInterval(-Double(days) * 86_400) }
}
