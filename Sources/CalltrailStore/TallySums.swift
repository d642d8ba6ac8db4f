import CalltrailCore
import Foundation
import GRDB

/// The tallies of a period added up per bucket of a grain: the counts and sums every inbound figure is
/// made of, with T and S (the report's, or a queue's own from `queue_settings`) counted exactly from the
/// waits. The figures themselves are made from these in one place (the report's `TallyFigures`).
public struct TallySums: Sendable, Equatable {
    public var offered = 0, answered = 0, abandoned = 0, shortAbandoned = 0, answeredInT = 0, abandonedInT = 0, transferred = 0
    /// Answered (abandoned) calls with a wait, and their waits' sum.
    public var answeredWaited = 0, answeredWait = 0.0, abandonedWaited = 0, abandonedWait = 0.0
    public var maxWait: Double?
    /// Answered calls' talk + hold + wrap, talk, and hold.
    public var handle = 0.0, talk = 0.0, hold = 0.0

    public init() {}
}

/// How tallies are grouped: the whole period, or one bucket per slot-aligned span of the scope's clock,
/// or per queue. Bucket keys read as the datasets print them.
public enum TallyGrain: Sendable, Equatable {
    case period
    /// Intervals of 15, 30 or 60 minutes: their start as by_interval shows it, `YYYY-MM-DDTHH:MM:SS-03:00`
    /// (the offset tells the two runs of a fall-back night's repeated hour apart).
    case interval(minutes: Int)
    /// `YYYY-MM-DD`.
    case day
    /// The queue (`(none)` without one).
    case queue

    /// The bucket of a tally `t` whose slot starts at `local_s` on the scope's clock, at offset `z`.
    var sql: String {
        switch self {
        case .period: "''"
        case .interval(let minutes):
            "strftime('%Y-%m-%dT%H:%M:%S', t.local_s - t.local_s % \(minutes * 60), 'unixepoch') || t.offset_label"
        case .day: "date(t.local_s, 'unixepoch')"
        case .queue: "coalesce(t.queue, '(none)')"
        }
    }
}

/// The period and measures a sum is taken over: `[from, to)` on slot boundaries (a report's days and
/// intervals are), T and S where a queue has none of its own, and the queues kept (none: all).
public struct TallyScope: Sendable {
    public var zone: TimeZone
    public var from: Date
    public var to: Date
    public var threshold: Double
    public var shortAbandon: Double
    public var queues: [String]

    public init(zone: TimeZone, from: Date, to: Date, threshold: Double, shortAbandon: Double, queues: [String] = []) {
        self.zone = zone
        self.from = from
        self.to = to
        self.threshold = threshold
        self.shortAbandon = shortAbandon
        self.queues = queues
    }
}

extension CallStore {
    /// The tallies of `scope` summed per bucket of `grain` on the scope's clock, in bucket order;
    /// refreshed first (unless the caller just did: `refreshed`), so they equal the calls as they are now.
    public func tallySums(_ scope: TallyScope, by grain: TallyGrain, refreshed: Bool = false) async throws -> [(bucket: String, sums: TallySums)] {
        try await ensureTimeZone(scope.zone)
        if !refreshed { try await refreshTallies(keepingTheirZoneOr: scope.zone) }
        let queues: String? = scope.queues.isEmpty ? nil : String(decoding: try JSONEncoder().encode(scope.queues), as: UTF8.self)
        let arguments: StatementArguments = [
            "from": scope.from.timeIntervalSince1970, "to": scope.to.timeIntervalSince1970,
            "threshold": scope.threshold, "short_abandon": scope.shortAbandon, "queues": queues, "tz": scope.zone.identifier,
        ]
        // Each slot on the scope's clock: the offset in force at its start (time_zone_offsets).
        let sql = """
            WITH slots AS (
                SELECT t.*, t.slot_utc + z.offset_s AS local_s, z.offset_label,
                       coalesce(q.threshold_s, :threshold) AS t_s, coalesce(q.short_abandon_s, :short_abandon) AS s_s
                FROM time_zone_offsets z
                CROSS JOIN call_tallies t ON t.slot_utc >= z.from_utc AND t.slot_utc < z.to_utc
                LEFT JOIN queue_settings q ON q.queue = t.queue
                WHERE z.zone = :tz AND t.slot_utc >= :from AND t.slot_utc < :to
                  AND (:queues IS NULL OR t.queue IN (SELECT value FROM json_each(:queues)))
            ),
            scoped AS (SELECT t.*, \(grain.sql) AS bucket FROM slots t),
            measured AS (
                SELECT s.bucket,
                       sum(CASE WHEN w.outcome = 'abandoned' AND w.wait_s < s.s_s THEN w.calls ELSE 0 END) AS short_abandoned,
                       sum(CASE WHEN w.outcome = 'answered' AND w.wait_s <= s.t_s THEN w.calls ELSE 0 END) AS answered_in_t,
                       sum(CASE WHEN w.outcome = 'abandoned' AND w.wait_s <= s.t_s THEN w.calls ELSE 0 END) AS abandoned_in_t
                FROM scoped s JOIN call_tally_waits w ON w.tally = s.id
                GROUP BY s.bucket
            ),
            summed AS (
                SELECT bucket, sum(offered) AS offered, sum(answered) AS answered, sum(abandoned) AS abandoned,
                       sum(transferred) AS transferred, sum(answered_waited) AS answered_waited, sum(answered_wait_s) AS answered_wait_s,
                       sum(abandoned_waited) AS abandoned_waited, sum(abandoned_wait_s) AS abandoned_wait_s, max(max_wait_s) AS max_wait_s,
                       sum(handle_s) AS handle_s, sum(talk_s) AS talk_s, sum(hold_s) AS hold_s
                FROM scoped GROUP BY bucket
            )
            SELECT s.*, coalesce(m.short_abandoned, 0) AS short_abandoned, coalesce(m.answered_in_t, 0) AS answered_in_t,
                   coalesce(m.abandoned_in_t, 0) AS abandoned_in_t
            FROM summed s LEFT JOIN measured m ON m.bucket = s.bucket
            ORDER BY s.bucket
            """
        return try await read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                var sums = TallySums()
                sums.offered = row["offered"]
                sums.answered = row["answered"]
                sums.abandoned = row["abandoned"]
                sums.shortAbandoned = row["short_abandoned"]
                sums.answeredInT = row["answered_in_t"]
                sums.abandonedInT = row["abandoned_in_t"]
                sums.transferred = row["transferred"]
                sums.answeredWaited = row["answered_waited"]
                sums.answeredWait = row["answered_wait_s"]
                sums.abandonedWaited = row["abandoned_waited"]
                sums.abandonedWait = row["abandoned_wait_s"]
                sums.maxWait = row["max_wait_s"]
                sums.handle = row["handle_s"]
                sums.talk = row["talk_s"]
                sums.hold = row["hold_s"]
                return (row["bucket"], sums)
            }
        }
    }
}
