# The Python peer of Calltrail's ingest benchmark: the same uContact pages (one JSON array per line),
# the same normalization (local calldate -> UTC, direction, outcome, wait, answer and end times), into
# the same schema (made by Calltrail's migrations), one transaction per page, with the standard
# library only: json and sqlite3.executemany. Prints "records seconds".
import json, sqlite3, sys, time
from datetime import datetime
from zoneinfo import ZoneInfo
pages, database = sys.argv[1], sys.argv[2]
zone = ZoneInfo("America/Montevideo")
db = sqlite3.connect(database)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=NORMAL")
calls_sql = """INSERT INTO calls (source, call_id, direction, outcome, queue, agent, customer_number, did, started_at, queued_at,
  answered_at, ended_at, wait_s, talk_s, hold_s, wrap_s, transfers, disposition, recording_ref, synced_at)
  VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (source, call_id) DO UPDATE SET outcome = excluded.outcome"""
raw_sql = """INSERT INTO raw_records (source, record_key, window_start, fetched_at, payload, decode_error) VALUES (?,?,?,?,?,?)
  ON CONFLICT (source, record_key) DO UPDATE SET payload = excluded.payload"""
def num(v):
    return float(v) if v not in (None, "") else None
start = time.perf_counter(); count = 0
with open(pages) as f:
    for line in f:
        calls, raws = [], []
        now = time.time()
        for r in json.loads(line):
            count += 1
            raws.append(("ucontact", r["guid"], 0, now, json.dumps(r), None))
            t = datetime.strptime(r["calldate"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone).timestamp()
            campaign = r.get("campaign") or ""
            outbound = campaign.endswith("->")
            duration, talk = num(r.get("duration")) or 0.0, num(r.get("billsec")) or 0.0
            wait = max(0.0, duration - talk)
            d = r.get("disposition")
            if outbound:
                outcome = "outbound_answered" if d == "ANSWERED" or talk > 0 else "outbound_unanswered"
            else:
                outcome = "answered" if d == "ANSWERED" else ("abandoned" if d == "NO ANSWER" else "failed")
            answered = outcome in ("answered", "outbound_answered")
            calls.append(("ucontact", r["guid"], "outbound" if outbound else "inbound", outcome, campaign, r.get("agent"),
                          r.get("dst") if outbound else r.get("src"), r.get("src") if outbound else r.get("dst"), t,
                          None if outbound else t, t + wait if answered else None, t + duration, None if outbound else wait,
                          talk, 0.0, 0.0, 0, d, r["guid"] if talk > 0 else None, now))
        db.executemany(calls_sql, calls); db.executemany(raw_sql, raws); db.commit()
print(count, time.perf_counter() - start)
