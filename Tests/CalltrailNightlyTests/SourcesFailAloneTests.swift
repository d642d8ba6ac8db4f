import CalltrailCore
import CalltrailSimulator
import CalltrailTestSupport
import Foundation
import GRDB
import Testing

/// Issue #33, item 3: a source whose vendor refuses its credentials fails alone. The real binary's
/// nightly against the simulator's four vendors, Meiqia's token wrong.
@Suite(.serialized) struct SourcesFailAloneTests {
    @Test(.timeLimit(.minutes(4)))
    func aRefusedMeiqiaTokenFailsMeiqiaAloneAndTheNightGoesOn() async throws {
        var options = SimulatorOptions()
        options.days = 1
        options.seed = 33
        let simulator = Simulator(options: options)
        let running = try await simulator.start()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-alone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let sources = simulator.demoSources(baseURL: running.baseURL)
            let config = folder.appendingPathComponent("calltrail.toml")
            try DemoConfiguration.toml(sources: sources, baseURL: running.baseURL, timeZone: options.timeZone)
                .write(to: config, atomically: true, encoding: .utf8)
            func writeSecrets(meiqia: String?) throws {
                for source in sources {
                    let path = folder.appendingPathComponent("\(source.kind).secret").path
                    try? FileManager.default.removeItem(atPath: path)
                    FileManager.default.createFile(atPath: path, contents: Data((source.kind == "meiqia" ? meiqia ?? source.secret : source.secret).utf8),
                                                   attributes: [.posixPermissions: 0o600])
                }
            }
            try writeSecrets(meiqia: "revoked-token-123")
            let report = folder.appendingPathComponent("report")
            let night = try await CalltrailBinary.run(["nightly", "--config", config.path, "--quiet", "--report-out", report.path], timeout: 200)
            #expect(night.status == 1, "\(night.stderr)")
            #expect(!night.stdout.contains("revoked-token-123") && !night.stderr.contains("revoked-token-123"))
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(night.stdout.utf8)) as? [String: Any], "\(night.stdout) \(night.stderr)")
            let stages = try #require(summary["stages"] as? [[String: Any]])
            #expect(stages.map { $0["stage"] as? String } == ["sync", "recordings", "retention", "report"], "every later stage ran")
            #expect(stages[0]["failures"] as? Int == 1)
            #expect((stages[0]["error"] as? String)?.hasPrefix("meiqia: meiqia rejected the token") == true, "\(stages[0])")
            #expect(FileManager.default.fileExists(atPath: report.appendingPathComponent("report.html").path), "the report rendered")
            let database = try DatabaseQueue(path: folder.appendingPathComponent("calltrail.sqlite").path)
            let synced = try await database.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT source FROM calls ORDER BY source") }
            #expect(synced == ["ccai", "ucontact", "vonage"], "the three healthy sources synced")

            // The token fixed, the next night syncs Meiqia too: every record stored once.
            try writeSecrets(meiqia: nil)
            let next = try await CalltrailBinary.run(["nightly", "--config", config.path, "--quiet", "--report-out", report.path], timeout: 200)
            // (The simulator's corrupt recordings still fail the recordings stage: exit 1 is theirs.)
            let nextSummary = try #require(try JSONSerialization.jsonObject(with: Data(next.stdout.utf8)) as? [String: Any], "\(next.stdout) \(next.stderr)")
            let nextSync = try #require((nextSummary["stages"] as? [[String: Any]])?.first)
            #expect(nextSync["failures"] as? Int == 0, "\(nextSync)")
            let (calls, distinct, meiqia) = try await database.read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM calls") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT DISTINCT source, call_id FROM calls)") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM calls WHERE source = 'meiqia'") ?? 0)
            }
            #expect(calls == distinct)
            #expect(meiqia == simulator.meiqiaCalls)
        } catch {
            await running.stop()
            throw error
        }
        await running.stop()
    }
}
