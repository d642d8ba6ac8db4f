import CalltrailCore
import CalltrailNightly
import CalltrailTestSupport
import Foundation
import GRDB
import Testing

/// Issue #33, item 5: the commands that write share the nightly's run lock, and a temporary file is
/// swept only when the process its name carries is gone. The real binary beside a lock this test holds
/// as a running nightly would.
@Suite(.serialized) struct RunLockSharingTests {
    @Test(.timeLimit(.minutes(3)))
    func commandsBesideANightlyExitThreeAndLeaveItsTemporaryFiles() async throws {
        let harness = try await SyncHarness.start()
        do {
            let config = try harness.configuration("shared", overrides: [
                "telephony_records_url": "\"\(harness.running.telephonyURL)\"",
                "backup_records_url": "\"\(harness.running.backupURL)\"",
                "timeout_seconds": "10",
            ])
            let incoming = harness.folder.appendingPathComponent("recordings/.incoming")
            try FileManager.default.createDirectory(at: incoming, withIntermediateDirectories: true)
            // A download in flight in the "nightly" (this live process), and one a killed run left.
            let live = incoming.appendingPathComponent("\(getpid())-\(UUID().uuidString).mp3.part")
            try Data("half a file".utf8).write(to: live)
            let gone = Process()
            gone.executableURL = URL(fileURLWithPath: "/bin/true")
            try gone.run()
            gone.waitUntilExit()
            let stale = incoming.appendingPathComponent("\(gone.processIdentifier)-\(UUID().uuidString).mp3.part")
            try Data("left by a killed run".utf8).write(to: stale)

            var lock: RunLock? = try RunLock(path: harness.folder.appendingPathComponent("shared.sqlite.lock").path)
            for command in [["sync"], ["recordings", "fetch"]] {
                let result = try await CalltrailBinary.run(command + ["--config", config.path])
                #expect(result.status == 3, "\(command): \(result.stderr)")
                #expect(result.stderr.hasPrefix("calltrail: another calltrail run holds the lock"), "\(command): \(result.stderr)")
                #expect(result.stderr.contains("pid \(getpid()) since "))
            }
            let waited = try await CalltrailBinary.run(["recordings", "fetch", "--config", config.path, "--wait", "0.3"])
            #expect(waited.status == 3)
            #expect(waited.stderr.contains("after waiting"), "\(waited.stderr)")
            #expect(FileManager.default.fileExists(atPath: live.path))

            // A sync told to wait: once it has the lock file open (it is waiting), the "nightly" ends,
            // and the sync runs.
            let (waiting, _, _) = try CalltrailBinary.start(["sync", "--config", config.path, "--to", "2026-03-03", "--wait", "120", "--quiet"])
            let descriptors = "/proc/\(waiting.processIdentifier)/fd"
            func holdsLockFile() -> Bool {
                ((try? FileManager.default.contentsOfDirectory(atPath: descriptors)) ?? []).contains { name in
                    (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(descriptors)/\(name)"))?.hasSuffix("shared.sqlite.lock") == true
                }
            }
            for _ in 0..<3000 where waiting.isRunning && !holdsLockFile() { try await Task.sleep(for: .milliseconds(10)) }
            #expect(waiting.isRunning, "still waiting for the lock")
            #expect(lock != nil)
            lock = nil
            for _ in 0..<12000 where waiting.isRunning { try await Task.sleep(for: .milliseconds(10)) }
            if waiting.isRunning { kill(waiting.processIdentifier, SIGKILL) }
            waiting.waitUntilExit()
            #expect(waiting.terminationStatus == 0, "the waiting sync ran once the lock was free")

            // The "nightly" has ended: the next commands run. Sync, then fetch: the file of the live
            // process stays, the killed run's goes.
            let sync = try await CalltrailBinary.run(["sync", "--config", config.path, "--to", "2026-03-03"])
            #expect(sync.status == 0, "\(sync.stderr)")
            let fetch = try await CalltrailBinary.run(["recordings", "fetch", "--config", config.path])
            #expect(fetch.status == 0 || fetch.status == 1, "\(fetch.stderr)")
            #expect(FileManager.default.fileExists(atPath: live.path), "a live process's temporary file is never swept")
            #expect(!FileManager.default.fileExists(atPath: stale.path), "a gone process's temporary file is swept")
            let database = try DatabaseQueue(path: harness.folder.appendingPathComponent("shared.sqlite").path)
            let (calls, distinct) = try await database.read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM calls") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT DISTINCT source, call_id FROM calls)") ?? 0)
            }
            #expect(calls == harness.simulator.generatedCalls)
            #expect(distinct == calls)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
