import CalltrailArchive
import CalltrailCore
import CalltrailNightly
import CalltrailRecordings
import CalltrailSimulator
@_spi(Connections) import CalltrailStore
import Crypto
import CalltrailTestSupport
import Foundation
import GRDB
import Testing

/// `calltrail nightly` as cron runs it: the real binary, its lock, its dry run, its survival.
@Suite(.serialized) struct NightlyTests {
    func recordingsConfiguration(_ harness: SyncHarness, _ name: String, timeout: String = "0.5") throws -> URL {
        try harness.configuration(name, overrides: [
            "telephony_records_url": "\"\(harness.running.telephonyURL)\"",
            "backup_records_url": "\"\(harness.running.backupURL)\"",
            "timeout_seconds": timeout,
        ])
    }

    func sha256(_ path: String) throws -> String {
        SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path))).map { String(format: "%02x", $0) }.joined()
    }

    @Test func aSecondRunExitsThreeNamingTheHolder() async throws {
        let harness = try await SyncHarness.start()
        let config = try harness.configuration("locked")
        let lock = try RunLock(path: harness.folder.appendingPathComponent("locked.sqlite.lock").path)
        let result = try await CalltrailBinary.run(["nightly", "--config", config.path])
        withExtendedLifetime(lock) {}
        await harness.stop()
        #expect(result.status == 3)
        #expect(result.stderr.hasPrefix("calltrail: another calltrail run holds the lock"))
        #expect(result.stderr.contains("pid \(getpid()) since "))
    }

    @Test(.timeLimit(.minutes(2)))
    func withoutATerminalProgressComesAsLogLinesAndQuietSilencesThem() async throws {
        let harness = try await SyncHarness.start()
        do {
            let config = try harness.configuration("progress", overrides: ["timeout_seconds": "20"])
            let loud = try await CalltrailBinary.run(["nightly", "--config", config.path, "--report-out", harness.folder.appendingPathComponent("r").path])
            #expect(loud.status == 0, "\(loud.stderr)")
            // The first line counts the pages committed by then: one, or more when windows commit together.
            #expect(loud.stderr.contains(/progress: sync ucontact [1-9][0-9]* pages/), "\(loud.stderr)")
            #expect(loud.stdout.contains("sync: calls \(harness.simulator.generatedCalls)"))
            let quiet = try await CalltrailBinary.run(["nightly", "--config", config.path, "--quiet", "--report-out", harness.folder.appendingPathComponent("r").path])
            #expect(quiet.status == 0)
            #expect(quiet.stderr.isEmpty)
            #expect(quiet.stdout.split(separator: "\n").count == 1, "only the JSON summary")
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func aDryRunChangesNothing() async throws {
        let harness = try await SyncHarness.start()
        do {
            let config = try harness.configuration("dry", overrides: ["timeout_seconds": "20"])
            // Stop the first run inside a window so the dry run has a resume to show.
            let first = try await CalltrailBinary.run(["sync", "--config", config.path, "--to", "2026-03-03"])
            #expect(first.status == 0)
            let database = harness.folder.appendingPathComponent("dry.sqlite").path
            // The sync took the run lock (its file stays, unlocked): gone, so the dry run's lock would show.
            try FileManager.default.removeItem(atPath: database + ".lock")
            let before = try sha256(database)
            let result = try await CalltrailBinary.run(["nightly", "--config", config.path, "--dry-run"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("sync ucontact (ucontact) at \(harness.running.baseURL)"))
            #expect(result.stdout.contains("  window 2026-03-02T22:00:00-03:00 – "), "from the cursor minus the 2 h lookback")
            #expect(result.stdout.contains("report "))
            #expect(try sha256(database) == before)
            #expect(!FileManager.default.fileExists(atPath: database + ".lock"))
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test(.timeLimit(.minutes(5)))
    func aVendorDownAllRunExitsOneKeepsTheCursorAndTheNextRunCatchesUp() async throws {
        var down = FaultPlan()
        down.hangAfterRequests = 0
        let harness = try await SyncHarness.start(faults: down)
        do {
            // Each hanging request gives up after 0.5 s.
            let config = try harness.configuration("down", overrides: ["max_attempts": "2", "timeout_seconds": "0.5"])
            let result = try await CalltrailBinary.run(["nightly", "--config", config.path, "--quiet", "--report-out", harness.folder.appendingPathComponent("r1").path])
            #expect(result.status == 1)
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(summary["status"] as? String == "failures")
            let stages = try #require(summary["stages"] as? [[String: Any]])
            #expect(stages[0]["failures"] as? Int == 1)
            #expect((stages[0]["error"] as? String)?.contains("cannot reach ucontact") == true)
            #expect(stages[2]["failures"] as? Int == 0, "the report still rendered")
            let store = try CallStore(path: harness.folder.appendingPathComponent("down.sqlite").path)
            #expect(try await store.cursor(source: "ucontact", endpoint: "Cdr/getrecords")?.completeUntil == nil)

            await harness.simulator.ucontact.setFaults(FaultPlan())
            // The vendor is back: the harness's usual request timeout, so a loaded machine is not a vendor down.
            let healthy = try harness.configuration("down", overrides: ["max_attempts": "2"])
            let again = try await CalltrailBinary.run(["nightly", "--config", healthy.path, "--quiet", "--report-out", harness.folder.appendingPathComponent("r2").path])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try await store.callCount() == harness.simulator.generatedCalls)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func killedWhileRenderingTheReportTheNextRunLeavesWholeFilesOnly() async throws {
        let harness = try await SyncHarness.start()
        do {
            // Nothing here is about timeouts: the three runs' requests wait as long as a loaded machine needs
            // (at 0.5 s, the second run's sync timed out while other suites ran beside it).
            let config = try harness.configuration("report-kill", overrides: ["timeout_seconds": "10"])
            // Kill as soon as the report stage is writing (its .incoming/ folder exists). The kill must land
            // mid-report: the run dies by the signal before report.html is in place. On a loaded machine
            // the run may finish between two looks; then it is tried again into a fresh folder.
            var report = harness.folder.appendingPathComponent("report")
            var landed = false
            for attempt in 1...5 where !landed {
                report = harness.folder.appendingPathComponent("report-\(attempt)")
                let (process, _, _) = try CalltrailBinary.start(["nightly", "--config", config.path, "--quiet", "--report-out", report.path])
                for _ in 0..<60_000 {
                    if FileManager.default.fileExists(atPath: report.appendingPathComponent(".incoming").path) || !process.isRunning { break }
                    try await Task.sleep(for: .milliseconds(1))
                }
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                landed = process.terminationReason == .uncaughtSignal
                    && !FileManager.default.fileExists(atPath: report.appendingPathComponent("report.html").path)
            }
            #expect(landed, "five runs ended before a kill could land while the report was being written")

            let again = try await CalltrailBinary.run(["nightly", "--config", config.path, "--quiet", "--report-out", report.path])
            #expect(again.status == 0, "\(again.stderr) OUT \(again.stdout)")
            let clean = harness.folder.appendingPathComponent("clean-report")
            let reference = try await CalltrailBinary.run(["nightly", "--config", config.path, "--quiet", "--report-out", clean.path])
            #expect(reference.status == 0)
            let names = try FileManager.default.contentsOfDirectory(atPath: report.path).sorted()
            #expect(names == (try FileManager.default.contentsOfDirectory(atPath: clean.path)).sorted())
            #expect(!names.contains(".incoming"), "nothing half-written is left")
            for name in names where name.hasSuffix(".csv") {
                #expect(try Data(contentsOf: report.appendingPathComponent(name)) == (try Data(contentsOf: clean.appendingPathComponent(name))), "\(name)")
            }
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test(.timeLimit(.minutes(3)))
    func killedDuringDownloadsTheNextRunEndsAsOneCleanRun() async throws {
        let harness = try await SyncHarness.start()
        do {
            let config = try recordingsConfiguration(harness, "killed", timeout: "60")
            await harness.simulator.recordings.setHang(after: 40)
            let (process, _, _) = try CalltrailBinary.start(["nightly", "--config", config.path, "--quiet"])
            let database = harness.folder.appendingPathComponent("killed.sqlite").path
            let archive = harness.folder.appendingPathComponent("recordings")
            var stored = 0
            var partial: [String] = []
            // Wait (at most 60 s) until some recordings are stored and others are half-downloaded.
            for _ in 0..<600 {
                if await harness.simulator.recordings.fileRequests > 44, FileManager.default.fileExists(atPath: database) {
                    stored = try await DatabaseQueue(path: database).read { db in
                        (try? Int.fetchOne(db, sql: "SELECT count(*) FROM recordings")) ?? 0
                    }
                    partial = (try? FileManager.default.contentsOfDirectory(atPath: archive.appendingPathComponent(".incoming").path)) ?? []
                    if stored > 0 && !partial.isEmpty { break }
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(stored > 0, "some recordings were stored before the kill")
            #expect(!partial.isEmpty, "downloads were in flight when the run was killed")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL, "the run ended before the kill")

            await harness.simulator.recordings.setHang(after: nil)
            let again = try await CalltrailBinary.run(["nightly", "--config", config.path, "--quiet"])
            #expect([0, 1].contains(again.status), "\(again.stderr)")

            // Every archived file matches its ledger row, and no partial file is left anywhere.
            let store = try CallStore(path: database, audit: AuditTrail(configuration: Configuration.load(path: config.path)))
            let verifier = RecordingVerifier(store: store, archive: RecordingArchive(root: archive, timeZone: SyncHarness.zone), key: nil)
            let check = try await verifier.verify(user: "test")
            #expect(check.problems.isEmpty, "\(check.problems)")
            #expect(check.checked > 0)
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: archive.appendingPathComponent(".incoming").path)) ?? []
            #expect(leftovers.isEmpty)
            let files = FileManager.default.enumerator(atPath: archive.path)?.compactMap { $0 as? String }
                .filter { $0.hasSuffix(".mp3") && !$0.hasPrefix(".incoming") } ?? []
            #expect(files.count == check.checked, "every final file is in the ledger")
            let (ledger, referenced) = try await store.read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM recordings") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM calls WHERE recording_ref IS NOT NULL") ?? 0)
            }
            #expect(ledger == referenced)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
