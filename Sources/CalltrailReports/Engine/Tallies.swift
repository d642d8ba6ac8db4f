/// The counts and sums behind an agent's row of by_agent, kept as by_agent.sql keeps them: a comparison
/// with a NULL wait counts nowhere, averages are sums over the non-NULL values added in the order of the
/// scan, divided by their count.
@dynamicMemberLookup
struct InboundTally {
    /// Offered, answered, abandoned, short abandons, answered and abandoned within T: read as the
    /// tally's own (`tally.offered`).
    var counts = InboundCounts()
    var transferred = 0
    var answeredWait = Mean()
    var abandonedWait = Mean()
    var handle = Mean()
    var talk = Mean()
    var hold = Mean()
    var maxWait: Double?
    /// The answered calls' waits, counted, for the percentiles; nil where the group shows none (by_hour).
    var answeredWaits: WaitCounts? = WaitCounts()

    /// A tally without the answered waits, for a group whose dataset has no percentiles.
    static var withoutWaits: InboundTally {
        var tally = InboundTally()
        tally.answeredWaits = nil
        return tally
    }

    subscript(dynamicMember count: WritableKeyPath<InboundCounts, Int>) -> Int {
        get { counts[keyPath: count] }
        set { counts[keyPath: count] = newValue }
    }

    /// An offered call, measured against `threshold` (T) and `shortAbandon` (S).
    mutating func add(_ call: ScannedCall, threshold: Double, shortAbandon: Double) {
        counts.offered += 1
        if call.transfers > 0 { transferred += 1 }
        if let wait = call.wait { maxWait = max(maxWait ?? wait, wait) }
        switch call.outcome {
        case .answered:
            counts.answered += 1
            if let wait = call.wait {
                answeredWait.add(wait)
                if wait <= threshold { counts.answeredInT += 1 }
            }
            answeredWaits?.add(call.wait)
            handle.add(call.talk + call.hold + call.wrap)
            talk.add(call.talk)
            hold.add(call.hold)
        case .abandoned:
            counts.abandoned += 1
            if let wait = call.wait {
                abandonedWait.add(wait)
                if wait < shortAbandon { counts.shortAbandoned += 1 }
                if wait <= threshold { counts.abandonedInT += 1 }
            }
        default:
            break
        }
    }

    /// Another group's counts and sums added to these (two ids shown as one text).
    mutating func merge(_ other: InboundTally) {
        counts.add(other.counts)
        transferred += other.transferred
        answeredWait.merge(other.answeredWait)
        abandonedWait.merge(other.abandonedWait)
        handle.merge(other.handle)
        talk.merge(other.talk)
        hold.merge(other.hold)
        if let wait = other.maxWait { maxWait = max(maxWait ?? wait, wait) }
        if let waits = other.answeredWaits { answeredWaits?.merge(waits) }
    }
}

/// The answered calls' waits of a group, each distinct wait counted once (nil: answered without a
/// wait), for nearest-rank percentiles as the queries compute them.
struct WaitCounts {
    /// By the wait's bit pattern (+0 for -0, as they are equal), a NULL wait as a NaN's: SQLite stores
    /// no NaN (it makes it NULL).
    private var counts = IntMap<Int>()
    private static let null = Int(bitPattern: 0x7FF8_0000_0000_0BAD)

    private static func key(_ wait: Double?) -> Int {
        guard let wait, !wait.isNaN else { return null }
        return Int(bitPattern: UInt((wait == 0 ? 0.0 : wait).bitPattern))
    }

    mutating func add(_ wait: Double?) { counts[Self.key(wait), default: 0] += 1 }

    mutating func merge(_ other: WaitCounts) {
        for (key, n) in zip(other.counts.keys, other.counts.values) { counts[key, default: 0] += n }
    }

    /// The p-th percentiles (0–100) by nearest rank: the smallest wait whose running count reaches
    /// ceil(p · n / 100). A NULL wait sorts first, as in SQL, and prints as printf prints NULL (0.0).
    /// Nil for every p when the group answered no call.
    func percentiles(_ ps: [Int]) -> [String?] {
        let waits = counts.entries.map { key, n in (wait: key == Self.null ? nil : Double(bitPattern: UInt64(UInt(bitPattern: key))), n: n) }
            .sorted { a, b in
                switch (a.wait, b.wait) {
                case (nil, _): b.wait != nil
                case (_, nil): false
                case let (x?, y?): x < y
                }
            }
        let total = waits.reduce(0) { $0 + $1.n }
        guard total > 0 else { return ps.map { _ in nil } }
        return ps.map { p in
            let rank = (total * p + 99) / 100
            var reached = 0
            for (wait, n) in waits {
                reached += n
                if reached >= rank { return SQLText.seconds(wait ?? 0) }
            }
            return nil
        }
    }
}

/// `avg()` as SQLite computes it: a plain sum in scan order over a count.
struct Mean {
    private(set) var sum = 0.0
    private(set) var count = 0

    mutating func add(_ value: Double) {
        sum += value
        count += 1
    }

    mutating func merge(_ other: Mean) {
        sum += other.sum
        count += other.count
    }

    var value: Double? { count > 0 ? sum / Double(count) : nil }
    /// `printf('%.1f', avg(…))`, nil where the average is NULL.
    var seconds: String? { value.map(SQLText.seconds) }
}

/// `printf('%.4f', 1.0 * numerator / denominator)` where the denominator is positive, else NULL: the
/// quotient as the datasets write it.
func ratio(_ numerator: Int, _ denominator: Int) -> String? {
    quotient(numerator, denominator).map(SQLText.ratio)
}
