import Foundation

/// One interval of the Erlang C staffing view.
public struct StaffingRow: Sendable, Equatable {
    public var interval: String
    public var offered: Int
    public var aht: Double?
    public var load: Double
    public var agents: Int
    public var serviceLevel: Double?

    /// From `by_interval`: the interval's offered calls and AHT give the load and the agents needed.
    public static func rows(byInterval data: Dataset, parameters: ReportParameters) -> [StaffingRow] {
        let seconds = Double(parameters.interval * 60)
        return data.rows.indices.map { row in
            let offered = Int(data.value("offered", row: row) ?? "0") ?? 0
            let aht = data.number("aht_s", row: row)
            guard let aht, offered > 0, aht > 0 else {
                return StaffingRow(interval: data.value("interval_start", row: row) ?? "", offered: offered, aht: aht, load: 0, agents: 0, serviceLevel: nil)
            }
            let load = Double(offered) / seconds * aht
            let agents = ErlangC.agentsNeeded(calls: Double(offered), intervalSeconds: seconds, aht: aht,
                                              threshold: parameters.threshold, target: parameters.target)
            return StaffingRow(interval: data.value("interval_start", row: row) ?? "", offered: offered, aht: aht, load: load, agents: agents,
                               serviceLevel: ErlangC.serviceLevel(agents: agents, load: load, aht: aht, threshold: parameters.threshold))
        }
    }
}
