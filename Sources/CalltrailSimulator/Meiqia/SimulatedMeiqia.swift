import Foundation
import Hummingbird

/// Meiqia in the simulator: its own center's history on Shanghai's clock, the unified API, and its
/// recordings as MP3 files at `recordingRoot`.
struct SimulatedMeiqia: SimulatedVendor {
    static let recordingRoot = "meiqia/records"
    let backend: MeiqiaBackend
    let generatedCalls: Int
    /// Its recordings by call uuid, each with its clip: one in twenty-five is missing (404).
    let files: [String: Int]
    let kind = "meiqia"
    let name = "Meiqia"

    init(options: SimulatorOptions) {
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        let history = TrafficGenerator(model: .meiqia, seed: options.seed ^ 0x4D45_4951)
            .calls(from: options.start, to: options.end, timeZone: shanghai)
        generatedCalls = history.count
        var files: [String: Int] = [:]
        for call in history where call.talkS > 0 {
            var hasher = RecordingPlacement.FNV()
            hasher.add(call.guid)
            if hasher.value % 25 != 7 { files[call.guid] = Int(hasher.value % 12) }
        }
        self.files = files
        backend = MeiqiaBackend(calls: history, timeZone: shanghai, token: options.meiqiaToken, faults: options.faults, seed: options.seed)
    }


    func register(on router: Router<BasicRequestContext>, recordings: RecordingServer) {
        MeiqiaRoutes(backend: backend).register(on: router)
        RecordingRoutes(server: recordings).registerFiles(at: Self.recordingRoot, on: router)
    }

    func started(baseURL: String, recordings: RecordingServer) async {
        await backend.setRecordBase("\(baseURL)/\(Self.recordingRoot)")
        await recordings.serveFiles(files, at: Self.recordingRoot)
    }

    func demoSource(options: SimulatorOptions, baseURL: String) -> DemoSource {
        backend.demoSource(options: options, generated: generatedCalls)
    }
}

extension MeiqiaBackend: SimulatedBackend {}

extension Simulator {
    public var meiqia: MeiqiaBackend { vendor(SimulatedMeiqia.self).backend }
    /// Calls in Meiqia's generated history.
    public var meiqiaCalls: Int { vendor(SimulatedMeiqia.self).generatedCalls }
}

extension SimulatorOptions {
    /// Meiqia's bearer token.
    public var meiqiaToken: String {
        get { vendorSettings["meiqia.token"] ?? "demo-meiqia-token" }
        set { vendorSettings["meiqia.token"] = newValue }
    }
}

extension CallCenterModel {
    /// The Meiqia (美洽) side of the center: its own queues (named after the trunk numbers' aliases),
    /// agents known by numeric ids, less traffic.
    public static let meiqia = CallCenterModel(
        campaigns: [
            Campaign(name: "售前咨询", inbound: true, weight: 0.6, agents: ["1001", "1002", "1003"], did: "02160001000"),
            Campaign(name: "售后服务", inbound: true, weight: 0.4, agents: ["1004", "1005"], did: "02160002000"),
            Campaign(name: "客户回访", inbound: false, weight: 1, agents: ["1006"], did: "02160003000"),
        ],
        inboundPerDay: 300,
        outboundPerDay: 80,
        hourlyCurve: standard.hourlyCurve,
        weekendFactor: 0.5
    )
}
