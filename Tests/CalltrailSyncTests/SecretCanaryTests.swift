import CalltrailCore
import CalltrailSimulator
import CalltrailTestSupport
import Foundation
import Testing

/// Issue #32: a secret never leaves its variable. Canary secrets go to servers that misbehave in the
/// ways that used to leak them, through the real binary's nightly (publish included); afterwards their
/// bytes (raw, form-encoded, base64) are searched in stdout, stderr, the database, its WAL, the report
/// folder and a dump of the warehouse.
@Suite(.serialized) struct SecretCanaryTests {
    static let meiqiaToken = "canary-meiqia-token-5b1f9e"
    static let ccaiToken = "canary-ccai-token-a77c02"
    static let ucontactPassword = "canary-ucontact-pass+/=&9d4"

    /// Every spelling a canary could be stored in.
    static func spellings(_ secret: String, user: String? = nil) -> [String] {
        var forms = [secret, FormBody.escape(secret), Data(secret.utf8).base64EncodedString()]
        if let user { forms.append(Data("\(user):\(secret)".utf8).base64EncodedString()) }
        return forms
    }

    /// Every file under `folder`, and the bytes of each.
    static func files(under folder: URL) -> [(String, Data)] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { item in
            guard let url = item as? URL, let data = FileManager.default.contents(atPath: url.path) else { return nil }
            return (url.path, data)
        }
    }

    /// The warehouse database as `pg_dump` writes it: every row of every site.
    static func dumpWarehouse(_ url: String, into file: URL) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["pg_dump", "--data-only", "--file", file.path, url]
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["PGPASSWORD": ProcessInfo.processInfo.environment[TestPostgres.passwordVariable] ?? ""]) { $1 }
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "pg_dump exited \(process.terminationStatus)")
        return try Data(contentsOf: file)
    }

    @Test func canarySecretsReachNoOutputNoRowNoFileAndNoOtherHost() async throws {
        let warehouse = try TestPostgres.server()
        var options = SimulatorOptions()
        options.days = 1
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = options.timeZone
        options.end = calendar.startOfDay(for: Date())
        options.model.inboundPerDay = 20
        options.model.outboundPerDay = 5
        options.meiqiaToken = Self.meiqiaToken
        let simulator = Simulator(options: options)
        let running = try await simulator.start()

        // The second loopback host a redirect points at: it must see nothing.
        let elsewhere = try LoopbackHTTPServer(host: "127.0.0.2") { _ in RawResponse(status: 200, body: Data("[\"stolen\"]".utf8)) }
        let upstream = running.port
        let hostile = try LoopbackHTTPServer { request in
            if request.target.hasPrefix("/sim/") {
                var forwarded = request
                forwarded.target = String(request.target.dropFirst(4))
                return LoopbackHTTPServer.forward(forwarded, port: upstream)
            }
            if request.target.hasPrefix("/echo500/") { return RawResponse(status: 500, body: Data(request.text.utf8)) }
            if request.target.hasPrefix("/echo401/") { return RawResponse(status: 401, body: Data(request.text.utf8)) }
            // uContact's login, answered with a redirect to another host.
            return RawResponse(status: 307, headers: [("Location", "\(elsewhere.baseURL)\(request.target)")])
        }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-canary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let since = LocalDateTime(options.start, in: options.timeZone)
        let common = "since = \"\(since)\"\nsettle_minutes = 0\ntimeout_seconds = 5\nmax_attempts = 2\nretry_base_seconds = 0.01"
        let config = """
            database = "calltrail.sqlite"
            timezone = "America/Montevideo"

            [[source]]
            kind = "meiqia"
            base_url = "\(hostile.baseURL)/sim"
            password_env = "CANARY_MEIQIA_TOKEN"
            timezone = "Asia/Shanghai"
            \(common)

            [[source]]
            kind = "meiqia"
            name = "meiqia-echo"
            base_url = "\(hostile.baseURL)/echo500"
            password_env = "CANARY_MEIQIA_TOKEN"
            \(common)

            [[source]]
            kind = "ccai"
            base_url = "\(hostile.baseURL)/echo401"
            user = "canary-company"
            password_env = "CANARY_CCAI_TOKEN"
            \(common)

            [[source]]
            kind = "ucontact"
            base_url = "\(hostile.baseURL)"
            user = "supervisor"
            password_env = "CANARY_UCONTACT_PASSWORD"
            \(common)

            [warehouse]
            url = "\(warehouse.url)"
            password_env = "\(TestPostgres.passwordVariable)"
            site = "canary-\(UUID().uuidString.prefix(8).lowercased())"
            """
        let url = folder.appendingPathComponent("calltrail.toml")
        try config.write(to: url, atomically: true, encoding: .utf8)
        let result = try await CalltrailBinary.run(
            ["nightly", "--config", url.path, "--quiet"],
            environment: ["CANARY_MEIQIA_TOKEN": Self.meiqiaToken + "\n", "CANARY_CCAI_TOKEN": Self.ccaiToken + "\r\n",
                          "CANARY_UCONTACT_PASSWORD": Self.ucontactPassword])
        hostile.stop()
        elsewhere.stop()
        await running.stop()

        #expect(!result.signaled)
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        // The token that ended in a newline was read without it: the healthy source synced.
        #expect(result.stdout.contains("\"calls\":") && !result.stdout.contains("\"calls\":0,"), "\(result.stdout)")
        // Each hostile source failed, and said why without the secret.
        #expect(result.stdout.contains("answered HTTP 307 to http://127.0.0.2"), "\(result.stdout)")
        #expect(result.stdout.contains("meiqia-echo answered HTTP 500"), "\(result.stdout)")
        #expect(result.stdout.contains("ccai rejected the credentials"), "\(result.stdout)")
        // The other host saw no request at all, so no body.
        #expect(elsewhere.requests.isEmpty, "\(elsewhere.requests.map(\.text))")

        #expect(result.stdout.contains("\"stage\":\"publish\""), "\(result.stdout)")
        var places: [(String, Data)] = [("stdout", Data(result.stdout.utf8)), ("stderr", Data(result.stderr.utf8))]
        places += Self.files(under: folder)
        let dump = try Self.dumpWarehouse(warehouse.url, into: FileManager.default.temporaryDirectory.appendingPathComponent("canary-\(UUID().uuidString).sql"))
        #expect(dump.range(of: Data("meiqia-echo".utf8)) != nil, "the run's rows reached the warehouse")
        places.append(("the warehouse", dump))
        #expect(places.contains { $0.0.hasSuffix("calltrail.sqlite") })
        #expect(places.contains { $0.0.hasSuffix("report.html") })
        let canaries = Self.spellings(Self.meiqiaToken) + Self.spellings(Self.ccaiToken, user: "canary-company")
            + Self.spellings(Self.ucontactPassword)
        for (place, bytes) in places {
            for canary in canaries {
                #expect(bytes.range(of: Data(canary.utf8)) == nil, "\(canary) found in \(place)")
            }
        }
        try? FileManager.default.removeItem(at: folder)
    }
}
