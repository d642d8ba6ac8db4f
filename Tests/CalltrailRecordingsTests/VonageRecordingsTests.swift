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

/// Vonage recordings through the simulator's Interaction Content API: the recorded interactions
/// listed in 7-day windows paged by `continuationToken`, each WAV downloaded (resumed with `Range`
/// when the first transfer breaks off), archived as MP3 with the WAV's own size and hash kept as
/// its origin; a connected call the listing does not show is `missing`.
@Suite(.serialized) struct VonageRecordingsTests {
    static let secretVariable = "CALLTRAIL_TEST_VONAGE_RECORDINGS_SECRET"

    @Test(.timeLimit(.minutes(3)))
    func everyRecordedInteractionIsArchivedWithTheWAVsOwnHash() async throws {
        let harness = try await SyncHarness.start()
        do {
            setenv(Self.secretVariable, harness.simulator.options.vonageClientSecret, 1)
            await harness.simulator.vonage.setCutTransfers(true)
            let url = try harness.configuration("vonage-recordings", kind: "vonage", lines: [
                "user = \"\(harness.simulator.options.vonageClientID)\"", "password_env = \"\(Self.secretVariable)\"",
                "window_hours = 24", "timeout_seconds = 20",
            ])
            let (store, runs) = try await harness.sync(configuration: url, to: SyncHarness.end)
            #expect(runs.first?.status == .ok)
            let configuration = try CalltrailCore.Configuration.load(path: url.path)
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let summary = try await RecordingsStage.run(configuration: configuration, store: store, filter: CallFilter(), concurrency: 4,
                                                        resolvers: Platforms(), logger: logger)
            let recorded = await harness.simulator.vonage.recordedCount
            let referenced = try await SyncHarness.count(store, "SELECT count(*) FROM calls WHERE recording_ref IS NOT NULL")
            #expect(recorded > 20)
            #expect(summary.failed == 0, "\(summary.failures)")
            #expect(summary.states[.converted] == recorded)
            #expect(summary.states[.missing] == referenced - recorded, "connected but not recorded")
            let entries = try await store.read { db in
                try RecordingEntry.fetchAll(db, sql: "SELECT * FROM recordings WHERE state = 'converted' ORDER BY call_id")
            }
            #expect(entries.count == recorded)
            for entry in entries.prefix(10) {
                let wav = try #require(await harness.simulator.vonage.recordingBytes(entry.callId))
                #expect(entry.originSha256 == SHA256.hash(data: wav).map { String(format: "%02x", $0) }.joined())
                #expect(entry.originBytes == wav.count, "the whole WAV, resumed after the cut")
                #expect(entry.formatFound == "wav")
                #expect(entry.location == "content")
                #expect(entry.originUrl?.hasSuffix("/interaction-content/interactions/\(entry.callId)/content/callRecording") == true)
                let mp3 = URL(fileURLWithPath: configuration.recordings.folder).appendingPathComponent(try #require(entry.path))
                #expect(FileManager.default.fileExists(atPath: mp3.path))
                #expect(mp3.pathExtension == "mp3")
            }
            // Listing requests: one window of 7 days covers the history, 50 a page.
            let requests = await harness.simulator.vonage.contentRequests
            #expect(requests <= 2 * recorded + (referenced + 49) / 50 + 4, "one GET per file (two when cut) and a listing page per 50")
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
