import CalltrailTestSupport
import Crypto
import Foundation
import GRDB
import Testing

/// Issue #33, item 6: a download cut half way resumes with `If-Range`, so a file that changed on the
/// server between two attempts is fetched whole again instead of spliced from two versions. A Meiqia
/// on loopback lists the call; a recording server on loopback serves its file as an honest HTTP server
/// does (a `Range` without `If-Range` is answered 206 from whatever the file is now).
@Suite(.serialized) struct DurableDownloadTests {
    final class ChangingFile: @unchecked Sendable {
        let lock = NSLock()
        var version = 1
        var requests: [(range: String?, ifRange: String?)] = []
        static func body(_ version: Int) -> Data { Data("ID3".utf8) + Data(repeating: UInt8(ascii: version == 1 ? "a" : "b"), count: 200_000) }
    }

    func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    @Test(.timeLimit(.minutes(2)))
    func aFileThatChangedBetweenAttemptsIsFetchedWholeNeverSpliced() async throws {
        let file = ChangingFile()
        let recordings = try LoopbackHTTPServer { request in
            let range = request.header("Range"), ifRange = request.header("If-Range")
            return file.lock.withLock {
                file.requests.append((range, ifRange))
                let version = file.version
                let body = ChangingFile.body(version)
                let tag = "\"v\(version)\""
                var headers = [("Content-Type", "audio/mpeg"), ("Accept-Ranges", "bytes"), ("ETag", tag)]
                if let range, range.hasPrefix("bytes="), ifRange == nil || ifRange == tag,
                   let start = Int(range.dropFirst(6).prefix { $0 != "-" }), start < body.count {
                    headers.append(("Content-Range", "bytes \(start)-\(body.count - 1)/\(body.count)"))
                    return RawResponse(status: 206, headers: headers, body: body.subdata(in: start..<body.count))
                }
                if version == 1 {
                    // The first answer breaks off half way; the file is replaced before the client asks again.
                    file.version = 2
                    return RawResponse(status: 200, headers: headers, body: body, cutAfter: body.count / 2)
                }
                return RawResponse(status: 200, headers: headers, body: body)
            }
        }
        let vendor = try HostileMeiqia()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-download-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer {
            vendor.stop()
            recordings.stop()
            try? FileManager.default.removeItem(at: folder)
        }
        let day = Date(timeIntervalSince1970: ((Date().timeIntervalSince1970 - 2 * 86_400) / 3600).rounded(.down) * 3600)
        vendor.serveRecordings(from: recordings.baseURL)
        vendor.add("changed", at: day.addingTimeInterval(3600))
        let config = try vendor.configuration(in: folder, "download", since: day)
        let environment = [vendor.tokenVariable: vendor.token]
        let sync = try await CalltrailBinary.run(["sync", "--config", config.path, "--to", ISO8601DateFormatter().string(from: day.addingTimeInterval(86_400))],
                                                 environment: environment)
        #expect(sync.status == 0, "\(sync.stderr)")
        let fetch = try await CalltrailBinary.run(["recordings", "fetch", "--config", config.path], environment: environment)
        #expect(fetch.status == 0, "\(fetch.stderr)")

        let served = sha256(ChangingFile.body(2))
        let database = try DatabaseQueue(path: folder.appendingPathComponent("download.sqlite").path)
        let rows = try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT state, sha256, path FROM recordings WHERE call_id = 'changed'")
        }
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row["state"] as String? == "found")
        #expect(row["sha256"] as String? == served, "the ledger holds the file the server now serves, not a splice")
        let path = try #require(row["path"] as String?)
        let stored = try Data(contentsOf: folder.appendingPathComponent("recordings").appendingPathComponent(path))
        #expect(sha256(stored) == served)
        let asked = file.lock.withLock { file.requests }
        #expect(asked.count >= 2)
        #expect(asked.dropFirst().allSatisfy { $0.range == nil || $0.ifRange == "\"v1\"" }, "a resume names the version it resumes: \(asked)")
    }
}
