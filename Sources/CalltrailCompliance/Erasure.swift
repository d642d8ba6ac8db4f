import CalltrailArchive
import CalltrailCore
import CalltrailJSON
import CalltrailStore
import Foundation
import GRDB

/// `calltrail erase --number N`: a data subject's request. Removes the customer's recordings and
/// their number from every place Calltrail stored it — `calls` (the number cleared), the vendor's
/// pages in `raw_pages` (re-written with the number masked, the page's other records intact),
/// `raw_records`, the recordings ledger (`erased`), the number dimension, released holds, run
/// errors — except what a legal hold covers, which it lists and leaves. It keeps a record of the
/// request (when, who, counts, the number's keyed hash), never the number; then checkpoints and
/// vacuums the database so the old bytes leave the file and its WAL.
public struct Erasure: Sendable {
    public let store: CallStore
    public let archive: RecordingArchive
    public let key: SubjectKey
    /// The center's numbering settings: the given number and the stored ones are compared as E.164.
    public let numbers: NumberPlan
    /// Report folders to mask the number in besides those the database recorded (`report_folders`):
    /// the nightly's `reports/` beside the database, which holds reports from before the record.
    public let reportFolders: [URL]

    public init(store: CallStore, archive: RecordingArchive, key: SubjectKey, numbers: NumberPlan, reportFolders: [URL] = []) {
        self.store = store
        self.archive = archive
        self.key = key
        self.numbers = numbers
        self.reportFolders = reportFolders
    }

    public struct HeldCall: Sendable, Equatable {
        public var source: String
        public var callID: String
        public var cases: [String]
    }

    public struct Plan: Sendable {
        /// The calls erased: their key and the number as they store it.
        public var calls: [(source: String, callID: String, number: String?)] = []
        public var recordings: [(source: String, callID: String, path: String)] = []
        public var held: [HeldCall] = []
        /// Earlier requests for the same number (by keyed hash): when.
        public var earlierRequests: [Date] = []
        public var subjectHash: String = ""
    }

    /// `number` as the user gave it: refused (NumberPlan.Invalid) when it is no number under the settings.
    public func plan(number: String) async throws -> Plan {
        let e164 = try numbers.normalize(given: number)
        try await store.normalizeNumbers(adopting: numbers)
        let subject = key.hash(number: e164)
        let filter = CallFilter(number: e164)
        let (whereClause, arguments) = filter.sql()
        return try await store.read { db in
            var plan = Plan()
            plan.subjectHash = subject
            for row in try Row.fetchAll(db, sql: """
                SELECT c.source, c.call_id, c.customer_number,
                       (SELECT group_concat(DISTINCT h.case_id) FROM legal_holds h WHERE h.released_at IS NULL AND \(LegalHold.covers("c"))) AS cases,
                       r.state, r.path
                FROM calls c LEFT JOIN recordings r USING (source, call_id)
                WHERE \(whereClause) ORDER BY c.started_at, c.source, c.call_id
                """, arguments: arguments) {
                let source: String = row["source"], callID: String = row["call_id"]
                if let cases: String = row["cases"] {
                    plan.held.append(HeldCall(source: source, callID: callID, cases: cases.split(separator: ",").map(String.init).sorted()))
                    continue
                }
                plan.calls.append((source, callID, row["customer_number"]))
                if let path: String = row["path"], ["found", "converted"].contains(row["state"] as String? ?? "") {
                    plan.recordings.append((source, callID, path))
                }
            }
            plan.earlierRequests = try Double.fetchAll(db, sql: "SELECT at FROM erasures WHERE subject_hmac = ? ORDER BY at",
                                                       arguments: [subject]).map { Date(timeIntervalSince1970: $0) }
            return plan
        }
    }

    public struct Result: Sendable {
        public var plan: Plan
        public var rawPages: Int
        public var rawRecords: Int
        public var requestID: Int64
        /// Report files rewritten with the number masked, and those that could not be (with why).
        public var reportFiles: [String]
        public var reportFailures: [String]
        /// False when a reader kept the database from being rebuilt within the wait: the number's
        /// bytes are still in the file or its WAL until `calltrail erase --compact` finishes.
        public var compacted: Bool
    }

    public func run(number: String, now: Date = Date(), user: String = OSUser.name, compactWait: Duration = .seconds(30)) async throws -> Result {
        let plan = try await plan(number: number)
        let e164 = try numbers.normalize(given: number)
        // Every form the number may take in the vendor's bytes: as given, as stored, in E.164 with and without its +.
        let masking = NumberMasking(forms: Set([number, e164, String(e164.dropFirst())] + plan.calls.compactMap(\.number)))
        let subject = plan.subjectHash
        let (pages, records, requestID) = try await store.write { db -> (Int, Int, Int64) in
            // The held calls' current vendor records stay as they are.
            var protectedElements: [Int64: Set<Int>] = [:]
            for held in plan.held {
                if let row = try Row.fetchOne(db, sql: "SELECT raw_page, raw_index FROM calls WHERE \(CallKey.sqlMatch(source: "?1", callID: "?2"))",
                                              arguments: [held.source, held.callID]),
                   let page: Int64 = row["raw_page"], let index: Int = row["raw_index"] {
                    protectedElements[page, default: []].insert(index)
                }
            }
            // Every read of the sources involved: a call may have been read in several windows.
            let sources = Array(Set(plan.calls.map(\.source)))
            var pagesRewritten = 0
            if !sources.isEmpty && !masking.patterns.isEmpty {
                let update = try db.makeStatement(sql: "UPDATE raw_pages SET body = ? WHERE id = ?")
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT id, records, bytes, body FROM raw_pages WHERE source IN (\(sources.map { _ in "?" }.joined(separator: ", ")))
                    """, arguments: StatementArguments(sources))
                var rewrites: [(Int64, [UInt8], Int)] = []
                while let row = try rows.next() {
                    let page = RawPage(body: [UInt8](row["body"] as Data), bytes: row["bytes"], records: row["records"])
                    var json = try page.json()
                    guard masking.contains(json) else { continue }
                    let id: Int64 = row["id"]
                    var protected: [Range<Int>] = []
                    if let indexes = protectedElements[id] {
                        let elements = try json.withUnsafeBytes { try JSONArraySplitter.elements(in: $0) }
                        protected = indexes.compactMap { $0 < elements.count ? elements[$0] : nil }
                    }
                    if masking.mask(&json, protected: protected) > 0 { rewrites.append((id, json, page.records)) }
                }
                for (id, json, count) in rewrites {
                    try update.execute(arguments: [Data(RawPage(json: json, records: count).body), id])
                    pagesRewritten += 1
                }
            }
            // Records that mapped to no call carry no number we could match on: masked wherever the bytes occur.
            var recordsRewritten = 0
            for row in try Row.fetchAll(db, sql: "SELECT source, record_key, payload FROM raw_records") {
                var payload = Array((row["payload"] as String).utf8)
                guard masking.mask(&payload) > 0 else { continue }
                try db.execute(sql: "UPDATE raw_records SET payload = ? WHERE source = ? AND record_key = ?",
                               arguments: [String(decoding: payload, as: UTF8.self), row["source"] as String, row["record_key"] as String])
                recordsRewritten += 1
            }
            // synced_at moves, so the next publish carries the erasure into the warehouse.
            let clear = try db.makeStatement(sql: """
                UPDATE calls SET customer_number = NULL, synced_at = ?3 WHERE \(CallKey.sqlMatch(source: "?1", callID: "?2"))
                """)
            for call in plan.calls { try clear.execute(arguments: [call.source, call.callID, now.timeIntervalSince1970]) }
            // The number may sit in other text too (a DID, a disposition, a recording reference, a run's error).
            for form in masking.patterns.map({ String(decoding: $0, as: UTF8.self) }) {
                let mask = String(repeating: "X", count: form.count)
                for call in plan.calls {
                    try db.execute(sql: """
                        UPDATE calls SET did = replace(did, ?1, ?2), disposition = replace(disposition, ?1, ?2),
                                         recording_ref = replace(recording_ref, ?1, ?2)
                        WHERE \(CallKey.sqlMatch(source: "?3", callID: "?4"))
                        """, arguments: [form, mask, call.source, call.callID])
                }
                try db.execute(sql: "UPDATE sync_runs SET last_error = replace(last_error, ?1, ?2), warnings = replace(warnings, ?1, ?2) WHERE instr(last_error, ?1) > 0 OR instr(warnings, ?1) > 0",
                               arguments: [form, mask])
            }
            // The ledger's vendor URLs, notes and errors can carry it too.
            try CallStore.maskNumber(masking.patterns.map { String(decoding: $0, as: UTF8.self) }, inRecordingsOf: plan.calls.map { ($0.source, $0.callID) }, db)
            try CallStore.deleteNumberNames(e164: e164, db)
            try CallStore.forgetReleasedHolds(e164: e164, subjectHash: subject, db)
            try db.execute(sql: """
                INSERT INTO erasures (at, os_user, subject_hmac, calls, recordings, raw_pages, raw_records, held_calls)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [now.timeIntervalSince1970, user, subject, plan.calls.count, plan.recordings.count, pagesRewritten,
                                 recordsRewritten, plan.held.count])
            let requestID = db.lastInsertedRowID
            // Every call's ledger row, stored or not yet fetched: no later fetch downloads it again.
            try CallStore.markErased(plan.calls.map { ($0.source, $0.callID) }, by: "erasure #\(requestID)", at: now, db)
            let detail = try JSONSerialization.data(withJSONObject: [
                "request": requestID, "calls": plan.calls.count, "recordings": plan.recordings.count, "raw_pages": pagesRewritten,
                "raw_records": recordsRewritten, "held_calls": plan.held.count,
                "held_cases": Array(Set(plan.held.flatMap(\.cases))).sorted(),
            ], options: [.sortedKeys])
            try CallStore.appendAudit(AuditEntry(at: now, osUser: user, action: "erase", filters: CallFilter(number: e164).auditJSON(key: key),
                                                 count: plan.calls.count, problems: plan.held.count,
                                                 detail: String(decoding: detail, as: UTF8.self)), db, audit: store.audit)
            return (pagesRewritten, recordsRewritten, requestID)
        }
        try await ArchivedFiles.removeLeftovers(of: store, in: archive)
        let folders = try await store.reportFolders().map { URL(fileURLWithPath: $0) } + reportFolders
        let reports = ReportMasking.mask(NumberMasking(forms: Set(masking.patterns.map { String(decoding: $0, as: UTF8.self) }), text: true), in: folders)
        // The old bytes are still in free pages and the WAL until the file is rebuilt.
        let compacted = try await store.compact(waitingUpTo: compactWait)
        return Result(plan: plan, rawPages: pages, rawRecords: records, requestID: requestID, reportFiles: reports.rewritten,
                      reportFailures: reports.failures, compacted: compacted)
    }
}
