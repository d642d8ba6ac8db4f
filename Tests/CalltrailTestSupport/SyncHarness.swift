import CalltrailCore
import CalltrailJSON
import CalltrailSimulator
@_spi(Connections) import CalltrailStore
import CalltrailSync
import CalltrailVendors
import Foundation
import GRDB
import Logging

/// A simulator on a loopback port, a temporary folder with a configuration for it, and helpers to
/// sync in-process or through the real `calltrail` binary.
public struct SyncHarness: Sendable {
    public static let zone = TimeZone(identifier: "America/Montevideo")!
    /// The simulated history ends at Tuesday 2026-03-03 00:00 in Montevideo: Monday's traffic.
    public static let end = LocalDateTime(year: 2026, month: 3, day: 3).date(in: zone)
    public static let passwordVariable = "CALLTRAIL_TEST_UCONTACT_PASSWORD"

    public let simulator: Simulator
    public let running: Simulator.Running
    public let folder: URL

    public static func start(faults: FaultPlan = FaultPlan(), seed: UInt64 = 7, tls: (certificate: String, key: String)? = nil) async throws -> SyncHarness {
        var options = SimulatorOptions()
        options.seed = seed
        options.days = 1
        options.end = end
        options.timeZone = zone
        options.faults = faults
        let simulator = Simulator(options: options)
        let running = try await simulator.start(tls: tls)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        setenv(passwordVariable, options.password, 1)
        return SyncHarness(simulator: simulator, running: running, folder: folder)
    }

    public func stop() async {
        await running.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// The client's request timeout in the test configurations: the simulator is in-process on loopback,
    /// but a loaded machine (the suite beside a build) kept it from answering within 0.5 s. Tests of the
    /// timeout itself set their own (`timeout_seconds`, with the simulator's `slow` or hanging faults).
    public static let requestTimeout = "10"

    /// Writes `name.toml` for a database `name.sqlite`; `overrides` replace or add source keys.
    public func configuration(_ name: String, overrides: [String: String] = [:]) throws -> URL {
        let since = LocalDateTime(simulator.options.start, in: Self.zone)
        var source: [(String, String)] = [
            ("kind", "\"ucontact\""), ("base_url", "\"\(running.baseURL)\""), ("user", "\"supervisor\""),
            ("password_env", "\"\(Self.passwordVariable)\""), ("since", "\"\(since)\""), ("window_hours", "8"),
            ("page_size", "50"), ("settle_minutes", "0"), ("timeout_seconds", Self.requestTimeout), ("retry_base_seconds", "0.01"),
        ]
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            if let index = source.firstIndex(where: { $0.0 == key }) { source[index].1 = value } else { source.append((key, value)) }
        }
        let text = """
            database = "\(name).sqlite"
            timezone = "America/Montevideo"

            [[source]]
            \(source.map { "\($0.0) = \($0.1)" }.joined(separator: "\n"))
            """
        let url = folder.appendingPathComponent("\(name).toml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Writes `name.toml` with one source of another kind, given as its TOML lines; the test client's
    /// timeouts and retry pace are added.
    public func configuration(_ name: String, kind: String, lines: [String], since zone: String = "America/Montevideo") throws -> URL {
        let since = LocalDateTime(simulator.options.start, in: TimeZone(identifier: zone)!)
        let text = (["database = \"\(name).sqlite\"", "timezone = \"America/Montevideo\"", "", "[[source]]",
                     "kind = \"\(kind)\"", "base_url = \"\(running.baseURL)\"", "since = \"\(since)\"", "settle_minutes = 0",
                     "timeout_seconds = \(Self.requestTimeout)", "retry_base_seconds = 0.01"].filter { line in
                        // A key the test gives itself replaces the default.
                        !lines.contains { $0.hasPrefix(line.prefix { $0 != " " } + " =") }
                     } + lines).joined(separator: "\n")
        let url = folder.appendingPathComponent("\(name).toml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Syncs one source until a run ends ok, at most `limit` runs, and returns that last run with the
    /// counts of all of them added up (`failures` stays the last run's). With every fault on, about one
    /// request in two fails; with several windows in flight their requests interleave, so a page can
    /// use up its retries: it is recorded as failed and the next run retries it. That is the contract
    /// under test (nothing lost, nothing twice across runs), not a flake to hide.
    public func syncUntilOK(configuration url: URL, limit: Int = 4) async throws -> (CallStore, SyncRun) {
        var (store, runs) = try await sync(configuration: url, to: Self.end)
        var all = runs
        while all.count < limit, runs.last?.status != .ok {
            (store, runs) = try await sync(configuration: url, to: Self.end)
            all += runs
        }
        guard var last = all.last else { throw HarnessError(description: "the sync made no run") }
        last.windows = all.reduce(0) { $0 + $1.windows }
        last.pages = all.reduce(0) { $0 + $1.pages }
        last.retries = all.reduce(0) { $0 + $1.retries }
        last.rereads = all.reduce(0) { $0 + $1.rereads }
        last.decodeErrors = all.reduce(0) { $0 + $1.decodeErrors }
        return (store, last)
    }

    /// Syncs in-process, as `calltrail sync --to <end of history>` would.
    public func sync(_ name: String) async throws -> (CallStore, [SyncRun]) {
        try await sync(configuration: try configuration(name), to: Self.end)
    }

    /// Syncs the sources of a configuration file in-process; with a `subject`, a case sync.
    public func sync(configuration url: URL, from: Date? = nil, to: Date?, subject: CaseSubject? = nil) async throws -> (CallStore, [SyncRun]) {
        let configuration = try Configuration.load(path: url.path)
        let store = try CallStore(path: configuration.databasePath, audit: AuditTrail(configuration: configuration))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let runs = try await SyncCoordinator.run(sources: configuration.sources, platforms: Platforms(), store: store, from: from, to: to, subject: subject,
                                                 logger: logger)
        return (store, runs)
    }

    /// Every column of every call but `synced_at`, in key order: what "the same rows" means.
    public static func rows(_ store: CallStore) async throws -> [[String]] {
        try await store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT source, call_id, direction, outcome, queue, agent, customer_number, did, started_at, queued_at,
                       answered_at, ended_at, wait_s, talk_s, hold_s, wrap_s, transfers, disposition, recording_ref
                FROM calls ORDER BY source, call_id
                """).map { row in row.databaseValues.map { "\($0)" } }
        }
    }

    /// Each call's vendor record as its row points at it in raw_pages (page, position), by source and
    /// call id; and every page's JSON as text.
    public static func rawRecords(_ store: CallStore) async throws -> (records: [String: JSONValue], pages: [String]) {
        let (pages, pointers) = try await store.read { db in
            (try Row.fetchAll(db, sql: "SELECT id, records, bytes, body FROM raw_pages").map { row in
                (id: row["id"] as Int64, raw: RawPage(body: [UInt8](row["body"] as Data), bytes: row["bytes"], records: row["records"]))
             },
             try Row.fetchAll(db, sql: "SELECT source, call_id, raw_page, raw_index FROM calls").map { row in
                 (key: "\(row["source"] as String)/\(row["call_id"] as String)", page: row["raw_page"] as Int64?, index: row["raw_index"] as Int?)
             })
        }
        var elements: [Int64: [Data]] = [:]
        var texts: [String] = []
        for page in pages {
            let json = Data(try page.raw.json())
            texts.append(String(decoding: json, as: UTF8.self))
            elements[page.id] = try json.withUnsafeBytes { raw in try JSONArraySplitter.elements(in: raw).map { Data(raw[$0]) } }
        }
        var records: [String: JSONValue] = [:]
        for pointer in pointers {
            guard let page = pointer.page, let index = pointer.index, let bytes = elements[page]?[index] else { continue }
            records[pointer.key] = try JSONValue.parse(bytes)
        }
        return (records, texts)
    }

    public static func count(_ store: CallStore, _ sql: String) async throws -> Int {
        try await store.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }
}

/// The `calltrail` executable built beside the test bundle.
public enum CalltrailBinary {
    public static var url: URL {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        // The test binary lives inside CalltrailPackageTests.xctest on Linux.
        while folder.pathExtension == "xctest" || !FileManager.default.fileExists(atPath: folder.appendingPathComponent("calltrail").path) {
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        return folder.appendingPathComponent("calltrail")
    }

    public struct Result {
        /// The exit status, or the signal's number when `signaled`.
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// Ended by a signal (a trap is SIGILL or SIGTRAP), not by exit.
        public var signaled = false
    }

    public static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    /// Runs to completion, at most `timeout` seconds (then killed). Both pipes are drained while it
    /// runs, on threads of their own (a blocking read on the tasks' few threads would starve the
    /// in-process simulator the binary talks to), so a long output never blocks it.
    public static func run(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 300) async throws -> Result {
        let (process, out, err) = try start(arguments, environment: environment)
        let stdout = PipeDrain(out), stderr = PipeDrain(err)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        while !(stdout.finished && stderr.finished) { try await Task.sleep(for: .milliseconds(5)) }
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout.data, as: UTF8.self),
                      stderr: String(decoding: stderr.data, as: UTF8.self), signaled: process.terminationReason == .uncaughtSignal)
    }
}

/// Reads a pipe to its end on a thread of its own.
final class PipeDrain: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = Data()
    private var done = false

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread {
            let data = handle.readDataToEndOfFile()
            self.lock.withLock {
                self.bytes = data
                self.done = true
            }
        }.start()
    }

    var finished: Bool { lock.withLock { done } }
    var data: Data { lock.withLock { bytes } }
}

public struct HarnessError: Error, CustomStringConvertible {
    public let description: String
}
