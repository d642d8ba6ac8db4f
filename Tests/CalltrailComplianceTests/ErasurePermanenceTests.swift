import CalltrailCore
import CalltrailRecordings
@_spi(Connections) import CalltrailStore
import CalltrailTestSupport
import CalltrailVendors
import Foundation
import GRDB
import Logging
import Testing

/// An erased customer stays erased: no later fetch, and no fetch in flight at the erasure, puts their
/// recordings in the archive or the ledger again.
extension ComplianceTests {
    /// Two customers whose calls carry recording references, most calls first.
    func customersWithRecordings(_ setup: Setup) async throws -> [(number: String, calls: [String])] {
        let numbers = try await ids(setup.store, """
            SELECT customer_number FROM calls WHERE recording_ref IS NOT NULL AND customer_number IS NOT NULL
            GROUP BY customer_number HAVING count(*) >= 2 ORDER BY count(*) DESC, 1 LIMIT 2
            """)
        var customers: [(String, [String])] = []
        for number in numbers {
            customers.append((number, try await ids(setup.store, "SELECT call_id FROM calls WHERE customer_number = ? AND recording_ref IS NOT NULL",
                                                    [number])))
        }
        return customers
    }

    /// The archive's files of these calls (the archive names files `<source>-<call_id>.<ext>`).
    func archivedFiles(_ setup: Setup, of callIDs: [String]) -> [String] {
        let root = URL(fileURLWithPath: setup.configuration.recordings.folder)
        let names = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { ($0 as? URL)?.lastPathComponent } ?? []
        return names.filter { name in callIDs.contains { name.hasPrefix("ucontact-\($0).") } }
    }

    @Test(.timeLimit(.minutes(4)))
    func aCustomerErasedBeforeAnyFetchHasNoRecordingFetchedLater() async throws {
        let setup = try await setUp("erase-before-fetch", retention: "")
        do {
            try await sync(setup)
            let customer = try #require(try await customersWithRecordings(setup).first)
            var result = try await binary(setup, ["erase", "--number", customer.number])
            #expect(result.status == 0, "\(result.stderr)")
            let states = try await ids(setup.store, "SELECT state FROM recordings WHERE call_id IN (\(customer.calls.map { "'\($0)'" }.joined(separator: ",")))")
            #expect(states.count == customer.calls.count && states.allSatisfy { $0 == "erased" }, "every call gets its ledger row erased: \(states)")
            // A fetch asked for the customer's calls by id, and two other customers' calls.
            let others = try await ids(setup.store, "SELECT call_id FROM calls WHERE recording_ref IS NOT NULL AND customer_number <> ? ORDER BY started_at LIMIT 2",
                                       [customer.number])
            result = try await binary(setup, ["recordings", "fetch"] + (customer.calls + others).flatMap { ["--call", $0] })
            #expect(result.status == 0, "\(result.stderr)")
            let stored = try await ids(setup.store, """
                SELECT call_id FROM recordings WHERE state IN ('found', 'converted') AND call_id IN (\(customer.calls.map { "'\($0)'" }.joined(separator: ",")))
                """)
            #expect(stored.isEmpty, "no recording of the erased customer is stored: \(stored)")
            #expect(archivedFiles(setup, of: customer.calls).isEmpty)
            #expect(try await SyncHarness.count(setup.store, "SELECT count(*) FROM recordings WHERE state IN ('found', 'converted')") > 0,
                    "the other customers' recordings were fetched")
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }

    /// Resolves with the platform's resolver, after the erasure `before` runs: a fetch that read its
    /// candidates before the erase and stores after it.
    struct ErasingFirst: RecordingResolverProvider {
        let platforms = Platforms()
        let before: @Sendable () async -> Void

        struct Resolver: RecordingResolver {
            let inner: any RecordingResolver
            let gate: Gate

            func resolve(_ candidate: RecordingCandidate, into entry: inout RecordingEntry) async throws {
                await gate.pass()
                try await inner.resolve(candidate, into: &entry)
            }

            func close() async { await inner.close() }
        }

        actor Gate {
            let before: @Sendable () async -> Void
            var done = false
            init(before: @escaping @Sendable () async -> Void) { self.before = before }
            func pass() async {
                guard !done else { return }
                done = true
                await before()
            }
        }

        func recordingResolver(for source: SourceConfiguration, tools: RecordingTools) async -> (any RecordingResolver)? {
            guard let inner = await platforms.recordingResolver(for: source, tools: tools) else { return nil }
            return Resolver(inner: inner, gate: Gate(before: before))
        }
    }

    @Test(.timeLimit(.minutes(4)))
    func aFetchInFlightAtTheErasureCannotStoreOverIt() async throws {
        let setup = try await setUp("erase-during-fetch", retention: "")
        do {
            try await sync(setup)
            let customer = try #require(try await customersWithRecordings(setup).first)
            // The fetch reads its candidates, then the erase runs before its first download is stored.
            let erased = ErasedStatus()
            let provider = ErasingFirst { [config = setup.config.path, number = customer.number] in
                let result = try? await CalltrailBinary.run(["erase", "--number", number, "--config", config])
                await erased.set(result?.status)
            }
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            _ = try await RecordingsStage.run(configuration: setup.configuration, store: setup.store, filter: CallFilter(callIDs: customer.calls),
                                              concurrency: 1, resolvers: provider, logger: logger)
            #expect(await erased.status == 0, "the erasure ran while the fetch was in flight")
            let states = try await ids(setup.store, "SELECT state FROM recordings WHERE call_id IN (\(customer.calls.map { "'\($0)'" }.joined(separator: ",")))")
            #expect(states.count == customer.calls.count && states.allSatisfy { $0 == "erased" }, "\(states)")
            #expect(archivedFiles(setup, of: customer.calls).isEmpty, "what the fetch downloaded was removed")
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }

    @Test(.timeLimit(.minutes(4)))
    func aCallOfAnErasedCustomerThatALaterSyncBringsGetsNoRecording() async throws {
        let setup = try await setUp("erase-then-sync", retention: "")
        do {
            // The same simulated day read whole elsewhere: a customer with recorded calls at two times.
            let (probe, _) = try await setup.harness.sync("erase-then-sync-probe")
            let (number, last) = try #require(try await probe.read { db -> (String, Double)? in
                try Row.fetchOne(db, sql: """
                    SELECT customer_number, max(started_at) AS last FROM calls WHERE recording_ref IS NOT NULL GROUP BY customer_number
                    HAVING min(started_at) < max(started_at) ORDER BY 1 LIMIT 1
                    """).map { ($0["customer_number"], $0["last"]) }
            })
            let noon = Date(timeIntervalSince1970: last)
            // The history up to their last call is synced and the customer erased; the next sync brings that call, never seen.
            try await sync(setup, to: noon)
            var result = try await binary(setup, ["erase", "--number", number])
            #expect(result.status == 0, "\(result.stderr)")
            try await sync(setup)
            let later = try await ids(setup.store, "SELECT call_id FROM calls WHERE customer_number = ? AND recording_ref IS NOT NULL AND started_at >= ?",
                                      [number, noon.timeIntervalSince1970])
            #expect(!later.isEmpty, "the vendor still has calls of theirs")
            result = try await binary(setup, ["recordings", "fetch"] + later.flatMap { ["--call", $0] })
            #expect(result.status == 0, "\(result.stderr)")
            let states = try await ids(setup.store, "SELECT state FROM recordings WHERE call_id IN (\(later.map { "'\($0)'" }.joined(separator: ",")))")
            #expect(states.count == later.count && states.allSatisfy { $0 == "erased" }, "\(states)")
            #expect(archivedFiles(setup, of: later).isEmpty)
            #expect(try await SyncHarness.count(setup.store, "SELECT count(*) FROM recordings WHERE removed_by LIKE 'erasure #% (synced again)'") == later.count)

            // The report's data quality counts the erased customer's calls a sync stored again, its query alike.
            let again = try await SyncHarness.count(setup.store, """
                SELECT count(*) FROM calls c JOIN recordings r USING (source, call_id) WHERE r.state = 'erased' AND c.customer_number IS NOT NULL
                """)
            #expect(again >= later.count)
            let period = ["--from", "2026-03-02", "--to", "2026-03-03"]
            let out = setup.harness.folder.appendingPathComponent("erase-then-sync-report")
            result = try await binary(setup, ["report"] + period + ["--out", out.path, "--format", "csv"])
            #expect(result.status == 0, "\(result.stderr)")
            let quality = try String(contentsOf: out.appendingPathComponent("data_quality.csv"), encoding: .utf8)
            #expect(quality.contains("synced again after erasure,,\(again),,"), "\(quality)")
            result = try await binary(setup, ["query", "data_quality"] + period)
            #expect(result.stdout.contains("synced again after erasure,,\(again),,"), "\(result.stdout) \(result.stderr)")
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }

    actor ErasedStatus {
        var status: Int32?
        func set(_ value: Int32?) { status = value }
    }
}
