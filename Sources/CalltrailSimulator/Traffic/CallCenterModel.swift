import Foundation

/// The contact center the simulator pretends to be: campaigns, agents, the daily arrival curve and
/// how long callers are willing to wait.
public struct CallCenterModel: Sendable {
    public struct Campaign: Sendable {
        public var name: String
        public var inbound: Bool
        /// Share of the center's inbound (or outbound) traffic.
        public var weight: Double
        public var agents: [String]
        public var did: String
    }

    public var campaigns: [Campaign]
    /// Inbound calls offered on an average weekday.
    public var inboundPerDay: Double
    public var outboundPerDay: Double
    /// Relative arrival rate for each hour of the day (0–23): quiet nights, a morning and an afternoon peak.
    public var hourlyCurve: [Double]
    /// Weekends get this share of a weekday's calls.
    public var weekendFactor: Double

    public static let standard = CallCenterModel(
        campaigns: [
            Campaign(name: "Soporte<-", inbound: true, weight: 0.5, agents: ["ana.perez", "bruno.diaz", "carla.gomez", "diego.suarez"], did: "26001000"),
            Campaign(name: "Ventas<-", inbound: true, weight: 0.3, agents: ["elena.rios", "fabian.cruz", "gabriela.paz"], did: "26002000"),
            Campaign(name: "Cobranzas<-", inbound: true, weight: 0.2, agents: ["hector.luna", "ines.vega"], did: "26003000"),
            Campaign(name: "Ventas->", inbound: false, weight: 0.7, agents: ["elena.rios", "fabian.cruz", "gabriela.paz"], did: "26002000"),
            Campaign(name: "Encuestas->", inbound: false, weight: 0.3, agents: ["julia.mora"], did: "26004000"),
        ],
        inboundPerDay: 900,
        outboundPerDay: 300,
        hourlyCurve: [0.05, 0.03, 0.02, 0.02, 0.03, 0.1, 0.3, 0.7, 1.2, 1.6, 1.7, 1.5, 1.0, 1.1, 1.5, 1.6, 1.4, 1.1, 0.8, 0.6, 0.4, 0.25, 0.15, 0.08],
        weekendFactor: 0.4
    )

    /// The same center `factor` times busier (benchmarks generate millions of calls with it).
    public func scaled(by factor: Double) -> CallCenterModel {
        var model = self
        model.inboundPerDay *= factor
        model.outboundPerDay *= factor
        return model
    }

    /// Mean wait in queue at a given relative load: short when quiet, long at the peaks.
    func meanWait(load: Double) -> Double { 3 + 22 * load * load }
}
