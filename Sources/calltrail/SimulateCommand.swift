import ArgumentParser
import CalltrailCore
import CalltrailSimulator
import Foundation

/// Options shared by `simulate` and `demo`: which history, which faults.
struct SimulatorArguments: ParsableArguments {
    @Option(help: "Seed of the generated call-center history.")
    var seed: UInt64 = 20_260_301

    @Option(help: "Days of history, ending now.")
    var days = 3

    @Option(help: "Milliseconds each response waits, jittered ±25 % (a real vendor's round trip).")
    var latencyMs = 0

    @Option(help: "Requests in flight per vendor server beyond which it answers 429 with Retry-After (default: no limit).")
    var maxConcurrent: Int?

    /// The history's end instead of now, so a test sees the same history whatever the time of day it runs.
    @Option(help: ArgumentHelp("End of the generated history (default: the start of the current minute).", visibility: .hidden))
    var end: String?

    func validate() throws {
        guard (1...366).contains(days) else { throw ValidationError("--days \(days) is out of range: use 1 to 366") }
        guard (0...60_000).contains(latencyMs) else { throw ValidationError("--latency-ms \(latencyMs) is out of range: use 0 to 60000") }
        if let maxConcurrent, maxConcurrent < 1 { throw ValidationError("--max-concurrent \(maxConcurrent) is out of range: use 1 or more") }
        if let end { _ = try RangeOptions.parse(end, option: "--end") }
    }

    func options(faults: String) throws -> SimulatorOptions {
        var options = SimulatorOptions()
        options.seed = seed
        options.days = days
        options.faults = try FaultPlan.validated(faults)
        options.latencyMS = latencyMs
        options.maxConcurrent = maxConcurrent
        if let end { options.end = try RangeOptions.parse(end, option: "--end").date(in: options.timeZone) }
        return options
    }
}

extension FaultPlan {
    /// `--faults` parsed, its error as a usage error.
    static func validated(_ text: String) throws -> FaultPlan {
        do { return try FaultPlan(parsing: text) } catch { throw ValidationError("\(error)") }
    }
}

/// The help of `--faults`.
enum FaultsHelp {
    static let text = ArgumentHelp("Faults to inject: all, none, or a comma-separated list of \(FaultPlan.names.joined(separator: ", ")).")
}

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Serve the vendor simulator on 127.0.0.1 until interrupted (Ctrl-C).",
        discussion: "Point a configuration's base_url at it to try a setup or another client. Log in as the printed user."
    )

    @Option(help: "Port on 127.0.0.1 (0: any free port).")
    var port = 8080

    @OptionGroup var simulator: SimulatorArguments

    @Option(help: FaultsHelp.text)
    var faults = "none"

    func validate() throws {
        _ = try FaultPlan.validated(faults)
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not a TCP port: use 0 to 65535") }
    }

    func run() async throws {
        let options = try simulator.options(faults: faults)
        let sim = Simulator(options: options)
        let running: Simulator.Running
        do {
            running = try await sim.start(port: port, stopOnSignals: true)
        } catch {
            throw CalltrailError.configuration("\(error)")
        }
        print((["simulator on \(running.baseURL) (Ctrl-C stops it)"] + sim.banner.map { "  " + $0 } + ["  faults: \(faults)"])
            .joined(separator: "\n"))
        try await running.wait()
    }
}
