import CalltrailCore
import CalltrailRecordings
import CalltrailSources
import CalltrailStore
import CalltrailTestSupport
import Foundation
import GRDB
import Logging
import Testing

/// Retention, legal holds, erasure and the audit chain, against the simulator's recordings, real
/// files and the real binary.
@Suite(.serialized) struct ComplianceTests {
    struct Setup {
        var harness: SyncHarness
        var config: URL
        var configuration: CalltrailCore.Configuration
        var store: CallStore
    }

    /// A uContact source with recordings, `[retention]` (the simulated history is months old, so
    /// 30 days removes it all) and a compliance key beside the configuration.
    func setUp(_ name: String, retention: String = "[retention]\nrecordings_days = 30\n") async throws -> Setup {
        let harness = try await SyncHarness.start()
        let url = try harness.configuration(name, overrides: [
            "telephony_records_url": "\"\(harness.running.telephonyURL)\"", "backup_records_url": "\"\(harness.running.backupURL)\"",
            "timeout_seconds": "20",
        ])
        let text = try String(contentsOf: url, encoding: .utf8)
        let sourceStart = try #require(text.range(of: "[[source]]"))
        let withTables = text[..<sourceStart.lowerBound] + "[recordings]\nfolder = \"\(name)-archive\"\n\n" + text[sourceStart.lowerBound...]
            + "\n\n" + retention
        try withTables.write(to: url, atomically: true, encoding: .utf8)
        let configuration = try CalltrailCore.Configuration.load(path: url.path)
        return Setup(harness: harness, config: url, configuration: configuration, store: try CallStore(path: configuration.databasePath))
    }

    func sync(_ setup: Setup, to: Date = SyncHarness.end) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        _ = try await SyncCoordinator.run(sources: setup.configuration.sources, store: setup.store, from: nil, to: to, logger: logger)
    }

    func fetch(_ setup: Setup, _ ids: [String]) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        _ = try await RecordingsStage.run(configuration: setup.configuration, store: setup.store, filter: CallFilter(callIDs: ids),
                                          concurrency: 4, resolvers: Platforms(), logger: logger)
    }

    func binary(_ setup: Setup, _ arguments: [String]) async throws -> CalltrailBinary.Result {
        try await CalltrailBinary.run(arguments + ["--config", setup.config.path])
    }

    func ids(_ store: CallStore, _ sql: String, _ arguments: StatementArguments = []) async throws -> [String] {
        try await store.read { db in try String.fetchAll(db, sql: sql, arguments: arguments) }
    }

    func file(_ setup: Setup, _ callID: String) async throws -> URL? {
        let path = try await ids(setup.store, "SELECT path FROM recordings WHERE call_id = ?", [callID]).first
        return path.map { URL(fileURLWithPath: setup.configuration.recordings.folder).appendingPathComponent($0) }
    }

    @Test(.timeLimit(.minutes(4)))
    func purgeNeverRemovesAHeldFileAndAHoldCoversCallsSyncedLater() async throws {
        let setup = try await setUp("purge")
        do {
            // The morning is synced and archived; a hold on the afternoon comes before its calls do.
            let noon = SyncHarness.end.addingTimeInterval(-12 * 3600)
            try await sync(setup, to: noon)
            try await fetch(setup, try await ids(setup.store, "SELECT call_id FROM calls WHERE recording_ref IS NOT NULL ORDER BY started_at LIMIT 14"))
            let stored = "SELECT call_id FROM recordings WHERE state IN ('found', 'converted') AND call_id IN (SELECT call_id FROM calls WHERE started_at %@ ?) ORDER BY call_id"
            let morning = try await ids(setup.store, stored.replacingOccurrences(of: "%@", with: "<"), [noon.timeIntervalSince1970])
            #expect(morning.count >= 8)
            let afternoon = LocalDateTime(noon, in: SyncHarness.zone).description
            let end = LocalDateTime(SyncHarness.end, in: SyncHarness.zone).description
            var result = try await binary(setup, ["hold", "add", "--case", "C-1", "--from", afternoon, "--to", end, "--reason", "claim 118"])
            #expect(result.status == 0, "\(result.stderr)")
            result = try await binary(setup, ["hold", "add", "--case", "C-2", "--call", morning[0], "--reason", "complaint"])
            #expect(result.status == 0, "\(result.stderr)")
            try await sync(setup)
            try await fetch(setup, try await ids(setup.store, """
                SELECT call_id FROM calls WHERE recording_ref IS NOT NULL AND started_at >= ? ORDER BY started_at LIMIT 8
                """, [noon.timeIntervalSince1970]))
            let later = try await ids(setup.store, stored.replacingOccurrences(of: "%@", with: ">="), [noon.timeIntervalSince1970])
            #expect(later.count >= 4)
            let archived = morning + later
            for id in archived { #expect(FileManager.default.fileExists(atPath: try #require(try await file(setup, id)).path)) }

            // A dry run lists and changes nothing.
            result = try await binary(setup, ["recordings", "purge", "--dry-run"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("would purge \(morning.count - 1) recordings"), "\(result.stdout)")
            #expect(result.stdout.contains("kept under legal hold: \(later.count + 1) recordings"), "\(result.stdout)")
            for id in archived { #expect(FileManager.default.fileExists(atPath: try #require(try await file(setup, id)).path)) }
            #expect(try await ids(setup.store, "SELECT call_id FROM recordings WHERE state = 'purged'").isEmpty)

            result = try await binary(setup, ["recordings", "purge"])
            #expect(result.status == 0, "\(result.stderr)")
            let held = Set([morning[0]] + later)
            for id in archived {
                let exists = FileManager.default.fileExists(atPath: try #require(try await file(setup, id)).path)
                #expect(exists == held.contains(id), "\(id): held files stay, the rest go")
            }
            // Each purged row stays with its hash, when and which rule.
            let purged = try await setup.store.read { db in
                try RecordingEntry.filter(Column("state") == "purged").fetchAll(db)
            }
            #expect(purged.count == morning.count - 1)
            #expect(purged.allSatisfy { $0.sha256?.count == 64 && $0.removedAt != nil && $0.path != nil })
            #expect(purged.allSatisfy { $0.removedBy == "retention: recordings_days 30" })
            // A purged recording is not fetched again.
            try await fetch(setup, morning)
            #expect(try await ids(setup.store, "SELECT call_id FROM recordings WHERE state = 'purged'").count == morning.count - 1)

            // The case's held set, exactly.
            let out = setup.harness.folder.appendingPathComponent("case-C-1")
            result = try await binary(setup, ["recordings", "pull", "--case", "C-1", "--out", out.path])
            #expect(result.status == 0, "\(result.stderr)")
            let manifest = try String(contentsOf: out.appendingPathComponent("manifest.csv"), encoding: .utf8)
            let pulled = Set(manifest.split(separator: "\r\n").dropFirst().map { String($0.split(separator: ",")[0]) })
            #expect(pulled == Set(later))
            result = try await binary(setup, ["audit", "verify"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("1 manifests re-hashed"), "\(result.stdout)")
            // A manifest changed after the pull names its row.
            try (manifest + "x").write(to: out.appendingPathComponent("manifest.csv"), atomically: true, encoding: .utf8)
            result = try await binary(setup, ["audit", "verify"])
            #expect(result.status == 1)
            let pullRow = try #require(try await setup.store.auditLog().last { $0.action == "pull" }?.id)
            #expect(result.stderr.contains("audit_log row \(pullRow) does not verify: its manifest"), "\(result.stderr)")

            // Released, the case's files go at the next purge.
            result = try await binary(setup, ["hold", "release", "--case", "C-1"])
            #expect(result.status == 0, "\(result.stderr)")
            result = try await binary(setup, ["hold", "list", "--all"])
            #expect(result.stdout.contains("case C-1: released") && result.stdout.contains("case C-2: active"), "\(result.stdout)")
            result = try await binary(setup, ["recordings", "purge"])
            #expect(result.stdout.contains("purged \(later.count) recordings"), "\(result.stdout)")
            #expect(FileManager.default.fileExists(atPath: try #require(try await file(setup, morning[0])).path))
            let actions = try await setup.store.auditLog().map(\.action)
            #expect(actions == ["hold add", "hold add", "purge", "pull", "hold release", "purge"])
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }
}
