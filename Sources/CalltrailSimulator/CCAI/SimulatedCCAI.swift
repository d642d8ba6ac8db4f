import Foundation
import Hummingbird

/// CCAI Platform in the simulator: its own center's history on New York's clock, the calls API, and
/// the recordings its calls link to as MP3 files at `recordingRoot`.
struct SimulatedCCAI: SimulatedVendor {
    static let recordingRoot = "ccai/recordings"
    let backend: CCAIBackend
    let generatedCalls: Int
    let kind = "ccai"
    let name = "CCAI"

    init(options: SimulatorOptions) {
        let history = TrafficGenerator(model: .ccai, seed: options.seed ^ 0x4343_4149)
            .calls(from: options.start, to: options.end, timeZone: TimeZone(identifier: "America/New_York")!)
        generatedCalls = history.count
        backend = CCAIBackend(calls: history, companyKey: options.ccaiCompanyKey, token: options.ccaiToken, faults: options.faults)
    }


    func register(on router: Router<BasicRequestContext>, recordings: RecordingServer) {
        CCAIRoutes(backend: backend).register(on: router)
        RecordingRoutes(server: recordings).registerFiles(at: Self.recordingRoot, on: router)
    }

    /// The calls' `recording_url`s point at this server; each recorded call's file is a clip by its id.
    func started(baseURL: String, recordings: RecordingServer) async {
        await backend.setRecordingBase("\(baseURL)/\(Self.recordingRoot)")
        let files = Dictionary(await backend.recordedIDs.map { (String($0), $0 % 12) }, uniquingKeysWith: { first, _ in first })
        await recordings.serveFiles(files, at: Self.recordingRoot)
    }

    func demoSource(options: SimulatorOptions, baseURL: String) -> DemoSource {
        backend.demoSource(options: options)
    }
}

extension CCAIBackend: SimulatedBackend {}

extension Simulator {
    public var ccai: CCAIBackend { vendor(SimulatedCCAI.self).backend }
    /// Calls in CCAI's generated history (recovered callbacks come on top).
    public var ccaiCalls: Int { vendor(SimulatedCCAI.self).generatedCalls }
}

extension SimulatorOptions {
    /// CCAI Platform's HTTP Basic pair: company key and API token.
    public var ccaiCompanyKey: String {
        get { vendorSettings["ccai.companyKey"] ?? "demo-company" }
        set { vendorSettings["ccai.companyKey"] = newValue }
    }

    public var ccaiToken: String {
        get { vendorSettings["ccai.token"] ?? "demo-ccai-token" }
        set { vendorSettings["ccai.token"] = newValue }
    }
}

extension CallCenterModel {
    /// The CCAI Platform side: menus as queues, agents by name.
    public static let ccai = CallCenterModel(
        campaigns: [
            Campaign(name: "Billing", inbound: true, weight: 0.5, agents: ["Avery Chen", "Jordan Blake"], did: "+1 339-219-5276"),
            Campaign(name: "Tech Support", inbound: true, weight: 0.5, agents: ["Sam Rivera", "Riley Park", "Admin UJET"], did: "+1 339-219-5277"),
            Campaign(name: "Renewals", inbound: false, weight: 1, agents: ["Jordan Blake"], did: "+1 339-219-5276"),
        ],
        inboundPerDay: 250,
        outboundPerDay: 60,
        hourlyCurve: standard.hourlyCurve,
        weekendFactor: 0.3
    )
}
