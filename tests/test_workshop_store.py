"""The workshop's store (appraisal/workshop/store.py) on SQLite and on a real PostgreSQL: the append-only
tables, the previous values recorded with each judgment, concurrent submissions, and the JSON API end to end.

Every test runs on both databases: a SQLite file in the test's temporary directory, and a database of its
own in the session's throwaway PostgreSQL cluster (``pg_server``; skipped locally when PostgreSQL is absent,
failed in CI). The groups and items are the sample package's criteria tree.
"""

from __future__ import annotations

import math
import random
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("starlette")
sqlalchemy = pytest.importorskip("sqlalchemy")

from sqlalchemy import text
from starlette.testclient import TestClient

from appraisal import ahp
from appraisal.io.formats import load_package
from appraisal.workshop.analysis import SCALE, judged_nodes
from appraisal.workshop.app import create_app
from appraisal.workshop.store import Answer, Store, database_url

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "samples" / "pakiet_dolina_baryczy.toml"
SECRET = "advisor-secret-for-store-tests"
PKG = load_package(PACKAGE)
NODES = judged_nodes(PKG)  # the root cwd (4 items) and its 4 groups (3 items each): 18 pairs
PAIRS = [(n.id, a, b) for n in NODES for a, b in n.pairs]
VALUES = [float(v) for v in SCALE] + [None]  # the 17 values of the scale and a skip: 18 different answers


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh database: a SQLite file, or a database of the test's own in the throwaway PostgreSQL."""
    if request.param == "sqlite":
        yield str(tmp_path / "workshop.sqlite")
        return
    server = request.getfixturevalue("pg_server")
    name = f"store_{uuid.uuid4().hex[:16]}"
    url = server.create_database(name)
    try:
        yield url
    finally:
        server.drop_database(name)


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.dispose()


def open_session(store: Store):
    return store.open_session("Warsztat w Stawnie", "sha256:test", [n.id for n in NODES])


def chains(store: Store, ws) -> dict[tuple, list[dict]]:
    """The session's judgment events by (participant, group, row, column), oldest first."""
    out: dict[tuple, list[dict]] = {}
    for e in store.events(ws):
        if not str(e["event"]).startswith("w"):
            out.setdefault((e["participant"], e["group"], e["row"], e["column"]), []).append(e)
    return out


def assert_chained(events: list[dict]) -> None:
    """Each event replaces the one before it: no previous value for the first, the value before for the rest,
    and never the same value again (the log holds changes)."""
    first, *rest = events
    assert first["had_previous"] is False and first["previous"] is None, first
    for before, e in zip(events, rest):
        assert e["had_previous"] is True, e
        assert e["previous"] == before["value"], (before, e)
        assert e["value"] != before["value"], (before, e)


# -------------------------------------------------------------------------------- append-only in the database

@pytest.mark.parametrize("sql", [
    "UPDATE judgment_events SET value = 9",
    "UPDATE judgment_events SET previous = NULL, had_previous = 0 WHERE had_previous = 1",
    "DELETE FROM judgment_events",
    "DELETE FROM judgment_events WHERE id = (SELECT max(id) FROM judgment_events)",
    "UPDATE weight_events SET weight = 0",
    "DELETE FROM weight_events",
])
def test_the_event_tables_refuse_update_and_delete_from_any_connection(store, db_url, sql):
    ws = open_session(store)
    p, _token = store.join(ws, "Jan Nowak", "wójt", "Gmina Karpiowo")
    g, a, b = PAIRS[0]
    store.record(ws, p, [Answer(g, a, b, 3.0)])
    store.record(ws, p, [Answer(g, a, b, 1 / 5)])
    store.set_weight(p, 2.0)
    table = sql.split()[2] if sql.startswith("DELETE") else sql.split()[1]
    with store.reader.connect() as conn:
        before = {t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY id"))]
                  for t in ("judgment_events", "weight_events")}
    assert len(before["judgment_events"]) == 2 and len(before["weight_events"]) == 1
    # the store's own engine, and a plain one made here: the refusal is the database's, not the store's code
    plain = sqlalchemy.create_engine(database_url(db_url))
    try:
        for engine in (store.writer, plain):
            with pytest.raises(sqlalchemy.exc.DBAPIError, match=f"{table} is append-only"), \
                    engine.begin() as conn:
                conn.execute(text(sql))
        with plain.connect() as conn:
            after = {t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY id"))]
                     for t in before}
    finally:
        plain.dispose()
    assert after == before
    assert [e["value"] for e in store.events(ws)] == [3.0, 1 / 5, 2.0]


# The statements below remove or overwrite stored events without an UPDATE or DELETE trigger firing: SQLite's
# REPLACE deletes the conflicting row without its delete triggers (unless recursive_triggers is on), and
# PostgreSQL's row triggers do not see TRUNCATE (an upsert's UPDATE does fire them). The store has a trigger
# for each: a BEFORE INSERT refusing an existing id on SQLite, a BEFORE TRUNCATE statement trigger on PostgreSQL.
_COLUMNS = "session_id, participant_id, group_id, row_id, column_id"
_REPLACE = (f"REPLACE INTO judgment_events (id, {_COLUMNS}, value, previous, had_previous, at) "
            f"SELECT id, {_COLUMNS}, 7, previous, had_previous, at FROM judgment_events")
_UPSERT = (f"INSERT INTO judgment_events (id, {_COLUMNS}, value, previous, had_previous, at) "
           f"SELECT id, {_COLUMNS}, 7, previous, had_previous, at FROM judgment_events "
           "ON CONFLICT (id) DO UPDATE SET value = 7")


@pytest.mark.parametrize(("db_url", "sql"), [
    pytest.param("sqlite", _REPLACE, id="sqlite-replace"),
    pytest.param("postgresql", "TRUNCATE judgment_events", id="postgresql-truncate"),
    pytest.param("postgresql", "TRUNCATE participants CASCADE", id="postgresql-truncate-cascade"),
    pytest.param("postgresql", _UPSERT, id="postgresql-upsert"),
], indirect=["db_url"])
def test_a_stored_event_cannot_be_overwritten_or_truncated_either(store, sql):
    ws = open_session(store)
    p, _token = store.join(ws, "Jan Nowak", "wójt", "Gmina Karpiowo")
    g, a, b = PAIRS[0]
    store.record(ws, p, [Answer(g, a, b, 3.0)])
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="append-only"), store.writer.begin() as conn:
        conn.execute(text(sql))
    assert [e["value"] for e in store.events(ws)] == [3.0]


# ------------------------------------------------------------------------------------------- previous values

def test_record_keeps_each_value_and_the_one_it_replaced(store):
    ws = open_session(store)
    p, _token = store.join(ws, "Anna Kowalczyk", "doradca", "Partnerstwo")
    (g, a, b), (g2, c, d) = PAIRS[0], PAIRS[7]
    steps = [  # (answers, how many must be stored)
        ([Answer(g, a, b, 3.0)], 1),  # the first answer
        ([Answer(g, a, b, 1 / 5)], 1),  # a revision
        ([Answer(g, a, b, 1 / 5)], 0),  # the same value again: nothing
        ([Answer(g, a, b, None)], 1),  # skipped after all
        ([Answer(g, a, b, None)], 0),  # skipped again: nothing
        ([Answer(g, a, b, 1 / 5), Answer(g2, c, d, None)], 2),  # answered again after the skip; a first skip
        ([Answer(g, a, b, 1 / 5), Answer(g2, c, d, 7.0)], 1),  # one of two changes
    ]
    for answers, stored in steps:
        assert store.record(ws, p, answers) == stored
    assert store.count_events(ws) == 6
    with store.reader.connect() as conn:
        rows = [(r.row_id, r.value, r.previous, r.had_previous, r.value_is_null) for r in conn.execute(text(
            "SELECT row_id, value, previous, had_previous, value IS NULL AS value_is_null "
            "FROM judgment_events ORDER BY id"))]
    assert rows == [
        (a, 3.0, None, 0, False),  # first answer: had_previous 0, no previous value
        (a, 1 / 5, 3.0, 1, False),  # revision: had_previous 1 with the old value
        (a, None, 1 / 5, 1, True),  # a skip is a NULL value
        (a, 1 / 5, None, 1, False),  # replaces a skip: previous NULL but had_previous 1
        (c, None, None, 0, True),  # a first answer that is a skip
        (c, 7.0, None, 1, False),
    ]
    assert store.current(ws) == {p.id: {(g, a, b): 1 / 5, (g2, c, d): 7.0}}
    for events in chains(store, ws).values():
        assert_chained(events)


def test_the_weight_log_keeps_the_previous_weight(store):
    ws = open_session(store)
    p, _token = store.join(ws, "Marta Zielińska", "biuro", "")
    store.set_weight(p, 2.0)
    store.set_weight(p, 2.0)  # unchanged: nothing stored
    store.set_weight(p, 0.0)
    weights = [(e["value"], e["previous"]) for e in store.events(ws) if str(e["event"]).startswith("w")]
    assert weights == [(2.0, 1.0), (0.0, 2.0)]
    assert [m.weight for m in store.members(ws)] == [0.0]


# ----------------------------------------------------------------------------------------------- concurrency

def test_concurrent_submissions_lose_nothing_and_the_previous_values_chain(store):
    """20 threads answer for one participant at the same moment, while 20 others answer for 20 participants.

    The one participant's threads: thread t answers pair j when (t + j) mod 20 < 18, with the answer number
    (t + j) mod 20 of 18 different ones (17 values and a skip); so each pair gets 18 different answers and
    whatever order the transactions commit in, every answer changes the pair: all 324 must be stored, and
    each event must name the value of the one committed before it."""
    ws = open_session(store)
    crowd, _token = store.join(ws, "Jedna osoba, wiele kart", "", "")
    others = [store.join(ws, f"Uczestnik {k}", "sołtys", "Gmina Stawno")[0] for k in range(20)]
    n_threads = 20
    same = [[Answer(*PAIRS[j], VALUES[(t + j) % 20]) for j in range(len(PAIRS)) if (t + j) % 20 < 18]
            for t in range(n_threads)]

    # each other participant: three batches in one thread (first answers, revisions with repeats and skips)
    plans, expected, expected_counts = [], [], []
    for k in range(20):
        rng = random.Random(1000 + k)
        batches, shadow, changes = [], {}, 0
        for _round in range(3):
            batch = []
            for key in rng.sample(PAIRS, k=rng.randint(4, len(PAIRS))):
                value = rng.choice(VALUES) if rng.random() < 0.7 or key not in shadow else shadow[key]
                batch.append(Answer(*key, value))
                if key not in shadow or shadow[key] != value:
                    changes += 1
                shadow[key] = value
            batches.append(batch)
        plans.append(batches)
        expected.append(shadow)
        expected_counts.append(changes)

    barrier = threading.Barrier(2 * n_threads)

    def one_card(t: int) -> int:
        barrier.wait(timeout=60)
        return store.record(ws, crowd, same[t])

    def one_person(k: int) -> int:
        barrier.wait(timeout=60)
        return sum(store.record(ws, others[k], batch) for batch in plans[k])

    with ThreadPoolExecutor(max_workers=2 * n_threads) as pool:
        cards = [pool.submit(one_card, t) for t in range(n_threads)]
        people = [pool.submit(one_person, k) for k in range(20)]
        stored_cards = [f.result(timeout=300) for f in cards]
        stored_people = [f.result(timeout=300) for f in people]

    assert stored_cards == [len(batch) for batch in same]
    assert sum(stored_cards) == 18 * len(PAIRS)
    assert stored_people == expected_counts
    assert store.count_events(ws) == sum(stored_cards) + sum(expected_counts)

    by_pair = chains(store, ws)
    current = store.current(ws)
    ids = {p.public_id: p.id for p in [crowd, *others]}
    for (pid, g, a, b), events in by_pair.items():
        assert_chained(events)
        assert current[ids[pid]][(g, a, b)] == events[-1]["value"]
    for j, key in enumerate(PAIRS):  # the one participant: each pair got exactly the 18 answers sent
        events = by_pair[(crowd.public_id, *key)]
        sent = [VALUES[(t + j) % 20] for t in range(n_threads) if (t + j) % 20 < 18]
        assert sorted(map(repr, (e["value"] for e in events))) == sorted(map(repr, sent))
    for k, p in enumerate(others):
        assert current.get(p.id, {}) == expected[k]


# ----------------------------------------------------------------------------------- the JSON API end to end

def test_the_json_api_end_to_end(db_url):
    """The advisor opens a session through the form, a participant joins, answers, revises and skips through
    the JSON API, and /me gives the engine's weights of what they answered."""
    app = create_app(PACKAGE, db_url, advisor_secret=SECRET)
    store = app.state.store
    try:
        with TestClient(app) as adv, TestClient(app) as phone:
            assert adv.get("/advisor", params={"secret": SECRET}).status_code == 200
            form = {"csrf": adv.cookies["appraise_csrf"], "title": "Stawno",
                    "groups": ["strategy_fit", "funding"]}
            opened = adv.post("/advisor/sessions", data=form, follow_redirects=False)
            assert opened.status_code == 303, opened.text
            code = opened.headers["location"].split("/")[2]
            ws = store.session(code)
            assert ws.groups == ["strategy_fit", "funding"]

            person = {"name": "Tomasz Wrona", "role": "urząd marszałkowski",
                      "jst": "Województwo Dolnośląskie"}
            joined = phone.post(f"/api/s/{code}/join", json=person)
            assert joined.status_code == 200, joined.text
            pid, headers = joined.json()["participant_id"], {"X-Participant-Token": joined.json()["token"]}

            def send(judgments):
                return phone.post(f"/api/s/{code}/judgments", headers=headers,
                                  json={"participant_id": pid, "judgments": judgments})

            # strategy_fit: the sample's second expert matrix, one pair sent the other way round
            expert = PKG.weights["strategy_fit"].pairwise[1]
            matrix = np.array(expert.numeric(), dtype=float)
            fit = next(n for n in NODES if n.id == "strategy_fit")
            ids = fit.ids
            given = expert.matrix  # as written in the package: numbers and "1/2"-like fractions
            def judgment(row, col):
                return {"group": "strategy_fit", "row": row, "column": col, "value": given[ids.index(row)][
                    ids.index(col)]}

            judgments = [judgment(a, b) for a, b in fit.pairs]
            a, b = fit.pairs[1]
            judgments[1] = judgment(b, a)
            assert send(judgments).json() == {"stored": 3}
            # funding: two pairs, the third skipped
            fund = next(n for n in NODES if n.id == "funding")
            (f1, f2), (f3, f4), (f5, f6) = fund.pairs
            sent = send([{"group": "funding", "row": f1, "column": f2, "value": "1/3"},
                         {"group": "funding", "row": f3, "column": f4, "value": 5},
                         {"group": "funding", "row": f5, "column": f6, "value": None}])
            assert sent.json() == {"stored": 3}
            # refused whole, nothing stored: off the scale, and another participant's id
            bad = send([{"group": "funding", "row": f1, "column": f2, "value": 10}])
            assert bad.status_code == 422 and "scale" in bad.json()["error"]
            other = phone.post(f"/api/s/{code}/judgments", headers=headers,
                               json={"participant_id": "0" * 16, "judgments": judgments})
            assert other.status_code == 403
            assert store.count_events(ws) == 6

            me = phone.get(f"/api/s/{code}/me", headers=headers)
            assert me.status_code == 200 and me.json()["participant_id"] == pid
            groups = {g["group"]: g for g in me.json()["groups"]}
            w, lam = ahp.eigenvector_weights(matrix)
            _ci, cr = ahp.consistency(lam, len(ids))
            fit_view = groups["strategy_fit"]
            assert fit_view["status"] == "ok" and fit_view["answered"] == 3 and fit_view["skipped"] == 0
            assert list(fit_view["weights"]) == ids
            assert np.allclose(list(fit_view["weights"].values()), w, atol=1e-12)
            assert math.isclose(fit_view["cr"], float(cr), abs_tol=1e-12)

            partial = np.full((3, 3), np.nan)
            np.fill_diagonal(partial, 1.0)
            partial[0, 1], partial[1, 0], partial[0, 2], partial[2, 0] = 1 / 3, 3, 5, 1 / 5
            hw, _lam = ahp.harker_weights(partial)
            fund_view = groups["funding"]
            assert (fund_view["status"], fund_view["answered"], fund_view["skipped"]) == ("ok", 2, 1)
            assert fund_view["completed"] == [[f5, f6]]
            assert np.allclose(list(fund_view["weights"].values()), hw, atol=1e-12)

            # a revision: stored once with the value it replaces; /me follows it
            four = {"group": "strategy_fit", "row": ids[0], "column": ids[1], "value": 4}
            assert send([four]).json() == {"stored": 1}
            assert send([{**four, "value": "4"}]).json() == {"stored": 0}
            revised = matrix.copy()
            revised[0, 1], revised[1, 0] = 4, 1 / 4
            w2, _lam = ahp.eigenvector_weights(revised)
            me2 = {g["group"]: g for g in phone.get(f"/api/s/{code}/me", headers=headers).json()["groups"]}
            assert np.allclose(list(me2["strategy_fit"]["weights"].values()), w2, atol=1e-12)
            last = store.events(ws)[-1]
            assert (last["row"], last["column"], last["value"], last["previous"], last["had_previous"]) == (
                ids[0], ids[1], 4.0, matrix[0, 1], True)
            assert phone.get(f"/api/s/{code}/me").status_code == 403  # no token: not this participant
    finally:
        store.dispose()
