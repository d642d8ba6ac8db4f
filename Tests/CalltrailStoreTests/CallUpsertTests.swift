import CalltrailCore
@_spi(Connections) import CalltrailStore
import Foundation
import GRDB
import Testing

/// The calls table's upsert on a real SQLite file: calls whose compact keys collide stay apart, and a
/// call read again replaces what an earlier read stored, its failed mapping checks included.
@Suite struct CallUpsertTests {
    let start = Date(timeIntervalSince1970: 1_772_000_000)

    func store() throws -> CallStore {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upsert-\(UUID().uuidString)")
        return try CallStore(path: folder.appendingPathComponent("calls.sqlite").path)
    }

    func call(_ id: String, _ outcome: Outcome) -> CallRecord {
        CallRecord(source: "ucontact", callID: id, direction: .inbound, outcome: outcome, startedAt: start)
    }

    @Test func callsWhoseKeysCollideAreStoredApartAndUpdatedApart() async throws {
        // Two ids with the same 31-bit key: found by trying, as a vendor's ids would meet by chance.
        var seen: [Int: String] = [:]
        var pair: (String, String)?
        for index in 0..<1_000_000 where pair == nil {
            let id = "call-\(index)"
            let key = CallKey.of(source: "ucontact", callID: id)
            if let other = seen[key] { pair = (other, id) } else { seen[key] = id }
        }
        let (first, second) = try #require(pair)
        #expect(CallKey.of(source: "ucontact", callID: first) == CallKey.of(source: "ucontact", callID: second))
        let store = try store()
        try await store.upsert([call(first, .answered), call(second, .abandoned)])
        try await store.upsert([call(second, .answered), call(first, .abandoned)])
        let rows = try await store.read { db in
            try Row.fetchAll(db, sql: "SELECT call_id, outcome FROM calls ORDER BY call_id").map { "\($0["call_id"] as String)=\($0["outcome"] as String)" }
        }
        #expect(rows == [first, second].sorted().map { $0 == first ? "\($0)=abandoned" : "\($0)=answered" })
    }

    @Test func aCallReadAgainKeepsOnlyTheChecksItBreaksNow() async throws {
        let store = try store()
        var broken = call("c-1", .answered)
        broken.failedChecks = ["talk_within_duration", "hold_within_duration"]
        try await store.upsert([broken, call("c-2", .answered)])
        func checks() async throws -> [String?] {
            try await store.read { db in try String?.fetchAll(db, sql: "SELECT failed_checks FROM calls ORDER BY call_id") }
        }
        #expect(try await checks() == ["[\"talk_within_duration\",\"hold_within_duration\"]", nil])
        let names = try await store.read { db in
            try String.fetchAll(db, sql: "SELECT value FROM calls, json_each(calls.failed_checks) WHERE call_id = 'c-1'")
        }
        #expect(names == ["talk_within_duration", "hold_within_duration"], "valid JSON, as data_quality.sql reads it")
        try await store.upsert([call("c-1", .answered)])
        #expect(try await checks() == [nil, nil], "the corrected record no longer counts as broken")
    }

    @Test func registeringASourcesChecksReplacesWhatAnEarlierVersionListed() async throws {
        let store = try store()
        try await store.registerMappingChecks(source: "ucontact", checks: [MappingCheck("old_check", "gone"), MappingCheck("kept", "v1")])
        try await store.registerMappingChecks(source: "meiqia", checks: [MappingCheck("other", "another source's")])
        try await store.registerMappingChecks(source: "ucontact", checks: [MappingCheck("kept", "v2")])
        let rows = try await store.read { db in
            try Row.fetchAll(db, sql: "SELECT source, name, meaning FROM mapping_checks ORDER BY source, name")
                .map { "\($0["source"] as String)/\($0["name"] as String)/\($0["meaning"] as String)" }
        }
        #expect(rows == ["meiqia/other/another source's", "ucontact/kept/v2"])
    }
}
