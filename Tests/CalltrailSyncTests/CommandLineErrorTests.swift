import CalltrailTestSupport
import Foundation
import Testing

/// The real binary's answers to bad input: one line on stderr naming the field and the fix, exit 2
/// for configuration and arguments, exit 1 for a vendor that cannot be reached.
@Suite(.serialized) struct CommandLineErrorTests {
    func expectOneLine(_ result: CalltrailBinary.Result, status: Int32, contains text: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, "\(result.stderr)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("calltrail: "), sourceLocation: sourceLocation)
        #expect(result.stderr.contains(text), "\(result.stderr)", sourceLocation: sourceLocation)
    }

    /// Issue #33: a warehouse off this machine is never reached without TLS (the publish would send
    /// the password and every call in clear, and could wait on a host that never answers).
    @Test func sslmodeDisableOffLoopbackIsRefused() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-sslmode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("calltrail.toml")
        try """
            [[source]]
            kind = "ucontact"
            base_url = "http://127.0.0.1:9"
            user = "supervisor"
            password_env = "CALLTRAIL_TEST_UNUSED"

            [warehouse]
            url = "postgresql://calltrail@10.255.255.1:5432/calltrail?sslmode=disable"
            password_env = "CALLTRAIL_TEST_UNUSED"
            """.write(to: config, atomically: true, encoding: .utf8)
        let result = try await CalltrailBinary.run(["publish", "--config", config.path], timeout: 60)
        expectOneLine(result, status: 2, contains: "url has sslmode=disable for 10.255.255.1, which is not loopback: remove sslmode=disable")
    }

    /// A report's figures are summed from 15-minute tallies: a period cut inside a quarter hour is refused,
    /// not rounded silently.
    @Test func aReportBetweenQuarterHoursIsRefused() async throws {
        let harness = try await SyncHarness.start()
        let config = try harness.configuration("quarter")
        let out = harness.folder.appendingPathComponent("reports").path
        let result = try await CalltrailBinary.run(["report", "--config", config.path, "--from", "2026-03-01 10:07", "--to", "2026-03-01 12:00",
                                                    "--out", out])
        let query = try await CalltrailBinary.run(["query", "summary", "--config", config.path, "--from", "2026-03-01", "--to", "2026-03-01 12:20"])
        await harness.stop()
        expectOneLine(result, status: 2, contains: "--from 2026-03-01 10:07 is not on a quarter hour: reports start and end at :00, :15, :30 or :45")
        expectOneLine(query, status: 2, contains: "--to 2026-03-01 12:20 is not on a quarter hour")
    }

    @Test func missingConfiguration() async throws {
        let result = try await CalltrailBinary.run(["sync", "--config", "/nonexistent/calltrail.toml"])
        expectOneLine(result, status: 2, contains: "configuration file /nonexistent/calltrail.toml not found: pass --config PATH")
    }

    @Test func invalidConfiguration() async throws {
        let harness = try await SyncHarness.start()
        let url = harness.folder.appendingPathComponent("bad.toml")
        try "database = \"x.sqlite\"\n[[source]]\nkind = \"ucontact\"\nuser = \"supervisor\"\npassword_env = \"X\"\n".write(to: url, atomically: true, encoding: .utf8)
        let result = try await CalltrailBinary.run(["sync", "--config", url.path])
        await harness.stop()
        expectOneLine(result, status: 2, contains: "has no base_url: add base_url = \"https://ucontact.example.com\"")
    }

    @Test func unknownSource() async throws {
        let harness = try await SyncHarness.start()
        let config = try harness.configuration("unknown")
        let result = try await CalltrailBinary.run(["sync", "--config", config.path, "--source", "genesys"])
        await harness.stop()
        expectOneLine(result, status: 2, contains: "--source 'genesys' names no source in unknown.toml: use one of ucontact")
    }

    @Test func unparseableDate() async throws {
        let result = try await CalltrailBinary.run(["sync", "--from", "last tuesday"])
        expectOneLine(result, status: 2, contains: "--from 'last tuesday' is not a date: use YYYY-MM-DD")
    }

    @Test func fromAfterTo() async throws {
        let result = try await CalltrailBinary.run(["sync", "--from", "2026-03-02", "--to", "2026-03-01"])
        expectOneLine(result, status: 2, contains: "--from 2026-03-02 00:00:00 is not before --to 2026-03-01 00:00:00: swap them")
    }

    @Test func aCaseSyncNamesItsSourceAndPeriod() async throws {
        let noSource = try await CalltrailBinary.run(["sync", "--number", "099123456", "--from", "2026-03-01", "--to", "2026-03-02"])
        expectOneLine(noSource, status: 2, contains: "a case sync reads one source: add --source NAME")
        let noPeriod = try await CalltrailBinary.run(["sync", "--source", "ucontact", "--number", "099123456"])
        expectOneLine(noPeriod, status: 2, contains: "a case sync needs its period: add --from and --to")
    }

    @Test func unreachableHost() async throws {
        let harness = try await SyncHarness.start()
        // Port 9 (discard) on loopback: nothing listens, the connection is refused.
        let text = try String(contentsOf: try harness.configuration("unreachable", overrides: ["max_attempts": "2"]), encoding: .utf8)
            .replacingOccurrences(of: harness.running.baseURL, with: "http://127.0.0.1:9")
        let url = harness.folder.appendingPathComponent("unreachable.toml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        let result = try await CalltrailBinary.run(["sync", "--config", url.path])
        await harness.stop()
        expectOneLine(result, status: 1, contains: "cannot reach ucontact at http://127.0.0.1:9/Integra/resources/auth/getUserToken (connection refused): check base_url")
    }

    @Test func rejectedCredentials() async throws {
        let harness = try await SyncHarness.start()
        let config = try harness.configuration("rejected", overrides: ["timeout_seconds": "20"])
        let result = try await CalltrailBinary.run(["sync", "--config", config.path],
                                                   environment: [SyncHarness.passwordVariable: "wrong-horse-battery"])
        await harness.stop()
        expectOneLine(result, status: 1, contains: "ucontact rejected the credentials of user 'supervisor' (getUserToken answered 0)")
        #expect(!result.stderr.contains("wrong-horse-battery"))
        #expect(!result.stdout.contains("wrong-horse-battery"))
    }

    @Test func missingPasswordVariable() async throws {
        let harness = try await SyncHarness.start()
        let config = try harness.configuration("nopassword")
        let result = try await CalltrailBinary.run(["sync", "--config", config.path], environment: [SyncHarness.passwordVariable: ""])
        await harness.stop()
        expectOneLine(result, status: 2, contains: "environment variable \(SyncHarness.passwordVariable) (password_env) is not set")
    }

    @Test func insecureWarnsEveryTime() async throws {
        let harness = try await SyncHarness.start()
        let config = try harness.configuration("insecure", overrides: ["timeout_seconds": "20"])
        let result = try await CalltrailBinary.run(["sync", "--config", config.path, "--insecure", "--quiet", "--to", "2026-03-03"])
        await harness.stop()
        #expect(result.status == 0)
        #expect(result.stderr == "calltrail: warning: --insecure: TLS certificates are not verified; use it only against lab servers\n")
    }

    /// A server with a self-signed certificate is refused; `--insecure` accepts it with its warning.
    @Test(.timeLimit(.minutes(2)))
    func certificatesAreVerifiedUnlessInsecure() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cert = folder.appendingPathComponent("cert.pem").path, key = folder.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                             "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        #expect(openssl.terminationStatus == 0)

        let harness = try await SyncHarness.start(tls: (cert, key))
        #expect(harness.running.baseURL.hasPrefix("https://"))
        let config = try harness.configuration("tls", overrides: ["max_attempts": "2", "timeout_seconds": "20"])
        let strict = try await CalltrailBinary.run(["sync", "--config", config.path, "--quiet", "--to", "2026-03-03"])
        let lax = try await CalltrailBinary.run(["sync", "--config", config.path, "--quiet", "--insecure", "--to", "2026-03-03"])
        await harness.stop()
        expectOneLine(strict, status: 1, contains: "(TLS certificate not accepted: fix the server's certificate, or use --insecure for a lab server)")
        #expect(lax.status == 0, "\(lax.stderr)")
        #expect(lax.stderr.hasPrefix("calltrail: warning: --insecure"))
    }

    @Test func unknownFault() async throws {
        let result = try await CalltrailBinary.run(["simulate", "--faults", "meteor"])
        expectOneLine(result, status: 2, contains: "--faults: 'meteor' is not a fault: use all, none or a list of")
    }
}
