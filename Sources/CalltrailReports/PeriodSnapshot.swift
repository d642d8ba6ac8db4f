import GRDB

/// The period's rows of `report_calls`, copied once into a TEMP table of the same name before the
/// datasets run. SQLite looks an unqualified name up in `temp` before `main`, so the queries/ files run
/// unchanged against the copy, and in the sqlite3 shell, without it, against the view: the same rows
/// either way (a test holds the two equal), but the time-zone join and the wide `calls` rows are paid
/// once per report instead of once per dataset (BENCHMARKS.md).
enum PeriodSnapshot {
    /// The view's columns, with the join turned around: the few offset periods that overlap the report
    /// period drive range seeks on `calls_by_attributed_at`, instead of one offset seek per call.
    static let createSQL = """
        CREATE TEMP TABLE report_calls AS
        SELECT c.*,
               coalesce(c.queued_at, c.started_at) AS attributed_at,
               z.zone, z.offset_s, z.offset_label,
               CAST(coalesce(c.queued_at, c.started_at) AS INTEGER) + z.offset_s AS local_s,
               q.threshold_s AS queue_threshold_s,
               q.short_abandon_s AS queue_short_abandon_s
        FROM time_zone_offsets z
        JOIN calls c
          ON coalesce(c.queued_at, c.started_at) >= max(z.from_utc, unixepoch(:from))
         AND coalesce(c.queued_at, c.started_at) < min(z.to_utc, unixepoch(:to))
        LEFT JOIN queue_settings q ON q.queue = c.queue
        WHERE z.zone = :tz AND z.to_utc > unixepoch(:from) AND z.from_utc < unixepoch(:to)
        """

    static func create(_ db: Database, arguments: StatementArguments) throws {
        try drop(db)
        try db.execute(sql: createSQL, arguments: arguments)
    }

    static func drop(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS temp.report_calls")
    }
}
