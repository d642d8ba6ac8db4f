import CalltrailCore
import CalltrailStore
import Foundation

/// The inbound grains of a period summed from its tallies in one read (`CallStore.scanTallies`), as
/// the engine reads the calls once for the datasets that need calls: every grain a report asks for is
/// a merge of the same tallies, bucketed on the report's clock. An interval's waits are let go as soon
/// as the scan has passed it, so a year's grid holds its percentiles, not its waits.
final class InboundGrainPass: TallyScanSink, @unchecked Sendable {
    let grains: Set<InboundGrain>
    /// The interval, in seconds.
    let step: Int

    private(set) var summary = TallySums()
    /// By the interval's start (Unix seconds), and by that and the queue (`ALL`: every queue together).
    private(set) var intervals: [Int: TallySums] = [:]
    private(set) var queueIntervals: [Int: [String: TallySums]] = [:]
    /// By the bucket's label: `YYYY-MM-DD`, the week's Monday, `YYYY-MM`, the queue, the number dialled.
    private(set) var days: [String: TallySums] = [:]
    private(set) var weeks: [String: TallySums] = [:]
    private(set) var months: [String: TallySums] = [:]
    private(set) var queues: [String: TallySums] = [:]
    private(set) var numbers: [String: TallySums] = [:]
    /// wait_distribution: the answered and abandoned calls with a wait in each of `waitBounds`' buckets.
    let distribution: Bool
    private(set) var waitBuckets = Array(repeating: (answered: 0, abandoned: 0), count: InboundGrainPass.waitBounds.count)
    /// Intervals the scan may still add to, oldest first.
    private var openIntervals: [Int] = []
    /// The labels of the last local day seen (tallies come in slot order: a day's come together).
    private var lastDay: (number: Int, day: String, week: String, month: String)?

    /// wait_distribution's buckets, in seconds: from `low` (inclusive) to `high` (exclusive; none: no end).
    static let waitBounds: [(low: Int, high: Int?)] = [(0, 5), (5, 10), (10, 20), (20, 30), (30, 60), (60, 120), (120, 300), (300, nil)]

    init(_ grains: Set<InboundGrain>, intervalMinutes: Int = 15, distribution: Bool = false) {
        self.grains = grains
        step = intervalMinutes * 60
        self.distribution = distribution
    }

    /// The sums of `scope`'s tallies for `grains`, finished.
    static func run(_ store: CallStore, _ scope: TallyScope, grains: Set<InboundGrain>, intervalMinutes: Int = 15,
                    distribution: Bool = false, refreshed: Bool = false) async throws -> InboundGrainPass {
        let pass = InboundGrainPass(grains, intervalMinutes: intervalMinutes, distribution: distribution)
        try await store.scanTallies(scope, refreshed: refreshed, into: pass)
        pass.finish()
        return pass
    }

    func take(_ tally: ScannedTally) throws {
        let counted = InboundCounts(tally)
        if grains.contains(.summary) { summary.add(tally, counted) }
        if grains.contains(.byInterval) || grains.contains(.byQueueInterval) {
            // An interval starts on the clock's multiples of the step; a later slot never falls into one
            // that started a step or more before this slot.
            let start = tally.slotUTC - LocalDateTime.floorMod(tally.localSeconds, step)
            if openIntervals.last != start {
                finishIntervals(through: tally.slotUTC - step)
                if !openIntervals.contains(start) { openIntervals.append(start); openIntervals.sort() }
            }
            if grains.contains(.byInterval) { intervals[start, default: TallySums()].add(tally, counted) }
            if grains.contains(.byQueueInterval) {
                queueIntervals[start, default: [:]]["ALL", default: TallySums()].add(tally, counted)
                queueIntervals[start, default: [:]][tally.queue ?? "(none)", default: TallySums()].add(tally, counted)
            }
        }
        if grains.contains(.byDay) || grains.contains(.byWeek) || grains.contains(.byMonth) {
            let labels = dayLabels(LocalDateTime.floorDiv(tally.localSeconds, 86_400))
            if grains.contains(.byDay) { days[labels.day, default: TallySums()].add(tally, counted) }
            if grains.contains(.byWeek) { weeks[labels.week, default: TallySums()].add(tally, counted) }
            if grains.contains(.byMonth) { months[labels.month, default: TallySums()].add(tally, counted) }
        }
        if grains.contains(.byQueue) { queues[tally.queue ?? "(none)", default: TallySums()].add(tally, counted) }
        if grains.contains(.byNumber) { numbers[tally.did ?? "(unknown)", default: TallySums()].add(tally, counted) }
        if distribution {
            for (wait, calls) in tally.answeredWaits { if let bucket = wait.flatMap(Self.waitBucket) { waitBuckets[bucket].answered += calls } }
            for (wait, calls) in tally.abandonedWaits { if let bucket = wait.flatMap(Self.waitBucket) { waitBuckets[bucket].abandoned += calls } }
        }
    }

    /// The bucket a wait falls in; none for a negative one.
    static func waitBucket(_ wait: Double) -> Int? {
        waitBounds.firstIndex { wait >= Double($0.low) && ($0.high.map { wait < Double($0) } ?? true) }
    }

    /// Every bucket's percentiles made: the scan has ended.
    func finish() {
        finishIntervals(through: .max)
        summary.finish()
        for grain in [\InboundGrainPass.days, \.weeks, \.months, \.queues, \.numbers] as [ReferenceWritableKeyPath<InboundGrainPass, [String: TallySums]>] {
            for key in self[keyPath: grain].keys { self[keyPath: grain][key]?.finish() }
        }
    }

    private func finishIntervals(through last: Int) {
        while let start = openIntervals.first, start <= last {
            openIntervals.removeFirst()
            intervals[start]?.finish()
            for queue in queueIntervals[start]?.keys.map({ $0 }) ?? [] { queueIntervals[start]?[queue]?.finish() }
        }
    }

    /// The day, its ISO week's Monday and its month, for day number `day` since 1970-01-01.
    private func dayLabels(_ day: Int) -> (day: String, week: String, month: String) {
        if let lastDay, lastDay.number == day { return (lastDay.day, lastDay.week, lastDay.month) }
        let date = SQLText.date(day * 86_400)
        // 1970-01-05 was a Monday.
        let monday = SQLText.date((day - LocalDateTime.floorMod(day - 4, 7)) * 86_400)
        lastDay = (day, date, monday, String(date.prefix(7)))
        return (date, monday, String(date.prefix(7)))
    }
}
