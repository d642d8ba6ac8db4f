import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import Logging
import NIOCore
import ServiceLifecycle

/// The vendor simulator: one seeded call-center history served through each vendor's API on a
/// loopback port. Start it with `start()`, stop it with `stop()`.
public final class Simulator: Sendable {
    public let options: SimulatorOptions
    public let ucontact: UContactBackend
    public let recordings: RecordingServer
    public let meiqia: MeiqiaBackend
    public let ccai: CCAIBackend
    public let vonage: VonageBackend
    public let vonageCalls: Int
    /// Calls in CCAI's generated history (recovered callbacks come on top).
    public let ccaiCalls: Int
    /// Calls in Meiqia's generated history.
    public let meiqiaCalls: Int
    /// Calls in the generated history (late arrivals come on top, see `UContactBackend.recordCount`).
    public let generatedCalls: Int

    public init(options: SimulatorOptions) {
        self.options = options
        let calls = TrafficGenerator(model: options.model, seed: options.seed)
            .calls(from: options.start, to: options.end, timeZone: options.timeZone)
        generatedCalls = calls.count
        ucontact = UContactBackend(calls: calls, timeZone: options.timeZone, user: options.user,
                                   password: options.password, faults: options.faults, seed: options.seed, now: options.end)
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        let meiqiaHistory = TrafficGenerator(model: .meiqia, seed: options.seed ^ 0x4D45_4951)
            .calls(from: options.start, to: options.end, timeZone: shanghai)
        let ccaiHistory = TrafficGenerator(model: .ccai, seed: options.seed ^ 0x4343_4149)
            .calls(from: options.start, to: options.end, timeZone: TimeZone(identifier: "America/New_York")!)
        ccaiCalls = ccaiHistory.count
        ccai = CCAIBackend(calls: ccaiHistory, companyKey: options.ccaiCompanyKey, token: options.ccaiToken, faults: options.faults)
        let vonageHistory = TrafficGenerator(model: .vonage, seed: options.seed ^ 0x564F_4E47)
            .calls(from: options.start, to: options.end, timeZone: TimeZone(identifier: "Europe/London")!)
        vonageCalls = vonageHistory.count
        vonage = VonageBackend(calls: vonageHistory, clientID: options.vonageClientID, clientSecret: options.vonageClientSecret,
                               faults: options.faults, seed: options.seed)
        recordings = RecordingServer(calls: calls, timeZone: options.timeZone, meiqiaCalls: meiqiaHistory)
        meiqiaCalls = meiqiaHistory.count
        meiqia = MeiqiaBackend(calls: meiqiaHistory, timeZone: shanghai, token: options.meiqiaToken, faults: options.faults, seed: options.seed)
    }

    public struct Running: Sendable {
        public let port: Int
        public let scheme: String
        let group: ServiceGroup
        let task: Task<Void, any Error>
        let served: ServedLatencyState?

        /// Requests the server at `root` (a path's first component: one vendor server) has admitted and
        /// not answered yet, and the most it has had at once, under `maxConcurrent` (always 0 without one).
        public func requestsInFlight(root: String) -> (now: Int, most: Int) {
            let load = served?.load(root: root)
            return (load?.now ?? 0, load?.most ?? 0)
        }

        public var baseURL: String { "\(scheme)://127.0.0.1:\(port)" }
        public var telephonyURL: String { baseURL + "/telephony" }
        public var backupURL: String { baseURL + "/backup" }

        public func stop() async {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
        }

        /// Waits until the server stops (for `calltrail simulate`, which stops on SIGINT/SIGTERM).
        public func wait() async throws { try await task.value }
    }

    /// Binds 127.0.0.1:`port` (0: any free port) and serves until stopped.
    /// `tls`: PEM certificate and key files to serve HTTPS with (for certificate-verification tests).
    public func start(port: Int = 0, stopOnSignals: Bool = false, logger: Logger? = nil,
                      tls: (certificate: String, key: String)? = nil) async throws -> Running {
        var log = logger ?? Logger(label: "calltrail.simulator")
        if logger == nil { log.logLevel = .warning }
        let router = Router()
        // Before the routes: Hummingbird applies a middleware to the routes added after it.
        let served = options.latencyMS > 0 || options.maxConcurrent != nil ? ServedLatencyState(seed: options.seed) : nil
        if let served {
            router.add(middleware: ServedLatency(latencyMS: options.latencyMS, maxConcurrent: options.maxConcurrent, state: served))
        }
        UContactRoutes(backend: ucontact, recordings: recordings).register(on: router)
        RecordingRoutes(server: recordings).register(on: router)
        MeiqiaRoutes(backend: meiqia).register(on: router)
        CCAIRoutes(backend: ccai).register(on: router)
        VonageRoutes(backend: vonage).register(on: router)
        router.get("_simulator/stats") { _, _ in
            let body = "{\"ucontact\":{\"records\":\(await self.ucontact.recordCount),\"undecodable\":\(await self.ucontact.undecodable)},"
                + "\"meiqia\":{\"records\":\(await self.meiqia.recordCount),\"undecodable\":\(await self.meiqia.undecodable)},"
                + "\"ccai\":{\"records\":\(await self.ccai.recordCount),\"undecodable\":\(await self.ccai.undecodable)},"
                + "\"vonage\":{\"records\":\(await self.vonage.recordCount),\"undecodable\":\(await self.vonage.undecodable)}}"
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var server: HTTPServerBuilder = .http1()
        if let tls {
            let configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.key, format: .pem)))
            server = try .tls(.http1(), tlsConfiguration: configuration)
        }
        let scheme = tls == nil ? "http" : "https"
        let app = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "calltrail-simulator"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: log
        )
        let group = ServiceGroup(configuration: .init(
            services: [app], gracefulShutdownSignals: stopOnSignals ? [.sigterm, .sigint] : [], logger: log))
        let task = Task { try await group.run() }
        var bound = 0
        for await value in ports { bound = value }
        await meiqia.setRecordBase("\(scheme)://127.0.0.1:\(bound)/meiqia/records")
        await ccai.setRecordingBase("\(scheme)://127.0.0.1:\(bound)/ccai/recordings")
        await recordings.registerCCAI(await ccai.recordedIDs)
        guard bound > 0 else {
            task.cancel()
            _ = try? await task.value
            throw SimulatorError(message: "the simulator could not listen on 127.0.0.1:\(port): pick another --port")
        }
        return Running(port: bound, scheme: scheme, group: group, task: task, served: served)
    }
}

public struct SimulatorError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
