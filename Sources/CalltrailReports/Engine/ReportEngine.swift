import CalltrailCore
import CalltrailStore
import Foundation
import GRDB

/// The datasets a report reads from the calls themselves, from one pass over the period's calls: the
/// listing of abandoned calls with their callbacks, agents, outbound calls, data quality and recording
/// coverage. The inbound figures are summed from the interval tallies by their queries instead
/// (InboundGrain). The queries/ files define these datasets too and stay what `calltrail query` and the
/// sqlite3 shell run; run one after the other they would read the period five times, ≈ 1 µs a row each,
/// where this pass reads it once (BENCHMARKS.md). ReportEngineTests hold every dataset equal to its SQL,
/// cell by cell.
struct ReportEngine {
    let parameters: ReportParameters
    /// Where the abandoned calls are written as the pass finds them, when a report is written to files;
    /// nil: they are all kept for the dataset.
    var spool: AbandonedCallsSpool? = nil

    /// What the pass gathers; each dataset is made from it afterwards (EngineDatasets.swift).
    struct Period {
        /// By dimension and key: `rank << 40 | text number` (-1 for none, 0 for the total).
        var outbound = IntMap<OutboundTally>()
        var abandoned: [AbandonedCall] = []
        var quality = QualityCounts()
        /// By the ledger state's text number (-1: no ledger row).
        var coverage = IntMap<(calls: Int, bytes: Int?)>()
        var withRecordingReference = 0
    }

    struct OutboundTally {
        var attempts = 0
        var connected = 0
        var talk = Mean()
    }

    struct AbandonedCall {
        /// When it was offered: also the instant it counts at (`attributed_at`), as it was queued.
        var queuedAt: Double
        var localSeconds: Int
        var offset: Int
        var offsetLabel: String
        var queueID: Int
        var customerNumber: String?
        var customerNumberHash: Int
        var wait: Double?
        var shortAbandon: Double
        var sourceID: Int
        var callID: String
        var reachedLaterSameDay = false
        var repeatCaller = false
    }

    struct QualityCounts {
        var calls = 0, unknownOutcome = 0, missingEnd = 0, answeredWithoutAnswer = 0, inboundWithoutQueue = 0, offeredWithoutWait = 0
        /// Calls by source (text number), and by source and the text of the checks they broke.
        var callsBySource = IntMap<Int>()
        var brokenChecks = IntMap<IntMap<Int>>()
    }

    /// A row of `mapping_checks`: a check a source's mapping runs.
    struct MappingCheckRow: Sendable {
        var source: String
        var name: String
        var meaning: String
    }

    /// A call of the numbers' lookups: when it counts, and whether it connected or was offered.
    struct NumberEvent {
        var at: Double
        var connected: Bool
        var offeredInbound: Bool
    }

    /// Every dataset the pass makes, and the mapping checks' counts of the HTML page. SQLite stepping rows is the largest cost (≈ 0.85 µs a
    /// row): two readers read alternate days of the range on two connections while a third thread adds
    /// the calls up, day after day in order, so that every sum is added in the order the SQL adds it.
    func run(_ store: CallStore) async throws -> (datasets: [String: Dataset], figures: ReportFigures) {
        let from = floor(parameters.from.timeIntervalSince1970), to = floor(parameters.to.timeIntervalSince1970)
        let parameters = self.parameters
        let (zone, settings, undecodable, checks, recoveries, syncedAfterErasure) = try await store.read { db in
            (try ZonePeriods(db, zone: parameters.timeZone.identifier), try QueueSettings(db),
             try Self.undecodable(db, from: from, to: to), try Self.mappingChecks(db), try Self.recoveries(db),
             try Self.syncedAfterErasure(db, from: from, to: to))
        }
        // A day either side of the period: an abandon's callback or earlier offer may lie there.
        let range = stride(from: from - 86_400, to: to + 86_400, by: 86_400).map { (from: $0, to: min($0 + 86_400, to + 86_400)) }
        let numbers = TextNumbers()
        let spool = self.spool
        spool?.start(AbandonedCallRows(texts: numbers, recoveries: recoveries))
        let readers = [CallBatches(), CallBatches()]
        let added = AddedPeriod()
        let dayCount = range.count
        DispatchQueue.global().async {
            var accumulator = PeriodAccumulator(zone: zone, from: from, to: to, spool: spool)
            adding: for day in 0..<dayCount {
                while true {
                    guard var batch = readers[day % 2].take() else { break adding }
                    for call in batch.calls { accumulator.add(call) }
                    readers[day % 2].handBack(&batch.calls)
                    if batch.endsDay { break }
                }
                accumulator.endChunk(at: range[day].to)
            }
            accumulator.finish()
            added.set(accumulator.period)
        }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for reader in 0..<2 {
                    group.addTask {
                        try await store.read { db in
                            try Self.read(days: stride(from: reader, to: range.count, by: 2).map { range[$0] }, db, into: readers[reader],
                                          texts: numbers, settings: settings, parameters: parameters)
                        }
                    }
                }
                try await group.waitForAll()
            }
        } catch {
            for reader in readers { reader.close() }
            _ = added.wait()
            throw error
        }
        let period = added.wait()
        try spool?.finish()
        let made = EngineDatasets(parameters: parameters, period: period, texts: numbers, undecodable: undecodable, syncedAfterErasure: syncedAfterErasure, mappingChecks: checks, recoveries: recoveries, spool: spool)
        return (made.all, made.figures)
    }

    /// One reader's days, each handed over in batches, its last batch marked.
    private static func read(days: [(from: Double, to: Double)], _ db: Database, into batches: CallBatches, texts numbers: TextNumbers,
                             settings: QueueSettings, parameters: ReportParameters) throws {
        var texts = TextCache(numbers)
        let queueFilter = parameters.queues.isEmpty ? nil : Set(parameters.queues)
        // S and the filter's verdict of each queue, by its text number, found once.
        var queueRules = IntMap<(shortAbandon: Double, kept: Bool)>()
        var recordings = try RecordingsOfDay(db)
        for day in days {
            var batch = batches.emptyCalls()
            try recordings.read(from: day.from, to: day.to, texts: &texts)
            try CallScan.forEach(db, from: day.from, to: day.to, recordings: recordings, texts: &texts) { call in
                let rules = queueRules[call.queueID] ?? {
                    let queue = numbers.text(call.queueID)
                    let rules = (settings.shortAbandon(queue) ?? parameters.shortAbandon,
                                 queueFilter.map { filter in queue.map(filter.contains) ?? false } ?? true)
                    queueRules.insert(call.queueID, rules)
                    return rules
                }()
                (call.shortAbandon, call.inQueues) = rules
                batch.append(call)
                if batch.count == CallBatches.size {
                    batches.put(CallBatch(calls: batch, endsDay: false))
                    batch = batches.emptyCalls()
                }
            }
            batches.put(CallBatch(calls: batch, endsDay: true))
        }
    }

    /// The call that recovered each abandon that has one, by source and the abandon's call id:
    /// abandoned_calls.sql's `min(call_id)` of the calls whose parent it is. The calls that have a
    /// parent (CCAI's recovered callbacks) are few: they are read once through their index, where a
    /// lookup per abandon cost a year's report 2.8 s.
    static func recoveries(_ db: Database) throws -> [String: [String: String]] {
        var children: [String: [String: String]] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT source, parent_call_id, min(call_id) FROM calls WHERE parent_call_id IS NOT NULL GROUP BY parent_call_id, source
            """)
        while let row = try rows.next() {
            if let child: String = row[2] { children[row[0], default: [:]][row[1]] = child }
        }
        return children
    }

    /// The checks each source's mapping runs, in data_quality.sql's order.
    static func mappingChecks(_ db: Database) throws -> [MappingCheckRow] {
        try Row.fetchAll(db, sql: "SELECT source, name, meaning FROM mapping_checks ORDER BY source, name").map {
            MappingCheckRow(source: $0[0], name: $0[1], meaning: $0[2])
        }
    }

    /// Calls of the period with their number whose recordings ledger row is `erased`: an erased customer
    /// a later sync stored again (data_quality.sql). Found from the ledger's erased rows (by their call's
    /// instant, or without one) and only where an erasure was ever made: none costs one lookup.
    static func syncedAfterErasure(_ db: Database, from: Double, to: Double) throws -> Int {
        guard try Int.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM erasures)") == 1 else { return 0 }
        return try Int.fetchOne(db, sql: """
            SELECT count(*) FROM recordings r
            WHERE r.state = 'erased' AND ((r.call_at >= ?1 AND r.call_at < ?2) OR r.call_at IS NULL)
              AND EXISTS (SELECT 1 FROM calls c WHERE \(CallKey.sqlMatch("c", source: "r.source", callID: "r.call_id"))
                            AND c.customer_number IS NOT NULL
                            AND coalesce(c.queued_at, c.started_at) >= ?1 AND coalesce(c.queued_at, c.started_at) < ?2)
            """, arguments: [from, to]) ?? 0
    }

    /// Vendor records that failed to decode, by the window they were read in (data_quality.sql).
    static func undecodable(_ db: Database, from: Double, to: Double) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM raw_records WHERE decode_error IS NOT NULL AND window_start >= ? AND window_start < ?",
                         arguments: [from - 86_400, to]) ?? 0
    }
}

extension ReportEngine.OutboundTally {
    mutating func add(_ call: ScannedCall) {
        attempts += 1
        if call.outcome == .outboundAnswered {
            connected += 1
            talk.add(call.talk)
        }
    }
}

extension ReportEngine.QualityCounts {
    mutating func add(_ call: ScannedCall) {
        calls += 1
        if call.outcome == .unknown { unknownOutcome += 1 }
        if !call.hasEnd { missingEnd += 1 }
        if call.outcome == .answered && !call.hasAnswerTime { answeredWithoutAnswer += 1 }
        if call.direction == .inbound && call.queuedAt == nil { inboundWithoutQueue += 1 }
        if call.queuedAt != nil && call.wait == nil { offeredWithoutWait += 1 }
        callsBySource[call.sourceID, default: 0] += 1
        if call.failedChecksID >= 0 { brokenChecks[call.sourceID, default: IntMap()][call.failedChecksID, default: 0] += 1 }
    }
}

/// The period the adding thread made, handed to the engine once made.
private final class AddedPeriod: @unchecked Sendable {
    private let made = DispatchSemaphore(value: 0)
    private var period = ReportEngine.Period()

    func set(_ period: ReportEngine.Period) {
        self.period = period
        made.signal()
    }

    func wait() -> ReportEngine.Period {
        made.wait()
        return period
    }
}

/// `date(x, 'unixepoch')` as a day number.
enum LocalDay {
    static func of(_ seconds: Int) -> Int { LocalDateTime.floorDiv(seconds, 86_400) }
}
