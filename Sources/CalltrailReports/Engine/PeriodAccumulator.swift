import CalltrailCore
import CalltrailStore
import Foundation

/// Adds the scanned calls up into what the datasets are made of (ReportEngine.Period), one call at a
/// time in the order read. A struct the adding thread holds in a local variable: a class's stored
/// properties are checked for exclusive access at run time on every call's dozen updates.
struct PeriodAccumulator {
    private let from: Double
    private let to: Double
    private var cursor: ZonePeriods.Cursor
    private(set) var period = ReportEngine.Period()
    /// The abandons' callbacks and repeats, found a day at a time.
    private var callbacks = CallbackFinder()
    /// Where the abandons go once their callbacks are known; nil: they stay in the period.
    private let spool: AbandonedCallsSpool?

    init(zone: ZonePeriods, from: Double, to: Double, spool: AbandonedCallsSpool? = nil) {
        self.from = from
        self.to = to
        cursor = zone.cursor()
        self.spool = spool
    }

    /// Every call before `end` has been added (the end of one of the engine's 24-hour reads).
    mutating func endChunk(at end: Double) {
        callbacks.endChunk(at: end, &period.abandoned)
        spoolLookedUp()
    }

    /// Every call has been added.
    mutating func finish() {
        callbacks.finish(&period.abandoned)
        spoolLookedUp()
    }

    /// The abandons looked up, handed to the spool and let go.
    private mutating func spoolLookedUp() {
        guard let spool else { return }
        let count = callbacks.lookedUp
        spool.add(period.abandoned[..<count])
        period.abandoned.removeFirst(count)
        callbacks.forgetLookedUp()
    }

    mutating func add(_ call: ScannedCall) {
        if let number = call.customerNumber {
            callbacks.add(number, call.customerNumberHash, .init(at: call.attributedAt, connected: call.outcome == .answered || call.outcome == .outboundAnswered,
                                        offeredInbound: call.direction == .inbound && call.queuedAt != nil))
        }
        guard call.attributedAt >= from, call.attributedAt < to, let offset = cursor.period(at: call.attributedAt) else { return }
        let localSeconds = Int(call.attributedAt) + offset.seconds
        let shortAbandon = call.shortAbandon

        // Data quality and recording coverage count every call of the period, whatever its queue.
        period.quality.add(call)
        if call.hasRecordingReference {
            period.withRecordingReference += 1
            var entry = period.coverage[call.recordingStateID] ?? (0, nil)
            entry.calls += 1
            if let bytes = call.recordingBytes { entry.bytes = (entry.bytes ?? 0) + bytes }
            period.coverage[call.recordingStateID, default: entry] = entry
        }
        guard call.inQueues else { return }

        var number = period.numbers[call.didID] ?? (0, 0)
        if call.direction == .outbound { number.attempts += 1 }
        if call.outcome == .outboundAnswered { number.connected += 1 }
        period.numbers[call.didID, default: number] = number

        if call.direction == .outbound {
            period.outbound[0, default: .init()].add(call)
            period.outbound[1 << 40 | (call.queueID & 0xFF_FFFF_FFFF), default: .init()].add(call)
            period.outbound[2 << 40 | (call.agentID & 0xFF_FFFF_FFFF), default: .init()].add(call)
            period.outbound[3 << 40 | (call.didID & 0xFF_FFFF_FFFF), default: .init()].add(call)
        }
        guard call.direction == .inbound, let queuedAt = call.queuedAt else { return }

        // An offered call: the abandoned ones are listed.
        if call.outcome == .abandoned {
            period.abandoned.append(.init(
                queuedAt: queuedAt, localSeconds: localSeconds, offset: offset.seconds,
                offsetLabel: offset.label, queueID: call.queueID, customerNumber: call.customerNumber,
                customerNumberHash: call.customerNumberHash, wait: call.wait,
                shortAbandon: shortAbandon, sourceID: call.sourceID, callID: call.callID ?? ""))
        }
    }
}

/// The abandons' callbacks and repeats (abandoned_calls.sql), found a day at a time so that memory
/// holds three days of calls, not the period's: the calls with a number of the last three 24-hour chunks
/// read, and the abandons whose 24 hours after them have all been read are looked up at each chunk's
/// end. An abandon is a repeat when its number was offered inbound in the 24 h before it, and was reached
/// later the same day when the earliest connected call of its number in the 24 h after it falls on the same
/// local day; calls at the same instant count neither way.
struct CallbackFinder {
    typealias Event = (number: String, event: ReportEngine.NumberEvent)
    /// Oldest chunk first, each call's event by the hash of its number; the last is the one being read.
    private var chunks: [[(hash: Int, event: Event)]] = [[]]
    /// The first abandon not looked up yet (abandons come in order of time).
    private var next = 0

    /// How many abandons, from the first, have been looked up.
    var lookedUp: Int { next }

    /// The abandons looked up have been removed from the front of the list.
    mutating func forgetLookedUp() { next = 0 }

    mutating func add(_ number: String, _ hash: Int, _ event: ReportEngine.NumberEvent) {
        chunks[chunks.count - 1].append((hash, (number, event)))
    }

    /// Every call before `end` has been read.
    mutating func endChunk(at end: Double, _ abandoned: inout [ReportEngine.AbandonedCall]) {
        var upTo = next
        while upTo < abandoned.count, abandoned[upTo].queuedAt + 86_400 < end { upTo += 1 }
        lookUp(next..<upTo, &abandoned)
        next = upTo
        chunks.append([])
        if chunks.count > 3 { chunks.removeFirst() }
    }

    /// Every call has been read.
    mutating func finish(_ abandoned: inout [ReportEngine.AbandonedCall]) {
        lookUp(next..<abandoned.count, &abandoned)
        next = abandoned.count
    }

    private func lookUp(_ range: Range<Int>, _ abandoned: inout [ReportEngine.AbandonedCall]) {
        guard !range.isEmpty else { return }
        // The events of the abandons' numbers in order of time, by the numbers' hashes: a hash two
        // numbers share keeps both numbers' events, told apart by their text below.
        var byNumber = IntMap<[Event]>()
        for index in range where abandoned[index].customerNumber != nil { byNumber.insert(abandoned[index].customerNumberHash, []) }
        for chunk in chunks {
            for (hash, event) in chunk where byNumber.index(of: hash) != nil { byNumber[hash, default: []].append(event) }
        }
        for index in range {
            guard let number = abandoned[index].customerNumber, let timeline = byNumber[abandoned[index].customerNumberHash] else { continue }
            let call = abandoned[index]
            // The number's events from 24 h before the abandon to 24 h after, found by bisection.
            var low = 0, high = timeline.count
            while low < high {
                let middle = (low + high) / 2
                if timeline[middle].event.at < call.queuedAt - 86_400 { low = middle + 1 } else { high = middle }
            }
            var nextConnected: Double?
            for (eventNumber, event) in timeline[low...] {
                if event.at > call.queuedAt + 86_400 { break }
                guard eventNumber == number else { continue }
                if event.at < call.queuedAt {
                    if event.offeredInbound { abandoned[index].repeatCaller = true }
                } else if event.at > call.queuedAt, event.connected, nextConnected == nil {
                    nextConnected = event.at
                }
            }
            // The earliest connected call after the abandon decides: a later one is no earlier in the day.
            if let next = nextConnected {
                abandoned[index].reachedLaterSameDay = next < call.queuedAt + 86_400
                    && LocalDay.of(Int(next) + call.offset) == LocalDay.of(call.localSeconds)
            }
        }
    }
}

/// Calls read, a batch at a time; the last batch of a day says so.
struct CallBatch {
    var calls: [ScannedCall]
    var endsDay: Bool
}

/// Batches of scanned calls handed from a reading thread to the adding one. A reader may run a day
/// ahead of the adder (while the adder is on the other reader's day), so a day's batches fit. The adder
/// hands each batch's storage back once added up, so that a year's reading reuses a few dozen buffers
/// instead of asking the kernel for fresh zeroed pages for every 4 096 calls.
final class CallBatches: @unchecked Sendable {
    static let size = 4_096
    private static let capacity = 24
    private let condition = NSCondition()
    private var waiting: [CallBatch] = []
    private var spare: [[ScannedCall]] = []
    private var closed = false

    func put(_ batch: CallBatch) {
        condition.lock()
        while waiting.count >= Self.capacity && !closed { condition.wait() }
        waiting.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch; nil once closed and empty.
    func take() -> CallBatch? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty && !closed { condition.wait() }
        guard !waiting.isEmpty else { return nil }
        condition.broadcast()
        return waiting.removeFirst()
    }

    /// An empty batch's storage, one handed back if there is one.
    func emptyCalls() -> [ScannedCall] {
        let calls = condition.withLock { spare.popLast() }
        if let calls { return calls }
        var fresh: [ScannedCall] = []
        fresh.reserveCapacity(Self.size)
        return fresh
    }

    /// A batch added up: its storage, emptied, for a next batch.
    func handBack(_ calls: inout [ScannedCall]) {
        calls.removeAll(keepingCapacity: true)
        let emptied = calls
        calls = []
        condition.withLock { spare.append(emptied) }
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
