import Foundation
import Hummingbird

/// Vonage in the simulator: its own center's history on London's clock, the OAuth, statistics and
/// Interaction Content APIs (which serve its recordings).
struct SimulatedVonage: SimulatedVendor {
    let backend: VonageBackend
    let generatedCalls: Int
    let kind = "vonage"
    let name = "Vonage"

    init(options: SimulatorOptions) {
        let history = TrafficGenerator(model: .vonage, seed: options.seed ^ 0x564F_4E47)
            .calls(from: options.start, to: options.end, timeZone: TimeZone(identifier: "Europe/London")!)
        generatedCalls = history.count
        backend = VonageBackend(calls: history, clientID: options.vonageClientID, clientSecret: options.vonageClientSecret,
                                faults: options.faults, seed: options.seed)
    }


    func register(on router: Router<BasicRequestContext>, recordings: RecordingServer) {
        VonageRoutes(backend: backend).register(on: router)
    }

    func demoSource(options: SimulatorOptions, baseURL: String) -> DemoSource {
        backend.demoSource(options: options, generated: generatedCalls)
    }
}

extension VonageBackend: SimulatedBackend {}

extension Simulator {
    public var vonage: VonageBackend { vendor(SimulatedVonage.self).backend }
    /// Calls in Vonage's generated history.
    public var vonageCalls: Int { vendor(SimulatedVonage.self).generatedCalls }
}

extension SimulatorOptions {
    /// Vonage's OAuth client.
    public var vonageClientID: String {
        get { vendorSettings["vonage.clientID"] ?? "demo-vonage-client" }
        set { vendorSettings["vonage.clientID"] = newValue }
    }

    public var vonageClientSecret: String {
        get { vendorSettings["vonage.clientSecret"] ?? "demo-vonage-secret" }
        set { vendorSettings["vonage.clientSecret"] = newValue }
    }
}

extension CallCenterModel {
    /// The Vonage Contact Center side: services as queues, agents by id.
    public static let vonage = CallCenterModel(
        campaigns: [
            Campaign(name: "Sales Line", inbound: true, weight: 0.5, agents: ["agent-101", "agent-102"], did: "+44 20 7946 0100"),
            Campaign(name: "Service Desk", inbound: true, weight: 0.5, agents: ["agent-103", "agent-104"], did: "+44 20 7946 0200"),
            Campaign(name: "Outbound Sales", inbound: false, weight: 1, agents: ["agent-101"], did: "+44 20 7946 0100"),
        ],
        inboundPerDay: 250,
        outboundPerDay: 50,
        hourlyCurve: standard.hourlyCurve,
        weekendFactor: 0.3
    )
}
