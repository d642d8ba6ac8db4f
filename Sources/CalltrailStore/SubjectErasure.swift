import CalltrailCore
import Foundation
import GRDB

/// A call a data subject's erasure reaches: its key, the number as the call stores it, the legal hold
/// cases that keep it (none: it is erased), and its stored recording's path, when there is one.
public struct ErasureCandidate: Sendable, Equatable {
    public var source: String
    public var callID: String
    public var number: String?
    public var holdCases: [String]
    public var recordingPath: String?
}

/// What an erasure writes, given to the store whole so it happens in one transaction: the calls erased
/// and held, the number's text forms, and the masking of the vendor's bytes (which the store does not
/// know how to find in a JSON page: `maskPage` masks a page's records but the elements at the given
/// indexes, and says whether anything changed).
public struct ErasureWrite: Sendable {
    public var erased: [(source: String, callID: String)]
    public var held: [(source: String, callID: String)]
    /// The number as the vendor's text may hold it (as given, as stored, in E.164 with and without +).
    public var forms: [String]
    public var e164: String
    public var subjectHash: String
    public var recordings: Int
    public var at: Date
    public var user: String
    public var maskPage: @Sendable (_ json: inout [UInt8], _ protectedElements: Set<Int>) throws -> Bool
    public var maskRecord: @Sendable (_ payload: inout [UInt8]) -> Bool
    /// The audit row, once the request has its id.
    public var audit: @Sendable (_ requestID: Int64, _ rawPages: Int, _ rawRecords: Int) throws -> AuditEntry

    public init(erased: [(source: String, callID: String)], held: [(source: String, callID: String)], forms: [String], e164: String,
                subjectHash: String, recordings: Int, at: Date, user: String,
                maskPage: @escaping @Sendable (inout [UInt8], Set<Int>) throws -> Bool,
                maskRecord: @escaping @Sendable (inout [UInt8]) -> Bool,
                audit: @escaping @Sendable (Int64, Int, Int) throws -> AuditEntry) {
        self.erased = erased
        self.held = held
        self.forms = forms
        self.e164 = e164
        self.subjectHash = subjectHash
        self.recordings = recordings
        self.at = at
        self.user = user
        self.maskPage = maskPage
        self.maskRecord = maskRecord
        self.audit = audit
    }
}

extension CallStore {
    /// The calls whose customer number is `e164` (numbers normalized first), in call order, each with the
    /// active holds that cover it; and when the same subject's earlier requests were made.
    public func erasureCandidates(e164: String, subjectHash: String) async throws -> (calls: [ErasureCandidate], earlierRequests: [Date]) {
        let (whereClause, arguments) = CallFilter(number: e164).sql()
        return try await read { db in
            var calls: [ErasureCandidate] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT c.source, c.call_id, c.customer_number,
                       (SELECT group_concat(DISTINCT h.case_id) FROM legal_holds h WHERE h.released_at IS NULL AND \(LegalHold.covers("c"))) AS cases,
                       r.state, r.path
                FROM calls c LEFT JOIN recordings r ON r.source = c.source AND r.call_id = c.call_id
                WHERE \(whereClause) ORDER BY c.started_at, c.source, c.call_id
                """, arguments: arguments) {
                let state: String? = row["state"]
                calls.append(ErasureCandidate(
                    source: row["source"], callID: row["call_id"], number: row["customer_number"],
                    holdCases: (row["cases"] as String?)?.split(separator: ",").map(String.init).sorted() ?? [],
                    recordingPath: ["found", "converted"].contains(state ?? "") ? row["path"] : nil))
            }
            let earlier = try Double.fetchAll(db, sql: "SELECT at FROM erasures WHERE subject_hmac = ? ORDER BY at", arguments: [subjectHash])
                .map { Date(timeIntervalSince1970: $0) }
            return (calls, earlier)
        }
    }

    /// Every write of an erasure in one transaction: the vendor's pages and unmapped records masked (the
    /// held calls' records kept), the number cleared from the calls and masked in their other text, the
    /// runs' errors, the ledger, the number's names and released holds; the request recorded (counts and
    /// keyed hash) and audited; every erased call's recording marked `erased`. Returns the pages and
    /// records rewritten and the request's id.
    public func recordErasure(_ erasure: ErasureWrite) async throws -> (rawPages: Int, rawRecords: Int, requestID: Int64) {
        let audit = self.audit
        return try await write { db in
            // The held calls' current vendor records stay as they are.
            var protectedElements: [Int64: Set<Int>] = [:]
            for held in erasure.held {
                if let row = try Row.fetchOne(db, sql: "SELECT raw_page, raw_index FROM calls WHERE \(CallKey.sqlMatch(source: "?1", callID: "?2"))",
                                              arguments: [held.source, held.callID]),
                   let page: Int64 = row["raw_page"], let index: Int = row["raw_index"] {
                    protectedElements[page, default: []].insert(index)
                }
            }
            // Every read of the sources involved: a call may have been read in several windows.
            let sources = Array(Set(erasure.erased.map(\.source)))
            var pagesRewritten = 0
            if !sources.isEmpty && !erasure.forms.isEmpty {
                let update = try db.makeStatement(sql: "UPDATE raw_pages SET body = ? WHERE id = ?")
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT id, records, bytes, body FROM raw_pages WHERE source IN (\(sources.map { _ in "?" }.joined(separator: ", ")))
                    """, arguments: StatementArguments(sources))
                var rewrites: [(Int64, [UInt8], Int)] = []
                while let row = try rows.next() {
                    let page = RawPage(body: [UInt8](row["body"] as Data), bytes: row["bytes"], records: row["records"])
                    var json = try page.json()
                    let id: Int64 = row["id"]
                    if try erasure.maskPage(&json, protectedElements[id] ?? []) { rewrites.append((id, json, page.records)) }
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
                guard erasure.maskRecord(&payload) else { continue }
                try db.execute(sql: "UPDATE raw_records SET payload = ? WHERE source = ? AND record_key = ?",
                               arguments: [String(decoding: payload, as: UTF8.self), row["source"] as String, row["record_key"] as String])
                recordsRewritten += 1
            }
            // synced_at moves, so the next publish carries the erasure into the warehouse.
            let clear = try db.makeStatement(sql: """
                UPDATE calls SET customer_number = NULL, synced_at = ?3 WHERE \(CallKey.sqlMatch(source: "?1", callID: "?2"))
                """)
            for call in erasure.erased { try clear.execute(arguments: [call.source, call.callID, erasure.at.timeIntervalSince1970]) }
            // The number may sit in other text too (a DID, a disposition, a recording reference, a run's error).
            for form in erasure.forms {
                let mask = String(repeating: "X", count: form.count)
                for call in erasure.erased {
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
            try Self.maskNumber(erasure.forms, inRecordingsOf: erasure.erased, db)
            try Self.deleteNumberNames(e164: erasure.e164, db)
            try Self.forgetReleasedHolds(e164: erasure.e164, subjectHash: erasure.subjectHash, db)
            try db.execute(sql: """
                INSERT INTO erasures (at, os_user, subject_hmac, calls, recordings, raw_pages, raw_records, held_calls)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [erasure.at.timeIntervalSince1970, erasure.user, erasure.subjectHash, erasure.erased.count, erasure.recordings,
                                 pagesRewritten, recordsRewritten, erasure.held.count])
            let requestID = db.lastInsertedRowID
            // Every call's ledger row, stored or not yet fetched: no later fetch downloads it again.
            try Self.markErased(erasure.erased, by: "erasure #\(requestID)", at: erasure.at, db)
            try Self.appendAudit(try erasure.audit(requestID, pagesRewritten, recordsRewritten), db, audit: audit)
            // A number dialled masked above may key a tally: remade now, before the file is compacted.
            try Self.refreshTalliesOnTheirZone(db)
            return (pagesRewritten, recordsRewritten, requestID)
        }
    }
}
