import CalltrailCore
import CalltrailStore
import Foundation

/// abandoned_calls.sql's rows from the abandons the pass found: in order of offer time, source and
/// call id, each with the call that recovered it.
struct AbandonedCallRows {
    static let columns = ["offered_at", "queue", "customer_number", "wait_s", "short_abandon", "reached_later_same_day", "repeat_caller", "source",
                          "call_id", "recovered_by"]

    let texts: TextNumbers
    /// `min(call_id)` of the calls whose parent an abandon is, by source and the abandon's call id.
    let recoveries: [String: [String: String]]
    /// Each wait printed once: a month has thousands of abandons and few distinct waits.
    private var waits = IntMap<String>()

    init(texts: TextNumbers, recoveries: [String: [String: String]]) {
        self.texts = texts
        self.recoveries = recoveries
    }

    /// The rows of `abandoned` in the dataset's order. Ties in offer time are ordered here; the pass
    /// reads the calls in order of it.
    mutating func rows(_ abandoned: some RandomAccessCollection<ReportEngine.AbandonedCall>) -> [[String?]] {
        let texts = texts
        // The abandons' order, not a sorted copy of them: a year has a million.
        let order = abandoned.indices.sorted { i, j in
            if abandoned[i].queuedAt != abandoned[j].queuedAt { return abandoned[i].queuedAt < abandoned[j].queuedAt }
            if abandoned[i].sourceID != abandoned[j].sourceID {
                return SQLText.precedes(texts.text(abandoned[i].sourceID) ?? "", texts.text(abandoned[j].sourceID) ?? "")
            }
            return SQLText.precedes(abandoned[i].callID, abandoned[j].callID)
        }
        return order.map { row(abandoned[$0]) }
    }

    private mutating func row(_ a: ReportEngine.AbandonedCall) -> [String?] {
        let wait = a.wait ?? 0
        let key = Int(bitPattern: UInt(wait.bitPattern))
        let waitText = waits[key] ?? {
            let text = SQLText.seconds(wait)
            waits.insert(key, text)
            return text
        }()
        let source = texts.text(a.sourceID)
        return [SQLText.dateTime(a.localSeconds) + a.offsetLabel, texts.text(a.queueID), a.customerNumber, waitText,
                (a.wait.map { $0 < a.shortAbandon } ?? false) ? "yes" : "no", a.reachedLaterSameDay ? "yes" : "no",
                a.repeatCaller ? "yes" : "no", source, a.callID, source.flatMap { recoveries[$0]?[a.callID] }]
    }
}

/// The abandoned calls of a report written to its CSV file as the pass finds them, a day at a time,
/// instead of held until the end: a year has a million, 127 MB of CSV. The first `keep` rows stay
/// in memory, for the page's table. Without a file (a report with no CSV) they are only counted.
final class AbandonedCallsSpool: @unchecked Sendable {
    let url: URL?
    private let keep: Int
    private var file: StagedFile?
    private var formatter: AbandonedCallRows?
    private(set) var kept: [[String?]] = []
    private(set) var count = 0
    private var failure: Error?

    init(_ url: URL?, keep: Int) throws {
        self.url = url
        self.keep = keep
        if let url {
            let file = try StagedFile(url)
            try CSV.write(header: AbandonedCallRows.columns, rows: [], file.write)
            self.file = file
        }
    }

    /// Set by the engine before the pass: the texts and recoveries the rows are written with.
    func start(_ rows: AbandonedCallRows) { formatter = rows }

    /// Abandons whose callbacks and repeats are known, later than any added before (on the adding
    /// thread). A failure to write is kept and thrown by `finish`.
    func add(_ abandoned: ArraySlice<ReportEngine.AbandonedCall>) {
        guard failure == nil, !abandoned.isEmpty, var formatter else { return }
        let rows = formatter.rows(abandoned)
        self.formatter = formatter
        if kept.count < keep { kept += rows.prefix(keep - kept.count) }
        count += rows.count
        guard let file else { return }
        do { try CSV.write(rows: rows, file.write) } catch { failure = error }
    }

    /// Every abandon added: the file synced and closed.
    func finish() throws {
        defer { file?.close() }
        if let failure { throw failure }
        try file?.finish()
        file = nil
    }
}
