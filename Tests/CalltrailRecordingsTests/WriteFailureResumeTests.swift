import CalltrailTestSupport
import Crypto
import Foundation
import GRDB
import Testing

/// Issue #33, item 6: a download whose disk write fails half way resumes at the last byte on disk, so the
/// file archived is the one served. The real binary fetches under a file-size limit (`prlimit`, SIGXFSZ
/// ignored: a write past it fails with EFBIG, as a full disk fails one) that the test lifts while the
/// retry waits at the recording server; the server, on loopback, serves ranges as an honest server does.
@Suite(.serialized) struct WriteFailureResumeTests {
    final class Server: @unchecked Sendable {
        let lock = NSLock()
        var released = false
        var ranges: [String?] = []
        static let limit = 2 << 20
        static let body: Data = Data("ID3".utf8) + Data((0..<(6 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) })

        func answer(_ request: RawRequest) -> RawResponse {
            guard request.target.hasSuffix(".mp3") else { return RawResponse(status: 404) }
            let range = request.header("Range")
            lock.withLock { ranges.append(range) }
            var headers = [("Content-Type", "audio/mpeg"), ("Accept-Ranges", "bytes"), ("ETag", "\"v1\"")]
            guard let range, range.hasPrefix("bytes="), let start = Int(range.dropFirst(6).prefix { $0 != "-" }), start < Self.body.count else {
                return RawResponse(status: 200, headers: headers, body: Self.body)
            }
            // The retry waits here until the test has lifted the limit (bounded).
            for _ in 0..<600 where !lock.withLock({ released }) { usleep(100_000) }
            headers.append(("Content-Range", "bytes \(start)-\(Self.body.count - 1)/\(Self.body.count)"))
            return RawResponse(status: 206, headers: headers, body: Self.body.subdata(in: start..<Self.body.count))
        }
    }

    func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    @Test(.timeLimit(.minutes(3)))
    func aWriteThatFailsHalfWayResumesAtTheLastByteOnDisk() async throws {
        let server = Server()
        let recordings = try LoopbackHTTPServer { server.answer($0) }
        let vendor = try HostileMeiqia()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-efbig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer {
            vendor.stop()
            recordings.stop()
            try? FileManager.default.removeItem(at: folder)
        }
        let day = Date(timeIntervalSince1970: ((Date().timeIntervalSince1970 - 2 * 86_400) / 3600).rounded(.down) * 3600)
        vendor.serveRecordings(from: recordings.baseURL)
        vendor.add("efbig", at: day.addingTimeInterval(3600))
        let config = try vendor.configuration(in: folder, "efbig", since: day, lines: ["max_attempts = 3", "retry_base_seconds = 0.2"])
        let sync = try await CalltrailBinary.run(["sync", "--config", config.path, "--to", ISO8601DateFormatter().string(from: day.addingTimeInterval(86_400))],
                                                 environment: [vendor.tokenVariable: vendor.token])
        #expect(sync.status == 0, "\(sync.stderr)")

        // The fetch, its files limited to 2 MiB (soft; the hard limit stays, so it can be lifted).
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "trap '' XFSZ; exec prlimit --fsize=\(Server.limit):unlimited -- \"$0\" recordings fetch --config \"$1\" > \"$2\" 2>&1",
                             CalltrailBinary.url.path, config.path, folder.appendingPathComponent("fetch.log").path]
        process.environment = ProcessInfo.processInfo.environment.merging([vendor.tokenVariable: vendor.token]) { $1 }
        try process.run()
        // Once the retry has come (the first attempt's write failed at the limit), lift the limit.
        for _ in 0..<3000 where process.isRunning && server.lock.withLock({ server.ranges.count }) < 2 { try await Task.sleep(for: .milliseconds(10)) }
        let lift = Process()
        lift.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        lift.arguments = ["--pid", String(process.processIdentifier), "--fsize=unlimited:unlimited"]
        try lift.run()
        lift.waitUntilExit()
        server.lock.withLock { server.released = true }
        for _ in 0..<6000 where process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let log = (try? String(contentsOf: folder.appendingPathComponent("fetch.log"), encoding: .utf8)) ?? ""
        #expect(lift.terminationStatus == 0)
        #expect(process.terminationStatus == 0, "\(log)")

        let ranges = server.lock.withLock { server.ranges }
        #expect(ranges.count >= 2 && ranges[0] == nil, "\(ranges)")
        #expect(ranges.dropFirst().first == "bytes=\(Server.limit)-", "the retry resumes at the last byte on disk: \(ranges)")
        let served = sha256(Server.body)
        let row = try #require(try await DatabaseQueue(path: folder.appendingPathComponent("efbig.sqlite").path).read { db in
            try Row.fetchOne(db, sql: "SELECT state, sha256, path FROM recordings WHERE call_id = 'efbig'")
        })
        #expect(row["state"] as String? == "found")
        #expect(row["sha256"] as String? == served, "the archived file is the one served")
        let path = try #require(row["path"] as String?)
        #expect(sha256(try Data(contentsOf: folder.appendingPathComponent("recordings").appendingPathComponent(path))) == served)
    }
}
