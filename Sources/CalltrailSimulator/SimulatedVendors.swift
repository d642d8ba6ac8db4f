extension Simulator {
    /// The vendors the simulator serves, in the order of `_simulator/stats`, the demo's sources and
    /// its summary. A fifth vendor is a folder beside these and a line here.
    static let vendorTypes: [any SimulatedVendor.Type] = [SimulatedUContact.self, SimulatedMeiqia.self, SimulatedCCAI.self, SimulatedVonage.self]
}
