import CalltrailCore
import Foundation
import Logging
import PostgresNIO

/// The warehouse's tables: Calltrail's own, each row labelled with its site. Created if absent under
/// an advisory lock, so two sites starting at once do not race on the catalog. Times are
/// `timestamptz`, so a BI tool shows them in any zone; the keys lead with `site`, which is also the
/// distribution column for Citus (docs/SCALE.md).
public enum WarehouseSchema {
    public static let version = 1

    static let ddl = """
        CREATE TABLE IF NOT EXISTS calls (
            site            text NOT NULL,
            source          text NOT NULL,
            call_id         text NOT NULL,
            direction       text NOT NULL,
            outcome         text NOT NULL,
            queue           text,
            agent           text,
            customer_number text,
            did             text,
            started_at      timestamptz NOT NULL,
            queued_at       timestamptz,
            answered_at     timestamptz,
            ended_at        timestamptz,
            wait_s          double precision,
            talk_s          double precision,
            hold_s          double precision,
            wrap_s          double precision,
            transfers       integer,
            disposition     text,
            recording_ref   text,
            parent_call_id  text,
            failed_checks   text,
            synced_at       timestamptz NOT NULL,
            PRIMARY KEY (site, source, call_id)
        );
        CREATE INDEX IF NOT EXISTS calls_by_offered ON calls (site, (coalesce(queued_at, started_at)));
        -- abandoned_calls looks up the callback that recovered each abandon (CCAI parent_id).
        CREATE INDEX IF NOT EXISTS calls_by_parent ON calls (site, source, parent_call_id) WHERE parent_call_id IS NOT NULL;
        CREATE TABLE IF NOT EXISTS recordings (
            site          text NOT NULL,
            source        text NOT NULL,
            call_id       text NOT NULL,
            state         text NOT NULL,
            location      text,
            format_found  text,
            converted     boolean NOT NULL,
            bytes         bigint,
            duration_s    double precision,
            sha256        text,
            path          text,
            attempts      integer NOT NULL,
            last_error    text,
            updated_at    timestamptz,
            origin_url    text,
            origin_bytes  bigint,
            origin_sha256 text,
            note          text,
            verified_at   timestamptz,
            removed_at    timestamptz,
            removed_by    text,
            PRIMARY KEY (site, source, call_id)
        );
        CREATE TABLE IF NOT EXISTS sync_runs (
            site text NOT NULL, id bigint NOT NULL, source text NOT NULL, started_at timestamptz NOT NULL, finished_at timestamptz,
            status text NOT NULL, range_from timestamptz, range_to timestamptz, windows integer, pages integer, records integer,
            retries integer, rereads integer, failures integer, decode_errors integer, last_error text, unknown_outcomes integer,
            warnings text,
            PRIMARY KEY (site, id)
        );
        CREATE TABLE IF NOT EXISTS platform_stats (
            site text NOT NULL, source text NOT NULL, campaign text NOT NULL, taken_at timestamptz NOT NULL, completed integer,
            abandoned integer, servicelevel double precision, servicelevel2 double precision, slevelthreshold double precision,
            abandonedlevel double precision, payload text
        );
        CREATE INDEX IF NOT EXISTS platform_stats_by_site ON platform_stats (site, source, taken_at);
        CREATE TABLE IF NOT EXISTS source_agents (site text NOT NULL, source text NOT NULL, agent_id text NOT NULL, name text);
        CREATE TABLE IF NOT EXISTS source_numbers (site text NOT NULL, source text NOT NULL, number text NOT NULL, name text, group_name text);
        CREATE TABLE IF NOT EXISTS queue_settings (site text NOT NULL, queue text NOT NULL, threshold_s double precision,
                                                   short_abandon_s double precision);
        -- The vendor mapping checks each source runs (docs/VENDORS.md [guess]) and the vendor records that
        -- failed to decode, with their error (not their payload): what data_quality reads.
        CREATE TABLE IF NOT EXISTS mapping_checks (site text NOT NULL, source text NOT NULL, name text NOT NULL, meaning text NOT NULL);
        CREATE TABLE IF NOT EXISTS undecodable_records (site text NOT NULL, source text NOT NULL, record_key text NOT NULL,
                                                        window_start timestamptz NOT NULL, fetched_at timestamptz NOT NULL,
                                                        decode_error text);
        -- Each site's high-water mark per stream, written in the same transaction as the rows it covers.
        CREATE TABLE IF NOT EXISTS publish_marks (
            site         text NOT NULL,
            stream       text NOT NULL,
            mark_at      double precision NOT NULL,
            mark_rowid   bigint NOT NULL,
            rows         bigint NOT NULL,
            published_at timestamptz NOT NULL,
            PRIMARY KEY (site, stream)
        );
        -- Interval tallies, each site's as its SQLite file keeps them (call_tallies): the calls offered in a
        -- 15-minute slot per source, queue and number dialled, and each slot's distinct waits with their
        -- counts. Every report figure sums them (calltrail_group_tallies), and so can a BI tool
        -- (docs/WAREHOUSE.md). Replaced hour by hour as a site's calls change.
        CREATE TABLE IF NOT EXISTS interval_tallies (
            site             text NOT NULL,
            id               bigint NOT NULL,
            slot_start       timestamptz NOT NULL,
            slot_local       timestamp NOT NULL,
            offset_s         integer NOT NULL,
            source           text NOT NULL,
            queue            text,
            did              text,
            offered          bigint NOT NULL,
            answered         bigint NOT NULL,
            abandoned        bigint NOT NULL,
            transferred      bigint NOT NULL,
            answered_waited  bigint NOT NULL,
            answered_wait_s  double precision NOT NULL,
            abandoned_waited bigint NOT NULL,
            abandoned_wait_s double precision NOT NULL,
            max_wait_s       double precision,
            handle_s         double precision NOT NULL,
            talk_s           double precision NOT NULL,
            hold_s           double precision NOT NULL,
            PRIMARY KEY (site, id)
        );
        CREATE INDEX IF NOT EXISTS interval_tallies_by_slot ON interval_tallies (slot_start);
        CREATE TABLE IF NOT EXISTS interval_tally_waits (
            site    text NOT NULL,
            tally   bigint NOT NULL,
            outcome text NOT NULL,
            wait_s  double precision,
            calls   bigint NOT NULL
        );
        CREATE INDEX IF NOT EXISTS interval_tally_waits_by_tally ON interval_tally_waits (site, tally);
        -- Agent tallies, each site's as its SQLite file keeps them (agent_tallies): what an agent handled in a
        -- 15-minute slot per source and queue (inbound calls answered, outbound calls placed), and the
        -- answered calls' distinct waits with their counts. by_agent sums them. Replaced with the interval
        -- tallies, hour by hour.
        CREATE TABLE IF NOT EXISTS agent_tallies (
            site               text NOT NULL,
            id                 bigint NOT NULL,
            slot_start         timestamptz NOT NULL,
            slot_local         timestamp NOT NULL,
            offset_s           integer NOT NULL,
            source             text NOT NULL,
            agent              text NOT NULL,
            queue              text,
            answered           bigint NOT NULL,
            answered_waited    bigint NOT NULL,
            answered_wait_s    double precision NOT NULL,
            max_wait_s         double precision,
            handle_s           double precision NOT NULL,
            talk_s             double precision NOT NULL,
            hold_s             double precision NOT NULL,
            outbound_attempts  bigint NOT NULL,
            outbound_connected bigint NOT NULL,
            PRIMARY KEY (site, id)
        );
        CREATE INDEX IF NOT EXISTS agent_tallies_by_slot ON agent_tallies (slot_start);
        CREATE TABLE IF NOT EXISTS agent_tally_waits (
            site   text NOT NULL,
            tally  bigint NOT NULL,
            wait_s double precision,
            calls  bigint NOT NULL
        );
        CREATE INDEX IF NOT EXISTS agent_tally_waits_by_tally ON agent_tally_waits (site, tally);
        CREATE TABLE IF NOT EXISTS calltrail_schema (version integer NOT NULL);
        -- Each site's audit chain head at each publish, only ever added to: an anchor outside the site's
        -- machine (README, Compliance), so a site's database and anchor file rolled back together still
        -- disagree with what the warehouse saw.
        CREATE TABLE IF NOT EXISTS audit_heads (
            site         text NOT NULL,
            id           bigint NOT NULL,
            hash         text NOT NULL,
            published_at timestamptz NOT NULL,
            PRIMARY KEY (site, id, hash)
        );
        """

    /// How long a publish waits for another site's schema step, at most: the statement timeout when
    /// shorter.
    public static let schemaLockWait: TimeInterval = 60

    public static func ensure(_ connection: PostgresConnection, lockWait: TimeInterval = schemaLockWait, logger: Logger) async throws {
        let schemaLockWait = min(Self.schemaLockWait, max(0.5, lockWait))
        try await connection.withTransaction(logger: logger) { connection in
            // One key for Calltrail's schema: a second site waits here (tried every half second, at most
            // `lockWait`), then finds the tables; a site holding it longer fails this publish.
            var locked = false
            for attempt in 0..<max(1, Int(schemaLockWait * 2)) where !locked {
                if attempt > 0 { try await Task.sleep(for: .milliseconds(500)) }
                for try await taken in try await connection.query("SELECT pg_try_advisory_xact_lock(7400531)", logger: logger).decode(Bool.self) {
                    locked = taken
                }
            }
            guard locked else {
                throw CalltrailError.failure("the warehouse's schema stayed locked by another site's publish for \(Int(schemaLockWait)) s: the next publish tries again")
            }
            for statement in ddl.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !statement.isEmpty {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            // The metric functions (Sources/CalltrailWarehouse/postgres/), replaced each time so they follow the binary: the
            // old ones are dropped first, since CREATE OR REPLACE cannot change a function's columns.
            try await connection.query("""
                DO $$ DECLARE f record; BEGIN
                    FOR f IN SELECT oid::regprocedure AS signature FROM pg_proc
                             WHERE proname LIKE 'calltrail\\_%' AND pronamespace = current_schema()::regnamespace LOOP
                        EXECUTE 'DROP FUNCTION ' || f.signature;
                    END LOOP;
                END $$
                """, logger: logger)
            for name in functionFiles {
                // One statement a query (the extended protocol takes no more): each file's functions end in `$$;`.
                for body in try functionSQL(name).components(separatedBy: "$$;") where body.contains("CREATE") {
                    try await connection.query(PostgresQuery(unsafeSQL: body + "$$"), logger: logger)
                }
            }
            try await connection.query("""
                INSERT INTO calltrail_schema (version) SELECT \(unescaped: String(version))
                WHERE NOT EXISTS (SELECT 1 FROM calltrail_schema)
                """, logger: logger)
        }
    }

    /// The files of Sources/CalltrailWarehouse/postgres/, in the order they depend on each other.
    public static let functionFiles = [
        "format", "zone", "figures", "period_calls", "summary", "by_interval", "by_queue_interval", "by_day", "by_week", "by_month", "by_hour", "by_queue", "by_agent", "by_number",
        "wait_distribution", "outbound", "abandoned_calls", "platform_comparison", "data_quality", "recording_coverage",
        "recording_verification", "calls",
    ]

    public static func functionSQL(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "sql", subdirectory: "postgres"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            throw WarehouseSchemaError(message: "postgres/\(name).sql is missing from the installation: reinstall calltrail")
        }
        return text
    }
}

public struct WarehouseSchemaError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
