import CalltrailCore
import CalltrailStore

/// The tallies of one bucket of a grain added up: the counts and sums every inbound figure is made of,
/// T and S (each tally's: its queue's own, or the report's) counted exactly from the waits, and the
/// answered waits' distribution for the percentiles. The figures themselves are `InboundCounts`'
/// formulas and the means below.
public struct TallySums: Sendable {
    /// Offered, answered, abandoned, short abandons, and answered and abandoned within T.
    public var counts = InboundCounts()
    public var transferred = 0
    /// Answered (abandoned) calls with a wait, and their waits' sum.
    public var answeredWaited = 0, answeredWait = 0.0, abandonedWaited = 0, abandonedWait = 0.0
    public var maxWait: Double?
    /// Answered calls' talk + hold + wrap, talk, and hold.
    public var handle = 0.0, talk = 0.0, hold = 0.0
    /// The largest T and S its tallies were measured against (by_queue shows its queue's).
    public var threshold: Double?, shortAbandon: Double?
    /// The answered waits, until `finish()` makes the percentiles of them.
    var answeredWaits = WaitCounts()
    /// Whether an answered call was counted with a wait row (the percentiles are then shown), and the
    /// p50 and p90 waits once finished.
    public private(set) var hasWaits = false
    public private(set) var p50: Double?, p90: Double?

    public init() {}

    /// One tally added: its counts (`counted`, its waits measured against its own T and S once for every
    /// grain it is added to), its sums, and its answered waits' distribution.
    mutating func add(_ tally: ScannedTally, _ counted: InboundCounts) {
        counts.add(counted)
        transferred += tally.transferred
        answeredWaited += tally.answeredWaited
        answeredWait += tally.answeredWait
        abandonedWaited += tally.abandonedWaited
        abandonedWait += tally.abandonedWait
        if let wait = tally.maxWait { maxWait = max(maxWait ?? wait, wait) }
        handle += tally.handle
        talk += tally.talk
        hold += tally.hold
        threshold = max(threshold ?? tally.threshold, tally.threshold)
        shortAbandon = max(shortAbandon ?? tally.shortAbandon, tally.shortAbandon)
        for (wait, calls) in tally.answeredWaits { answeredWaits.add(wait, calls) }
        hasWaits = hasWaits || !tally.answeredWaits.isEmpty
    }

    /// The percentiles made from the waits, which are then let go (a year's intervals each hold theirs
    /// only while the scan is in them).
    mutating func finish() {
        (p50, p90) = (answeredWaits.nearestRank(50), answeredWaits.nearestRank(90))
        answeredWaits = WaitCounts()
    }

    /// ASA: the answered calls' mean wait, over those with a wait.
    public var asa: Double? { answeredWaited > 0 ? answeredWait / Double(answeredWaited) : nil }
    /// The abandoned calls' mean wait, over those with a wait.
    public var abandonedWaitMean: Double? { abandonedWaited > 0 ? abandonedWait / Double(abandonedWaited) : nil }
    /// AHT: the answered calls' mean talk + hold + wrap; and their mean talk and hold.
    public var aht: Double? { counts.answered > 0 ? handle / Double(counts.answered) : nil }
    public var talkMean: Double? { counts.answered > 0 ? talk / Double(counts.answered) : nil }
    public var holdMean: Double? { counts.answered > 0 ? hold / Double(counts.answered) : nil }
}

extension InboundCounts {
    /// A tally's counts, its waits measured against its own T and S: answered within T counts a wait equal
    /// to T; a short abandon waited less than S; a call without a wait is neither.
    init(_ tally: ScannedTally) {
        self.init(offered: tally.offered, answered: tally.answered, abandoned: tally.abandoned)
        for (wait, calls) in tally.answeredWaits {
            if let wait, wait <= tally.threshold { answeredInT += calls }
        }
        for (wait, calls) in tally.abandonedWaits {
            guard let wait else { continue }
            if wait < tally.shortAbandon { shortAbandoned += calls }
            if wait <= tally.threshold { abandonedInT += calls }
        }
    }
}

/// Each distinct wait of a bucket's answered calls with its count, and the calls without a wait. Waits
/// are keyed by their bits (IntMap: a Dictionary hashed each of a year's 2.7 M wait rows through SipHash
/// for every grain).
struct WaitCounts: Sendable {
    private var counts = IntMap<Int>()
    private var unwaited = 0

    mutating func add(_ wait: Double?, _ calls: Int) {
        // -0.0 and 0.0 are one wait.
        if let wait { counts[Int(Int64(bitPattern: (wait == 0 ? 0 : wait).bitPattern)), default: 0] += calls } else { unwaited += calls }
    }

    /// The nearest-rank percentile `p`: the smallest wait whose running count, the calls without a wait
    /// first, reaches rank ceil(p · n / 100). Those calls count as no wait: 0 when they reach it.
    func nearestRank(_ p: Int) -> Double? {
        let total = counts.values.reduce(unwaited, +)
        guard total > 0 else { return nil }
        let rank = (total * p + 99) / 100
        var reached = unwaited
        if reached >= rank { return 0 }
        let waits = counts.entries.map { (wait: Double(bitPattern: UInt64(bitPattern: Int64($0.key))), calls: $0.value) }
        for (wait, calls) in waits.sorted(by: { $0.wait < $1.wait }) {
            reached += calls
            if reached >= rank { return wait }
        }
        return nil
    }
}
