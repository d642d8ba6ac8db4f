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
    public let recordings: RecordingServer
    /// The vendors served, in `vendorTypes`' order.
    let vendors: [any SimulatedVendor]

    public init(options: SimulatorOptions) {
        self.options = options
        vendors = Self.vendorTypes.map { $0.init(options: options) }
        recordings = RecordingServer(placing: vendors.compactMap(\.placedRecordings))
    }

    /// The served vendor of type `Vendor` (the registry lists each once).
    func vendor<Vendor: SimulatedVendor>(_ type: Vendor.Type) -> Vendor {
        guard let vendor = vendors.lazy.compactMap({ $0 as? Vendor }).first else { preconditionFailure("\(type) is not in Simulator.vendorTypes") }
        return vendor
    }

    /// Each vendor's name and the calls of its generated history, in the registry's order.
    public var histories: [(vendor: String, calls: Int)] { vendors.map { ($0.name, $0.generatedCalls) } }

    /// What `calltrail simulate` prints of the vendors, a line each.
    public var banner: [String] { vendors.flatMap { $0.banner(options: options) } }

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
        RecordingRoutes(server: recordings).register(on: router)
        for vendor in vendors { vendor.register(on: router, recordings: recordings) }
        router.get("_simulator/stats") { _, _ in
            var figures: [String] = []
            for vendor in self.vendors {
                let backend = vendor.backend
                figures.append("\"\(vendor.kind)\":{\"records\":\(await backend.recordCount),\"undecodable\":\(await backend.undecodable)}")
            }
            let body = "{" + figures.joined(separator: ",") + "}"
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
        for vendor in vendors { await vendor.started(baseURL: "\(scheme)://127.0.0.1:\(bound)", recordings: recordings) }
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
