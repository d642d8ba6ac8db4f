import CalltrailCore
import CalltrailSources
import CalltrailStore
import Foundation
import GRDB
import GRDBSQLite

/// Vendor JSON pages → committed SQLite rows, through the same mapping and page commit as a sync.
enum IngestBenchmark {
    /// Runs in a child process (so its peak memory is its own): prints "records seconds peakMiB".
    static func child(pages: URL, database: URL) async throws {
        let store = try CallStore(path: database.path)
        let mapper = UContactRecordMapper(source: "ucontact", timeZone: BenchmarkData.zone)
        let window = DateInterval(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 4_000_000_000))
        var run = try await store.startRun(SyncRun(source: "ucontact"))
        var cursor = SyncCursor(source: "ucontact", endpoint: "Cdr/getrecords")
        var records = 0
        var file = try PageFile(pages)
        // As SyncEngine does: pages committed in reading order with their cursor move, each commit
        // overlapping the next page's parsing (PageCommitter).
        let committer = PageCommitter(store: store)
        let seconds = try await Measure.seconds {
            while let body = try file.next() {
                let page = SourcePage(elements: try JSONArraySplitter.elements(of: body), decode: mapper.decode)
                records += page.count
                cursor.nextOffset = records
                run.records = records
                run.pages += 1
                try await committer.submit(PageCommit(source: "ucontact", window: window, calls: page.calls, raws: page.raws, cursor: cursor, run: run))
            }
            try await committer.drain()
        }
        print("\(records) \(seconds) \(Measure.peakRSSMiB)")
    }

    /// The bare SQLite ceiling: the same `calls` schema, one prepared INSERT, one transaction, C API.
    static func ceiling(rows: Int, database: URL) throws -> Double {
        _ = try CallStore(path: database.path)  // the schema, by the real migrations
        var db: OpaquePointer?
        guard sqlite3_open(database.path, &db) == SQLITE_OK else { throw BenchError("cannot open \(database.path)") }
        defer { sqlite3_close(db) }
        sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", nil, nil, nil)
        var statement: OpaquePointer?
        let sql = """
            INSERT INTO calls (source, call_id, direction, outcome, queue, agent, customer_number, did, started_at, queued_at,
                               answered_at, ended_at, wait_s, talk_s, hold_s, wrap_s, transfers, disposition, recording_ref, synced_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        sqlite3_prepare_v2(db, sql, -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        return Measure.seconds {
            sqlite3_exec(db, "BEGIN", nil, nil, nil)
            for i in 0..<rows {
                let id = "c-\(i)"
                sqlite3_bind_text(statement, 1, "ucontact", -1, transient)
                sqlite3_bind_text(statement, 2, id, -1, transient)
                sqlite3_bind_text(statement, 3, "inbound", -1, transient)
                sqlite3_bind_text(statement, 4, "answered", -1, transient)
                sqlite3_bind_text(statement, 5, "Soporte<-", -1, transient)
                sqlite3_bind_text(statement, 6, "ana.perez", -1, transient)
                sqlite3_bind_text(statement, 7, "098344484", -1, transient)
                sqlite3_bind_text(statement, 8, "26001000", -1, transient)
                let t = 1_735_700_000.0 + Double(i)
                sqlite3_bind_double(statement, 9, t)
                sqlite3_bind_double(statement, 10, t)
                sqlite3_bind_double(statement, 11, t + 12)
                sqlite3_bind_double(statement, 12, t + 200)
                sqlite3_bind_double(statement, 13, 12)
                sqlite3_bind_double(statement, 14, 188)
                sqlite3_bind_double(statement, 15, 0)
                sqlite3_bind_double(statement, 16, 0)
                sqlite3_bind_int64(statement, 17, 0)
                sqlite3_bind_text(statement, 18, "ANSWERED", -1, transient)
                sqlite3_bind_text(statement, 19, id, -1, transient)
                sqlite3_bind_double(statement, 20, t)
                sqlite3_step(statement)
                sqlite3_reset(statement)
            }
            sqlite3_exec(db, "COMMIT", nil, nil, nil)
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
