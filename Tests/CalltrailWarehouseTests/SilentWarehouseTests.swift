import CalltrailCore
import CalltrailSimulator
import CalltrailTestSupport
import CalltrailWarehouse
import Foundation
import GRDB
import Logging
import PostgresNIO
import Testing

/// Issue #33, item 4: a warehouse connection that stops answering mid-COPY (a loopback proxy in front
/// of the real PostgreSQL goes silent) ends the nightly's publish stage at its deadline as a failure;
/// the night finishes, prints its JSON line and releases the run lock; a later publish sends every call
/// once.
@Suite(.serialized) struct SilentWarehouseTests {
    @Test(.timeLimit(.minutes(8)))
    func aWarehouseSilentMidCopyEndsThePublishStageAtItsDeadline() async throws {
        let harness = try await SyncHarness.start()
        do {
            let server = try TestPostgres.server()
            let components = try #require(URLComponents(string: server.url))
            let proxy = try SilentTCPProxy(upstreamPort: try #require(components.port), silentAfter: "COPY ")
            defer { proxy.stop() }
            let site = "silent-\(UUID().uuidString.prefix(8))"
            let base = try harness.configuration("silent", overrides: ["timeout_seconds": "20"])
            let plain = try String(contentsOf: base, encoding: .utf8)
            func write(url: String, timeout: String, nightly: String) throws {
                try (plain + "\n[warehouse]\nurl = \"\(url)\"\npassword_env = \"\(TestPostgres.passwordVariable)\"\nsite = \"\(site)\"\n"
                     + timeout + nightly)
                    .write(to: base, atomically: true, encoding: .utf8)
            }
            let proxied = server.url.replacingOccurrences(of: ":\(components.port!)/", with: ":\(proxy.port)/")
            // The stuck session's own timeouts (10 s: long enough for other suites' schema steps beside
            // this one) end it on the server once the nightly has gone.
            try write(url: proxied, timeout: "statement_timeout_seconds = 10\n", nightly: "\n[nightly]\npublish_deadline_minutes = 0.5\n")

            let report = harness.folder.appendingPathComponent("report")
            // The schema step comes first and waits (at most the statement timeout) for other suites'
            // schema steps on the same server: a publish that ended there never reached the COPY under
            // test, so the night is run again (bounded). A whole night's deadline is generous: with the load
            // at 12 one went past 90 s (its publish stage's own deadline, under test, is 30 s).
            var night = try await CalltrailBinary.run(["nightly", "--config", base.path, "--quiet", "--report-out", report.path], timeout: 240)
            for _ in 0..<3 where !proxy.silent && night.stdout.contains("schema stayed locked") {
                night = try await CalltrailBinary.run(["nightly", "--config", base.path, "--quiet", "--report-out", report.path], timeout: 240)
            }
            #expect(proxy.silent, "the proxy went silent at the COPY")
            #expect(night.status == 1, "the night ends as a failure, not a hang: \(night.stderr)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(night.stdout.utf8)) as? [String: Any], "\(night.stdout)")
            let stages = try #require(summary["stages"] as? [[String: Any]])
            let publish = try #require(stages.first { $0["stage"] as? String == "publish" })
            #expect(publish["failures"] as? Int == 1)
            #expect((publish["error"] as? String)?.contains("publish passed its deadline of 0.50 min") == true, "\(publish)")
            #expect(stages.last?["stage"] as? String == "report", "the stage after publish ran")
            // The run lock is free: taken at once by anyone.
            let lockFile = open(harness.folder.appendingPathComponent("silent.sqlite.lock").path, O_RDWR)
            #expect(lockFile >= 0 && flock(lockFile, LOCK_EX | LOCK_NB) == 0, "the nightly released its lock")
            close(lockFile)

            // The warehouse answers again: the next publish sends every call, once.
            try write(url: server.url, timeout: "", nightly: "")
            // The stuck session holds the site's publish lock on the server until the server ends it
            // (idle_in_transaction_session_timeout, 10 s here): a publish meanwhile exits 3; bounded.
            var again = try await CalltrailBinary.run(["publish", "--config", base.path], timeout: 90)
            for _ in 0..<60 where again.status == 3 {
                try await Task.sleep(for: .seconds(1))
                again = try await CalltrailBinary.run(["publish", "--config", base.path], timeout: 90)
            }
            #expect(again.status == 0, "\(again.stderr)")
            let configuration = try Configuration.load(path: base.path)
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let connection = try await WarehouseConnection.open(try #require(configuration.warehouse), insecure: false, logger: logger)
            var (rows, distinct) = (0, 0)
            for try await (count, keys) in try await connection.query(
                "SELECT count(*)::int, count(DISTINCT (source, call_id))::int FROM calls WHERE site = \(site)", logger: logger).decode((Int, Int).self) {
                (rows, distinct) = (count, keys)
            }
            try? await connection.close()
            #expect(rows == harness.simulator.generatedCalls)
            #expect(distinct == rows)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
