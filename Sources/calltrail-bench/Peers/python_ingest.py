# The Python peer of Calltrail's ingest benchmark: the same uContact pages (one JSON array per line),
# the same normalization (local calldate -> UTC, direction, outcome, wait, answer and end times), into
# the same schema (made by Calltrail's migrations: each page's records kept zlib-compressed in
# raw_pages, each call pointing at its record there and found by its 31-bit FNV-1a key), one
# transaction per page, with the standard library only: json, zlib and sqlite3.executemany. Like
# Calltrail it looks each call up by its key before inserting it. Prints "records seconds".
import json, sqlite3, sys, time, zlib
from datetime import datetime
from zoneinfo import ZoneInfo
pages, database = sys.argv[1], sys.argv[2]
zone = ZoneInfo("America/Montevideo")
db = sqlite3.connect(database)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=NORMAL")
calls_sql = """INSERT INTO calls (source, call_id, direction, outcome, queue, agent, customer_number, did, started_at, queued_at,
  answered_at, ended_at, wait_s, talk_s, hold_s, wrap_s, transfers, disposition, recording_ref, synced_at, raw_page, raw_index, key_hash)
  VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"""
lookup_sql = "SELECT rowid FROM calls WHERE key_hash = ? AND source = ? AND call_id = ?"
page_sql = """INSERT INTO raw_pages (source, window_start, page_offset, fetched_at, records, bytes, body) VALUES (?,?,?,?,?,?,?)"""
def num(v):
    return float(v) if v not in (None, "") else None
def key(source, call_id):
    h = 0x811C9DC5
    for b in source.encode() + b"\0" + call_id.encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h & 0x7FFFFFFF
start = time.perf_counter(); count = 0
with open(pages, "rb") as f:
    for offset, line in enumerate(f):
        body = line.rstrip(b"\n")
        records = json.loads(body)
        now = time.time()
        page = db.execute(page_sql, ("ucontact", 0, offset, now, len(records), len(body), zlib.compress(body, 1))).lastrowid
        calls = []
        for index, r in enumerate(records):
            count += 1
            k = key("ucontact", r["guid"])
            if db.execute(lookup_sql, (k, "ucontact", r["guid"])).fetchone():
                continue  # never in this benchmark: each record is read once
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
                          talk, 0.0, 0.0, 0, d, r["guid"] if talk > 0 else None, now, page, index, k))
        db.executemany(calls_sql, calls); db.commit()
print(count, time.perf_counter() - start)
