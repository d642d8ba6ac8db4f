import CalltrailCore
import CalltrailTestSupport
import Foundation
import GRDB
import Testing

/// Issue #33, item 1: a Vonage answer whose `upTo` is not after the window's start covered nothing of
/// it; it is an error for that page, never a finished window. A Vonage Insights Stats server on
/// loopback, as an independent vendor could answer.
@Suite(.serialized) struct VonageUpToTests {
    final class Vendor: @unchecked Sendable {
        let lock = NSLock()
        var stuck = true
        let interaction: Date

        init(interaction: Date) { self.interaction = interaction }

        func answer(_ request: RawRequest) -> RawResponse {
            let components = URLComponents(string: request.target)
            let path = components?.path ?? request.target
            func json(_ object: Any) -> RawResponse {
                RawResponse(status: 200, headers: [("Content-Type", "application/json")],
                            body: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
            }
            if path.hasSuffix("/Auth/connect/token") {
                return json(["access_token": "vonage-test-token", "expires_in": 3600, "token_type": "Bearer"])
            }
            if path.hasSuffix("/stats/queue-times") { return json(["items": [], "meta": ["page": 1, "pageCount": 1, "totalCount": 0]]) }
            guard path.hasSuffix("/stats/interactions"),
                  let start = components?.queryItems?.first(where: { $0.name == "start" })?.value,
                  let end = components?.queryItems?.first(where: { $0.name == "end" })?.value,
                  let from = ISO8601DateFormatter().date(from: start), let to = ISO8601DateFormatter().date(from: end) else {
                return RawResponse(status: 404)
            }
            let utc = ISO8601DateFormatter()
            let items: [[String: Any]] = interaction >= from && interaction < to
                ? [["guid": "upto-1", "start": utc.string(from: interaction), "duration": 60000, "direction": "Inbound", "outcome": "Connected"]]
                : []
            var body: [String: Any] = ["items": items, "meta": ["page": 1, "pageCount": 1, "totalCount": items.count, "count": items.count]]
            // Stuck: "answered up to" the window's own start, for the window holding the interaction.
            if lock.withLock({ stuck }), !items.isEmpty { body["upTo"] = start }
            return json(body)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func anUpToAtTheWindowsStartIsAnErrorNotAFinishedWindow() async throws {
        let day = Date(timeIntervalSince1970: ((Date().timeIntervalSince1970 - 3 * 86_400) / 86_400).rounded(.down) * 86_400)
        let vendor = Vendor(interaction: day.addingTimeInterval(5 * 3600))
        let server = try LoopbackHTTPServer { vendor.answer($0) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-upto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer {
            server.stop()
            try? FileManager.default.removeItem(at: folder)
        }
        let since = LocalDateTime(day, in: TimeZone(identifier: "America/Montevideo")!)
        let config = folder.appendingPathComponent("upto.toml")
        try """
            database = "upto.sqlite"
            timezone = "America/Montevideo"

            [[source]]
            kind = "vonage"
            base_url = "\(server.baseURL)"
            user = "test-client"
            password_env = "CALLTRAIL_TEST_VONAGE_UPTO_SECRET"
            since = "\(since)"
            window_hours = 24
            settle_minutes = 0
            timeout_seconds = 2
            retry_base_seconds = 0.01
            max_attempts = 2
            recordings = false
            """.write(to: config, atomically: true, encoding: .utf8)
        let environment = ["CALLTRAIL_TEST_VONAGE_UPTO_SECRET": "test-secret"]
        let to = ISO8601DateFormatter().string(from: day.addingTimeInterval(48 * 3600))
        let database = folder.appendingPathComponent("upto.sqlite").path

        let first = try await CalltrailBinary.run(["sync", "--config", config.path, "--to", to], environment: environment)
        #expect(first.status == 1, "\(first.stdout) \(first.stderr)")
        #expect(first.stderr.contains("not after the window's start"), "\(first.stderr)")
        let cursor = try await DatabaseQueue(path: database).read { db in try Double.fetchOne(db, sql: "SELECT complete_until FROM sync_cursors") }
        #expect(cursor == nil || cursor! <= day.timeIntervalSince1970, "the window it did not cover is not passed")

        vendor.lock.withLock { vendor.stuck = false }
        let next = try await CalltrailBinary.run(["sync", "--config", config.path, "--to", to], environment: environment)
        #expect(next.status == 0, "\(next.stderr)")
        let (calls, done) = try await DatabaseQueue(path: database).read { db in
            (try String.fetchAll(db, sql: "SELECT call_id FROM calls"), try Double.fetchOne(db, sql: "SELECT complete_until FROM sync_cursors"))
        }
        #expect(calls == ["upto-1"], "stored once")
        #expect(done == day.addingTimeInterval(48 * 3600).timeIntervalSince1970)
    }
}
