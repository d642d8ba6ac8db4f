import CalltrailArchive
import CalltrailAudio
import CalltrailCore
import CalltrailRecordings
import CalltrailSimulator
@_spi(Connections) import CalltrailStore
import CalltrailTestSupport
import CalltrailVendors
import Crypto
import Foundation
import GRDB
import Logging
import Testing

/// The recordings stage against the simulator's two recording servers, with each case placed by hand.
@Suite(.serialized) struct RecordingsTests {
    struct Setup: Sendable {
        let harness: SyncHarness
        let configuration: CalltrailCore.Configuration
        let store: CallStore
        /// Answered calls of the history, by call id.
        let calls: [String]
    }

    func setUp(_ name: String) async throws -> Setup {
        let harness = try await SyncHarness.start()
        let url = try harness.configuration(name, overrides: [
            "telephony_records_url": "\"\(harness.running.telephonyURL)\"",
            "backup_records_url": "\"\(harness.running.backupURL)\"",
        ])
        let configuration = try CalltrailCore.Configuration.load(path: url.path)
        let (store, _) = try await harness.sync(name)
        let calls = try await store.read { db in
            try String.fetchAll(db, sql: "SELECT call_id FROM calls WHERE recording_ref IS NOT NULL ORDER BY started_at LIMIT 40")
        }
        return Setup(harness: harness, configuration: configuration, store: store, calls: calls)
    }

    func fetch(_ setup: Setup, _ ids: [String]) async throws -> RecordingsSummary {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try await RecordingsStage.run(configuration: setup.configuration, store: setup.store,
                                             filter: CallFilter(callIDs: ids), concurrency: 4, resolvers: Platforms(), logger: logger)
    }

    func entry(_ setup: Setup, _ id: String) async throws -> RecordingEntry {
        try #require(try await setup.store.read { db in try RecordingEntry.fetchOne(db, key: ["source": "ucontact", "call_id": id]) })
    }

    func mpg123Samples(_ url: URL) throws -> Int {
        let out = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["mpg123", "-q", "-m", "-e", "s16", "-s", url.path]
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data.count / 2
    }

    @Test(.timeLimit(.minutes(3)))
    func everyLocationFormatAndFailureEndsInTheRightLedgerState() async throws {
        let setup = try await setUp("recordings")
        let server = setup.harness.simulator.recordings
        let c = setup.calls
        let placements: [RecordingPlacement] = [
            .mp3(.telephonyDay), .mp3(.telephony), .mp3(.backupDay), .mp3(.backup),
            .gsm(.backup, wav49: false, convertible: true),
            .gsm(.telephony, wav49: false, convertible: false),
            .gsm(.backupDay, wav49: true, convertible: false),
            .corrupt(.telephonyDay), .htmlPage(.backup), .missing,
        ]
        for (index, placement) in placements.enumerated() { await server.place(c[index], placement) }
        do {
            let summary = try await fetch(setup, Array(c.prefix(placements.count)))
            #expect(summary.attempted == 10)

            for (index, location) in ["telephony-day", "telephony", "backup-day", "backup"].enumerated() {
                let found = try await entry(setup, c[index])
                #expect(found.state == .found, "\(location): \(found.lastError ?? "")")
                #expect(found.location == location)
                #expect(found.formatFound == "mp3")
                #expect(found.converted == false)
            }
            let byServer = try await entry(setup, c[4])
            #expect(byServer.state == .converted)
            #expect(byServer.converted == false, "the platform converted it")
            #expect(byServer.location == "backup")
            #expect(await server.convertRequests >= 3)

            let archive = URL(fileURLWithPath: setup.configuration.recordings.folder)
            for (index, format) in [(5, "gsm"), (6, "wav49")] {
                let local = try await entry(setup, c[index])
                #expect(local.state == .converted, "\(local.lastError ?? "")")
                #expect(local.converted == true)
                #expect(local.formatFound == format)
                let mp3 = archive.appendingPathComponent(try #require(local.path))
                #expect(AudioFormat.sniff(try Data(contentsOf: mp3)) == .mp3)
                #expect(FileHash.sha256(try Data(contentsOf: mp3)) == local.sha256)
                // The GSM as served, decoded by libgsm, against the MP3 decoded by mpg123.
                let gsm = try #require(await server.audio(c[index], format: format))
                let gsmSamples = try Transcoder.decode(gsm, format: AudioFormat.sniff(gsm)) { _, _ in }.samples
                #expect(abs(try mpg123Samples(mp3) - gsmSamples) <= 320, "within 40 ms")
                let attributes = try FileManager.default.attributesOfItem(atPath: mp3.path)
                #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o640)
            }

            let corrupt = try await entry(setup, c[7])
            #expect(corrupt.state == .failed)
            #expect(corrupt.lastError?.contains("is not audio") == true)
            let html = try await entry(setup, c[8])
            #expect(html.state == .failed)
            #expect(html.lastError?.contains("an HTML page served as 200") == true)
            #expect(try await entry(setup, c[9]).state == .missing)
            let incoming = (try? FileManager.default.contentsOfDirectory(atPath: archive.appendingPathComponent(".incoming").path)) ?? []
            #expect(incoming.isEmpty, "no partial file left behind")

            // A second run tries only what is not stored: the two failures and the missing one.
            let again = try await fetch(setup, Array(c.prefix(placements.count)))
            #expect(again.attempted == 3)
            #expect(try await entry(setup, c[7]).attempts == 2)
            #expect(try await entry(setup, c[0]).attempts == 1)
            // Every row, whatever its state, carries its call's instant: reports find a day's rows by it.
            let placed = try await setup.store.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT r.call_at IS coalesce(c.queued_at, c.started_at) AS placed FROM recordings r JOIN calls c USING (source, call_id)
                    """).map { $0["placed"] as Bool }
            }
            #expect(placed.count == placements.count)
            #expect(placed.allSatisfy { $0 })
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func unsafeGuidsAreRefusedBeforeAnyRequest() async throws {
        for name in ["../../etc/passwd", "a/b", "x%2Fy", "..", ".hidden", "", String(repeating: "a", count: 200)] {
            #expect(throws: RecordingName.Invalid.self) { try RecordingName.validate(name) }
        }
        #expect(try RecordingName.validate("7e4e7db9-f080-494e-b04b-7c8e47711558") == "7e4e7db9-f080-494e-b04b-7c8e47711558")
        #expect(try RecordingName.validate("1453122900.123") == "1453122900.123")

        let setup = try await setUp("unsafe")
        do {
            try await setup.store.write { db in
                try db.execute(sql: "UPDATE calls SET recording_ref = '../../etc/passwd' WHERE call_id = ?", arguments: [setup.calls[0]])
                try db.execute(sql: "UPDATE calls SET recording_ref = 'x%2Fy' WHERE call_id = ?", arguments: [setup.calls[1]])
            }
            let before = await setup.harness.simulator.recordings.fileRequests
            _ = try await fetch(setup, Array(setup.calls.prefix(2)))
            #expect(await setup.harness.simulator.recordings.fileRequests == before, "no request for an unsafe name")
            for id in setup.calls.prefix(2) {
                let refused = try await entry(setup, id)
                #expect(refused.state == .failed)
                #expect(refused.lastError?.contains("is not a safe file name") == true)
            }
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }

    /// A download answered 429 with `Retry-After: 1` is asked again no sooner than a second later:
    /// downloads follow the same retry policy as pages.
    @Test(.timeLimit(.minutes(2)))
    func aThrottledDownloadWaitsWhatRetryAfterAsks() async throws {
        let setup = try await setUp("throttled")
        let server = setup.harness.simulator.recordings
        let c = setup.calls
        await server.place(c[0], .mp3(.telephonyDay))
        await server.place(c[1], .gsm(.backup, wav49: false, convertible: false))
        await server.setThrottle(retryAfter: 1)
        do {
            let summary = try await fetch(setup, Array(c.prefix(2)))
            await server.setThrottle(retryAfter: nil)
            #expect(summary.failed == 0, "\(summary.failures)")
            #expect(try await entry(setup, c[0]).state == .found)
            #expect(try await entry(setup, c[1]).state == .converted)
            let times = await server.getTimes.filter { path, _ in c.prefix(2).contains { path.contains($0) } }
            #expect(!times.isEmpty)
            for (path, arrivals) in times where arrivals.count >= 2 {
                #expect(arrivals[1].timeIntervalSince(arrivals[0]) >= 0.95, "\(path) asked again after \(arrivals[1].timeIntervalSince(arrivals[0])) s")
            }
            #expect(times.values.filter { $0.count >= 2 }.count >= 2, "each download was throttled once and retried")
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }

    /// Every recording at the last of the four locations (the backup server, which refuses HEAD): the
    /// first costs four probes, one refused HEAD and a download; every later one (the same day or not)
    /// one download at the learned location, which is its probe too.
    @Test(.timeLimit(.minutes(2)))
    func theLocationThatServedTheLastHitIsProbedFirst() async throws {
        let setup = try await setUp("learned")
        let server = setup.harness.simulator.recordings
        let c = setup.calls
        for id in c { await server.place(id, .mp3(.backup)) }
        do {
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let before = await server.fileRequests
            let summary = try await RecordingsStage.run(configuration: setup.configuration, store: setup.store, filter: CallFilter(callIDs: c),
                                                        concurrency: 1, resolvers: Platforms(), logger: logger)
            #expect(summary.states[.found] == c.count, "\(summary.failures)")
            #expect(summary.locations["backup"] == c.count)
            #expect(summary.requests == 6 + (c.count - 1))
            #expect(await server.fileRequests - before == summary.requests - 1, "the server counts all but the refused HEAD")
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }

    /// A GSM file whose size is no multiple of 33 bytes is decoded to its last whole frame, and the
    /// ledger and the fetch's summary say it is incomplete and by how many bytes.
    @Test(.timeLimit(.minutes(2)))
    func aTruncatedGSMFileIsArchivedWithANoteSayingSo() async throws {
        let setup = try await setUp("truncated")
        let server = setup.harness.simulator.recordings
        let c = setup.calls
        await server.place(c[0], .truncatedGSM(.telephony))
        do {
            let summary = try await fetch(setup, [c[0]])
            let stored = try await entry(setup, c[0])
            #expect(stored.state == .converted)
            let served = try #require(await server.audio(c[0], format: "gsm"))
            let trailing = (served.count - 10) % 33
            #expect(trailing > 0)
            #expect(stored.note?.contains("incomplete: \(trailing) bytes after the last whole 33-byte frame") == true, "\(stored.note ?? "no note")")
            #expect(summary.notes.count == 1)
            #expect(stored.originBytes == served.count - 10)
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func pullManifestHashesTheFilesAndVerifyCatchesAChangedByte() async throws {
        let setup = try await setUp("pull")
        let server = setup.harness.simulator.recordings
        let c = setup.calls
        await server.place(c[0], .mp3(.telephonyDay))
        await server.place(c[1], .gsm(.telephony, wav49: true, convertible: false))
        await server.place(c[2], .mp3(.backup))
        do {
            _ = try await fetch(setup, Array(c.prefix(3)))
            let number = try #require(try await setup.store.read { db in
                try String.fetchOne(db, sql: "SELECT customer_number FROM calls WHERE call_id = ?", arguments: [c[1]])
            })
            let archive = RecordingArchive(root: URL(fileURLWithPath: setup.configuration.recordings.folder), timeZone: setup.configuration.timeZone)
            let out = setup.harness.folder.appendingPathComponent("case-4711")
            // The number as a person types it, with spaces, normalized to E.164 under Uruguay's settings.
            let spaced = String(number.prefix(3)) + " " + String(number.dropFirst(3))
            let plan = NumberPlan(countryCode: "598", trunkPrefix: "0")
            let e164 = try plan.normalize(given: spaced)
            try await setup.store.normalizeNumbers(adopting: plan)
            let key = SubjectKey(bytes: Array(repeating: 7, count: 32))
            let result = try await CompliancePull(store: setup.store, archive: archive, key: key)
                .pull(CallFilter(callIDs: Array(c.prefix(3)), number: e164), into: out, user: "compliance-officer")
            #expect(result.files == 1)

            let manifest = try String(contentsOf: result.manifest, encoding: .utf8)
            let lines = manifest.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            #expect(lines[0] == ["call_id", "source", "start_time", "agent", "customer_number", "duration_s", "file", "bytes", "sha256", "origin_location", "converted",
                                 "origin_url", "origin_bytes", "origin_sha256", "note", "audit_head_id", "audit_head_sha256"])
            #expect(lines.count == 2)
            #expect(lines[1].suffix(2) == ["0", AuditChain.genesis], "the chain's head before this pull: the empty log")
            let row = lines[1]
            #expect(row[0] == c[1])
            #expect(row[9] == "telephony")
            #expect(row[10] == "yes")
            // Provenance: the WAV49 file exactly as the server served it, beside the MP3 made from it.
            let served = try #require(await server.audio(c[1], format: "wav49"))
            #expect(row[11].hasSuffix("/telephony/records/\(c[1]).gsm"))
            #expect(row[12] == String(served.count))
            #expect(row[13] == SHA256.hash(data: served).map { String(format: "%02x", $0) }.joined())
            #expect(row[13] != row[8])
            // An independent hash of the copied file: sha256sum.
            let sum = Process()
            sum.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            sum.arguments = ["sha256sum", out.appendingPathComponent(row[6]).path]
            let pipe = Pipe()
            sum.standardOutput = pipe
            try sum.run()
            sum.waitUntilExit()
            let independent = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64)
            #expect(row[8] == String(independent))
            #expect(row[7] == String((try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(row[6]).path)[.size] as! NSNumber).intValue))

            let audit = try await setup.store.auditLog()
            #expect(audit.count == 1)
            #expect(audit[0].action == "pull")
            #expect(audit[0].osUser == "compliance-officer")
            #expect(audit[0].count == 1)
            #expect(audit[0].manifestSha256 == result.manifestSHA256)
            #expect(audit[0].filters.contains(key.hash(number: e164)), "the number only as its keyed hash")
            #expect(!audit[0].filters.contains(spaced.filter(\.isNumber).suffix(6)))

            let verifier = RecordingVerifier(store: setup.store, archive: archive, key: key)
            #expect(try await verifier.verify().problems.isEmpty)
            // Change one byte of one archived file.
            let stored = try await entry(setup, c[0])
            let file = archive.root.appendingPathComponent(try #require(stored.path))
            var bytes = try Data(contentsOf: file)
            bytes[bytes.count / 2] ^= 0x01
            try bytes.write(to: file)
            let result2 = try await verifier.verify()
            #expect(result2.checked == 3)
            #expect(result2.problems.map(\.path) == [stored.path!])
            #expect(try await setup.store.auditLog().last?.problems == 1)
            // The audit log cannot be rewritten.
            await #expect(throws: DatabaseError.self) {
                try await setup.store.write { db in try db.execute(sql: "DELETE FROM audit_log") }
            }
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }
}

@Suite(.serialized) struct RecordingWriteFailureTests {
    /// The archive cannot take the file (its final name is taken by a folder, as a full or broken disk
    /// would refuse it): the recording is recorded as failed with the error and fetched by the next run.
    @Test(.timeLimit(.minutes(2)))
    func aFileThatCannotBeWrittenIsFailedAndRetried() async throws {
        let tests = RecordingsTests()
        let setup = try await tests.setUp("diskfull")
        let id = setup.calls[0]
        await setup.harness.simulator.recordings.place(id, .mp3(.telephonyDay))
        do {
            let started = try await setup.store.read { db in
                try Double.fetchOne(db, sql: "SELECT started_at FROM calls WHERE call_id = ?", arguments: [id])
            }
            let archive = RecordingArchive(root: URL(fileURLWithPath: setup.configuration.recordings.folder), timeZone: setup.configuration.timeZone)
            let relative = try archive.relativePath(source: "ucontact", callID: id, startedAt: Date(timeIntervalSince1970: try #require(started)))
            let blocker = archive.root.appendingPathComponent(relative).appendingPathComponent("blocker")
            try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: true)

            _ = try await tests.fetch(setup, [id])
            let failed = try await tests.entry(setup, id)
            #expect(failed.state == .failed)
            #expect(failed.lastError?.contains("rename") == true, "\(failed.lastError ?? "")")
            let incoming = (try? FileManager.default.contentsOfDirectory(atPath: archive.root.appendingPathComponent(".incoming").path)) ?? []
            #expect(incoming.isEmpty, "the temporary file was removed")

            try FileManager.default.removeItem(at: archive.root.appendingPathComponent(relative))
            _ = try await tests.fetch(setup, [id])
            let retried = try await tests.entry(setup, id)
            #expect(retried.state == .found)
            #expect(retried.attempts == 2)
            #expect(retried.lastError == nil)
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }
}

@Suite(.serialized) struct EndlessResponseTests {
    /// A recording server that sends a few bytes and then nothing: the download is cut off by
    /// `[recordings] timeout_seconds`, recorded as failed, and the run goes on.
    @Test(.timeLimit(.minutes(2)))
    func aStalledDownloadIsCutOffAndRecordedAsFailed() async throws {
        let harness = try await SyncHarness.start()
        do {
            let (store, _) = try await harness.sync("stall")
            let url = try harness.configuration("stall", overrides: [
                "telephony_records_url": "\"\(harness.running.telephonyURL)\"",
                "backup_records_url": "\"\(harness.running.backupURL)\"",
                "max_attempts": "2",
            ])
            try (String(contentsOf: url, encoding: .utf8) + "\n\n[recordings]\ntimeout_seconds = 1\n").write(to: url, atomically: true, encoding: .utf8)
            let id = try #require(try await store.read { db in
                try String.fetchOne(db, sql: "SELECT call_id FROM calls WHERE recording_ref IS NOT NULL ORDER BY started_at LIMIT 1")
            })
            await harness.simulator.recordings.place(id, .mp3(.telephonyDay))
            await harness.simulator.recordings.setHang(after: 0)
            let started = Date()
            let result = try await CalltrailBinary.run(["recordings", "fetch", "--config", url.path, "--call", id, "--quiet"])
            await harness.simulator.recordings.setHang(after: nil)
            #expect(result.status == 1)
            #expect(Date().timeIntervalSince(started) < 30, "cut off, not waited out")
            let entry = try #require(try await store.read { db in
                try RecordingEntry.fetchOne(db, key: ["source": "ucontact", "call_id": id])
            })
            #expect(entry.state == .failed)
            // Cut off by the 1 s limit: while the body stalls ("timed out after 1 s"), or, on a loaded machine
            // where the server's headers come later than that, before them ("(timed out)").
            #expect(entry.lastError?.contains("timed out") == true, "\(entry.lastError ?? "")")
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
