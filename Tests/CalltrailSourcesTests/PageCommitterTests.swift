import CalltrailCore
import CalltrailSources
import CalltrailStore
import Foundation
import GRDB
import Testing

/// Pages queued faster than SQLite commits them end up stored exactly as page-by-page commits would
/// leave them; a failed commit stops everything after it.
@Suite struct PageCommitterTests {
    let window = DateInterval(start: Date(timeIntervalSince1970: 1_772_000_000), duration: 86_400)

    func page(_ number: Int, size: Int, cursor: inout SyncCursor, run: inout SyncRun) -> PageCommit {
        var calls: [CallRecord] = [], raws: [RawRecord] = []
        for index in 0..<size {
            // Each page repeats the previous page's last record with a new outcome: the later read wins.
            let id = index == 0 && number > 0 ? "call-\(number * size - 1)" : "call-\(number * size + index)"
            var call = CallRecord(source: "ucontact", callID: id, direction: .inbound, outcome: index == 0 ? .abandoned : .answered,
                                  startedAt: window.start.addingTimeInterval(Double(number * size + index)))
            call.queuedAt = call.startedAt
            calls.append(call)
            raws.append(RawRecord(key: id, payload: "{\"guid\":\"\(id)\",\"page\":\(number)}"))
        }
        cursor.windowStart = window.start
        cursor.windowEnd = window.end
        cursor.nextOffset += size
        run.pages += 1
        run.records += size
        return PageCommit(source: "ucontact", window: window, calls: calls, raws: raws, cursor: cursor, run: run)
    }

    func store() throws -> CallStore {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("committer-\(UUID().uuidString)")
        return try CallStore(path: folder.appendingPathComponent("calls.sqlite").path)
    }

    @Test func pagesQueuedAheadOfTheWriterAreStoredAsIfCommittedOneByOne() async throws {
        let store = try store()
        var cursor = SyncCursor(source: "ucontact", endpoint: "Cdr/getrecords")
        var run = try await store.startRun(SyncRun(source: "ucontact"))
        // A small queue bound, so reading pauses and resumes many times.
        let committer = PageCommitter(store: store, maxWaiting: 25)
        for number in 0..<40 { try await committer.submit(page(number, size: 10, cursor: &cursor, run: &run)) }
        try await committer.drain()

        let (calls, abandoned, raws) = try await store.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM calls")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM calls WHERE outcome = 'abandoned'")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM raw_records")!)
        }
        // 400 records read, 39 of them twice: 361 calls, and each repeated one holds the later page's outcome.
        #expect(calls == 361)
        #expect(raws == 361)
        #expect(abandoned == 40)
        let stored = try #require(try await store.cursor(source: "ucontact", endpoint: "Cdr/getrecords"))
        #expect(stored.nextOffset == 400)
        #expect(try await store.runs().first?.pages == 40)
    }

    @Test func aFailedCommitStopsTheRestAndIsReported() async throws {
        let store = try store()
        var cursor = SyncCursor(source: "ucontact", endpoint: "Cdr/getrecords")
        var run = try await store.startRun(SyncRun(source: "ucontact"))
        let committer = PageCommitter(store: store)
        try await committer.submit(page(0, size: 5, cursor: &cursor, run: &run))
        try await committer.drain()
        // The table the rows go to disappears: the next commit fails.
        try await store.write { db in try db.execute(sql: "ALTER TABLE raw_records RENAME TO raw_records_gone") }
        try await committer.submit(page(1, size: 5, cursor: &cursor, run: &run))
        await #expect(throws: (any Error).self) { try await committer.drain() }
        await #expect(throws: (any Error).self) { try await committer.submit(page(2, size: 5, cursor: &cursor, run: &run)) }
        let stored = try #require(try await store.cursor(source: "ucontact", endpoint: "Cdr/getrecords"))
        #expect(stored.nextOffset == 5, "the cursor stays with the last committed page")
    }
}
