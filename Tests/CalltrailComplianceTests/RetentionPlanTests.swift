import CalltrailArchive
import CalltrailCompliance
import CalltrailCore
import CalltrailRecordings
@_spi(Connections) import CalltrailStore
import Foundation
import GRDB
import Testing

/// The purge plan finds recordings by their call's instant (`recordings.call_at`) and their call by its
/// key. A call counts from its start, its instant from when it was offered: a call past its days by its
/// start must be planned even when it was offered after the cutoff, and a row without an instant too.
@Suite struct RetentionPlanTests {
    @Test func everyRecordingPastItsDaysIsPlannedWhateverItsInstant() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-plan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try CallStore(path: folder.appendingPathComponent("plan.sqlite").path)
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let day = 86_400.0
        // (id, started days ago, queued hours after its start; nil: never queued)
        let calls: [(String, Double, Double?)] = [
            ("old", 40, 0.1), ("offered-after-the-cutoff", 30.2, 6), ("no-instant", 31, nil), ("recent", 29.5, nil), ("offered-recently", 29.9, 2),
        ]
        try await store.upsert(calls.map { id, daysAgo, queuedAfter in
            let started = now.addingTimeInterval(-daysAgo * day)
            var call = CallRecord(source: "ucontact", callID: id, direction: .inbound, outcome: .answered, queue: "Soporte<-",
                                  startedAt: started, queuedAt: queuedAfter.map { started.addingTimeInterval($0 * 3600) }, recordingRef: id)
            call.endedAt = started.addingTimeInterval(600)
            return call
        })
        try await store.write { db in
            for (id, _, _) in calls {
                try db.execute(sql: """
                    INSERT INTO recordings (source, call_id, state, bytes, sha256, path, call_at)
                    SELECT source, call_id, 'found', 100, 'ab', 'r/' || call_id || '.mp3', CASE WHEN call_id <> 'no-instant' THEN coalesce(queued_at, started_at) END
                    FROM calls WHERE call_id = ?
                    """, arguments: [id])
            }
        }
        let purge = RetentionPurge(store: store, archive: RecordingArchive(root: folder, timeZone: TimeZone(identifier: "UTC")!),
                                   retention: RetentionConfiguration(recordingsDays: 30), numbers: NumberPlan())
        let plan = try await purge.plan(now: now)
        #expect(Set(plan.recordings.map(\.callID)) == ["old", "offered-after-the-cutoff", "no-instant"])
    }

    /// `calls` has no index on (source, call_id): a call named by them is found through its key's index,
    /// whether by parameters (retention's delete, erasure) or by another table's columns (the plan's join).
    @Test func aCallNamedBySourceAndIDIsFoundThroughItsKey() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-key-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try CallStore(path: folder.appendingPathComponent("key.sqlite").path)
        let plans = try await store.read { db in
            try [
                ("DELETE FROM calls WHERE \(CallKey.sqlMatch(source: "?1", callID: "?2"))", ["ucontact", "a"]),
                ("SELECT c.queue FROM recordings r JOIN calls c ON \(CallKey.sqlMatch("c", source: "r.source", callID: "r.call_id")) WHERE r.call_at < 0", []),
            ].map { (sql: String, arguments: StatementArguments) in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: arguments).map { $0["detail"] as String }.joined(separator: " | ")
            }
        }
        #expect(plans[0].contains("calls_by_key"), "\(plans[0])")
        #expect(plans[1].contains("SEARCH c USING INDEX calls_by_key"), "\(plans[1])")
    }
}
