import CalltrailCore
import CalltrailSimulator
@_spi(Connections) import CalltrailStore
import CalltrailTestSupport
import Foundation
import GRDB
import Testing

@Suite(.serialized) struct SyncFaultTests {
    @Test(.timeLimit(.minutes(3)))
    func everyFaultOnStoresEveryRecordOnceAndMatchesACleanRead() async throws {
        var faults = FaultPlan.all
        faults.slowSeconds = 1.0  // the client below gives up after 0.5 s
        let harness = try await SyncHarness.start(faults: faults)
        do {
            let (faulty, run) = try await harness.syncUntilOK(configuration: try harness.configuration("faulty", overrides: ["timeout_seconds": "0.5"]))
            #expect(run.status == .ok, "\(run.lastError ?? "")")
            #expect(run.retries > 0, "429s, 500s and timeouts were retried")
            #expect(run.rereads > 0, "records that arrived while paging made a window be read again")
            #expect(run.decodeErrors >= 1, "the malformed record was counted")
            #expect(run.failures == 0)

            let served = await harness.simulator.ucontact.recordCount
            #expect(served > harness.simulator.generatedCalls, "late arrivals were served")
            #expect(try await faulty.callCount() == served - 1, "every decodable record, once")
            // Each call points at its vendor record as sent; the malformed one is kept on its own.
            let raw = try await SyncHarness.rawRecords(faulty).records
            #expect(raw.count == served - 1)
            #expect(raw.allSatisfy { key, record in key == "ucontact/" + (record["guid"]?.text ?? "") })
            #expect(try await SyncHarness.count(faulty, "SELECT count(*) FROM raw_records") == 1)
            #expect(try await SyncHarness.count(faulty, "SELECT count(*) FROM raw_records WHERE decode_error IS NOT NULL") == 1)
            let cursor = try #require(try await faulty.cursor(source: "ucontact", endpoint: "Cdr/getrecords"))
            #expect(cursor.completeUntil == SyncHarness.end)
            #expect(try await faulty.syncWindows(source: "ucontact", endpoint: "Cdr/getrecords").isEmpty, "no window left open")

            // The same simulator, faults off, into a new database: the same rows.
            await harness.simulator.ucontact.setFaults(FaultPlan())
            // Four windows at once on a loaded test machine: a generous timeout, so "no retry" means no fault.
            let (clean, cleanRuns) = try await harness.sync(configuration: try harness.configuration("clean", overrides: ["timeout_seconds": "20"]),
                                                            to: SyncHarness.end)
            #expect(cleanRuns.first?.retries == 0)
            #expect(cleanRuns.first?.rereads == 0)
            let faultyRows = try await SyncHarness.rows(faulty)
            let cleanRows = try await SyncHarness.rows(clean)
            #expect(faultyRows.count == served - 1)
            #expect(faultyRows == cleanRows)

            // The password never reaches the database (runs, errors, raw records), and the file is 0600.
            let database = try Data(contentsOf: URL(fileURLWithPath: faulty.path))
            #expect(database.range(of: Data(harness.simulator.options.password.utf8)) == nil)
            let mode = (try FileManager.default.attributesOfItem(atPath: faulty.path)[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func aSecondRunRereadsOnlyTheLookbackAndAddsNothing() async throws {
        let harness = try await SyncHarness.start()
        do {
            let (store, first) = try await harness.sync("twice")
            let rows = try await SyncHarness.rows(store)
            let (_, second) = try await harness.sync("twice")
            #expect(first.first?.windows == 3)
            // From the cursor minus the 2 h lookback to the end: one short window.
            #expect(second.first?.windows == 1)
            #expect(second.first?.rangeFrom == SyncHarness.end.addingTimeInterval(-7200))
            #expect(try await SyncHarness.rows(store) == rows)
            #expect(try await store.runs().count == 2)
            // Each run stores a campaignstatus snapshot per campaign; the agent entries beside them are skipped.
            let campaigns = try await store.read { db in
                try String.fetchAll(db, sql: "SELECT DISTINCT campaign FROM platform_stats ORDER BY campaign")
            }
            #expect(campaigns == ["Cobranzas<-", "Encuestas->", "Soporte<-", "Ventas->", "Ventas<-"])
            #expect(try await SyncHarness.count(store, "SELECT count(*) FROM platform_stats") == 10)
            #expect(try await SyncHarness.count(store, "SELECT count(*) FROM platform_stats WHERE slevelthreshold = 20 AND servicelevel BETWEEN 0 AND 100") == 10)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func aVendorThatStaysDownFailsTheRunAndKeepsTheCursor() async throws {
        // Every listing request hangs: each attempt times out after 0.5 s, five attempts, then the run fails.
        var down = FaultPlan()
        down.hangAfterRequests = 0
        let harness = try await SyncHarness.start(faults: down)
        do {
            let down = try harness.configuration("down", overrides: ["timeout_seconds": "0.5"])
            let (store, runs) = try await harness.sync(configuration: down, to: SyncHarness.end)
            let run = try #require(runs.first)
            #expect(run.status == .failed)
            #expect(run.failures == 1)
            #expect(run.lastError?.contains("cannot reach ucontact") == true, "\(run.lastError ?? "")")
            #expect(run.lastError?.contains("timed out") == true)
            #expect(try await store.callCount() == 0)
            let cursor = try await store.cursor(source: "ucontact", endpoint: "Cdr/getrecords")
            #expect(cursor?.completeUntil == nil)

            // The vendor is back: the next run catches up.
            await harness.simulator.ucontact.setFaults(FaultPlan())
            let (_, again) = try await harness.sync(configuration: down, to: SyncHarness.end)
            #expect(again.first?.status == .ok)
            #expect(try await store.callCount() == harness.simulator.generatedCalls)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
