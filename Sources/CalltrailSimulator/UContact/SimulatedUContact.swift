import CalltrailCore
import Foundation
import Hummingbird

/// uContact in the simulator: `options.model`'s history in the server's zone, the Integra API and its
/// `Supervisor/convert`, and the recordings on the telephony and backup servers.
struct SimulatedUContact: SimulatedVendor {
    let backend: UContactBackend
    let calls: [SimulatedCall]
    let timeZone: TimeZone
    let kind = "ucontact"
    let name = "uContact"

    init(options: SimulatorOptions) {
        calls = TrafficGenerator(model: options.model, seed: options.seed)
            .calls(from: options.start, to: options.end, timeZone: options.timeZone)
        timeZone = options.timeZone
        backend = UContactBackend(calls: calls, timeZone: options.timeZone, user: options.user,
                                  password: options.password, faults: options.faults, seed: options.seed, now: options.end)
    }

    var generatedCalls: Int { calls.count }
    var placedRecordings: (calls: [SimulatedCall], timeZone: TimeZone)? { (calls, timeZone) }

    func register(on router: Router<BasicRequestContext>, recordings: RecordingServer) {
        UContactRoutes(backend: backend, recordings: recordings).register(on: router)
    }

    func demoSource(options: SimulatorOptions, baseURL: String) -> DemoSource {
        backend.demoSource(options: options, baseURL: baseURL, generated: generatedCalls)
    }

    func banner(options: SimulatorOptions) -> [String] {
        ["ucontact: \(generatedCalls) calls from \(LocalDateTime(options.start, in: options.timeZone)) to \(LocalDateTime(options.end, in: options.timeZone)) (\(options.timeZone.identifier))",
         "user \(options.user), password \(options.password) (the simulator's own, not a secret)"]
    }
}

extension UContactBackend: SimulatedBackend {}

extension Simulator {
    public var ucontact: UContactBackend { vendor(SimulatedUContact.self).backend }
    /// Calls in uContact's generated history (late arrivals come on top, see `UContactBackend.recordCount`).
    public var generatedCalls: Int { vendor(SimulatedUContact.self).generatedCalls }
}

extension SimulatorOptions {
    /// uContact's supervisor login.
    public var user: String {
        get { vendorSettings["ucontact.user"] ?? "supervisor" }
        set { vendorSettings["ucontact.user"] = newValue }
    }

    public var password: String {
        get { vendorSettings["ucontact.password"] ?? "demo-password" }
        set { vendorSettings["ucontact.password"] = newValue }
    }
}
