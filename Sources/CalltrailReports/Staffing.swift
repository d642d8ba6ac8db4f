import Foundation

/// One interval of the Erlang C staffing view.
public struct StaffingRow: Sendable, Equatable {
    public var interval: String
    public var offered: Int
    public var aht: Double?
    public var load: Double
    public var agents: Int
    public var serviceLevel: Double?

    /// Each interval's offered calls and exact AHT give the load and the agents needed.
    public static func rows(_ intervals: [ReportFigures.Interval], parameters: ReportParameters) -> [StaffingRow] {
        let seconds = Double(parameters.interval * 60)
        return intervals.map { interval in
            guard let aht = interval.aht, interval.offered > 0, aht > 0 else {
                return StaffingRow(interval: interval.start, offered: interval.offered, aht: interval.aht, load: 0, agents: 0, serviceLevel: nil)
            }
            let load = Double(interval.offered) / seconds * aht
            let agents = ErlangC.agentsNeeded(calls: Double(interval.offered), intervalSeconds: seconds, aht: aht,
                                              threshold: parameters.threshold, target: parameters.target)
            return StaffingRow(interval: interval.start, offered: interval.offered, aht: aht, load: load, agents: agents,
                               serviceLevel: ErlangC.serviceLevel(agents: agents, load: load, aht: aht, threshold: parameters.threshold))
        }
    }
}
