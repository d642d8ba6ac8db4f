import CalltrailCore
import CalltrailSimulator
@_spi(Connections) import CalltrailStore
import CalltrailSync
import CalltrailTestSupport
import Foundation
import GRDB
import Testing

/// A case sync (`sync --source NAME --number N --from --to`) asks the vendor for one customer's calls
/// with the vendor's own filters, stores them like any other, and leaves the nightly cursor alone;
/// a filtered source beside an unfiltered one over the same vendor never stores a call twice under
/// one name.
@Suite(.serialized) struct CaseSyncTests {
    static let meiqiaToken = "CALLTRAIL_TEST_MEIQIA_TOKEN"

    static func ids(_ store: CallStore, _ sql: String, _ arguments: StatementArguments = []) async throws -> [String] {
        try await store.read { db in try String.fetchAll(db, sql: sql, arguments: arguments) }
    }

    /// A number the whole history has in both directions (a follow-up rang back an inbound caller).
    static func numberInBothDirections(_ store: CallStore) async throws -> String {
        let numbers = try await ids(store, """
            SELECT customer_number FROM calls GROUP BY customer_number HAVING count(DISTINCT direction) = 2
            ORDER BY customer_number LIMIT 1
            """)
        return try #require(numbers.first, "the simulated history has a number with calls both ways")
    }

    @Test(.timeLimit(.minutes(3)))
    func aUContactCaseSyncStoresOneNumbersCallsBothWaysAndLeavesTheCursor() async throws {
        let harness = try await SyncHarness.start()
        do {
            let overrides = ["timeout_seconds": "20"]
            let (all, _) = try await harness.sync(configuration: try harness.configuration("all", overrides: overrides), to: SyncHarness.end)
            let number = try await Self.numberInBothDirections(all)
            let expected = try await Self.ids(all, "SELECT call_id FROM calls WHERE customer_number = ? ORDER BY call_id", [number])

            // A nightly that has read the first half of the day, then a case over the whole day.
            let url = try harness.configuration("case", overrides: overrides)
            let half = SyncHarness.end.addingTimeInterval(-12 * 3600)
            let (store, _) = try await harness.sync(configuration: url, to: half)
            let before = try #require(try await store.cursor(source: "ucontact", endpoint: "Cdr/getrecords"))
            let nightly = try await Self.ids(store, "SELECT call_id FROM calls ORDER BY call_id")
            let (_, runs) = try await harness.sync(configuration: url, from: harness.simulator.options.start, to: SyncHarness.end,
                                                   subject: CaseSubject(number: number))
            #expect(runs.count == 2, "one pass per direction: getrecords' source, then destination")
            #expect(runs.allSatisfy { $0.status == .ok }, "\(runs.map { $0.lastError ?? "" })")
            let after = try #require(try await store.cursor(source: "ucontact", endpoint: "Cdr/getrecords"))
            #expect(after.completeUntil == before.completeUntil && after.updatedAt == before.updatedAt, "the nightly cursor did not move")

            let stored = try await Self.ids(store, "SELECT call_id FROM calls WHERE customer_number = ? ORDER BY call_id", [number])
            #expect(stored == expected, "every call of the number, in both directions")
            let directions = try await Self.ids(store, "SELECT DISTINCT direction FROM calls WHERE customer_number = ? ORDER BY 1", [number])
            #expect(directions == ["inbound", "outbound"])
            let added = try await Self.ids(store, "SELECT call_id FROM calls WHERE customer_number <> ? ORDER BY call_id", [number])
            #expect(Set(added).isSubset(of: Set(nightly)), "no other customer's call came with the case")
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test(.timeLimit(.minutes(3)))
    func aMeiqiaCaseSyncFiltersByCustomerPhoneAndASourceByCallType() async throws {
        let harness = try await SyncHarness.start()
        setenv(Self.meiqiaToken, harness.simulator.options.meiqiaToken, 1)
        func configuration(_ name: String, _ extra: [String] = []) throws -> URL {
            try harness.configuration(name, kind: "meiqia", lines: ["password_env = \"\(Self.meiqiaToken)\"", "timezone = \"Asia/Shanghai\"",
                                                                  "window_hours = 8", "page_size = 20", "timeout_seconds = 20"] + extra,
                                      since: "Asia/Shanghai")
        }
        do {
            let (all, _) = try await harness.sync(configuration: try configuration("meiqia-all"), to: SyncHarness.end)
            let number = try await Self.numberInBothDirections(all)
            let expected = try await Self.ids(all, "SELECT call_id FROM calls WHERE customer_number = ? ORDER BY call_id", [number])

            let url = try configuration("meiqia-case")
            let (store, runs) = try await harness.sync(configuration: url, from: harness.simulator.options.start.addingTimeInterval(-86_400),
                                                       to: SyncHarness.end, subject: CaseSubject(number: number))
            #expect(runs.count == 1 && runs[0].status == .ok, "\(runs.map { $0.lastError ?? "" })")
            #expect(try await Self.ids(store, "SELECT call_id FROM calls ORDER BY call_id") == expected, "only the customer's calls, both ways")
            #expect(try await store.cursor(source: "meiqia", endpoint: "records") == nil, "a case sync leaves no cursor")

            let (inbound, inboundRuns) = try await harness.sync(configuration: try configuration("meiqia-inbound", ["filter = { call_types = [\"来电\"] }"]),
                                                                to: SyncHarness.end)
            #expect(inboundRuns.allSatisfy { $0.status == .ok })
            let expectedInbound = try await Self.ids(all, "SELECT call_id FROM calls WHERE direction = 'inbound' ORDER BY call_id")
            #expect(expectedInbound.count > 20)
            #expect(try await Self.ids(inbound, "SELECT call_id FROM calls ORDER BY call_id") == expectedInbound)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test(.timeLimit(.minutes(3)))
    func aFilteredAndAnUnfilteredSourceSideBySideHoldNoDoubles() async throws {
        let harness = try await SyncHarness.start()
        do {
            let base = try harness.configuration("both", overrides: ["timeout_seconds": "20"])
            let text = try String(contentsOf: base, encoding: .utf8)
            let source = text[text.range(of: "[[source]]")!.lowerBound...]
            let filtered = source.replacingOccurrences(of: "[[source]]", with: "[[source]]\nname = \"soporte\"\nfilter = { campaign = \"Soporte<-\" }")
            try (text + "\n\n" + filtered + "\n").write(to: base, atomically: true, encoding: .utf8)
            let (store, runs) = try await harness.sync(configuration: base, to: SyncHarness.end)
            #expect(runs.map(\.source) == ["ucontact", "soporte"])
            #expect(runs.allSatisfy { $0.status == .ok })
            #expect(try await SyncHarness.count(store, "SELECT count(*) FROM (SELECT 1 FROM calls GROUP BY source, call_id HAVING count(*) > 1)") == 0)
            let soporte = try await Self.ids(store, "SELECT call_id FROM calls WHERE source = 'soporte' ORDER BY call_id")
            let inAll = try await Self.ids(store, "SELECT call_id FROM calls WHERE source = 'ucontact' AND queue = 'Soporte<-' ORDER BY call_id")
            #expect(soporte.count > 20)
            #expect(soporte == inAll, "the filtered source holds exactly its campaign, under its own name")
            #expect(try await store.cursor(source: "soporte", endpoint: "Cdr/getrecords") != nil, "its own cursor")
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
