import GRDB

/// The database schema as named, append-only migrations. Never edit a migration that has shipped:
/// add a new one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1: calls, raw records, sync cursors and runs") { db in
            // The normalized call, METRICS.md's inputs. Times are Unix seconds (UTC).
            try db.execute(sql: """
                CREATE TABLE calls (
                    source          TEXT NOT NULL,
                    call_id         TEXT NOT NULL,
                    direction       TEXT NOT NULL,
                    outcome         TEXT NOT NULL,
                    queue           TEXT,
                    agent           TEXT,
                    customer_number TEXT,
                    did             TEXT,
                    started_at      REAL NOT NULL,
                    queued_at       REAL,
                    answered_at     REAL,
                    ended_at        REAL,
                    wait_s          REAL,
                    talk_s          REAL NOT NULL DEFAULT 0,
                    hold_s          REAL NOT NULL DEFAULT 0,
                    wrap_s          REAL NOT NULL DEFAULT 0,
                    transfers       INTEGER NOT NULL DEFAULT 0,
                    disposition     TEXT,
                    recording_ref   TEXT,
                    synced_at       REAL NOT NULL,
                    PRIMARY KEY (source, call_id)
                );
                CREATE INDEX calls_by_queued_at ON calls(queued_at);
                CREATE INDEX calls_by_started_at ON calls(source, started_at);

                -- Each vendor record as received, for audit and for re-deriving calls when a mapping
                -- improves. A record that failed to decode is kept here with its error.
                CREATE TABLE raw_records (
                    source       TEXT NOT NULL,
                    record_key   TEXT NOT NULL,
                    window_start REAL NOT NULL,
                    fetched_at   REAL NOT NULL,
                    payload      TEXT NOT NULL,
                    decode_error TEXT,
                    PRIMARY KEY (source, record_key)
                );
                CREATE INDEX raw_records_by_window ON raw_records(source, window_start);

                -- One cursor per source and endpoint: the end of the last window fully stored, and the
                -- window in progress with the offset of its next page.
                CREATE TABLE sync_cursors (
                    source         TEXT NOT NULL,
                    endpoint       TEXT NOT NULL,
                    complete_until REAL,
                    window_start   REAL,
                    window_end     REAL,
                    next_offset    INTEGER NOT NULL DEFAULT 0,
                    pass           INTEGER NOT NULL DEFAULT 1,
                    updated_at     REAL NOT NULL,
                    PRIMARY KEY (source, endpoint)
                );

                CREATE TABLE sync_runs (
                    id            INTEGER PRIMARY KEY AUTOINCREMENT,
                    source        TEXT NOT NULL,
                    started_at    REAL NOT NULL,
                    finished_at   REAL,
                    status        TEXT NOT NULL,
                    range_from    REAL,
                    range_to      REAL,
                    windows       INTEGER NOT NULL DEFAULT 0,
                    pages         INTEGER NOT NULL DEFAULT 0,
                    records       INTEGER NOT NULL DEFAULT 0,
                    retries       INTEGER NOT NULL DEFAULT 0,
                    rereads       INTEGER NOT NULL DEFAULT 0,
                    failures      INTEGER NOT NULL DEFAULT 0,
                    decode_errors INTEGER NOT NULL DEFAULT 0,
                    last_error    TEXT
                );
                """)
        }
        return migrator
    }
}
