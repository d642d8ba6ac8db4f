#!/usr/bin/env python3
# The pandas peer of Calltrail's monthly report benchmark (calltrail-bench, ReportBenchmark.pandas): what an
# analyst with pandas would write to get the report's headline figures from the same database. It mirrors
# four of Calltrail's queries (Sources/CalltrailReports/queries/) and writes the same CSV files:
#
#   summary.csv      summary.sql      offered, answered, abandoned, short abandons, the five service levels,
#                                     abandon rates, ASA, AHT, talk, hold, max and nearest-rank p50/p90 wait
#   by_interval.csv  by_interval.sql  the same counts, service level, abandon rate, ASA and AHT per interval
#                                     of the local clock, every interval of the period (empty ones too)
#   by_queue.csv     by_queue.sql     per queue, with transfers and the T and S it was measured against
#   by_agent.csv     by_agent.sql     per source and agent: inbound answered, talk/hold/handle, outbound
#
# Definitions are docs/METRICS.md's. SQLite only hands over rows: the calls attributed to the period
# (coalesce(queued_at, started_at) in [from, to), only the columns used), the queue_settings overrides and
# the agents' names. Every figure is computed here, and local time comes from pandas' tz database
# (tz_convert), not from the time_zone_offsets table. Every queue is reported (the SQL's :queues is NULL).
# The CSVs are written as `sqlite3 -header -csv` writes the SQL's results, so the two can be diffed:
# SQL's NULL rules, SQLite's printf rounding, the shell's quoting. THRESHOLD and SHORT_ABANDON are echoed
# as SQLite types the literal (20 -> "20", 20.0 -> "20.0"). One deliberate difference: a dataset without
# rows still gets its header line, which the shell leaves out.
#
# Usage: python3 pandas_report.py DATABASE FROM_ISO TO_ISO TZ THRESHOLD SHORT_ABANDON INTERVAL_MINUTES OUTDIR
# Prints one line: the wall seconds from before loading to after the files are written.
import math
import re
import sqlite3
import sys
import time
from contextlib import closing
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

import numpy as np
import pandas as pd

CALLS = """
    SELECT source, direction, outcome, queue, agent, queued_at, wait_s, talk_s, hold_s, wrap_s, transfers
    FROM calls
    WHERE coalesce(queued_at, started_at) >= ? AND coalesce(queued_at, started_at) < ?"""
QUEUE_SETTINGS = "SELECT queue, threshold_s, short_abandon_s FROM queue_settings WHERE queue IS NOT NULL"
AGENT_NAMES = "SELECT source, agent_id AS agent, name AS agent_name FROM source_agents"


def main(argv):
    if len(argv) != 9:
        sys.exit(f"usage: {argv[0]} DATABASE FROM_ISO TO_ISO TZ THRESHOLD SHORT_ABANDON INTERVAL_MINUTES OUTDIR")
    database, start, end, zone, threshold, short_abandon, interval, outdir = argv[1:]
    start_s, end_s = unixepoch(start), unixepoch(end)
    threshold, short_abandon = sql_number(threshold), sql_number(short_abandon)

    began = time.perf_counter()
    with closing(sqlite3.connect(database)) as db:
        calls = pd.read_sql_query(CALLS, db, params=(start_s, end_s))
        settings = pd.read_sql_query(QUEUE_SETTINGS, db, index_col="queue")
        names = pd.read_sql_query(AGENT_NAMES, db)
    offered = offered_calls(calls, settings, threshold, short_abandon)
    reports = {
        "summary": summary(offered, threshold, short_abandon, zone),
        "by_interval": by_interval(offered, start_s, end_s, zone, int(interval) * 60),
        "by_queue": by_queue(offered, settings, threshold, short_abandon),
        "by_agent": by_agent(calls, names),
    }
    Path(outdir).mkdir(parents=True, exist_ok=True)
    for name, frame in reports.items():
        write_csv(frame, Path(outdir) / f"{name}.csv")
    print(f"{time.perf_counter() - began:.3f}")


# --- Parameters, as SQLite reads them --------------------------------------------------------------------

def unixepoch(iso):
    """unixepoch(iso): whole seconds; an ISO time without an offset is UTC."""
    return int(pd.Timestamp(iso).timestamp())


def sql_number(text):
    """A numeric parameter typed as SQLite types the literal: '20' an integer, '20.0' a real."""
    try:
        return int(text)
    except ValueError:
        return float(text)


# --- Per-call terms ---------------------------------------------------------------------------------------

def offered_calls(calls, settings, threshold, short_abandon):
    """The inbound calls offered to a queue (queued_at set), each with its T and S (queue_settings, else the
    parameters) and the per-call terms of docs/METRICS.md as columns to sum or average."""
    offered = calls[calls.direction.eq("inbound") & calls.queued_at.notna()]
    t = per_call_setting(offered.queue, settings.threshold_s, threshold)
    s = per_call_setting(offered.queue, settings.short_abandon_s, short_abandon)
    answered, abandoned, wait = offered.outcome.eq("answered"), offered.outcome.eq("abandoned"), offered.wait_s
    handle = offered.talk_s + offered.hold_s + offered.wrap_s
    return offered.assign(
        answered=answered.astype(int),
        abandoned=abandoned.astype(int),
        short_abandoned=sql_and(abandoned, wait < s, wait),
        answered_in_t=sql_and(answered, wait <= t, wait),
        abandoned_in_t=sql_and(abandoned, wait <= t, wait),
        transferred=offered.transfers.gt(0).astype(int),
        answered_wait=wait.where(answered),
        abandoned_wait=wait.where(abandoned),
        answered_handle=handle.where(answered),
        answered_talk=offered.talk_s.where(answered),
        answered_hold=offered.hold_s.where(answered),
    )


def per_call_setting(queues, overrides, default):
    """coalesce(queue_settings value of the call's queue, parameter), per call."""
    if overrides.empty:
        return default
    return queues.map(overrides).fillna(default)


def queue_setting(queue, overrides, default):
    """coalesce(queue_settings value of `queue`, parameter), keeping the parameter's SQL type."""
    value = overrides.get(queue)
    return default if value is None or math.isnan(value) else value


def sql_and(condition, comparison, wait):
    """`condition AND comparison-on-wait_s` as a SQL term to sum: 1 or 0, NaN (NULL) where the condition
    holds but wait_s is NULL, so that a group of only such calls sums to NULL as in SQL."""
    return pd.Series(np.where(condition, np.where(wait.isna(), np.nan, comparison), 0.0), index=wait.index)


# --- The four datasets ------------------------------------------------------------------------------------

def summary(offered, threshold, short_abandon, zone):
    """summary.sql: one row over every offered call; counts are coalesce(sum, 0)."""
    f = pd.DataFrame([{"offered": len(offered), **offered[COUNTED].sum()}])
    means = offered[["answered_wait", "abandoned_wait", "answered_handle", "answered_talk", "answered_hold"]].mean()
    p50, p90 = nearest_ranks(offered.answered_wait[offered.answered == 1], (50, 90))
    handled = f.answered + f.abandoned
    return pd.DataFrame({
        **counts(f[["offered", "answered", "abandoned", "short_abandoned", "answered_in_t", "abandoned_in_t"]]),
        "service_level": ratio(f.answered_in_t, f.offered - f.short_abandoned),
        "sl_v1_answered": ratio(f.answered_in_t, f.answered),
        "sl_v2_offered": ratio(f.answered_in_t, handled),
        "sl_v3_ignore_late_abandons": ratio(f.answered_in_t, handled - f.abandoned_in_t),
        "sl_v4_with_abandoned": ratio(f.answered_in_t + f.abandoned_in_t, handled),
        "abandon_rate": ratio(f.abandoned - f.short_abandoned, f.offered - f.short_abandoned),
        "abandon_rate_all": ratio(f.abandoned, f.offered),
        "asa_s": seconds(means.answered_wait),
        "avg_wait_abandoned_s": seconds(means.abandoned_wait),
        "max_wait_s": seconds(offered.wait_s.max()),
        "aht_s": seconds(means.answered_handle),
        "avg_talk_s": seconds(means.answered_talk),
        "avg_hold_s": seconds(means.answered_hold),
        "p50_wait_s": [p50],
        "p90_wait_s": [p90],
        "threshold_s": [sql_text(threshold)],
        "short_abandon_s": [sql_text(short_abandon)],
        "time_zone": [zone],
    })


def by_interval(offered, start_s, end_s, zone, step):
    """by_interval.sql: a call belongs to the interval of the local clock that holds its queued_at."""
    queued = offered.queued_at.astype("int64")  # CAST(queued_at AS INTEGER)
    bucket = queued - (queued + utc_offsets(queued, zone)) % step
    grid = interval_grid(start_s, end_s, zone, step)
    f = group_figures(offered, bucket).reindex(grid)  # intervals without calls: NULL figures
    return pd.DataFrame({
        "interval_start": local_iso(pd.Series(grid), zone).to_numpy(),
        **counts(f[["offered", "answered", "abandoned", "short_abandoned", "answered_in_t"]].fillna(0)),
        "service_level": ratio(f.answered_in_t, f.offered - f.short_abandoned),
        "abandon_rate": ratio(f.abandoned - f.short_abandoned, f.offered - f.short_abandoned),
        "asa_s": seconds(f.asa),
        "aht_s": seconds(f.aht),
    })


def by_queue(offered, settings, threshold, short_abandon):
    """by_queue.sql: per queue the call first reached, '(none)' for calls without one."""
    f = group_figures(offered, offered.queue.fillna("(none)").rename("queue")).reset_index()
    f = f.sort_values(["offered", "queue"], ascending=[False, True])
    return pd.DataFrame({
        "queue": f.queue.to_numpy(),
        **counts(f[["offered", "answered", "abandoned", "short_abandoned", "answered_in_t", "transferred"]]),
        "service_level": ratio(f.answered_in_t, f.offered - f.short_abandoned),
        "abandon_rate": ratio(f.abandoned - f.short_abandoned, f.offered - f.short_abandoned),
        "asa_s": seconds(f.asa),
        "aht_s": seconds(f.aht),
        "threshold_s": [sql_text(queue_setting(q, settings.threshold_s, threshold)) for q in f.queue],
        "short_abandon_s": [sql_text(queue_setting(q, settings.short_abandon_s, short_abandon)) for q in f.queue],
    })


def by_agent(calls, names):
    """by_agent.sql: every call with an agent (any direction), per source and agent."""
    staffed = calls[calls.agent.notna()]
    answered = staffed.direction.eq("inbound") & staffed.outcome.eq("answered")
    terms = pd.DataFrame({
        "source": staffed.source,
        "agent": staffed.agent,
        "inbound_answered": answered.astype(int),
        "talk": staffed.talk_s.where(answered),
        "hold": staffed.hold_s.where(answered),
        "handle": (staffed.talk_s + staffed.hold_s + staffed.wrap_s).where(answered),
        "outbound_attempts": staffed.direction.eq("outbound").astype(int),
        "outbound_connected": staffed.outcome.eq("outbound_answered").astype(int),
    })
    groups = terms.groupby(["source", "agent"])
    f = groups[["inbound_answered", "outbound_attempts", "outbound_connected"]].sum()
    f["talk_total"] = groups.talk.sum()  # coalesce(sum(...), 0)
    f[["talk", "hold", "handle"]] = groups[["talk", "hold", "handle"]].mean()
    f = f.reset_index().merge(names, on=["source", "agent"], how="left")
    f = f.assign(busy=f.inbound_answered + f.outbound_attempts)
    f = f.sort_values(["busy", "source", "agent"], ascending=[False, True, True])
    answered_any = f.inbound_answered > 0
    return pd.DataFrame({
        "source": f.source.to_numpy(),
        "agent": f.agent.to_numpy(),
        "agent_name": f.agent_name.to_numpy(),
        **counts(f[["inbound_answered"]]),
        "inbound_talk_s": [printf(x, 1) for x in f.talk_total],
        "avg_talk_s": seconds(f.talk, answered_any),
        "avg_hold_s": seconds(f.hold, answered_any),
        "aht_s": seconds(f.handle, answered_any),
        **counts(f[["outbound_attempts", "outbound_connected"]]),
    })


# --- Shared figures ---------------------------------------------------------------------------------------

COUNTED = ["answered", "abandoned", "short_abandoned", "answered_in_t", "abandoned_in_t", "transferred"]


def group_figures(offered, key):
    """Per group: count(*) as offered, SQL sums of the counted terms (NULL when only NULLs), ASA and AHT."""
    groups = offered.groupby(key)
    f = groups[COUNTED].sum(min_count=1)
    f.insert(0, "offered", groups.size())
    f[["asa", "aht"]] = groups[["answered_wait", "answered_handle"]].mean()
    return f


def nearest_ranks(waits, percents):
    """The wait at rank ceil(p·n / 100) of `waits` ordered as SQLite orders them (NULLs first), printf'd;
    NULL when there are none."""
    if len(waits) == 0:
        return [None for _ in percents]
    known = np.sort(waits.dropna().to_numpy())
    nulls = len(waits) - len(known)
    ranks = [(len(waits) * p + 99) // 100 for p in percents]
    return [printf(known[r - nulls - 1] if r > nulls else None, 1) for r in ranks]


def interval_grid(start_s, end_s, zone, step):
    """Interval starts (epoch seconds): the first aligned to the local clock at :from, then one every step
    that starts before :to."""
    offset = utc_offsets(pd.Series([start_s]), zone).iloc[0]
    first = start_s - (start_s + offset) % step
    return [first, *range(first + step, end_s, step)]


def utc_offsets(epoch_seconds, zone):
    """The UTC offset of `zone` in seconds at each instant, from pandas' tz database."""
    utc = pd.to_datetime(epoch_seconds, unit="s")
    wall = utc.dt.tz_localize("UTC").dt.tz_convert(zone).dt.tz_localize(None)
    return (wall - utc) // pd.Timedelta(seconds=1)


def local_iso(epoch_seconds, zone):
    """Local ISO time with its offset, 2025-01-01T00:00:00-03:00."""
    local = pd.to_datetime(epoch_seconds, unit="s", utc=True).dt.tz_convert(zone)
    return local.dt.strftime("%Y-%m-%dT%H:%M:%S%z").str.replace(r"(\d\d)$", r":\1", regex=True)


# --- Output as SQLite and its shell write it --------------------------------------------------------------

def counts(frame):
    """Integer columns; NULL (NaN) stays empty."""
    return {name: [None if pd.isna(x) else str(int(x)) for x in column] for name, column in frame.items()}


def ratio(numerator, denominator):
    """CASE WHEN denominator > 0 THEN printf('%.4f', 1.0 * numerator / denominator) END"""
    return [printf(n / d, 4) if d > 0 else None for n, d in zip(numerator, denominator)]


def seconds(values, condition=None):
    """CASE WHEN condition THEN printf('%.1f', value) END; the condition defaults to value IS NOT NULL."""
    values = pd.Series(values, dtype=float)
    condition = values.notna() if condition is None else condition
    return [printf(x, 1) if c else None for x, c in zip(values, condition)]


def printf(value, decimals):
    """printf('%.<decimals>f', value) as SQLite 3.40 prints it (NULL as 0). SQLite adds half a unit of the
    last place plus 3e-16 of the value (an allowance for binary error) and truncates, so ties and near ties
    round up: 12.25 and 12.249999999999998 both give 12.3 where Python's '%.1f' gives 12.2. (Its 16
    significant digit limit never bites at these magnitudes.)"""
    value = 0.0 if value is None or math.isnan(value) else float(value)
    rounder = Decimal(float(f"5e-{decimals + 1}"))
    if decimals + int((math.frexp(value)[1] - 1) / 3) < 15:  # C: precision + binary exponent / 3 < 15
        rounder += Decimal(abs(value)) * Decimal(3e-16)
    digits = (Decimal(abs(value)) + rounder).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN)
    return f"{'-' if value < 0 else ''}{digits}"


def sql_text(number):
    """A number as SQLite renders it as text: integers plainly, reals as %.15g with a decimal point."""
    if isinstance(number, (int, np.integer)):
        return str(number)
    mantissa, e, exponent = f"{number:.15g}".partition("e")
    return (mantissa if "." in mantissa else mantissa + ".0") + e + exponent


NEEDS_QUOTES = re.compile(r"[\x00-\x20\"',\x7f-\U0010ffff]")


def csv_cell(value):
    """The shell's CSV mode: NULL empty; text quoted when it is empty or holds a comma, a quote, a space, a
    control or a non-ASCII character."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value)
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if text == "" or NEEDS_QUOTES.search(text) else text


def write_csv(frame, path):
    rows = [frame.columns, *frame.itertuples(index=False)]
    path.write_text("".join(",".join(map(csv_cell, row)) + "\n" for row in rows), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv)
