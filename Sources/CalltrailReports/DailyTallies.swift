import CalltrailStore
import Foundation
import GRDB

/// The inbound counts and means per day of the center's clock over a range, read from the calls (as
/// by_day.sql counts them, per-queue T and S and the queue filter included): the headline of the
/// comparison period and the daily trend, both from the database, never from old report files.
public enum DailyTallies {
    public struct Day: Sendable, Equatable {
        /// YYYY-MM-DD on the center's clock.
        public var day: String
        public var counts: InboundCounts
        /// Sums and counts behind ASA (answered calls with a wait) and AHT (answered calls).
        public var answeredWait: Double
        public var answeredWaits: Int
        public var handle: Double

        public var asa: Double? { answeredWaits > 0 ? answeredWait / Double(answeredWaits) : nil }
        public var aht: Double? { counts.answered > 0 ? handle / Double(counts.answered) : nil }
    }

    static let sql = """
        SELECT date(local_s, 'unixepoch') AS day, count(*),
               sum(outcome = 'answered'), sum(outcome = 'abandoned'),
               sum(outcome = 'abandoned' AND wait_s < coalesce(queue_short_abandon_s, :short_abandon)),
               sum(outcome = 'answered' AND wait_s <= coalesce(queue_threshold_s, :threshold)),
               sum(outcome = 'abandoned' AND wait_s <= coalesce(queue_threshold_s, :threshold)),
               coalesce(sum(CASE WHEN outcome = 'answered' THEN wait_s END), 0),
               count(CASE WHEN outcome = 'answered' THEN wait_s END),
               coalesce(sum(CASE WHEN outcome = 'answered' THEN talk_s + hold_s + wrap_s END), 0)
        FROM report_calls
        WHERE zone = :tz AND direction = 'inbound' AND queued_at IS NOT NULL
          AND attributed_at >= :from AND attributed_at < :to
          AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
        GROUP BY day ORDER BY day
        """

    /// The days of `[from, to)` with offered calls, with the report's T, S, zone and queues.
    public static func days(_ store: CallStore, _ parameters: ReportParameters, from: Date, to: Date) async throws -> [Day] {
        try await store.ensureTimeZone(parameters.timeZone)
        let arguments: StatementArguments = [
            "tz": parameters.timeZone.identifier, "from": from.timeIntervalSince1970, "to": to.timeIntervalSince1970,
            "threshold": parameters.threshold, "short_abandon": parameters.shortAbandon,
            "queues": parameters.queues.isEmpty ? nil : ReportParameters.jsonArray(parameters.queues),
        ]
        return try await store.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                Day(day: row[0],
                    counts: InboundCounts(offered: row[1], answered: row[2], abandoned: row[3], shortAbandoned: row[4], answeredInT: row[5],
                                          abandonedInT: row[6]),
                    answeredWait: row[7], answeredWaits: row[8], handle: row[9])
            }
        }
    }

    /// The headline over `[from, to)`: the days' counts and sums added up.
    public static func headline(_ days: [Day]) -> ReportFigures.Headline {
        var counts = InboundCounts(), wait = 0.0, waits = 0, handle = 0.0
        for day in days {
            counts.add(day.counts)
            wait += day.answeredWait
            waits += day.answeredWaits
            handle += day.handle
        }
        return ReportFigures.Headline(counts, asa: waits > 0 ? wait / Double(waits) : nil,
                                      aht: counts.answered > 0 ? handle / Double(counts.answered) : nil)
    }
}
