import Foundation
import Hummingbird

/// One vendor the simulator serves, in the vendor's folder: its generated history and backend, its
/// API's routes, its recordings on the shared recording server and its part of the demo.
/// `Simulator.vendorTypes` lists them; nothing else in the simulator asks which vendor it serves.
protocol SimulatedVendor: Sendable {
    associatedtype Backend: SimulatedBackend
    /// The server of its API.
    var backend: Backend { get }
    /// Generates the vendor's history from `options` and the backend that serves it.
    init(options: SimulatorOptions)
    /// Its demo source's `kind`, also the key of its figures in `_simulator/stats`.
    var kind: String { get }
    /// Its name for people, in the demo's summary.
    var name: String { get }
    /// Calls in its generated history.
    var generatedCalls: Int { get }
    /// Recordings `RecordingPlacement` puts on the telephony and backup servers, in the zone whose days
    /// name their folders.
    var placedRecordings: (calls: [SimulatedCall], timeZone: TimeZone)? { get }
    func register(on router: Router<BasicRequestContext>, recordings: RecordingServer)
    /// Once the server listens at `baseURL`, before any request: what depends on its address.
    func started(baseURL: String, recordings: RecordingServer) async
    func demoSource(options: SimulatorOptions, baseURL: String) -> DemoSource
    /// The lines `calltrail simulate` prints of it.
    func banner(options: SimulatorOptions) -> [String]
}

extension SimulatedVendor {
    var placedRecordings: (calls: [SimulatedCall], timeZone: TimeZone)? { nil }
    func started(baseURL: String, recordings: RecordingServer) async {}
    func banner(options: SimulatorOptions) -> [String] { [] }
}

/// A simulated vendor's API server: the records it serves (late arrivals included) and the malformed
/// ones among them, for `_simulator/stats` and the demo's check.
protocol SimulatedBackend: Actor {
    var recordCount: Int { get }
    var undecodable: Int { get }
}
