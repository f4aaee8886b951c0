"""Load test of the workshop web app (issue 14), run by hand (never a unit test):

    python benchmarks/bench_workshop.py                          # 200 participants, SQLite then PostgreSQL
    python benchmarks/bench_workshop.py --participants 50 --db sqlite
    python benchmarks/bench_workshop.py --advisor-poll 0         # without the advisor's dashboard open

Bounded and loopback only: the app (``appraisal.workshop.app.create_app``) on the sample package
``samples/pakiet_dolina_baryczy.toml`` is served by uvicorn in a thread of this process on 127.0.0.1
(``tests/workshop_support.live_server``); the simulated phones run in a *child* process (an
``httpx.AsyncClient`` with at most ``--connections`` requests in flight), so that the client's work does not
share the server's interpreter lock. Every request has a timeout, the child has a deadline, and the databases
are temporary (a SQLite file in a temporary directory; a throwaway PostgreSQL cluster from
``workshop_support.postgres_server``, removed at the end).

The session judges the 4 groups below the root ``cwd`` (partnership_benefit, strategy_fit, feasibility,
funding: 3 criteria, 3 pairs each), or with ``--groups all`` the root too (5 groups, 18 pairs). Each
participant joins (``POST /api/s/{code}/join``), then sends their judgments group by group (``POST
/api/s/{code}/judgments``, one request per group, ``X-Participant-Token``): Saaty values drawn with a
fixed seed, some pairs sent the other way round (``column`` before ``row``, the reciprocal value, which the
server turns round), written as ``3``, ``"3"``, ``3.0``, ``"1/3"`` or ``0.333…``, some skipped (``null``);
then some participants revise: one or two more requests, each re-sending a few pairs already answered with a
new value, a skip, or the same value again (which must store nothing). All participants start at once; there
is no think time, so this is a burst far denser than a workshop hall.

What is checked (the script exits 1 if anything fails):

- every submission answers 200 with ``stored`` equal to the number of changes the client counted (a value
  different from that participant's current one for the pair, first answers and skips included);
- no judgment lost: ``store.count_events(session)`` equals the sum of those changes;
- every participant's current judgments in the store (``store.current``) equal the last value sent for
  every pair, and no other pair;
- the audit trail chains: for every participant and pair, the first event has no previous value and each
  later one names the value of the event before it;
- the dashboard's JSON lists every participant with as many pairs answered or skipped as they sent.

Reported: p50/p95/p99/max latency of the joins and of the submissions (measured by the client around each
request, while holding one of the ``--connections`` slots, so queueing in the client is not counted),
the wall time from the first join to the last response, throughput; the advisor's ``dashboard.json``
while the load runs (``--advisor-poll`` seconds apart, as the dashboard page's script polls, and the HTML
page when the version changed, as the script does) and after it, with every participant in.

References: Encode (2024), *HTTPX documentation*, "Async Support" and "Resource Limits"; Encode (2024),
*uvicorn documentation*, "Deployment"; SQLite Consortium, *Write-Ahead Logging*; PostgreSQL Global
Development Group (2023), *PostgreSQL 15 documentation*, "Write Ahead Log" (``fsync``,
``synchronous_commit``) and "ALTER SYSTEM".
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as _dt
import json
import math
import os
import platform
import random
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))

PACKAGE = ROOT / "samples" / "pakiet_dolina_baryczy.toml"
SEED = 20240601
HOST = "127.0.0.1"
REQUEST_TIMEOUT_S = 120.0
ROLES = ("wójt", "burmistrz", "skarbnik", "sołtys", "KGW", "LGD", "urząd marszałkowski", "przedsiębiorca")
JSTS = ("Gmina Stawno", "Gmina Karpiowo", "Gmina Sułowice", "Gmina Wierzbno Milickie", "Powiat rudnicki",
        "Miasto i Gmina Rudnica nad Baryczą")


# --------------------------------------------------------------------------------------------------- helpers

def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return math.nan
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def latency_line(values: list[float]) -> str:
    if not values:
        return "none"
    return (f"p50 {ms(percentile(values, 50))}, p95 {ms(percentile(values, 95))}, "
            f"p99 {ms(percentile(values, 99))}, max {ms(max(values))} (n = {len(values)})")


def version_of(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def git_head() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, timeout=10, check=True).stdout.strip()
        status = ["git", "status", "--porcelain", "--untracked-files=no", "--", "appraisal"]
        dirty = subprocess.run(status, cwd=ROOT, capture_output=True, text=True, timeout=10,
                               check=True).stdout.strip()
        return f"{head} (appraisal/ {'changed since' if dirty else 'as committed'})"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


# --------------------------------------------------------------------------------------- the simulated phones

def plan_values():
    """Saaty's scale as the server stores it, and the index of each value's reciprocal."""
    from appraisal.workshop.analysis import SCALE

    values = [float(v) for v in SCALE]
    recip = {i: values.index(next(v for v in values if math.isclose(v, 1.0 / x, rel_tol=1e-9)))
             for i, x in enumerate(values)}
    return values, recip


def written(v: float, rng: random.Random):
    """A value of the scale as a phone or a script might write it."""
    if v >= 1:
        return rng.choice([int(v), str(int(v)), float(v)])
    k = round(1.0 / v)
    return rng.choice([f"1/{k}", 1.0 / k])


async def run_clients(spec: dict) -> dict:
    """The child: every participant joins and answers; returns what was sent and how long it took."""
    import httpx

    values, recip = plan_values()
    base, code = spec["base"], spec["code"]
    groups = spec["groups"]  # [[group id, [[row, column], …]], …] in the session's order
    conns = spec["connections"]
    slots = asyncio.Semaphore(conns)
    # an idle connection is dropped by the client after 2 s, before uvicorn closes it (timeout_keep_alive,
    # 5 s): otherwise a POST sent on a connection the server is closing at that moment fails with a ReadError
    # (the keep-alive race of HTTP/1.1; RFC 9112, section 9.3.1): 4 of 8 runs on SQLite before this setting,
    # 0 of 6 after.
    limits = httpx.Limits(max_connections=conns, max_keepalive_connections=conns, keepalive_expiry=2.0)
    join_lat: list[float] = []
    submit_lat: list[float] = []
    errors: list[str] = []
    stored_mismatch: list[str] = []
    final: dict[str, list] = {}
    counts = {"submissions": 0, "judgments_sent": 0, "expected_events": 0, "stored_reported": 0,
              "first_answers": 0, "skips_sent": 0, "reversed_sent": 0, "revisions": 0, "same_again": 0}
    polls: dict[str, list[float]] = {"json": [], "html": []}
    done = asyncio.Event()
    started = time.perf_counter()

    async def timed_post(client, url, payload, headers, into):
        async with slots:
            t0 = time.perf_counter()
            resp = await client.post(url, json=payload, headers=headers)
            into.append(time.perf_counter() - t0)
        return resp

    async def participant(client, i: int) -> None:
        rng = random.Random(spec["seed"] * 100_003 + i)
        try:
            person = {"name": f"Uczestnik {i:03d}", "role": rng.choice(ROLES), "jst": rng.choice(JSTS)}
            r = await timed_post(client, f"{base}/api/s/{code}/join", person, {}, join_lat)
            if r.status_code != 200:
                errors.append(f"join {i}: {r.status_code} {r.text[:200]}")
                return
            who = r.json()
            pid, headers = who["participant_id"], {"X-Participant-Token": who["token"]}
            current: dict[tuple[str, str, str], int | None] = {}  # index into values, None: skipped

            async def send(batch: list[tuple[str, str, str, int | None, bool]]) -> None:
                payload = []
                changes = 0
                shadow = dict(current)
                for g, row, col, idx, reverse in batch:
                    key = (g, row, col)
                    if key not in shadow or shadow[key] != idx:
                        changes += 1
                        if key not in shadow:
                            counts["first_answers"] += 1
                        else:
                            counts["revisions"] += 1
                    else:
                        counts["same_again"] += 1
                    shadow[key] = idx
                    if idx is None:
                        counts["skips_sent"] += 1
                    if reverse:
                        counts["reversed_sent"] += 1
                        value = None if idx is None else written(values[recip[idx]], rng)
                        payload.append({"group": g, "row": col, "column": row, "value": value})
                    else:
                        value = None if idx is None else written(values[idx], rng)
                        payload.append({"group": g, "row": row, "column": col, "value": value})
                resp = await timed_post(client, f"{base}/api/s/{code}/judgments",
                                        {"participant_id": pid, "judgments": payload}, headers, submit_lat)
                counts["submissions"] += 1
                counts["judgments_sent"] += len(payload)
                if resp.status_code != 200:
                    errors.append(f"participant {i}: {resp.status_code} {resp.text[:200]}")
                    return  # refused whole: nothing stored, the shadow stays as it was
                stored = resp.json().get("stored")
                counts["expected_events"] += changes
                counts["stored_reported"] += stored if isinstance(stored, int) else 0
                if stored != changes:
                    stored_mismatch.append(f"participant {i}: stored {stored}, expected {changes}")
                current.clear()
                current.update(shadow)

            for g, pairs in groups:  # the first pass: every pair of every group, one request per group
                batch = []
                for row, col in pairs:
                    idx = None if rng.random() < spec["skip_share"] else rng.randrange(len(values))
                    batch.append((g, row, col, idx, rng.random() < spec["reverse_share"]))
                rng.shuffle(batch)
                await send(batch)
            rounds = 0
            if rng.random() < spec["revise_share"]:
                rounds = 1 + (rng.random() < 0.3)
            for _round in range(rounds):  # revisions: a few pairs already answered, again
                keys = rng.sample(sorted(current), k=min(len(current), rng.randint(1, 4)))
                batch = []
                for g, row, col in keys:
                    now_idx = current[(g, row, col)]
                    r = rng.random()
                    if r < 0.2:
                        idx = now_idx  # the same value again: must store nothing
                    elif r < 0.35:
                        idx = None  # skip a pair answered (or skip a skipped one again)
                    else:
                        idx = rng.choice([k for k in range(len(values)) if k != now_idx])
                    batch.append((g, row, col, idx, rng.random() < spec["reverse_share"]))
                await send(batch)
            final[pid] = [[g, row, col, None if idx is None else values[idx]]
                          for (g, row, col), idx in sorted(current.items())]
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            at = time.perf_counter() - started
            errors.append(f"participant {i}: {type(exc).__name__} {exc!r} at {at:.2f} s")

    async def advisor(client) -> None:
        """The dashboard page left open: dashboard.json every few seconds, the page when the version moved."""
        version = None
        url = f"{base}/s/{code}/dashboard.json?secret={spec['secret']}"
        while not done.is_set():
            try:
                await asyncio.wait_for(done.wait(), timeout=spec["advisor_poll"])
                return
            except TimeoutError:
                pass
            try:
                t0 = time.perf_counter()
                r = await client.get(url)
                polls["json"].append(time.perf_counter() - t0)
                fresh = r.json().get("version")
                if fresh != version:
                    t0 = time.perf_counter()
                    await client.get(f"{base}/s/{code}/dashboard?secret={spec['secret']}")
                    polls["html"].append(time.perf_counter() - t0)
                    version = fresh
            except (httpx.HTTPError, ValueError) as exc:
                errors.append(f"advisor: {type(exc).__name__}: {exc}")

    timeout = httpx.Timeout(REQUEST_TIMEOUT_S)
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client, \
            httpx.AsyncClient(limits=httpx.Limits(keepalive_expiry=2.0), timeout=timeout) as advisor_client:
        poller = asyncio.create_task(advisor(advisor_client)) if spec["advisor_poll"] > 0 else None
        t0 = time.perf_counter()
        await asyncio.gather(*(participant(client, i) for i in range(spec["participants"])))
        wall = time.perf_counter() - t0
        done.set()
        if poller is not None:
            await poller
    return {"join_latency": join_lat, "submit_latency": submit_lat, "wall": wall, "errors": errors,
            "stored_mismatch": stored_mismatch, "final": final, "counts": counts, "polls": polls}


def client_main(spec_json: str) -> None:
    spec = json.loads(spec_json)
    result = asyncio.run(asyncio.wait_for(run_clients(spec), timeout=spec["deadline"]))
    json.dump(result, sys.stdout)


# ----------------------------------------------------------------------------------------------- one database

def postgres_settings(url: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("show server_version")).scalar_one()
            shown = {k: conn.execute(text(f"show {k}")).scalar_one()
                     for k in ("fsync", "synchronous_commit", "full_page_writes", "max_connections")}
    finally:
        engine.dispose()
    return f"PostgreSQL {version}, " + ", ".join(f"{k}={v}" for k, v in shown.items())


def make_durable(pg) -> None:
    """The throwaway cluster starts with fsync, synchronous_commit and full_page_writes off (fast tests);
    a service runs with them on, and so does SQLite here (WAL, synchronous=FULL), so the cluster is restarted
    without those options (given on the server's command line, they would win over ALTER SYSTEM)."""
    options = f"-k '{pg.sockdir}' -p {pg.port} -c listen_addresses={pg.host} -c max_connections=300"
    pg.run("pg_ctl", "-D", str(pg.data), "-l", str(pg.log), "-w", "-t", "60", "-o", options, "restart")


def engine_note(store) -> str:
    """How the store talks to its database: SQLite's journal and sync modes, or the connection pool."""
    if store.writer.dialect.name == "sqlite":
        with store.reader.connect() as conn:
            journal = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
            sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
        sync = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(sync, sync)
        return f"journal_mode={journal}, synchronous={sync}"
    pool = store.writer.pool
    return f"SQLAlchemy pool size {pool.size()}, overflow {getattr(pool, '_max_overflow', '?')}"


def check_store(store, ws, result: dict, participants: int) -> list[str]:
    """What the store holds against what the client sent; the failures, one line each."""
    problems = []
    counts = result["counts"]
    events = store.count_events(ws)
    if events != counts["expected_events"]:
        problems.append(f"stored events {events} != changes sent {counts['expected_events']}")
    members = {m.public_id: m for m in store.members(ws)}
    if len(members) != participants:
        problems.append(f"{len(members)} participants in the store, {participants} joined")
    current = store.current(ws)
    wrong = 0
    for pid, judged in result["final"].items():
        member = members.get(pid)
        expected = {(g, r, c): v for g, r, c, v in judged}
        got = current.get(member.id, {}) if member else None
        if got != expected:
            wrong += 1
            if wrong <= 3:
                problems.append(f"participant {pid}: store {got} != last sent {expected}")
    if wrong:
        problems.append(f"{wrong} of {len(result['final'])} participants' current judgments differ from the "
                        "last values sent")
    if len(result["final"]) != participants:
        problems.append(f"only {len(result['final'])} of {participants} participants finished")
    last: dict[tuple, tuple[bool, float | None]] = {}
    broken = 0
    for e in store.events(ws):
        if str(e["event"]).startswith("w"):
            continue
        key = (e["participant"], e["group"], e["row"], e["column"])
        if key in last:
            ok = e["had_previous"] and e["previous"] == last[key] and e["value"] != last[key]
        else:
            ok = not e["had_previous"] and e["previous"] is None
        broken += not ok
        last[key] = e["value"]
    if broken:
        problems.append(f"{broken} events do not chain to the event before them (previous value)")
    return problems


def check_dashboard(data: dict, result: dict, participants: int) -> list[str]:
    problems = []
    rows = {p["participant_id"]: p for p in data.get("participants", [])}
    if len(rows) != participants:
        problems.append(f"dashboard.json lists {len(rows)} participants, {participants} joined")
    off = sum(1 for pid, judged in result["final"].items()
              if rows.get(pid, {}).get("answered") != len(judged))
    if off:
        problems.append(f"dashboard.json: {off} participants' answered counts differ from what they sent")
    return problems


def run_one(db: str, url: str, args, groups: list[str], note: str) -> bool:
    """Serve the app on ``url``, run the phones against it, check and report. True when every check holds."""
    import httpx
    from workshop_support import live_server

    from appraisal.workshop import analysis
    from appraisal.workshop.app import create_app

    secret = secrets.token_urlsafe(12)
    app = create_app(PACKAGE, url, advisor_secret=secret)
    store = app.state.store
    try:
        load = os.getloadavg()
        print(f"\n== {db}: {note}; {engine_note(store)}; load average {load[0]:.2f} at the start")
        ws = store.open_session("bench_workshop", "sha256:bench", groups)
        nodes = analysis.judged_nodes(app.state.package, ws.groups)
        spec = {"code": ws.code, "secret": secret, "participants": args.participants,
                "connections": args.connections, "seed": args.seed, "skip_share": args.skip_share,
                "reverse_share": args.reverse_share, "revise_share": args.revise_share,
                "advisor_poll": args.advisor_poll, "deadline": args.deadline,
                "groups": [[n.id, [list(p) for p in n.pairs]] for n in nodes]}
        with live_server(app, host=HOST) as base:
            assert base.startswith(f"http://{HOST}:")
            spec["base"] = base
            child = subprocess.run([sys.executable, str(HERE), "--client", json.dumps(spec)],
                                   capture_output=True, text=True, timeout=args.deadline + 60, check=False)
            if child.returncode != 0:
                print(f"the client process failed ({child.returncode}):\n{child.stderr[-3000:]}")
                return False
            result = json.loads(child.stdout)
            dash_times = []
            with httpx.Client(timeout=REQUEST_TIMEOUT_S) as client:
                for _ in range(3):
                    t0 = time.perf_counter()
                    r = client.get(f"{base}/s/{ws.code}/dashboard.json", params={"secret": secret})
                    dash_times.append(time.perf_counter() - t0)
                dash = r.json() if r.status_code == 200 else {}
                dash_bytes = len(r.content)
                t0 = time.perf_counter()
                page = client.get(f"{base}/s/{ws.code}/dashboard", params={"secret": secret})
                page_time = time.perf_counter() - t0
        c = result["counts"]
        pairs = sum(len(n.pairs) for n in nodes)
        print(f"session {ws.code}: {len(nodes)} groups, {pairs} pairs a participant; {args.participants} "
              f"participants, at most {args.connections} requests in flight")
        print(f"joins:        {latency_line(result['join_latency'])}")
        print(f"submissions:  {latency_line(result['submit_latency'])}")
        wall = result["wall"]
        print(f"wall time {wall:.2f} s (first join to last response); throughput "
              f"{c['submissions'] / wall:.1f} submissions/s, {c['judgments_sent'] / wall:.1f} judgments/s, "
              f"{(c['submissions'] + args.participants) / wall:.1f} requests/s with the joins")
        print(f"sent: {c['submissions']} submissions, {c['judgments_sent']} judgments ({c['first_answers']} "
              f"first answers, {c['revisions']} revisions, {c['same_again']} the same value again; "
              f"{c['skips_sent']} skips, {c['reversed_sent']} sent column before row)")
        problems = list(result["errors"][:5]) + list(result["stored_mismatch"][:5])
        if result["errors"]:
            problems.append(f"{len(result['errors'])} requests failed")
        if result["stored_mismatch"]:
            problems.append(f"{len(result['stored_mismatch'])} responses' 'stored' differ from the changes "
                            "sent")
        events = store.count_events(ws)
        store_problems = check_store(store, ws, result, args.participants)
        verdict = "no judgment lost" if events == c["expected_events"] else "MISMATCH"
        print(f"stored events {events}; changes sent {c['expected_events']} (sum of the responses' 'stored': "
              f"{c['stored_reported']}) -> {verdict}")
        print("current judgments: " + ("every participant's equal the last value sent; previous values chain"
                                       if not store_problems else "SEE PROBLEMS"))
        problems += store_problems
        if page.status_code != 200 or r.status_code != 200:
            problems.append(f"dashboard answered {r.status_code} / {page.status_code}")
        problems += check_dashboard(dash, result, args.participants)
        print(f"dashboard.json after the load, {args.participants} participants: {dash_times[0]:.3f} s "
              f"(then {dash_times[1]:.3f} s, {dash_times[2]:.3f} s), {dash_bytes / 1000:.0f} kB; the HTML "
              f"dashboard page {page_time:.3f} s, {len(page.content) / 1000:.0f} kB")
        polls = result["polls"]
        if args.advisor_poll > 0:
            print(f"advisor's dashboard open during the load (every {args.advisor_poll:g} s): dashboard.json "
                  f"{latency_line(polls['json'])}; the page {latency_line(polls['html'])}")
        for p in problems:
            print(f"PROBLEM: {p}")
        print("checks: " + ("all passed" if not problems else f"{len(problems)} FAILED"))
        return not problems
    finally:
        store.dispose()


# ------------------------------------------------------------------------------------------------------- main

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--groups", choices=("four", "all"), default="four",
                        help="four: the 4 groups below the root cwd (default); all: the root cwd too")
    parser.add_argument("--connections", type=int, default=50, help="requests in flight at most (default 50)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--skip-share", type=float, default=0.1, help="share of pairs skipped (default 0.1)")
    parser.add_argument("--reverse-share", type=float, default=0.25,
                        help="share of pairs sent column before row (default 0.25)")
    parser.add_argument("--revise-share", type=float, default=0.4,
                        help="share of participants who revise afterwards (default 0.4)")
    parser.add_argument("--advisor-poll", type=float, default=3.0,
                        help="seconds between the open dashboard's polls during the load; 0: no dashboard")
    parser.add_argument("--pg-fast", action="store_true",
                        help="leave the throwaway PostgreSQL with fsync and synchronous_commit off")
    parser.add_argument("--deadline", type=float, default=900.0, help="the client's deadline in seconds")
    parser.add_argument("--client", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client_main(args.client)
        return 0
    if not 1 <= args.participants <= 2000 or not 1 <= args.connections <= 500:
        parser.error("--participants 1..2000 and --connections 1..500 (the test is bounded)")

    from appraisal.io.formats import load_package
    from appraisal.workshop import analysis

    pkg = load_package(PACKAGE)
    all_groups = [n.id for n in analysis.judged_nodes(pkg)]
    groups = all_groups if args.groups == "all" else [g for g in all_groups if g != pkg.criteria_set.id]
    load = os.getloadavg()
    stamp = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    print(f"bench_workshop {stamp}, engine at git {git_head()}")
    print(f"machine: {os.cpu_count()} cores, {platform.platform()}, load average {load[0]:.2f} {load[1]:.2f} "
          f"{load[2]:.2f}")
    print(f"versions: Python {platform.python_version()}, appraise {version_of('appraise')}, starlette "
          f"{version_of('starlette')}, uvicorn {version_of('uvicorn')}, httpx {version_of('httpx')}, "
          f"SQLAlchemy {version_of('sqlalchemy')}, psycopg {version_of('psycopg')}, SQLite library "
          f"{sqlite3.sqlite_version}")
    print(f"package: {PACKAGE.relative_to(ROOT)}; session of {len(groups)} groups: {', '.join(groups)}")
    print(f"participants {args.participants}, connections {args.connections}, seed {args.seed}, skips "
          f"{args.skip_share:.0%}, reversed {args.reverse_share:.0%}, revising participants "
          f"{args.revise_share:.0%}")
    print("server: uvicorn (one process, one event loop) in a thread of this process on 127.0.0.1; clients: "
          "httpx.AsyncClient in a child process")
    ok = True
    if args.db in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(prefix="bench-workshop-") as tmp:
            path = Path(tmp) / "workshop.sqlite"
            ok &= run_one("SQLite", str(path), args, groups, f"a file in {tmp}")
    if args.db in ("postgresql", "both"):
        import workshop_support

        if workshop_support.postgres_bindir() is None:
            print("\n== PostgreSQL: skipped: no PostgreSQL (initdb, pg_ctl not found)")
        else:
            try:
                with workshop_support.postgres_server() as pg:
                    if not args.pg_fast:
                        make_durable(pg)
                    note = f"a throwaway cluster on {pg.host}:{pg.port}; {postgres_settings(pg.url())}"
                    ok &= run_one("PostgreSQL", pg.url(), args, groups, note)
            except BaseException as exc:  # pytest's Skipped is a BaseException: PostgreSQL cannot start here
                if type(exc).__name__ != "Skipped":
                    raise
                print(f"\n== PostgreSQL: skipped: no PostgreSQL ({exc})")
    print("\nall checks passed" if ok else "\nSOME CHECKS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
