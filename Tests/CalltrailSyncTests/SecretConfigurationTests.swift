import CalltrailTestSupport
import Foundation
import Testing

/// Issue #32's configuration half, through the real binary: credentials written into a URL are refused
/// at load and never repeated; a secret with a control character is refused naming its variable, never
/// its value; a plain http:// URL to another host warns.
@Suite(.serialized) struct SecretConfigurationTests {
    func write(_ text: String, in folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("calltrail.toml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func source(_ lines: String) -> String {
        "database = \"c.sqlite\"\ntimezone = \"America/Montevideo\"\n[[source]]\nkind = \"ucontact\"\nuser = \"supervisor\"\npassword_env = \"CALLTRAIL_TEST_SECRET\"\n\(lines)\n"
    }

    @Test func credentialsInAnyConfiguredURLAreRefusedWithoutRepeatingThem() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-urls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases = [
            ("base_url", "base_url = \"https://admin:hunter2secret@ucontact.example.com\""),
            ("telephony_records_url", "base_url = \"https://ucontact.example.com\"\ntelephony_records_url = \"https://rec:hunter2secret@tel.example.com\""),
            ("backup_records_url", "base_url = \"https://ucontact.example.com\"\nbackup_records_url = \"https://:hunter2secret@backup.example.com\""),
        ]
        for (key, lines) in cases {
            let config = try write(source(lines), in: folder)
            let result = try await CalltrailBinary.run(["sync", "--config", config.path], environment: ["CALLTRAIL_TEST_SECRET": "x-secret"])
            #expect(result.status == 2, "\(key): \(result.stderr)")
            #expect(result.stderr.contains("\(key) holds credentials (user:password@host): remove them from the URL"), "\(result.stderr)")
            #expect(!result.stderr.contains("hunter2secret") && !result.stdout.contains("hunter2secret"))
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
    }

    @Test func aSecretWithAControlCharacterIsRefusedByNameNeverByValue() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-secret-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = try write(source("base_url = \"http://127.0.0.1:9\""), in: folder)
        for value in ["tok\nen-canary-1234", "token-canary-1234\n\n", "tok\ten-canary-1234"] {
            let result = try await CalltrailBinary.run(["sync", "--config", config.path], environment: ["CALLTRAIL_TEST_SECRET": value])
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.contains("environment variable CALLTRAIL_TEST_SECRET (password_env) holds a control character"), "\(result.stderr)")
            #expect(!result.stderr.contains("canary-1234") && !result.stdout.contains("canary-1234"))
        }
    }

    @Test func plainHTTPToAnotherHostWarnsOnce() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-http-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Nothing is sent: a dry run reads the configuration only.
        let config = try write(source("base_url = \"http://ucontact.example.com\"\ntelephony_records_url = \"http://ucontact.example.com/rec\""), in: folder)
        let result = try await CalltrailBinary.run(["nightly", "--config", config.path, "--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        let warnings = result.stderr.split(separator: "\n").filter { $0.contains("uses http:// to ucontact.example.com") }
        #expect(warnings.count == 1, "\(result.stderr)")
        let loopback = try write(source("base_url = \"http://127.0.0.1:9\""), in: folder)
        let quiet = try await CalltrailBinary.run(["nightly", "--config", loopback.path, "--dry-run"])
        #expect(!quiet.stderr.contains("uses http://"), "\(quiet.stderr)")
    }
}
