import CalltrailCore
import CalltrailJSON
@_spi(Connections) import CalltrailStore
import CalltrailSync
import Foundation
import GRDB
import Testing

/// Pages queued faster than SQLite commits them end up stored exactly as page-by-page commits would
/// leave them; a failed commit stops everything after it.
@Suite struct PageCommitterTests {
    let window = DateInterval(start: Date(timeIntervalSince1970: 1_772_000_000), duration: 86_400)

    func page(_ number: Int, size: Int, cursor: inout SyncWindow, run: inout SyncRun) -> PageCommit {
        var calls: [CallRecord] = [], payloads: [String] = []
        for index in 0..<size {
            // Each page repeats the previous page's last record with a new outcome: the later read wins.
            let id = index == 0 && number > 0 ? "call-\(number * size - 1)" : "call-\(number * size + index)"
            var call = CallRecord(source: "ucontact", callID: id, direction: .inbound, outcome: index == 0 ? .abandoned : .answered,
                                  startedAt: window.start.addingTimeInterval(Double(number * size + index)))
            call.queuedAt = call.startedAt
            calls.append(call)
            payloads.append("{\"guid\":\"\(id)\",\"page\":\(number)}")
        }
        cursor.nextOffset += size
        run.pages += 1
        run.records += size
        let raw = RawPage(json: Array("[\(payloads.joined(separator: ","))]".utf8), records: size)
        let records = PageRecords(raw: raw, calls: calls, positions: Array(0..<size), failures: [])
        return PageCommit(source: "ucontact", pages: [.init(window: window, offset: number * size, records: records)],
                          windows: [.save(cursor)], run: run)
    }

    func store() throws -> CallStore {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("committer-\(UUID().uuidString)")
        return try CallStore(path: folder.appendingPathComponent("calls.sqlite").path)
    }

    @Test func pagesQueuedAheadOfTheWriterAreStoredAsIfCommittedOneByOne() async throws {
        let store = try store()
        var cursor = SyncWindow(source: "ucontact", endpoint: "Cdr/getrecords", window: window)
        var run = try await store.startRun(SyncRun(source: "ucontact"))
        // Small batches and a small queue bound, so reading pauses and resumes many times.
        let committer = try PageCommitter(store: store, batchRecords: 20, maxWaiting: 25)
        for number in 0..<40 { try await committer.submit(page(number, size: 10, cursor: &cursor, run: &run)) }
        try await committer.drain()

        let (calls, abandoned, pages, pointers) = try await store.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM calls")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM calls WHERE outcome = 'abandoned'")!,
             try Row.fetchAll(db, sql: "SELECT id, page_offset, records, bytes, body FROM raw_pages ORDER BY id").map { row in
                 (id: row["id"] as Int64, offset: row["page_offset"] as Int, raw: RawPage(body: [UInt8](row["body"] as Data), bytes: row["bytes"], records: row["records"]))
             },
             try Row.fetchAll(db, sql: "SELECT call_id, raw_page, raw_index FROM calls").map { row in
                 (callID: row["call_id"] as String, page: row["raw_page"] as Int64, index: row["raw_index"] as Int)
             })
        }
        // 400 records read, 39 of them twice: 361 calls, and each repeated one holds the later page's outcome.
        #expect(calls == 361)
        #expect(abandoned == 40)
        // Every page kept as read, in order; each call points at the record of its latest read.
        #expect(pages.count == 40)
        #expect(pages.map(\.offset) == Array(stride(from: 0, to: 400, by: 10)))
        var recordsByPage: [Int64: [JSONValue]] = [:]
        for page in pages {
            guard case .array(let records) = try JSONValue.parse(Data(try page.raw.json())) else { Issue.record("not an array"); continue }
            recordsByPage[page.id] = records
        }
        for pointer in pointers {
            let record = recordsByPage[pointer.page]?[pointer.index]
            let callID = pointer.callID
            #expect(record?["guid"]?.text == callID)
            if callID.hasSuffix("9") && callID != "call-399" {
                #expect(record?["page"]?.text == String((Int(callID.dropFirst(5))! + 1) / 10), "the repeated record points at its later read")
            }
        }
        let stored = try #require(try await store.syncWindows(source: "ucontact", endpoint: "Cdr/getrecords").first)
        #expect(stored.nextOffset == 400)
        #expect(try await store.runs().first?.pages == 40)
    }

    @Test func aFailedCommitStopsTheRestAndIsReported() async throws {
        let store = try store()
        var cursor = SyncWindow(source: "ucontact", endpoint: "Cdr/getrecords", window: window)
        var run = try await store.startRun(SyncRun(source: "ucontact"))
        let committer = try PageCommitter(store: store)
        try await committer.submit(page(0, size: 5, cursor: &cursor, run: &run))
        try await committer.drain()
        // The table the rows go to disappears: the next commit fails.
        try await store.write { db in try db.execute(sql: "ALTER TABLE raw_pages RENAME TO raw_pages_gone") }
        try await committer.submit(page(1, size: 5, cursor: &cursor, run: &run))
        await #expect(throws: (any Error).self) { try await committer.drain() }
        await #expect(throws: (any Error).self) { try await committer.submit(page(2, size: 5, cursor: &cursor, run: &run)) }
        let stored = try #require(try await store.syncWindows(source: "ucontact", endpoint: "Cdr/getrecords").first)
        #expect(stored.nextOffset == 5, "the window's row stays with the last committed page")
    }

    @Test func aPageWaitingForMoreIsCommittedWithinTheDelay() async throws {
        let store = try store()
        var cursor = SyncWindow(source: "ucontact", endpoint: "Cdr/getrecords", window: window)
        var run = try await store.startRun(SyncRun(source: "ucontact"))
        let committer = try PageCommitter(store: store, maxDelay: .milliseconds(200))
        try await committer.submit(page(0, size: 5, cursor: &cursor, run: &run))
        // No more pages and no drain (the next request hangs, say): the open transaction still commits.
        var stored = 0
        for _ in 0..<50 where stored == 0 {
            try await Task.sleep(for: .milliseconds(100))
            stored = try await store.callCount()
        }
        #expect(stored == 5)
        #expect(try await store.syncWindows(source: "ucontact", endpoint: "Cdr/getrecords").first?.nextOffset == 5)
        try await committer.drain()
    }
}
