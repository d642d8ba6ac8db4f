/// The counts and sums behind a row of the inbound datasets (summary, by_interval, by_day, by_queue),
/// kept as the queries keep them: a comparison with a NULL wait counts nowhere, averages are sums
/// over the non-NULL values added in the order of the scan, divided by their count.
struct InboundTally {
    var offered = 0
    var answered = 0
    var abandoned = 0
    var shortAbandoned = 0
    var answeredInT = 0
    var abandonedInT = 0
    var transferred = 0
    var answeredWait = Mean()
    var abandonedWait = Mean()
    var handle = Mean()
    var talk = Mean()
    var hold = Mean()
    var maxWait: Double?

    var counts: InboundCounts {
        InboundCounts(offered: offered, answered: answered, abandoned: abandoned, shortAbandoned: shortAbandoned,
                      answeredInT: answeredInT, abandonedInT: abandonedInT)
    }

    /// An offered call, measured against `threshold` (T) and `shortAbandon` (S).
    mutating func add(_ call: ScannedCall, threshold: Double, shortAbandon: Double) {
        offered += 1
        if call.transfers > 0 { transferred += 1 }
        if let wait = call.wait { maxWait = max(maxWait ?? wait, wait) }
        switch call.outcome {
        case .answered:
            answered += 1
            if let wait = call.wait {
                answeredWait.add(wait)
                if wait <= threshold { answeredInT += 1 }
            }
            handle.add(call.talk + call.hold + call.wrap)
            talk.add(call.talk)
            hold.add(call.hold)
        case .abandoned:
            abandoned += 1
            if let wait = call.wait {
                abandonedWait.add(wait)
                if wait < shortAbandon { shortAbandoned += 1 }
                if wait <= threshold { abandonedInT += 1 }
            }
        default:
            break
        }
    }

    /// Another group's counts and sums added to these (two ids shown as one text).
    mutating func merge(_ other: InboundTally) {
        offered += other.offered
        answered += other.answered
        abandoned += other.abandoned
        shortAbandoned += other.shortAbandoned
        answeredInT += other.answeredInT
        abandonedInT += other.abandonedInT
        transferred += other.transferred
        answeredWait.merge(other.answeredWait)
        abandonedWait.merge(other.abandonedWait)
        handle.merge(other.handle)
        talk.merge(other.talk)
        hold.merge(other.hold)
        if let wait = other.maxWait { maxWait = max(maxWait ?? wait, wait) }
    }

    /// V5: answered within T over offered less short abandons; nil when that is not positive.
    var serviceLevel: String? { ratio(answeredInT, offered - shortAbandoned) }
    /// Abandons past S over offered less short abandons.
    var abandonRate: String? { ratio(abandoned - shortAbandoned, offered - shortAbandoned) }
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

/// `printf('%.4f', 1.0 * numerator / denominator)` where the denominator is positive, else NULL.
func ratio(_ numerator: Int, _ denominator: Int) -> String? {
    denominator > 0 ? SQLText.ratio(Double(numerator) / Double(denominator)) : nil
}
