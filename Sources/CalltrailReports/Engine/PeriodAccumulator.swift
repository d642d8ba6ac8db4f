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
    /// The abandons' callbacks and repeats, found as the calls go by (NumberWindow).
    private var numbers = NumberWindow()

    init(parameters: ReportParameters, zone: ZonePeriods, from: Double, to: Double) {
        step = parameters.interval * 60
        self.from = from
        self.to = to
        cursor = zone.cursor()
    }

    func add(_ call: ScannedCall) {
        let event = call.customerNumber.map { _ in
            ReportEngine.NumberEvent(at: call.attributedAt, connected: call.outcome == .answered || call.outcome == .outboundAnswered,
                                     offeredInbound: call.direction == .inbound && call.queuedAt != nil)
        }
        if let number = call.customerNumber, let event { numbers.reached(number, by: event, in: &period.abandoned) }
        defer { if let number = call.customerNumber, let event { numbers.remember(number, event) } }
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
            if let number = call.customerNumber { numbers.abandoned(number, index: period.abandoned.count - 1, in: &period.abandoned) }
        }
    }
}

/// Each number's calls of the last 24 hours and its abandons still waiting for a connected call, as
/// the calls go by in order of time: an abandon is a repeat when its number was offered inbound in the
/// 24 h before it, and was reached later the same day when the earliest connected call of its number
/// in the 24 h after it falls on the same local day (abandoned_calls.sql; calls at the same instant
/// count neither way). Memory holds the last day's numbers, not the period's calls.
struct NumberWindow {
    private var recent: [String: [ReportEngine.NumberEvent]] = [:]
    /// By number: the abandons' indexes and when each was offered.
    private var waiting: [String: [(index: Int, at: Double)]] = [:]
    private var prunedAt = -Double.infinity

    /// A call of `number`: the waiting abandons it reaches (the first connected call after each).
    mutating func reached(_ number: String, by event: ReportEngine.NumberEvent, in abandoned: inout [ReportEngine.AbandonedCall]) {
        guard event.connected, let list = waiting[number] else { return }
        let left = list.filter { index, _ in
            let call = abandoned[index]
            if event.at > call.queuedAt + 86_400 { return false }
            guard event.at > call.queuedAt else { return true }
            abandoned[index].reachedLaterSameDay = event.at < call.queuedAt + 86_400
                && LocalDay.of(Int(event.at) + call.offset) == LocalDay.of(call.localSeconds)
            return false
        }
        waiting[number] = left.isEmpty ? nil : left
    }

    /// An abandon of the period: a repeat caller or not, and now waiting for a connected call.
    mutating func abandoned(_ number: String, index: Int, in abandoned: inout [ReportEngine.AbandonedCall]) {
        let t = abandoned[index].queuedAt
        abandoned[index].repeatCaller = recent[number]?.contains { $0.offeredInbound && $0.at >= t - 86_400 && $0.at < t } ?? false
        waiting[number, default: []].append((index, t))
    }

    /// Keeps the call for the abandons after it, and once a day forgets what is over 24 h old.
    mutating func remember(_ number: String, _ event: ReportEngine.NumberEvent) {
        var events = recent[number] ?? []
        events.removeAll { $0.at < event.at - 86_400 }
        events.append(event)
        recent[number] = events
        guard event.at > prunedAt + 86_400 else { return }
        prunedAt = event.at
        recent = recent.filter { $0.value.last.map { $0.at >= event.at - 86_400 } ?? false }
        waiting = waiting.compactMapValues { list in
            let open = list.filter { $0.at + 86_400 >= event.at }
            return open.isEmpty ? nil : open
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
