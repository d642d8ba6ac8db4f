import CalltrailArchive
import CalltrailCore
import CalltrailJSON
import CalltrailStore
import Foundation

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
        let (calls, earlier) = try await store.erasureCandidates(e164: e164, subjectHash: subject)
        var plan = Plan()
        plan.subjectHash = subject
        plan.earlierRequests = earlier
        for call in calls {
            if !call.holdCases.isEmpty {
                plan.held.append(HeldCall(source: call.source, callID: call.callID, cases: call.holdCases))
                continue
            }
            plan.calls.append((call.source, call.callID, call.number))
            if let path = call.recordingPath { plan.recordings.append((call.source, call.callID, path)) }
        }
        return plan
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
        let filters = CallFilter(number: e164).auditJSON(key: key)
        let held = plan.held
        let erasure = ErasureWrite(
            erased: plan.calls.map { ($0.source, $0.callID) }, held: plan.held.map { ($0.source, $0.callID) },
            forms: masking.patterns.map { String(decoding: $0, as: UTF8.self) }, e164: e164, subjectHash: plan.subjectHash,
            recordings: plan.recordings.count, at: now, user: user,
            maskPage: { json, protectedIndexes in
                guard masking.contains(json) else { return false }
                var protected: [Range<Int>] = []
                if !protectedIndexes.isEmpty {
                    let elements = try json.withUnsafeBytes { try JSONArraySplitter.elements(in: $0) }
                    protected = protectedIndexes.compactMap { $0 < elements.count ? elements[$0] : nil }
                }
                return masking.mask(&json, protected: protected) > 0
            },
            maskRecord: { payload in masking.mask(&payload) > 0 },
            audit: { requestID, pages, records in
                let detail = try JSONSerialization.data(withJSONObject: [
                    "request": requestID, "calls": plan.calls.count, "recordings": plan.recordings.count, "raw_pages": pages,
                    "raw_records": records, "held_calls": held.count, "held_cases": Array(Set(held.flatMap(\.cases))).sorted(),
                ], options: [.sortedKeys])
                return AuditEntry(at: now, osUser: user, action: "erase", filters: filters, count: plan.calls.count, problems: held.count,
                                  detail: String(decoding: detail, as: UTF8.self))
            })
        let (pages, records, requestID) = try await store.recordErasure(erasure)
        try await ArchivedFiles.removeLeftovers(of: store, in: archive)
        let folders = try await store.reportFolders().map { URL(fileURLWithPath: $0) } + reportFolders
        let reports = ReportMasking.mask(NumberMasking(forms: Set(masking.patterns.map { String(decoding: $0, as: UTF8.self) }), text: true), in: folders)
        // The old bytes are still in free pages and the WAL until the file is rebuilt.
        let compacted = try await store.compact(waitingUpTo: compactWait)
        return Result(plan: plan, rawPages: pages, rawRecords: records, requestID: requestID, reportFiles: reports.rewritten,
                      reportFailures: reports.failures, compacted: compacted)
    }
}
