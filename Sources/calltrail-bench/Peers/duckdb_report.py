#!/usr/bin/env python3
# The DuckDB peer of Calltrail's interval-tally benchmark (calltrail-bench tallies, ReportBenchmark.duckdb):
# what an analyst with DuckDB would write to get summary.sql's and by_interval.sql's figures from the same
# SQLite file, either read in place through DuckDB's sqlite scanner (MODE scan: ATTACH ... (TYPE sqlite)) or
# from DuckDB's own copy of the calls (MODE import: CREATE TABLE AS from the SQLite file into a DuckDB file,
# timed apart as the import, then the copy reopened and queried).
#
#   summary      offered, answered, abandoned, short abandons, answered within T, service level V5, ASA, AHT,
#                nearest-rank p50/p90 of the answered waits, over the inbound calls offered in [from, to)
#   by_interval  the same per interval of the center's clock, every interval of the period (empty ones too)
#
# Definitions are docs/METRICS.md's, as Calltrail's queries apply them: a call is offered when inbound with
# queued_at set, and belongs to the period and the interval of its queued_at; T and S per queue from
# queue_settings, else the parameters; answered within T: wait_s <= T; short abandon: wait_s < S;
# V5 = answered_in_T / (offered - short_abandoned); ASA the mean wait of the answered; AHT the mean talk +
# hold + wrap of the answered; p at nearest rank ceil(p·n) of the answered waits (a missing wait first).
# Local time comes from DuckDB's own ICU time zones, not from Calltrail's time_zone_offsets table. Every
# queue is reported.
#
# The sqlite extension is loaded from the duckdb-extension-sqlite wheel's file (nothing is downloaded):
# DuckDB wants the file named after the extension (sqlite_scanner), so a link of that name is made in a
# temporary folder. Autoinstall and autoload are off, so a missing extension fails rather than fetching.
#
# Usage: python3 duckdb_report.py DATABASE FROM_ISO TO_ISO TZ THRESHOLD SHORT_ABANDON INTERVAL_MINUTES OUTDIR
#                                 scan|import [DUCKDB_FILE]
# Ratios and seconds are printed as SQLite's printf prints them (ties round up), as the CSVs Calltrail writes.
# Prints one line of JSON: load_s (extension and ATTACH), import_s (import mode), summary_s, by_interval_s
# (each query run and its rows fetched), intervals, peak_mib (this process's VmHWM), and the summary's
# figures; writes summary.csv and by_interval.csv to OUTDIR (not timed).
import csv
import json
import math
import os
import sys
import tempfile
import time
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

import duckdb


def extension_path():
    import duckdb_extension_sqlite

    shipped = Path(duckdb_extension_sqlite.__file__).parent / "extensions" / f"v{duckdb.__version__}" / "sqlite.duckdb_extension"
    if not shipped.exists():
        sys.exit(f"no sqlite extension for DuckDB {duckdb.__version__} at {shipped}")
    folder = Path(tempfile.mkdtemp(prefix="duckdb-ext-"))
    link = folder / "sqlite_scanner.duckdb_extension"
    link.symlink_to(shipped)
    return link


def connect(path=":memory:"):
    return duckdb.connect(path, config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})


def offered_sql(calls, settings):
    # $1 from (epoch s), $2 to, $3 T, $4 S, $5 zone
    return f"""
    offered AS (
        SELECT c.outcome, c.wait_s, c.talk_s + c.hold_s + c.wrap_s AS handle_s,
               timezone($5, to_timestamp(floor(c.queued_at))) AS local_ts,
               coalesce(q.threshold_s, $3) AS t_s, coalesce(q.short_abandon_s, $4) AS s_s
        FROM {calls} c LEFT JOIN {settings} q ON q.queue = c.queue
        WHERE c.direction = 'inbound' AND c.queued_at IS NOT NULL AND c.queued_at >= $1 AND c.queued_at < $2
    )"""


FIGURES = """
    count(*) AS offered,
    count(*) FILTER (WHERE outcome = 'answered') AS answered,
    count(*) FILTER (WHERE outcome = 'abandoned') AS abandoned,
    count(*) FILTER (WHERE outcome = 'abandoned' AND wait_s < s_s) AS short_abandoned,
    count(*) FILTER (WHERE outcome = 'answered' AND wait_s <= t_s) AS answered_in_t,
    avg(wait_s) FILTER (WHERE outcome = 'answered') AS asa,
    avg(handle_s) FILTER (WHERE outcome = 'answered') AS aht"""

# Nearest rank over the answered waits of each bucket: each distinct wait with its count, a running count,
# the smallest wait whose running count reaches ceil(p·n) (NULL waits sort first).
PERCENTILES = """
    waits AS (
        SELECT bucket, wait_s, count(*) AS n FROM offered_b WHERE outcome = 'answered' GROUP BY bucket, wait_s
    ),
    running AS (
        SELECT bucket, wait_s,
               sum(n) OVER (PARTITION BY bucket ORDER BY wait_s NULLS FIRST ROWS UNBOUNDED PRECEDING) AS reached,
               sum(n) OVER (PARTITION BY bucket) AS total
        FROM waits
    ),
    ranks AS (
        SELECT bucket,
               arg_min(wait_s, reached) FILTER (WHERE reached >= (total * 50 + 99) // 100) AS p50,
               arg_min(wait_s, reached) FILTER (WHERE reached >= (total * 90 + 99) // 100) AS p90
        FROM running GROUP BY bucket
    )"""


def summary_sql(calls, settings):
    return f"""
    WITH {offered_sql(calls, settings)},
    offered_b AS (SELECT 0 AS bucket, * FROM offered),
    {PERCENTILES},
    sums AS (SELECT 0 AS bucket, {FIGURES} FROM offered_b)
    SELECT s.offered, s.answered, s.abandoned, s.short_abandoned, s.answered_in_t, s.asa, s.aht, r.p50, r.p90
    FROM sums s LEFT JOIN ranks r USING (bucket)"""


def by_interval_sql(calls, settings):
    # $6 interval step (s). The grid: every interval start (a UTC instant) of [from, to) on the zone's clock,
    # the first aligned to the clock at `from`; a call's interval is its local time's bucket, told apart by
    # the offset (a fall-back day's repeated hour).
    return f"""
    WITH {offered_sql(calls, settings)},
    offered_b AS (
        SELECT epoch(local_ts)::BIGINT - epoch(local_ts)::BIGINT % $6 AS bucket, * FROM offered
    ),
    grid AS (
        SELECT g.t, timezone($5, to_timestamp(g.t)) AS local_start,
               epoch(timezone($5, to_timestamp(g.t)))::BIGINT AS bucket
        FROM (SELECT unnest(generate_series(
                  ($1::BIGINT - (($1::BIGINT + (epoch(timezone($5, to_timestamp($1)))::BIGINT - $1::BIGINT)) % $6)),
                  $2::BIGINT - 1, $6)) AS t) g
    ),
    {PERCENTILES},
    sums AS (SELECT bucket, {FIGURES} FROM offered_b GROUP BY bucket)
    SELECT g.t, g.bucket - g.t AS offset_s, strftime(g.local_start, '%Y-%m-%dT%H:%M:%S') AS local_start,
           coalesce(s.offered, 0), coalesce(s.answered, 0), coalesce(s.abandoned, 0), coalesce(s.short_abandoned, 0),
           coalesce(s.answered_in_t, 0), s.asa, s.aht, r.p50, r.p90
    FROM grid g LEFT JOIN sums s USING (bucket) LEFT JOIN ranks r USING (bucket)
    ORDER BY g.t"""


def offset_label(seconds):
    sign = "-" if seconds < 0 else "+"
    seconds = abs(int(seconds))
    return f"{sign}{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def printf(value, decimals):
    """printf('%.<decimals>f', value) as SQLite prints it, as pandas_report.py's printf: SQLite adds half a unit
    of the last place plus 3e-16 of the value and truncates, so ties and near ties round up (12.25 -> 12.3)."""
    value = float(value)
    rounder = Decimal(float(f"5e-{decimals + 1}"))
    if decimals + int((math.frexp(value)[1] - 1) / 3) < 15:
        rounder += Decimal(abs(value)) * Decimal(3e-16)
    digits = (Decimal(abs(value)) + rounder).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN)
    return f"{'-' if value < 0 else ''}{digits}"


def ratio(numerator, denominator):
    return printf(numerator / denominator, 4) if denominator > 0 else ""


def seconds(value):
    return "" if value is None else printf(value, 1)


def figures(offered, answered, abandoned, short, in_t, asa, aht, p50, p90):
    return [offered, answered, abandoned, short, in_t, ratio(in_t, offered - short),
            ratio(abandoned - short, offered - short), seconds(asa), seconds(aht),
            seconds(p50) if answered else "", seconds(p90) if answered else ""]


COLUMNS = ["offered", "answered", "abandoned", "short_abandoned", "answered_in_t", "service_level", "abandon_rate",
           "asa_s", "aht_s", "p50_wait_s", "p90_wait_s"]


def peak_mib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def main(argv):
    if len(argv) not in (10, 11) or argv[9] not in ("scan", "import") or (argv[9] == "import" and len(argv) != 11):
        sys.exit(f"usage: {argv[0]} DATABASE FROM_ISO TO_ISO TZ THRESHOLD SHORT_ABANDON INTERVAL_MINUTES OUTDIR scan|import [DUCKDB_FILE]")
    database, start, end, zone, threshold, short_abandon, interval, outdir, mode = argv[1:10]
    result = {"mode": mode, "duckdb": duckdb.__version__}
    probe = connect()
    start_s = probe.execute("SELECT epoch($1::TIMESTAMPTZ)::BIGINT", [start]).fetchone()[0]
    end_s = probe.execute("SELECT epoch($1::TIMESTAMPTZ)::BIGINT", [end]).fetchone()[0]
    probe.close()
    parameters = [start_s, end_s, float(threshold), float(short_abandon), zone]
    step = int(interval) * 60

    extension = extension_path()
    began = time.perf_counter()
    if mode == "scan":
        db = connect()
        db.execute(f"LOAD '{extension}'")
        db.execute(f"ATTACH '{database}' AS s (TYPE sqlite, READ_ONLY)")
        calls, settings = "s.calls", "s.queue_settings"
        result["load_s"] = time.perf_counter() - began
    else:
        copy = argv[10]
        for stale in (copy, copy + ".wal"):
            if os.path.exists(stale):
                os.remove(stale)
        db = connect(copy)
        db.execute(f"LOAD '{extension}'")
        db.execute(f"ATTACH '{database}' AS s (TYPE sqlite, READ_ONLY)")
        result["load_s"] = time.perf_counter() - began
        began = time.perf_counter()
        db.execute("CREATE TABLE calls AS SELECT * FROM s.calls")
        db.execute("CREATE TABLE queue_settings AS SELECT * FROM s.queue_settings")
        db.execute("CHECKPOINT")
        result["import_s"] = time.perf_counter() - began
        result["import_rows"] = db.execute("SELECT count(*) FROM calls").fetchone()[0]
        db.close()
        db = connect(copy)  # the copy as a later session finds it
        calls, settings = "calls", "queue_settings"

    began = time.perf_counter()
    summary = db.execute(summary_sql(calls, settings), parameters).fetchall()
    result["summary_s"] = time.perf_counter() - began
    began = time.perf_counter()
    intervals = db.execute(by_interval_sql(calls, settings), parameters + [step]).fetchall()
    result["by_interval_s"] = time.perf_counter() - began
    db.close()

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    row = figures(*summary[0])
    with open(out / "summary.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        writer.writerow(row)
    with open(out / "by_interval.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["interval_start"] + COLUMNS)
        for t, offset, local, *values in intervals:
            writer.writerow([local + offset_label(offset)] + figures(*values))
    result["summary"] = dict(zip(COLUMNS, row))
    result["intervals"] = len(intervals)
    result["peak_mib"] = peak_mib()
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv)
