import CalltrailStore
import Foundation

/// The figures of docs/METRICS.md made from summed tallies: the comparison period's headline and the
/// daily trend read them (`CallStore.tallySums`), never the calls or old report files.
extension TallySums {
    var counts: InboundCounts {
        InboundCounts(offered: offered, answered: answered, abandoned: abandoned, shortAbandoned: shortAbandoned,
                      answeredInT: answeredInT, abandonedInT: abandonedInT)
    }

    /// ASA: the answered calls' mean wait, over those with a wait.
    var asa: Double? { answeredWaited > 0 ? answeredWait / Double(answeredWaited) : nil }
    /// AHT: the answered calls' mean talk + hold + wrap.
    var aht: Double? { answered > 0 ? handle / Double(answered) : nil }

    var headline: ReportFigures.Headline { .init(counts, asa: asa, aht: aht) }
}

extension TallyScope {
    /// The report's zone, T, S and queues over `[from, to)`.
    init(_ parameters: ReportParameters, from: Date, to: Date) {
        self.init(zone: parameters.timeZone, from: from, to: to, threshold: parameters.threshold,
                  shortAbandon: parameters.shortAbandon, queues: parameters.queues)
    }
}
