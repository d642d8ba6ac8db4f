import CalltrailCore
import CalltrailHTTP
import CalltrailStore
import CalltrailSync
import CalltrailVendors
import Foundation
import GRDBSQLite

/// Vendor JSON pages → committed SQLite rows, through the real sync engine (windows, page commits with
/// their cursor move, the window's count check) with the network replaced by the pages file.
enum IngestBenchmark {
    /// Runs in a child process (so its peak memory is its own): prints "records seconds peakMiB".
    static func child(pages: URL, database: URL) async throws {
        let index = try BenchmarkData.Index(reading: BenchmarkData.indexURL(pages))
        let store = try CallStore(path: database.path)
        let source = try PageFileSource(pages: pages, index: index)
        let configuration = SourceConfiguration(
            name: "ucontact", kind: "ucontact", baseURL: pages, user: "bench", credential: .environment("UNUSED"),
            timeZone: BenchmarkData.zone, windowHours: 24, pageSize: BenchmarkData.pageSize, lookback: 0, settle: 0,
            options: UContactOptions())
        let fetcher = HTTPFetcher(client: .shared, source: "ucontact", policy: RetryPolicy(),
                                  timeout: 30, logger: .init(label: "calltrail-bench"))
        let engine = SyncEngine(store: store, source: source, configuration: configuration, fetcher: fetcher, logger: .init(label: "calltrail-bench"))
        var run: SyncRun?
        let seconds = try await Measure.seconds { run = try await engine.run(from: index.start, to: index.end) }
        guard let run, run.status == .ok, run.records == index.calls else {
            throw BenchError("ingest: \(run?.records ?? 0) of \(index.calls) records, \(run?.lastError ?? "no error")")
        }
        print("\(run.records) \(seconds) \(Measure.peakRSSMiB)")
    }

    /// The two halves of the ingest timed apart, with no overlap: decoding pages (split, parse, map,
    /// compress) and writing them as the sync's writer does (its connection, a transaction per 200,000
    /// records). Prints µs per record of each.
    static func split(pages: URL, database: URL) async throws {
        let index = try BenchmarkData.Index(reading: BenchmarkData.indexURL(pages))
        let store = try CallStore(path: database.path)
        let writer = try store.pageWriter()
        let source = try PageFileSource(pages: pages, index: index)
        var run = try await store.startRun(SyncRun(source: "ucontact"))
        var decoding = 0.0, writing = 0.0, records = 0, open = 0
        for day in index.days {
            let window = DateInterval(start: day.start, duration: 86_400)
            var row = SyncWindow(source: "ucontact", endpoint: "Cdr/getrecords", window: window)
            var decoded: [PageRecords] = []
            for number in day.pages.indices {
                let body = try source.body(day.pages[number])
                decoding += try Measure.seconds { decoded.append(try source.decode(body, offset: number * BenchmarkData.pageSize).records) }
            }
            for (number, page) in decoded.enumerated() {
                records += page.count
                open += page.count
                run.records = records
                row.nextOffset = (number + 1) * BenchmarkData.pageSize
                let commit = PageCommit(source: "ucontact", pages: [.init(window: window, offset: number * BenchmarkData.pageSize, records: page)],
                                        windows: [.save(row)], run: run)
                let due = open >= 200_000
                if due { open = 0 }
                writing += try await Measure.seconds { try await writer.write(commit, commit: due) }
            }
        }
        writing += try await Measure.seconds { try await writer.commit() }
        print("decode \(decoding / Double(records) * 1e6) µs/record, write \(writing / Double(records) * 1e6) µs/record, \(records) records")
    }

    /// The bare SQLite ceiling for the same rows: every page decoded beforehand (not timed, a day at a
    /// time so memory stays flat), then the same raw pages and call rows (keys computed beforehand too)
    /// inserted into the same schema (the real migrations) through prepared statements, text bound
    /// without copies, in one transaction; plain inserts, where the sync looks each call up first.
    /// Returns rows per second.
    static func ceiling(pages: URL, database: URL) throws -> Double {
        _ = try CallStore(path: database.path)
        let index = try BenchmarkData.Index(reading: BenchmarkData.indexURL(pages))
        var db: OpaquePointer?
        guard sqlite3_open(database.path, &db) == SQLITE_OK else { throw BenchError("cannot open \(database.path)") }
        defer { sqlite3_close(db) }
        try exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=10000")
        let page = try prepare(db, "INSERT INTO raw_pages (source, window_start, page_offset, fetched_at, records, bytes, body) VALUES ('ucontact', ?, ?, ?, ?, ?, ?)")
        let call = try prepare(db, """
            INSERT INTO calls (source, call_id, direction, outcome, queue, agent, customer_number, did, started_at, queued_at,
                               answered_at, ended_at, wait_s, talk_s, hold_s, wrap_s, transfers, disposition, recording_ref, synced_at,
                               raw_page, raw_index, key_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        defer { sqlite3_finalize(page); sqlite3_finalize(call) }
        let source = try PageFileSource(pages: pages, index: index)
        var rows = 0
        var seconds = 0.0
        try exec(db, "BEGIN")
        for day in index.days {
            let window = DateInterval(start: day.start, duration: 86_400)
            var row = SyncWindow(source: "ucontact", endpoint: "Cdr/getrecords", window: window)
            // Decoded and laid out outside the timing: what is timed is SQLite alone.
            var decoded: [PageRecords] = []
            for number in day.pages.indices {
                decoded.append(try source.read(window: window, offset: number * BenchmarkData.pageSize).records)
            }
            let values = CeilingRows(decoded.flatMap { zip($0.calls, $0.positions) })
            var next = 0
            try values.text.withUnsafeBufferPointer { text in
                let base = UnsafeRawPointer(text.baseAddress!).assumingMemoryBound(to: CChar.self)
                seconds += try Measure.seconds {
                    for (number, records) in decoded.enumerated() {
                        sqlite3_bind_double(page, 1, window.start.timeIntervalSince1970)
                        sqlite3_bind_int64(page, 2, Int64(number * BenchmarkData.pageSize))
                        sqlite3_bind_double(page, 3, Date().timeIntervalSince1970)
                        sqlite3_bind_int64(page, 4, Int64(records.count))
                        sqlite3_bind_int64(page, 5, Int64(records.raw.bytes))
                        records.raw.body.withUnsafeBytes { _ = sqlite3_bind_blob(page, 6, $0.baseAddress, Int32($0.count), nil) }
                        try step(db, page)
                        let pageID = sqlite3_last_insert_rowid(db)
                        for _ in records.calls {
                            for column in 0..<CeilingRows.textColumns.count {
                                let slice = values.texts[next * CeilingRows.textColumns.count + column]
                                let parameter = CeilingRows.textColumns[column]
                                if slice.count < 0 { sqlite3_bind_null(call, parameter) }
                                else { sqlite3_bind_text(call, parameter, base + slice.offset, slice.count, nil) }
                            }
                            for column in 0..<CeilingRows.numberColumns.count {
                                let value = values.numbers[next * CeilingRows.numberColumns.count + column]
                                let parameter = CeilingRows.numberColumns[column]
                                if value.isNaN { sqlite3_bind_null(call, parameter) } else { sqlite3_bind_double(call, parameter, value) }
                            }
                            sqlite3_bind_int64(call, 17, values.integers[next].transfers)
                            sqlite3_bind_int64(call, 21, pageID)
                            sqlite3_bind_int64(call, 22, values.integers[next].position)
                            sqlite3_bind_int64(call, 23, values.integers[next].key)
                            try step(db, call)
                            next += 1
                            rows += 1
                        }
                    }
                }
            }
        }
        seconds += try Measure.seconds { try exec(db, "COMMIT") }
        return Double(rows) / seconds
    }

    /// A day's call rows as the ceiling binds them: text in one buffer, numbers with NaN for NULL.
    struct CeilingRows {
        static let textColumns: [Int32] = [1, 2, 3, 4, 5, 6, 7, 8, 18, 19]
        static let numberColumns: [Int32] = [9, 10, 11, 12, 13, 14, 15, 16, 20]
        var text: [UInt8] = []
        /// `textColumns.count` per row, `count` -1 for NULL.
        var texts: [(offset: Int, count: Int32)] = []
        /// `numberColumns.count` per row.
        var numbers: [Double] = []
        var integers: [(transfers: Int64, position: Int64, key: Int64)] = []

        init(_ rows: some Sequence<(CallRecord, Int)>) {
            for (row, position) in rows {
                texts.append(contentsOf: [row.source, row.callID, row.direction.rawValue, row.outcome.rawValue, row.queue, row.agent,
                              row.customerNumber, row.did, row.disposition, row.recordingRef].map { value in
                    guard let value else { return (0, -1) }
                    defer { text.append(contentsOf: value.utf8) }
                    return (text.count, Int32(value.utf8.count))
                })
                numbers.append(contentsOf: [row.startedAt.timeIntervalSince1970, row.queuedAt?.timeIntervalSince1970 ?? .nan,
                                row.answeredAt?.timeIntervalSince1970 ?? .nan, row.endedAt?.timeIntervalSince1970 ?? .nan,
                                row.waitS ?? .nan, row.talkS, row.holdS, row.wrapS, row.startedAt.timeIntervalSince1970])
                integers.append((Int64(row.transfers), Int64(position), Int64(CallKey.of(source: row.source, callID: row.callID))))
            }
            text.append(0)  // never empty: the buffer has a base address
        }
    }

    private static func prepare(_ db: OpaquePointer?, _ sql: String) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw BenchError(String(cString: sqlite3_errmsg(db))) }
        return statement
    }

    private static func step(_ db: OpaquePointer?, _ statement: OpaquePointer?) throws {
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else { throw BenchError(String(cString: sqlite3_errmsg(db))) }
    }

    private static func exec(_ db: OpaquePointer?, _ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw BenchError(String(cString: sqlite3_errmsg(db))) }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
