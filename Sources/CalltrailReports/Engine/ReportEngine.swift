import CalltrailCore
import CalltrailStore
import Foundation

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
        /// The outbound attempts and connections of each center number with a call in the period (text
        /// number, -1 for none): by_number lists them.
        var numbers = IntMap<(attempts: Int, connected: Int)>()
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

    /// A call of the numbers' lookups: when it counts, and whether it connected or was offered.
    struct NumberEvent {
        var at: Double
        var connected: Bool
        var offeredInbound: Bool
    }

    /// Every dataset the pass makes, and the mapping checks' counts of the HTML page. SQLite stepping rows is the largest cost (≈ 0.85 µs a
    /// row): two readers read alternate days of the range on two connections while a third thread adds
    /// the calls up, day after day in order, so that every sum is added in the order the SQL adds it.
    func run(_ store: CallStore) async throws -> EngineDatasets {
        let from = floor(parameters.from.timeIntervalSince1970), to = floor(parameters.to.timeIntervalSince1970)
        let parameters = self.parameters
        let lookups = try await store.reportLookups(zone: parameters.timeZone.identifier, from: from, to: to)
        let zone = ZonePeriods(lookups.zoneOffsets), recoveries = lookups.recoveries
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
                        let days = stride(from: reader, to: range.count, by: 2).map { range[$0] }
                        try await store.scanCalls(days: days, texts: numbers,
                                                  into: DayReader(readers[reader], texts: numbers, shortAbandons: lookups.shortAbandons, parameters: parameters))
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
        return EngineDatasets(parameters: parameters, period: period, texts: numbers, lookups: lookups, spool: spool)
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

/// One reader's days as the scan hands them over: each call given its queue's S and the queue filter's
/// verdict, put in batches for the adding thread, a day's last batch marked. Used by its reading thread
/// alone.
private final class DayReader: CallScanSink, @unchecked Sendable {
    private let batches: CallBatches
    private let texts: TextNumbers
    private let shortAbandons: [String: Double]
    private let defaultShortAbandon: Double
    private let queueFilter: Set<String>?
    /// S and the filter's verdict of each queue, by its text number, found once.
    private var queueRules = IntMap<(shortAbandon: Double, kept: Bool)>()
    private var batch: [ScannedCall]

    init(_ batches: CallBatches, texts: TextNumbers, shortAbandons: [String: Double], parameters: ReportParameters) {
        self.batches = batches
        self.texts = texts
        self.shortAbandons = shortAbandons
        defaultShortAbandon = parameters.shortAbandon
        queueFilter = parameters.queues.isEmpty ? nil : Set(parameters.queues)
        batch = batches.emptyCalls()
    }

    func take(_ call: inout ScannedCall) throws {
        let rules = queueRules[call.queueID] ?? {
            let queue = texts.text(call.queueID)
            let rules = (queue.flatMap { shortAbandons[$0] } ?? defaultShortAbandon,
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

    func dayEnded() throws {
        batches.put(CallBatch(calls: batch, endsDay: true))
        batch = batches.emptyCalls()
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
