import CalltrailArchive
import CalltrailCore
import CalltrailRecordings
@_spi(Connections) import CalltrailStore
import CalltrailSync
import CalltrailTestSupport
import CalltrailVendors
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

    /// Uruguay's numbering: the simulator's customers are national numbers (`09…`).
    static let uruguay = "[compliance]\ncountry_code = \"598\"\ntrunk_prefix = \"0\"\n"

    /// A uContact source with recordings, `[retention]` (the simulated history is months old, so
    /// 30 days removes it all), Uruguay's numbering and a compliance key beside the configuration.
    func setUp(_ name: String, retention: String = "[retention]\nrecordings_days = 30\n") async throws -> Setup {
        let harness = try await SyncHarness.start()
        let url = try harness.configuration(name, overrides: [
            "telephony_records_url": "\"\(harness.running.telephonyURL)\"", "backup_records_url": "\"\(harness.running.backupURL)\"",
            "timeout_seconds": "20",
        ])
        let text = try String(contentsOf: url, encoding: .utf8)
        let sourceStart = try #require(text.range(of: "[[source]]"))
        let withTables = text[..<sourceStart.lowerBound] + "[recordings]\nfolder = \"\(name)-archive\"\n\n" + text[sourceStart.lowerBound...]
            + "\n\n" + retention + "\n" + Self.uruguay
        try withTables.write(to: url, atomically: true, encoding: .utf8)
        let configuration = try CalltrailCore.Configuration.load(path: url.path)
        return Setup(harness: harness, config: url, configuration: configuration, store: try CallStore(path: configuration.databasePath, audit: AuditTrail(configuration: configuration)))
    }

    func sync(_ setup: Setup, to: Date = SyncHarness.end) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        _ = try await SyncCoordinator.run(sources: setup.configuration.sources, platforms: Platforms(), store: setup.store, from: nil, to: to, logger: logger)
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

    /// Whether `needle` occurs in a file's bytes. Searched by `grep` in a process of its own: closing
    /// a descriptor of the database file here would drop this process's SQLite locks on it.
    static func contains(_ url: URL, _ needle: String) throws -> Bool {
        guard FileManager.default.fileExists(atPath: url.path) else { return false }
        let grep = Process()
        grep.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        grep.arguments = ["grep", "-qaF", needle, url.path]
        try grep.run()
        grep.waitUntilExit()
        return grep.terminationStatus == 0
    }

    @Test(.timeLimit(.minutes(4)))
    func eraseRemovesTheNumberEverywhereButWhatAHoldKeeps() async throws {
        let setup = try await setUp("erase", retention: "")
        do {
            try await sync(setup)
            // A customer with calls both ways (a follow-up rang them back), and their recordings.
            let number = try #require(try await ids(setup.store, """
                SELECT customer_number FROM calls GROUP BY customer_number HAVING count(DISTINCT direction) = 2 ORDER BY 1 LIMIT 1
                """).first)
            let theirs = try await ids(setup.store, "SELECT call_id FROM calls WHERE customer_number = ? ORDER BY started_at", [number])
            #expect(theirs.count >= 2)
            let others = try await ids(setup.store, "SELECT call_id FROM calls WHERE recording_ref IS NOT NULL AND customer_number <> ? ORDER BY started_at LIMIT 4", [number])
            try await fetch(setup, theirs + others)
            let archive = URL(fileURLWithPath: setup.configuration.recordings.folder)
            let database = URL(fileURLWithPath: setup.configuration.databasePath)
            let recorded = try await ids(setup.store, "SELECT call_id FROM recordings WHERE state IN ('found', 'converted') AND call_id IN (\(theirs.map { "'\($0)'" }.joined(separator: ",")))")
            #expect(!recorded.isEmpty, "at least one of the customer's calls has a recording")
            let pages = try await SyncHarness.rawRecords(setup.store).pages
            #expect(pages.contains { $0.contains(number) }, "the vendor's pages hold the number before")
            #expect(try Self.contains(database, number) || Self.contains(URL(fileURLWithPath: database.path + "-wal"), number),
                    "the search finds the number's bytes before the erasure")

            // Held by number (case B) and one call by id (case A): nothing is erased, both are named.
            var result = try await binary(setup, ["hold", "add", "--case", "B", "--number", number, "--reason", "dispute"])
            #expect(result.status == 0, "\(result.stderr)")
            result = try await binary(setup, ["hold", "add", "--case", "A", "--call", theirs[0], "--reason", "complaint"])
            #expect(result.status == 0, "\(result.stderr)")
            result = try await binary(setup, ["erase", "--number", number, "--dry-run"])
            #expect(result.status == 0 && result.stdout.contains("would erase 0 calls"), "\(result.stdout)")
            result = try await binary(setup, ["erase", "--number", number])
            #expect(result.status == 1)
            #expect(result.stderr.contains("\(theirs.count) calls of the number are under legal hold (case A, B) and were not erased"), "\(result.stderr)")
            #expect(try await ids(setup.store, "SELECT call_id FROM calls WHERE customer_number = ?", [number]).count == theirs.count)

            // Case B released: all but case A's call are erased, and that one is reported.
            result = try await binary(setup, ["hold", "release", "--case", "B"])
            #expect(result.status == 0, "\(result.stderr)")
            result = try await binary(setup, ["erase", "--number", number])
            #expect(result.status == 1)
            #expect(result.stdout.contains("held, left: ucontact \(theirs[0]) (case A)"), "\(result.stdout)")
            #expect(result.stdout.contains("an erasure for this number was already made"), "\(result.stdout)")
            #expect(try await ids(setup.store, "SELECT call_id FROM calls WHERE customer_number = ?", [number]) == [theirs[0]])
            let keptPages = try await SyncHarness.rawRecords(setup.store)
            #expect(keptPages.records["ucontact/\(theirs[0])"].map { "\($0)".contains(number) } == true, "the held call's vendor record is intact")

            // Released too: the number leaves the database, its WAL and the archive.
            result = try await binary(setup, ["hold", "release", "--case", "A"])
            result = try await binary(setup, ["erase", "--number", number])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("erased 1 calls"), "\(result.stdout)")
            for url in [database, URL(fileURLWithPath: database.path + "-wal")] {
                #expect(try !Self.contains(url, number), "\(url.lastPathComponent) holds no byte run of the number")
            }
            let files = FileManager.default.enumerator(at: archive, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
            #expect(!files.isEmpty, "the other customers' recordings stay")
            for file in files { #expect(try !Self.contains(file, number)) }
            let after = try await SyncHarness.rawRecords(setup.store)
            #expect(!after.pages.contains { $0.contains(number) }, "the vendor's pages are masked")
            #expect(after.pages.count == pages.count)
            for page in after.pages { #expect((try? JSONSerialization.jsonObject(with: Data(page.utf8))) != nil, "every page is still JSON") }
            // The other records of the pages are as they were: the other customers' calls still read back.
            for id in others { #expect(after.records["ucontact/\(id)"] == keptPages.records["ucontact/\(id)"]) }
            #expect(try await ids(setup.store, "SELECT state FROM recordings WHERE call_id IN (\(recorded.map { "'\($0)'" }.joined(separator: ",")))").allSatisfy { $0 == "erased" })
            #expect(try await SyncHarness.count(setup.store, "SELECT count(*) FROM erasures") == 3)
            #expect(try await SyncHarness.count(setup.store, "SELECT count(DISTINCT subject_hmac) FROM erasures") == 1, "one subject, recognised")
            result = try await binary(setup, ["audit", "verify"])
            #expect(result.status == 0, "\(result.stderr)")
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func editingAnAuditRowWithTheTriggersDroppedFailsVerifyOnThatRow() async throws {
        let setup = try await setUp("audit", retention: "")
        do {
            for case_ in ["X", "Y", "Z"] {
                let result = try await binary(setup, ["hold", "add", "--case", case_, "--agent", "ana.perez", "--reason", "review"])
                #expect(result.status == 0, "\(result.stderr)")
            }
            var result = try await binary(setup, ["audit", "verify"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("3 audit rows verify"), "\(result.stdout)")
            // Append-only by triggers; with them dropped, an edit still shows.
            try await setup.store.write { db in
                try db.execute(sql: "DROP TRIGGER audit_log_is_append_only_update; DROP TRIGGER audit_log_is_append_only_delete")
                try db.execute(sql: "UPDATE audit_log SET os_user = 'someone-else' WHERE id = 2")
            }
            result = try await binary(setup, ["audit", "verify"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("audit_log row 2 does not verify: its keyed hash does not match its fields"), "\(result.stderr)")
            // Removing the row instead breaks the link of the next one.
            try await setup.store.write { db in try db.execute(sql: "DELETE FROM audit_log WHERE id = 2") }
            result = try await binary(setup, ["audit", "verify"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("audit_log row 3 does not verify: its previous-row hash"), "\(result.stderr)")
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }

    @Test(.timeLimit(.minutes(3)))
    func aNightlySampleGoesOverTheWholeArchiveWithinOneOverPercentNights() async throws {
        let setup = try await setUp("sample", retention: "")
        do {
            try await sync(setup)
            try await fetch(setup, try await ids(setup.store, "SELECT call_id FROM calls WHERE recording_ref IS NOT NULL ORDER BY started_at LIMIT 12"))
            let total = try await setup.store.storedRecordingCount(CallFilter())
            #expect(total >= 8)
            let archive = RecordingArchive(root: URL(fileURLWithPath: setup.configuration.recordings.folder), timeZone: SyncHarness.zone)
            let verifier = RecordingVerifier(store: setup.store, archive: archive, key: nil)
            let percent = 25.0
            var seen: Set<String> = []
            let nights = Int((100 / percent).rounded(.up))
            for night in 0..<nights {
                let now = SyncHarness.end.addingTimeInterval(Double(night) * 86_400)
                let result = try await verifier.verify(sample: percent, now: now, user: "nightly")
                #expect(result.checked == Int((Double(total) * percent / 100).rounded(.up)))
                #expect(result.problems.isEmpty)
                let verified = try await ids(setup.store, "SELECT call_id FROM recordings WHERE verified_at = ?", [now.timeIntervalSince1970])
                #expect(seen.isDisjoint(with: verified) || seen.count + verified.count > total, "each night takes those verified longest ago")
                seen.formUnion(verified)
            }
            #expect(seen.count == total, "every file within \(nights) nights")
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }

    @Test(.timeLimit(.minutes(3)))
    func callsPastCallsDaysGoWithTheirPagesExceptHeldOnes() async throws {
        let retention = """
            [retention]
            recordings_days = 30
            calls_days = 30
            [[retention.override]]
            source = "ucontact"
            queue = "Ventas->"
            recordings_days = 20
            """
        let setup = try await setUp("calls", retention: retention)
        do {
            try await sync(setup)
            try await fetch(setup, try await ids(setup.store, "SELECT call_id FROM calls WHERE recording_ref IS NOT NULL ORDER BY started_at LIMIT 30"))
            let kept = Array(try await ids(setup.store, "SELECT call_id FROM calls ORDER BY started_at LIMIT 1"))
            #expect(kept.count == 1)
            let ventasCalls = try await ids(setup.store, "SELECT call_id FROM calls WHERE queue = 'Ventas->'")
            let pagesBefore = try await SyncHarness.count(setup.store, "SELECT count(*) FROM raw_pages")
            var result = try await binary(setup, ["hold", "add", "--case", "Q", "--call", kept[0], "--reason", "quality review"])
            #expect(result.status == 0, "\(result.stderr)")
            result = try await binary(setup, ["recordings", "purge", "--dry-run"])
            #expect(result.stdout.contains("would delete call ucontact"), "\(result.stdout)")
            result = try await binary(setup, ["recordings", "purge"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try await ids(setup.store, "SELECT call_id FROM calls ORDER BY call_id") == kept, "only the held call stays")
            let pagesAfter = try await SyncHarness.count(setup.store, "SELECT count(*) FROM raw_pages")
            let pointed = try await SyncHarness.count(setup.store, "SELECT count(DISTINCT raw_page) FROM calls")
            #expect(pagesAfter == pointed && pagesAfter < pagesBefore, "pages no kept call points at are gone (\(pagesBefore) → \(pagesAfter))")
            #expect(try await SyncHarness.count(setup.store, "SELECT count(*) FROM calls c WHERE NOT EXISTS (SELECT 1 FROM raw_pages p WHERE p.id = c.raw_page)") == 0,
                    "every kept call keeps its vendor record")
            // The override names its rule; the rest fall to the general one.
            let rules = Set(try await ids(setup.store, "SELECT DISTINCT removed_by FROM recordings WHERE state = 'purged'"))
            #expect(rules.isSubset(of: ["retention source ucontact queue Ventas->: recordings_days 20", "retention: recordings_days 30"]))
            #expect(rules.contains("retention: recordings_days 30"))
            let ventas = try await ids(setup.store, """
                SELECT DISTINCT removed_by FROM recordings WHERE state = 'purged' AND call_id IN (\(ventasCalls.map { "'\($0)'" }.joined(separator: ",")))
                """)
            #expect(!ventas.isEmpty && ventas.allSatisfy { $0.contains("Ventas->") }, "\(ventas)")
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }
}
