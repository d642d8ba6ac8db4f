import GRDB

/// The period's rows of `report_calls`, copied once into a TEMP table of the same name before the
/// datasets run. SQLite looks an unqualified name up in `temp` before `main`, so the queries/ files run
/// unchanged against the copy, and in the sqlite3 shell, without it, against the view: the same rows
/// either way, but the view's time-zone join and the wide `calls` rows are paid once per report
/// instead of once per dataset (BENCHMARKS.md).
enum PeriodSnapshot {
    static func create(_ db: Database, arguments: StatementArguments) throws {
        try drop(db)
        try db.execute(sql: """
            CREATE TEMP TABLE report_calls AS
            SELECT * FROM main.report_calls
            WHERE zone = :tz AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
            """, arguments: arguments)
    }

    static func drop(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS temp.report_calls")
    }
}
