import CalltrailCore
import Foundation
import GRDB

/// The customers erased on request, known by their numbers' keyed hashes (`erasures.subject_hmac`):
/// a call of one that a sync stores later (a period not synced before, the vendor still holding it)
/// is erased too before any fetch, so its recording is never downloaded.
extension CallStore {
    /// Marks `erased` the ledger rows of the calls matching `filter` that a fetch would try and whose
    /// number is an erased subject's; returns how many. Nothing to do without erasures.
    @discardableResult
    public func eraseCallsOfErasedSubjects(_ filter: CallFilter, key: SubjectKey, numbers: NumberPlan, now: Date = Date()) async throws -> Int {
        let (whereClause, arguments) = filter.sql()
        return try await write { db in
            var requests: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT subject_hmac, max(id) AS id FROM erasures GROUP BY subject_hmac") {
                requests[row["subject_hmac"]] = row["id"]
            }
            guard !requests.isEmpty else { return 0 }
            try Self.normalizeNumbers(adopting: numbers, db)
            var erased: [Int64: [(source: String, callID: String)]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT c.source, c.call_id, c.customer_e164 FROM calls c LEFT JOIN recordings r USING (source, call_id)
                WHERE c.recording_ref IS NOT NULL AND (r.state IS NULL OR r.state IN ('pending', 'missing', 'failed'))
                  AND c.customer_e164 <> '' AND \(whereClause)
                """, arguments: arguments) {
                if let request = requests[key.hash(number: row["customer_e164"])] {
                    erased[request, default: []].append((row["source"], row["call_id"]))
                }
            }
            for (request, calls) in erased { try Self.markErased(calls, by: "erasure #\(request) (synced again)", at: now, db) }
            return erased.values.reduce(0) { $0 + $1.count }
        }
    }
}
