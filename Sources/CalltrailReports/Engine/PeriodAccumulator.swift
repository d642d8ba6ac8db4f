import CalltrailCore
import Foundation

/// Adds the scanned calls up into what the datasets are made of (ReportEngine.Period), one call at a
/// time in the order read, on the thread the engine gives it; read only once that thread is done.
final class PeriodAccumulator: @unchecked Sendable {
    private let step: Int
    private let from: Double
    private let to: Double
    private var cursor: ZonePeriods.Cursor
    private(set) var period = ReportEngine.Period()
    /// Every call with a number, in order of time: where the abandons' callbacks and repeats are found.
    private(set) var events: [(number: String, event: ReportEngine.NumberEvent)] = []

    init(parameters: ReportParameters, zone: ZonePeriods, from: Double, to: Double) {
        step = parameters.interval * 60
        self.from = from
        self.to = to
        cursor = zone.cursor()
    }

    func add(_ call: ScannedCall) {
        if let number = call.customerNumber {
            events.append((number, .init(at: call.attributedAt, connected: call.outcome == .answered || call.outcome == .outboundAnswered,
                                         offeredInbound: call.direction == .inbound && call.queuedAt != nil)))
        }
        guard call.attributedAt >= from, call.attributedAt < to, let offset = cursor.period(at: call.attributedAt) else { return }
        let localSeconds = Int(call.attributedAt) + offset.seconds
        let (threshold, shortAbandon) = (call.threshold, call.shortAbandon)

        // Data quality and recording coverage count every call of the period, whatever its queue.
        period.quality.add(call)
        if call.hasRecordingReference {
            period.withRecordingReference += 1
            var entry = period.coverage[call.recordingStateID] ?? (0, nil)
            entry.calls += 1
            if let bytes = call.recordingBytes { entry.bytes = (entry.bytes ?? 0) + bytes }
            period.coverage[call.recordingStateID] = entry
        }
        guard call.inQueues else { return }

        if call.agentID >= 0 { period.agents[call.sourceID << 32 | call.agentID, default: .init()].add(call, threshold: threshold) }
        period.numbers[call.didID, default: .init()].add(call, threshold: threshold, shortAbandon: shortAbandon)
        if call.direction == .outbound {
            period.outbound[0, default: .init()].add(call)
            period.outbound[1 << 40 | (call.queueID & 0xFF_FFFF_FFFF), default: .init()].add(call)
            period.outbound[2 << 40 | (call.agentID & 0xFF_FFFF_FFFF), default: .init()].add(call)
            period.outbound[3 << 40 | (call.didID & 0xFF_FFFF_FFFF), default: .init()].add(call)
        }
        guard call.direction == .inbound, let queuedAt = call.queuedAt else { return }

        // An offered call.
        period.summary.add(call, threshold: threshold, shortAbandon: shortAbandon)
        let queued = Int(queuedAt)
        let intervalStart = queued - (queued + offset.seconds) % step
        period.intervals[intervalStart, default: InboundTally()].add(call, threshold: threshold, shortAbandon: shortAbandon)
        period.queueIntervals[call.queueID, default: [:]][intervalStart, default: InboundTally()]
            .add(call, threshold: threshold, shortAbandon: shortAbandon)
        let day = LocalDay.of(localSeconds)
        period.days[day, default: InboundTally()].add(call, threshold: threshold, shortAbandon: shortAbandon)
        period.weeks[LocalDay.monday(day), default: InboundTally()].add(call, threshold: threshold, shortAbandon: shortAbandon)
        period.months[LocalDay.month(day), default: InboundTally()].add(call, threshold: threshold, shortAbandon: shortAbandon)
        period.hours[(localSeconds - day * 86_400) / 3600].add(call, threshold: threshold, shortAbandon: shortAbandon)
        period.queues[call.queueID, default: (InboundTally(), threshold, shortAbandon)].tally.add(call, threshold: threshold, shortAbandon: shortAbandon)
        if let wait = call.wait, let bucket = EngineDatasets.waitBucket(wait) {
            var counts = period.waitBuckets[bucket] ?? (0, 0)
            if call.outcome == .answered { counts.answered += 1 }
            if call.outcome == .abandoned { counts.abandoned += 1 }
            period.waitBuckets[bucket] = counts
        }
        if call.outcome == .abandoned {
            period.abandoned.append(.init(
                queuedAt: queuedAt, localSeconds: localSeconds, offset: offset.seconds,
                offsetLabel: offset.label, queueID: call.queueID, customerNumber: call.customerNumber, wait: call.wait,
                shortAbandon: shortAbandon, sourceID: call.sourceID, callID: call.callID ?? ""))
        }
    }
}

/// Calls read, a batch at a time; the last batch of a day says so.
struct CallBatch {
    var calls: [ScannedCall]
    var endsDay: Bool
}

/// Batches of scanned calls handed from a reading thread to the adding one. A reader may run a day
/// ahead of the adder (while the adder is on the other reader's day), so a day's batches fit.
final class CallBatches: @unchecked Sendable {
    static let size = 4_096
    private static let capacity = 24
    private let condition = NSCondition()
    private var waiting: [CallBatch] = []
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

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
