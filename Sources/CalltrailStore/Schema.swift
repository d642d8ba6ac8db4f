import Foundation
import GRDB

/// The database schema as named, append-only migrations. Never edit a migration that has shipped:
/// add a new one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1: calls, raw records, sync cursors and runs") { db in
            // The normalized call, docs/METRICS.md's inputs. Times are Unix seconds (UTC).
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
        migrator.registerMigration("v2: report support: time-zone offsets, queue settings, recordings ledger") { db in
            try db.execute(sql: """
                -- One row per period in which a zone keeps one UTC offset, so report queries can bucket by the
                -- center's clock in plain SQL (SQLite knows no time zones). Filled by `calltrail report`/`query`.
                CREATE TABLE time_zone_offsets (
                    zone         TEXT NOT NULL,
                    from_utc     REAL NOT NULL,
                    to_utc       REAL NOT NULL,
                    offset_s     INTEGER NOT NULL,
                    offset_label TEXT NOT NULL,   -- '-03:00'
                    PRIMARY KEY (zone, from_utc)
                );

                -- Per-queue service-level threshold T and short-abandon limit S; NULL: the report's default.
                CREATE TABLE queue_settings (
                    queue           TEXT PRIMARY KEY,
                    threshold_s     REAL,
                    short_abandon_s REAL
                );

                -- One row per call with a recording reference: where its audio stands.
                CREATE TABLE recordings (
                    source       TEXT NOT NULL,
                    call_id      TEXT NOT NULL,
                    state        TEXT NOT NULL DEFAULT 'pending'
                                 CHECK (state IN ('pending', 'found', 'converted', 'missing', 'failed')),
                    location     TEXT,
                    format_found TEXT,
                    converted    INTEGER NOT NULL DEFAULT 0,
                    bytes        INTEGER,
                    duration_s   REAL,
                    sha256       TEXT,
                    path         TEXT,
                    attempts     INTEGER NOT NULL DEFAULT 0,
                    last_error   TEXT,
                    updated_at   REAL,
                    PRIMARY KEY (source, call_id)
                );

                CREATE INDEX calls_by_customer ON calls(customer_number, queued_at);

                -- Each call with the offset of the zone in force when it was offered (or started, when never
                -- queued): `attributed_at` is the instant a call is counted at, `local_s` the same on the
                -- zone's clock, as Unix seconds. A query picks its zone with `WHERE zone = :tz`.
                CREATE VIEW report_calls AS
                SELECT c.*,
                       coalesce(c.queued_at, c.started_at) AS attributed_at,
                       z.zone, z.offset_s, z.offset_label,
                       CAST(coalesce(c.queued_at, c.started_at) AS INTEGER) + z.offset_s AS local_s,
                       q.threshold_s AS queue_threshold_s,
                       q.short_abandon_s AS queue_short_abandon_s
                FROM calls c
                JOIN time_zone_offsets z
                  ON coalesce(c.queued_at, c.started_at) >= z.from_utc AND coalesce(c.queued_at, c.started_at) < z.to_utc
                LEFT JOIN queue_settings q ON q.queue = c.queue;
                """)
        }
        migrator.registerMigration("v3: audit log") { db in
            try db.execute(sql: """
                -- Append-only: who pulled or verified which recordings, when, with what result.
                CREATE TABLE audit_log (
                    id            INTEGER PRIMARY KEY AUTOINCREMENT,
                    at            REAL NOT NULL,
                    os_user       TEXT NOT NULL,
                    action        TEXT NOT NULL CHECK (action IN ('pull', 'verify')),
                    filters       TEXT NOT NULL,   -- JSON
                    count         INTEGER NOT NULL,
                    manifest_path TEXT,
                    manifest_sha256 TEXT,
                    problems      INTEGER NOT NULL DEFAULT 0
                );
                CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                """)
        }
        migrator.registerMigration("v4: vendor dimensions (agent names, number aliases)") { db in
            try db.execute(sql: """
                -- What a vendor calls its agents and numbers, for report labels (Meiqia's sips and
                -- rule_outnumber_group). Replaced as a whole on each sync of the source.
                CREATE TABLE source_agents (
                    source   TEXT NOT NULL,
                    agent_id TEXT NOT NULL,
                    name     TEXT,
                    PRIMARY KEY (source, agent_id)
                );
                CREATE TABLE source_numbers (
                    source     TEXT NOT NULL,
                    number     TEXT NOT NULL,
                    name       TEXT,
                    group_name TEXT,
                    PRIMARY KEY (source, number)
                );
                """)
        }
        migrator.registerMigration("v5: platform figures (uContact campaignstatus snapshots)") { db in
            try db.execute(sql: """
                -- The platform's own counters per campaign at the time of a sync (uContact
                -- Supervisor/campaignstatus: since the platform's last reset, taken as local midnight),
                -- so reports can set them beside Calltrail's figures for the same campaign and span.
                CREATE TABLE platform_stats (
                    source          TEXT NOT NULL,
                    campaign        TEXT NOT NULL,
                    taken_at        REAL NOT NULL,
                    completed       INTEGER,
                    abandoned       INTEGER,
                    servicelevel    REAL,      -- percent, answered within the threshold / answered
                    servicelevel2   REAL,      -- percent, (answered + abandoned within) / (answered + abandoned)
                    slevelthreshold REAL,      -- seconds
                    abandonedlevel  REAL,      -- percent
                    payload         TEXT NOT NULL,
                    PRIMARY KEY (source, campaign, taken_at)
                );
                """)
        }
        migrator.registerMigration("v6: data-quality count per run") { db in
            try db.execute(sql: "ALTER TABLE sync_runs ADD COLUMN unknown_outcomes INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v7: report speed: calls indexed by attributed time, offsets found by one seek") { db in
            try db.execute(sql: """
                -- Reports select a period by attributed time (offered, or started when never queued).
                DROP INDEX calls_by_queued_at;
                CREATE INDEX calls_by_attributed_at ON calls(coalesce(queued_at, started_at));
                -- A customer's calls by the same time: the abandoned-calls list seeks the day after (and
                -- before) each abandon instead of walking every call of the number.
                DROP INDEX calls_by_customer;
                CREATE INDEX calls_by_customer ON calls(customer_number, coalesce(queued_at, started_at));
                -- The offset in force is the zone's row with the latest from_utc at or before the call:
                -- one index seek, where the range join of v2 walked every earlier row of the zone.
                DROP VIEW report_calls;
                CREATE VIEW report_calls AS
                SELECT c.*,
                       coalesce(c.queued_at, c.started_at) AS attributed_at,
                       z.zone, z.offset_s, z.offset_label,
                       CAST(coalesce(c.queued_at, c.started_at) AS INTEGER) + z.offset_s AS local_s,
                       q.threshold_s AS queue_threshold_s,
                       q.short_abandon_s AS queue_short_abandon_s
                FROM calls c
                JOIN (SELECT DISTINCT zone FROM time_zone_offsets) zones
                JOIN time_zone_offsets z
                  ON z.zone = zones.zone
                 AND z.from_utc = (SELECT max(from_utc) FROM time_zone_offsets
                                   WHERE zone = zones.zone AND from_utc <= coalesce(c.queued_at, c.started_at))
                LEFT JOIN queue_settings q ON q.queue = c.queue;
                """)
        }
        migrator.registerMigration("v8: ingest speed: calls found by a compact key, vendor records kept per page") { db in
            // The calls table is rebuilt without its (source, call_id) primary key, found instead through
            // a small integer key (CallKey), and with the pointer to its vendor record.
            db.add(function: DatabaseFunction("calltrail_call_key", argumentCount: 2, pure: true) { values in
                CallKey.of(source: String.fromDatabaseValue(values[0]) ?? "", callID: String.fromDatabaseValue(values[1]) ?? "")
            })
            try db.execute(sql: """
                CREATE TABLE calls_v8 (
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
                    raw_page        INTEGER,          -- raw_pages.id of the read this row holds
                    raw_index       INTEGER,          -- the record's position in that page's array
                    key_hash        INTEGER NOT NULL  -- CallKey of (source, call_id): one row per pair, kept by the writer
                );
                INSERT INTO calls_v8 (source, call_id, direction, outcome, queue, agent, customer_number, did, started_at, queued_at,
                                      answered_at, ended_at, wait_s, talk_s, hold_s, wrap_s, transfers, disposition, recording_ref,
                                      synced_at, key_hash)
                SELECT source, call_id, direction, outcome, queue, agent, customer_number, did, started_at, queued_at,
                       answered_at, ended_at, wait_s, talk_s, hold_s, wrap_s, transfers, disposition, recording_ref,
                       synced_at, calltrail_call_key(source, call_id)
                FROM calls ORDER BY rowid;
                DROP VIEW report_calls;
                DROP TABLE calls;
                ALTER TABLE calls_v8 RENAME TO calls;
                CREATE INDEX calls_by_key ON calls(key_hash);
                -- Reports select a period by attributed time (offered, or started when never queued).
                CREATE INDEX calls_by_attributed_at ON calls(coalesce(queued_at, started_at));
                -- No index by (source, started_at): no query seeks it (the recordings filters compare
                -- started_at without a source). None by customer number: the abandoned calls' callback and
                -- repeat lookups read each number's calls in order of time (window functions in
                -- abandoned_calls.sql, a map per number in the report engine) instead of seeking an index
                -- per abandon; it was a random insert per call, a third of a sync's writes.
                CREATE VIEW report_calls AS
                SELECT c.*,
                       coalesce(c.queued_at, c.started_at) AS attributed_at,
                       z.zone, z.offset_s, z.offset_label,
                       CAST(coalesce(c.queued_at, c.started_at) AS INTEGER) + z.offset_s AS local_s,
                       q.threshold_s AS queue_threshold_s,
                       q.short_abandon_s AS queue_short_abandon_s
                FROM calls c
                JOIN (SELECT DISTINCT zone FROM time_zone_offsets) zones
                JOIN time_zone_offsets z
                  ON z.zone = zones.zone
                 AND z.from_utc = (SELECT max(from_utc) FROM time_zone_offsets
                                   WHERE zone = zones.zone AND from_utc <= coalesce(c.queued_at, c.started_at))
                LEFT JOIN queue_settings q ON q.queue = c.queue;

                -- Each listing response's records as the vendor sent them, one row per page: the JSON array of
                -- the records' exact bytes, zlib-compressed (RawPage). Every read is kept, re-reads too; a
                -- call row points at the read it holds. Read one in the sqlite3 shell with
                -- CAST(sqlar_uncompress(body, bytes) AS TEXT). Per-record rows in raw_records cost more to
                -- write than the calls (BENCHMARKS.md); raw_records now keeps the records that map to no
                -- call, and the rows written before this version.
                CREATE TABLE raw_pages (
                    id           INTEGER PRIMARY KEY,
                    source       TEXT NOT NULL,
                    window_start REAL NOT NULL,
                    page_offset  INTEGER NOT NULL,
                    fetched_at   REAL NOT NULL,
                    records      INTEGER NOT NULL,
                    bytes        INTEGER NOT NULL,   -- length of the JSON
                    body         BLOB NOT NULL       -- zlib (RFC 1950), or the JSON itself when length(body) = bytes
                );
                CREATE INDEX raw_pages_by_window ON raw_pages(source, window_start);
                CREATE INDEX raw_records_failed ON raw_records(source, record_key) WHERE decode_error IS NOT NULL;
                """)
        }
        migrator.registerMigration("v9: vendor truth: run warnings, recovered calls' parents, recordings' provenance and notes") { db in
            try db.execute(sql: """
                -- Optional figures that failed (a campaignstatus snapshot) and broken mapping checks: a JSON
                -- array of one-line texts; the run itself stays ok.
                ALTER TABLE sync_runs ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';
                -- The failed call a recovered one answers (CCAI `parent_id`): the pair is one contact.
                ALTER TABLE calls ADD COLUMN parent_call_id TEXT;
                -- What the vendor served, before any conversion: its URL, size and sha256 (the archived
                -- file's are `bytes` and `sha256`), and a note such as a truncated GSM file.
                ALTER TABLE recordings ADD COLUMN origin_url TEXT;
                ALTER TABLE recordings ADD COLUMN origin_bytes INTEGER;
                ALTER TABLE recordings ADD COLUMN origin_sha256 TEXT;
                ALTER TABLE recordings ADD COLUMN note TEXT;
                """)
        }
        migrator.registerMigration("v10: mapping checks on every record") { db in
            try db.execute(sql: """
                -- The vendor's consistency checks (MappingCheck) a call's record broke: a JSON array of their
                -- names, NULL when it passed them all.
                ALTER TABLE calls ADD COLUMN failed_checks TEXT;
                -- The checks each source's mapping runs, written at each sync: data_quality lists every
                -- check of a source with calls in the period, the ones nothing broke too.
                CREATE TABLE mapping_checks (
                    source  TEXT NOT NULL,
                    name    TEXT NOT NULL,
                    meaning TEXT NOT NULL,
                    PRIMARY KEY (source, name)
                );
                -- abandoned_calls looks up the callback that recovered each abandon.
                CREATE INDEX calls_by_parent ON calls(parent_call_id, source) WHERE parent_call_id IS NOT NULL;
                """)
        }
        migrator.registerMigration("v11: compliance lifecycle: retention, legal holds, erasure, a hash-chained audit log") { db in
            // SQLite cannot change a CHECK constraint: the ledger and the audit log are rebuilt with the
            // new states and actions, their rows kept as they are.
            try db.execute(sql: """
                CREATE TABLE recordings_v11 (
                    source        TEXT NOT NULL,
                    call_id       TEXT NOT NULL,
                    state         TEXT NOT NULL DEFAULT 'pending'
                                  CHECK (state IN ('pending', 'found', 'converted', 'missing', 'failed', 'purged', 'erased')),
                    location      TEXT,
                    format_found  TEXT,
                    converted     INTEGER NOT NULL DEFAULT 0,
                    bytes         INTEGER,
                    duration_s    REAL,
                    sha256        TEXT,
                    path          TEXT,
                    attempts      INTEGER NOT NULL DEFAULT 0,
                    last_error    TEXT,
                    updated_at    REAL,
                    origin_url    TEXT,
                    origin_bytes  INTEGER,
                    origin_sha256 TEXT,
                    note          TEXT,
                    -- When the file was last re-hashed and matched (verify --sample picks the oldest first).
                    verified_at   REAL,
                    -- When the file was removed, and by which rule (`retention: recordings_days 365`,
                    -- `erasure #3`): the row, its sha256 and path stay as the proof of what was kept.
                    removed_at    REAL,
                    removed_by    TEXT,
                    PRIMARY KEY (source, call_id)
                );
                INSERT INTO recordings_v11 (source, call_id, state, location, format_found, converted, bytes, duration_s, sha256,
                                            path, attempts, last_error, updated_at, origin_url, origin_bytes, origin_sha256, note)
                SELECT source, call_id, state, location, format_found, converted, bytes, duration_s, sha256,
                       path, attempts, last_error, updated_at, origin_url, origin_bytes, origin_sha256, note FROM recordings;
                DROP TABLE recordings;
                ALTER TABLE recordings_v11 RENAME TO recordings;
                CREATE INDEX recordings_by_verification ON recordings(verified_at) WHERE state IN ('found', 'converted');

                -- A legal hold: what a case keeps from purge and erasure, matched when purge or erase runs
                -- (calls synced after the hold was added are held too). One criterion a row; a case may
                -- have several. `number_digits` is the number's digits, compared as CallFilter does.
                CREATE TABLE legal_holds (
                    id            INTEGER PRIMARY KEY,
                    case_id       TEXT NOT NULL,
                    number        TEXT,
                    number_digits TEXT,
                    agent         TEXT,
                    call_id       TEXT,
                    from_at       REAL,
                    to_at         REAL,
                    reason        TEXT NOT NULL,
                    created_at    REAL NOT NULL,
                    created_by    TEXT NOT NULL,
                    released_at   REAL,
                    released_by   TEXT,
                    CHECK (number_digits IS NOT NULL OR agent IS NOT NULL OR call_id IS NOT NULL OR from_at IS NOT NULL
                           OR released_at IS NOT NULL)
                );
                CREATE INDEX legal_holds_by_case ON legal_holds(case_id);

                -- Erasure requests: never the number, only its keyed hash (HMAC-SHA256 with the key in
                -- [compliance] key_file), so a repeated request is recognised.
                CREATE TABLE erasures (
                    id            INTEGER PRIMARY KEY,
                    at            REAL NOT NULL,
                    os_user       TEXT NOT NULL,
                    subject_hmac  TEXT NOT NULL,
                    calls         INTEGER NOT NULL,
                    recordings    INTEGER NOT NULL,
                    raw_pages     INTEGER NOT NULL,
                    raw_records   INTEGER NOT NULL,
                    held_calls    INTEGER NOT NULL
                );
                CREATE INDEX erasures_by_subject ON erasures(subject_hmac);

                CREATE TABLE audit_log_v11 (
                    id              INTEGER PRIMARY KEY AUTOINCREMENT,
                    at              REAL NOT NULL,
                    os_user         TEXT NOT NULL,
                    action          TEXT NOT NULL
                                    CHECK (action IN ('pull', 'verify', 'purge', 'hold add', 'hold release', 'erase')),
                    filters         TEXT NOT NULL,   -- JSON; a customer's number only as its keyed hash
                    count           INTEGER NOT NULL,
                    manifest_path   TEXT,
                    manifest_sha256 TEXT,
                    problems        INTEGER NOT NULL DEFAULT 0,
                    detail          TEXT,            -- JSON: what the action did (counts, rules, case)
                    -- sha256 over the previous row's hash and this row's fields (AuditChain): a row edited,
                    -- removed or inserted out of order breaks every hash after it.
                    prev_hash       TEXT NOT NULL,
                    row_hash        TEXT NOT NULL
                );
                """)
            // The rows written before the chain existed are chained now, in their order.
            var previous = AuditChain.genesis
            for row in try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY id") {
                var entry = AuditEntry(at: Date(timeIntervalSince1970: row["at"]), osUser: row["os_user"], action: row["action"],
                                       filters: row["filters"], count: row["count"], manifestPath: row["manifest_path"],
                                       manifestSha256: row["manifest_sha256"], problems: row["problems"])
                entry.id = row["id"]
                let hash = AuditChain.hash(entry, previous: previous)
                try db.execute(sql: """
                    INSERT INTO audit_log_v11 (id, at, os_user, action, filters, count, manifest_path, manifest_sha256, problems,
                                               detail, prev_hash, row_hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)
                    """, arguments: [entry.id, entry.at.timeIntervalSince1970, entry.osUser, entry.action, entry.filters, entry.count,
                                     entry.manifestPath, entry.manifestSha256, entry.problems, previous, hash])
                previous = hash
            }
            try db.execute(sql: """
                DROP TABLE audit_log;
                ALTER TABLE audit_log_v11 RENAME TO audit_log;
                CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                """)
        }
        migrator.registerMigration("v12: publishing: calls and recordings found by when they were last written") { db in
            try db.execute(sql: """
                -- `calltrail publish` sends what changed since its mark, in (synced_at, rowid) order; the
                -- writer stamps rows with the time of the write, so this index only grows at its end.
                CREATE INDEX calls_by_synced_at ON calls(synced_at);
                CREATE INDEX recordings_by_updated_at ON recordings(updated_at);
                """)
        }
        migrator.registerMigration("v13: calls removed by retention, for the warehouse to follow") { db in
            try db.execute(sql: """
                -- One row per call retention deleted (calls_days): `calltrail publish` deletes it from the
                -- warehouse too, unless a later sync stored it again. No number, only the call's key.
                CREATE TABLE removed_calls (
                    source     TEXT NOT NULL,
                    call_id    TEXT NOT NULL,
                    removed_at REAL NOT NULL,
                    removed_by TEXT NOT NULL
                );
                CREATE INDEX removed_calls_by_removed_at ON removed_calls(removed_at);
                """)
        }
        migrator.registerMigration("v14: windows read concurrently, each resumed at its own page") { db in
            try db.execute(sql: """
                -- The windows a run has in flight, and those finished beyond the cursor's contiguous
                -- prefix. sync_cursors keeps complete_until; its window columns are no longer written.
                CREATE TABLE sync_windows (
                    source       TEXT NOT NULL,
                    endpoint     TEXT NOT NULL,
                    window_start REAL NOT NULL,
                    window_end   REAL NOT NULL,
                    next_offset  INTEGER NOT NULL DEFAULT 0,
                    pass         INTEGER NOT NULL DEFAULT 1,
                    finished     INTEGER NOT NULL DEFAULT 0,
                    updated_at   REAL NOT NULL,
                    PRIMARY KEY (source, endpoint, window_start)
                );
                -- A run stopped inside a window before this version resumes it from here.
                INSERT INTO sync_windows (source, endpoint, window_start, window_end, next_offset, pass, finished, updated_at)
                    SELECT source, endpoint, window_start, window_end, next_offset, pass, 0, updated_at FROM sync_cursors
                    WHERE window_start IS NOT NULL AND window_end > window_start;
                UPDATE sync_cursors SET window_start = NULL, window_end = NULL, next_offset = 0, pass = 1;
                -- The HTTP requests each run sent, for the floor a vendor's latency sets.
                ALTER TABLE sync_runs ADD COLUMN requests INTEGER NOT NULL DEFAULT 0;
                """)
        }
        migrator.registerMigration("v15: the recordings ledger found by its call's instant (reports, retention, verify samples)") { db in
            try db.execute(sql: """
                -- The instant the row's call counts at (coalesce(queued_at, started_at), as the calls table
                -- has it), so that a report reads a day's ledger rows beside the day's calls and matches
                -- them in memory: a lookup per call in the (source, call_id) key reads a random page each
                -- (BENCHMARKS.md, "The year report"). Retention plans from it too. NULL when the call is
                -- not known (retention removed it); those rows are looked up by key.
                ALTER TABLE recordings ADD COLUMN call_at REAL;
                -- In key order, so that the ledger is read and written front to back, not a page per row.
                WITH c AS MATERIALIZED (
                    SELECT source, call_id, coalesce(queued_at, started_at) AS at FROM calls
                    WHERE recording_ref IS NOT NULL ORDER BY source, call_id
                )
                UPDATE recordings SET call_at = c.at FROM c WHERE recordings.source = c.source AND recordings.call_id = c.call_id;
                -- Covering what a report reads: through the table, a year's 9.5 M rows took 5.8 s of
                -- page seeks; through this index, 2.2 s.
                CREATE INDEX recordings_by_call_at ON recordings(call_at, source, call_id, state, bytes);
                -- `recordings verify --sample` takes the rows verified longest ago, in the order of their
                -- calls' instants, straight from this index (a join from calls read all 12 M of them).
                DROP INDEX recordings_by_verification;
                CREATE INDEX recordings_by_verification ON recordings(verified_at, call_at, source, call_id)
                    WHERE state IN ('found', 'converted');
                -- A call whose vendor moved its times moves its ledger row with it.
                CREATE TRIGGER calls_moved_move_their_recordings AFTER UPDATE OF queued_at, started_at ON calls
                WHEN coalesce(new.queued_at, new.started_at) IS NOT coalesce(old.queued_at, old.started_at)
                BEGIN
                    UPDATE recordings SET call_at = coalesce(new.queued_at, new.started_at)
                    WHERE source = new.source AND call_id = new.call_id;
                END;
                -- A call removed (retention) leaves its ledger row, as proof, with no instant: a sync may
                -- store the call again, at another time.
                CREATE TRIGGER calls_removed_unplace_their_recordings AFTER DELETE ON calls
                BEGIN
                    UPDATE recordings SET call_at = NULL WHERE source = old.source AND call_id = old.call_id;
                END;
                """)
        }
        migrator.registerMigration("v16: customer numbers compared as E.164 numbers") { db in
            try db.execute(sql: """
                -- The customer's number in E.164 (CustomerNumber), beside the vendor's original: '' when
                -- it is no number, NULL until the compliance commands normalize it under the center's
                -- settings, which number_plan remembers (one row).
                ALTER TABLE calls ADD COLUMN customer_e164 TEXT;
                CREATE INDEX calls_by_customer_e164 ON calls(customer_e164);
                -- What is left to normalize: new calls, and a number a re-sync changed.
                CREATE INDEX calls_number_to_normalize ON calls(source) WHERE customer_e164 IS NULL AND customer_number IS NOT NULL;
                CREATE TRIGGER calls_number_changed_renormalize AFTER UPDATE OF customer_number ON calls
                WHEN new.customer_number IS NOT old.customer_number
                BEGIN
                    UPDATE calls SET customer_e164 = NULL WHERE rowid = new.rowid;
                END;
                CREATE TABLE number_plan (country_code TEXT, trunk_prefix TEXT NOT NULL);
                -- A hold's number in E.164; the number as given stays in `number`.
                ALTER TABLE legal_holds ADD COLUMN number_e164 TEXT;
                -- Numbers written in international form need no settings: normalized now.
                UPDATE calls SET customer_e164 = e164(customer_number, NULL, NULL) WHERE customer_number LIKE '+%';
                UPDATE legal_holds SET number_e164 = e164(number, NULL, NULL) WHERE number LIKE '+%';
                """)
        }
        migrator.registerMigration("v17: the recordings ledger published by a sequence written with each row") { db in
            try db.execute(sql: """
                -- `calltrail publish` sends the ledger in the order of `publish_seq` (issue #33): every write of
                -- a row takes the next number in its own transaction, so a row saved late (a download that
                -- took minutes) is never behind the warehouse's mark, as it was with `updated_at`, the wall
                -- clock taken before the download. Existing rows are numbered in the old (updated_at, rowid)
                -- order, so a site's time mark converts exactly. A call's instant (`call_at`, kept by the
                -- calls' triggers) is not published and takes no number.
                CREATE TABLE publish_sequence (stream TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                ALTER TABLE recordings ADD COLUMN publish_seq INTEGER;
                CREATE TEMP TABLE recordings_publish_order (r INTEGER PRIMARY KEY, n INTEGER NOT NULL);
                INSERT INTO recordings_publish_order SELECT rowid, row_number() OVER (ORDER BY updated_at, rowid) FROM recordings;
                UPDATE recordings SET publish_seq = (SELECT n FROM recordings_publish_order WHERE r = recordings.rowid);
                DROP TABLE recordings_publish_order;
                INSERT INTO publish_sequence VALUES ('recordings', (SELECT count(*) FROM recordings));
                CREATE INDEX recordings_by_publish_seq ON recordings(publish_seq);
                CREATE TRIGGER recordings_publish_seq_on_insert AFTER INSERT ON recordings
                BEGIN
                    UPDATE publish_sequence SET value = value + 1 WHERE stream = 'recordings';
                    UPDATE recordings SET publish_seq = (SELECT value FROM publish_sequence WHERE stream = 'recordings') WHERE rowid = new.rowid;
                END;
                CREATE TRIGGER recordings_publish_seq_on_update AFTER UPDATE OF state, location, format_found, converted, bytes, duration_s, sha256, path, attempts, last_error, updated_at, origin_url, origin_bytes, origin_sha256, note, verified_at, removed_at, removed_by ON recordings
                BEGIN
                    UPDATE publish_sequence SET value = value + 1 WHERE stream = 'recordings';
                    UPDATE recordings SET publish_seq = (SELECT value FROM publish_sequence WHERE stream = 'recordings') WHERE rowid = new.rowid;
                END;
                """)
        }
        migrator.registerMigration("v18: report folders written, for erasure to reach") { db in
            try db.execute(sql: """
                -- Every folder a report was rendered into from this database (absolute path), so that an
                -- erasure masks the number in the CSV and HTML files Calltrail wrote there.
                CREATE TABLE report_folders (
                    path       TEXT PRIMARY KEY,
                    written_at REAL NOT NULL
                );
                """)
        }
        migrator.registerMigration("v19: calls published by a sequence written with each row") { db in
            try db.execute(sql: """
                -- As the ledger's (v17): `calltrail publish` sends calls in (publish_seq, rowid) order. Each
                -- group of pages a sync writes takes the next number of publish_sequence in its transaction
                -- (CallUpsert) and stamps its rows with it; any other write that moves `synced_at` (an
                -- erasure) or inserts a row takes one by the triggers below. SQLite has one writer, so a transaction's number
                -- is larger than any committed before it: a row written late is never behind the mark.
                -- Existing rows are numbered in the old (synced_at, rowid) order.
                ALTER TABLE calls ADD COLUMN publish_seq INTEGER;
                CREATE TEMP TABLE calls_publish_order (r INTEGER PRIMARY KEY, n INTEGER NOT NULL);
                INSERT INTO calls_publish_order SELECT rowid, row_number() OVER (ORDER BY synced_at, rowid) FROM calls;
                UPDATE calls SET publish_seq = (SELECT n FROM calls_publish_order WHERE r = calls.rowid);
                DROP TABLE calls_publish_order;
                INSERT INTO publish_sequence VALUES ('calls', (SELECT count(*) FROM calls));
                CREATE INDEX calls_by_publish_seq ON calls(publish_seq);
                CREATE TRIGGER calls_publish_seq_on_resync AFTER UPDATE OF synced_at ON calls
                WHEN new.publish_seq IS old.publish_seq
                BEGIN
                    UPDATE publish_sequence SET value = value + 1 WHERE stream = 'calls';
                    UPDATE calls SET publish_seq = (SELECT value FROM publish_sequence WHERE stream = 'calls') WHERE rowid = new.rowid;
                END;
                -- A row inserted without one (any writer but CallUpsert) takes one too.
                CREATE TRIGGER calls_publish_seq_on_insert AFTER INSERT ON calls
                WHEN new.publish_seq IS NULL
                BEGIN
                    UPDATE publish_sequence SET value = value + 1 WHERE stream = 'calls';
                    UPDATE calls SET publish_seq = (SELECT value FROM publish_sequence WHERE stream = 'calls') WHERE rowid = new.rowid;
                END;
                """)
        }
        migrator.registerMigration("v20: sync_cursors without the window columns sync_windows replaced") { db in
            try db.execute(sql: """
                -- Unwritten since v14 moved windows in flight to sync_windows (whose migration copied them).
                ALTER TABLE sync_cursors DROP COLUMN window_start;
                ALTER TABLE sync_cursors DROP COLUMN window_end;
                ALTER TABLE sync_cursors DROP COLUMN next_offset;
                ALTER TABLE sync_cursors DROP COLUMN pass;
                """)
        }
        migrator.registerMigration("v21: interval tallies kept with the calls") { db in
            try db.execute(sql: """
                -- The calls offered in one 15-minute slot of the center's clock, for one source, queue and
                -- number dialled: counts, sums and the longest wait. call_tally_waits holds each distinct wait
                -- with its count, so any T and S given at report time count exactly, and so do percentiles.
                -- Made from the calls by CallTallies (refreshTallies), never written by anything else.
                CREATE TABLE call_tallies (
                    id               INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: the warehouse keys tallies by it
                    slot_utc         INTEGER NOT NULL,   -- the slot's start, Unix seconds
                    slot_local       INTEGER NOT NULL,   -- the same instant on the center's clock (slot_utc + offset_s)
                    offset_s         INTEGER NOT NULL,
                    source           TEXT NOT NULL,
                    queue            TEXT,
                    did              TEXT,
                    offered          INTEGER NOT NULL,
                    answered         INTEGER NOT NULL,
                    abandoned        INTEGER NOT NULL,
                    transferred      INTEGER NOT NULL,
                    answered_waited  INTEGER NOT NULL,   -- answered calls with a wait, and their waits' sum
                    answered_wait_s  REAL NOT NULL,
                    abandoned_waited INTEGER NOT NULL,
                    abandoned_wait_s REAL NOT NULL,
                    max_wait_s       REAL,
                    handle_s         REAL NOT NULL,      -- answered calls' talk + hold + wrap
                    talk_s           REAL NOT NULL,
                    hold_s           REAL NOT NULL
                );
                CREATE INDEX call_tallies_by_slot ON call_tallies(slot_utc);
                CREATE TABLE call_tally_waits (
                    tally   INTEGER NOT NULL,
                    outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'abandoned')),
                    wait_s  REAL,                         -- NULL: counted without a wait
                    calls   INTEGER NOT NULL
                );
                CREATE INDEX call_tally_waits_by_tally ON call_tally_waits(tally);
                -- The zone the tallies' slots are on; another zone rebuilds them all.
                CREATE TABLE tally_zone (zone TEXT NOT NULL);
                -- UTC hours whose calls changed since their tallies were made: marked by every writer of calls
                -- in its own transaction (sync, erasure, retention, a vendor moving a call), through these
                -- triggers. A UTC hour holds whole slots of any zone (offsets are multiples of 15 minutes).
                CREATE TABLE tally_stale_hours (hour INTEGER PRIMARY KEY) WITHOUT ROWID;
                CREATE TRIGGER calls_stale_tally_on_insert AFTER INSERT ON calls
                BEGIN
                    INSERT OR IGNORE INTO tally_stale_hours VALUES (CAST(coalesce(new.queued_at, new.started_at) AS INTEGER) / 3600);
                END;
                CREATE TRIGGER calls_stale_tally_on_delete AFTER DELETE ON calls
                BEGIN
                    INSERT OR IGNORE INTO tally_stale_hours VALUES (CAST(coalesce(old.queued_at, old.started_at) AS INTEGER) / 3600);
                END;
                CREATE TRIGGER calls_stale_tally_on_update
                AFTER UPDATE OF source, direction, outcome, queue, did, started_at, queued_at, wait_s, talk_s, hold_s, wrap_s, transfers ON calls
                BEGIN
                    INSERT OR IGNORE INTO tally_stale_hours VALUES (CAST(coalesce(old.queued_at, old.started_at) AS INTEGER) / 3600);
                    INSERT OR IGNORE INTO tally_stale_hours VALUES (CAST(coalesce(new.queued_at, new.started_at) AS INTEGER) / 3600);
                END;
                -- Each hour a refresh remade, with the refresh's number: the publish sends the tallies of the
                -- hours remade since its mark (and removes the warehouse's old ones of those hours).
                CREATE TABLE tally_hour_changes (hour INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
                CREATE INDEX tally_hour_changes_by_seq ON tally_hour_changes(seq, hour);
                -- The calls already stored: every hour of them is made on the next refresh.
                INSERT OR IGNORE INTO tally_stale_hours
                SELECT DISTINCT CAST(coalesce(queued_at, started_at) AS INTEGER) / 3600 FROM calls;
                """)
        }
        migrator.registerMigration("v22: agent tallies kept with the calls") { db in
            try db.execute(sql: """
                -- The calls one agent handled in one 15-minute slot of the center's clock, per source and queue:
                -- the inbound calls the agent answered (counts, sums, the longest wait) and the outbound calls
                -- the agent placed. agent_tally_waits holds the answered calls' distinct waits with their counts.
                -- Made with the interval tallies, from the same stale hours (CallTallies).
                CREATE TABLE agent_tallies (
                    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
                    slot_utc           INTEGER NOT NULL,
                    slot_local         INTEGER NOT NULL,
                    offset_s           INTEGER NOT NULL,
                    source             TEXT NOT NULL,
                    agent              TEXT NOT NULL,
                    queue              TEXT,
                    answered           INTEGER NOT NULL,   -- inbound calls answered (queued or not)
                    answered_waited    INTEGER NOT NULL,   -- those with a wait, and their waits' sum
                    answered_wait_s    REAL NOT NULL,
                    max_wait_s         REAL,
                    handle_s           REAL NOT NULL,      -- their talk + hold + wrap
                    talk_s             REAL NOT NULL,
                    hold_s             REAL NOT NULL,
                    outbound_attempts  INTEGER NOT NULL,
                    outbound_connected INTEGER NOT NULL
                );
                CREATE INDEX agent_tallies_by_slot ON agent_tallies(slot_utc);
                CREATE TABLE agent_tally_waits (
                    tally  INTEGER NOT NULL,
                    wait_s REAL,                          -- NULL: answered without a wait
                    calls  INTEGER NOT NULL
                );
                CREATE INDEX agent_tally_waits_by_tally ON agent_tally_waits(tally);
                -- A call given to another agent changes two agents' tallies.
                DROP TRIGGER calls_stale_tally_on_update;
                CREATE TRIGGER calls_stale_tally_on_update
                AFTER UPDATE OF source, direction, outcome, queue, agent, did, started_at, queued_at, wait_s, talk_s, hold_s, wrap_s, transfers
                ON calls
                BEGIN
                    INSERT OR IGNORE INTO tally_stale_hours VALUES (CAST(coalesce(old.queued_at, old.started_at) AS INTEGER) / 3600);
                    INSERT OR IGNORE INTO tally_stale_hours VALUES (CAST(coalesce(new.queued_at, new.started_at) AS INTEGER) / 3600);
                END;
                -- The calls already stored: every hour of them is made on the next refresh.
                INSERT OR IGNORE INTO tally_stale_hours
                SELECT DISTINCT CAST(coalesce(queued_at, started_at) AS INTEGER) / 3600 FROM calls;
                """)
        }
        return migrator
    }
}
