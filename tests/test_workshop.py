"""The workshop web app over HTTP (Starlette's TestClient): joining, answering, the advisor's pages, exports,
security and bad input. The browser tests (tests/test_workshop_browser.py) drive the same pages in Chromium."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("starlette")
pytest.importorskip("sqlalchemy")

from starlette.testclient import TestClient

from appraisal import ahp, consensus
from appraisal.io.formats import load_package
from appraisal.workshop.analysis import SCALE, judged_nodes
from appraisal.workshop.app import create_app

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "samples" / "pakiet_dolina_baryczy.toml"
SECRET = "advisor-secret-for-tests"
GROUPS = ["cwd", "partnership_benefit", "strategy_fit", "feasibility", "funding"]


@pytest.fixture
def app(tmp_path):
    app = create_app(PACKAGE, str(tmp_path / "w.sqlite"), advisor_secret=SECRET)
    yield app
    app.state.store.dispose()


@pytest.fixture
def ws(app):
    return app.state.store.open_session("Warsztat", "sha256:test", GROUPS)


def nodes(app, ws):
    return judged_nodes(app.state.package, ws.groups)


def join(app, ws, name="Jan Nowak", role="wójt", jst="Gmina Karpiowo"):
    client = TestClient(app)
    r = client.post(f"/api/s/{ws.code}/join", json={"name": name, "role": role, "jst": jst})
    assert r.status_code == 200, r.text
    body = r.json()
    return client, body["participant_id"], {"X-Participant-Token": body["token"]}


def send(client, ws, pid, headers, judgments):
    return client.post(f"/api/s/{ws.code}/judgments", json={"participant_id": pid, "judgments": judgments},
                       headers=headers)


def all_pairs(app, ws, rng, skip=()):
    out = []
    for n in nodes(app, ws):
        for row, col in n.pairs:
            value = None if (n.id, row, col) in skip else float(rng.choice(SCALE))
            out.append({"group": n.id, "row": row, "column": col, "value": value})
    return out


def advisor(app):
    client = TestClient(app)
    assert client.get(f"/advisor?secret={SECRET}").status_code == 200
    return client


# --- answering -------------------------------------------------------------------------------------------------

def test_answers_are_stored_and_give_the_participants_weights(app, ws):
    client, pid, h = join(app, ws)
    js = [{"group": "strategy_fit", "row": "strategy_objective", "column": "territorial_challenges", "value": 2},
          {"group": "strategy_fit", "row": "strategy_objective", "column": "synergy", "value": "4"},
          {"group": "strategy_fit", "row": "territorial_challenges", "column": "synergy", "value": 2}]
    r = send(client, ws, pid, h, js)
    assert r.json() == {"stored": 3}
    me = client.get(f"/api/s/{ws.code}/me", headers=h).json()
    g = next(g for g in me["groups"] if g["group"] == "strategy_fit")
    # a consistent 1:2:4 matrix: weights 4/7, 2/7, 1/7 and CR 0
    assert g["status"] == "ok"
    assert np.allclose([g["weights"][k] for k in ("strategy_objective", "territorial_challenges", "synergy")],
                       [4 / 7, 2 / 7, 1 / 7], atol=1e-12)
    assert g["cr"] == pytest.approx(0, abs=1e-12)


def test_a_pair_given_the_other_way_round_is_turned(app, ws):
    client, pid, h = join(app, ws)
    send(client, ws, pid, h, [{"group": "strategy_fit", "row": "synergy", "column": "strategy_objective",
                               "value": "1/5"}])
    current = app.state.store.current(ws)
    person = app.state.store.participant(ws, pid)
    assert current[person.id] == {("strategy_fit", "strategy_objective", "synergy"): 5.0}


def test_a_skipped_pair_is_completed_by_harkers_method(app, ws):
    client, pid, h = join(app, ws)
    # 1 > 2 by 3 and 2 > 3 by 3; 1 – 3 skipped: Harker's completion of a spanning tree is consistent, 9
    send(client, ws, pid, h, [
        {"group": "strategy_fit", "row": "strategy_objective", "column": "territorial_challenges", "value": 3},
        {"group": "strategy_fit", "row": "territorial_challenges", "column": "synergy", "value": 3},
        {"group": "strategy_fit", "row": "strategy_objective", "column": "synergy", "value": None}])
    g = next(g for g in client.get(f"/api/s/{ws.code}/me", headers=h).json()["groups"] if g["group"] == "strategy_fit")
    assert g["skipped"] == 1 and g["completed"] == [["strategy_objective", "synergy"]]
    assert np.allclose(list(g["weights"].values()), np.array([9, 3, 1]) / 13, atol=1e-12)


def test_too_few_answers_leave_the_group_in_progress(app, ws):
    client, pid, h = join(app, ws)
    send(client, ws, pid, h, [{"group": "cwd", "row": "partnership_benefit", "column": "strategy_fit", "value": 3}])
    g = next(g for g in client.get(f"/api/s/{ws.code}/me", headers=h).json()["groups"] if g["group"] == "cwd")
    assert g["status"] == "incomplete" and g["weights"] == {} and g["cr"] is None


def test_an_inconsistent_set_names_the_judgment_to_revisit_and_revising_fixes_it(app, ws):
    client, pid, h = join(app, ws)
    group = "strategy_fit"
    bad = [{"group": group, "row": "strategy_objective", "column": "territorial_challenges", "value": 5},
           {"group": group, "row": "territorial_challenges", "column": "synergy", "value": 5},
           {"group": group, "row": "strategy_objective", "column": "synergy", "value": "1/5"}]
    send(client, ws, pid, h, bad)
    g = next(g for g in client.get(f"/api/s/{ws.code}/me", headers=h).json()["groups"] if g["group"] == group)
    assert g["cr"] > 0.1 and g["consistent"] is False and g["revisit"]
    first = g["revisit"][0]
    # the engine's diagnostics of the same matrix name the same judgment
    a = np.array([[1, 5, 1 / 5], [1 / 5, 1, 5], [5, 1 / 5, 1]])
    w, _lam = ahp.eigenvector_weights(a)
    d = ahp.diagnose(a, w, ["strategy_objective", "territorial_challenges", "synergy"])[0]
    assert (first["row"], first["column"]) == (d.row, d.column)
    fix = {"group": group, "row": first["row"], "column": first["column"], "value": first["suggested"]}
    assert send(client, ws, pid, h, [fix]).json() == {"stored": 1}
    g2 = next(g for g in client.get(f"/api/s/{ws.code}/me", headers=h).json()["groups"] if g["group"] == group)
    assert g2["cr"] == pytest.approx(first["cr_if_changed"], rel=1e-9)
    assert g2["cr"] < g["cr"]


# --- bad input: refused with a clear message, nothing stored ------------------------------------------------------

@pytest.mark.parametrize(("value", "words"), [
    (0, "0"), (10, "10"), ("dużo", "dużo"), (2.5, "2.5"), (-3, "-3"), ("1/0", "1/0"), (True, "true"),
])
def test_a_judgment_off_the_scale_is_refused_and_nothing_is_stored(app, ws, value, words):
    client, pid, h = join(app, ws)
    good = {"group": "cwd", "row": "partnership_benefit", "column": "strategy_fit", "value": 3}
    bad = {"group": "cwd", "row": "partnership_benefit", "column": "feasibility", "value": value}
    r = send(client, ws, pid, h, [good, bad])
    assert r.status_code == 422
    message = r.json()["error"]
    assert "judgments.1.value" in message and words in message.lower()
    assert "Traceback" not in r.text
    assert app.state.store.count_events(ws) == 0


@pytest.mark.parametrize(("judgment", "words"), [
    ({"group": "cwd", "row": "partnership_benefit", "column": "jst_count", "value": 3}, "'jst_count'"),
    ({"group": "nowhere", "row": "a", "column": "b", "value": 3}, "'nowhere'"),
    ({"group": "cwd", "row": "funding", "column": "funding", "value": 3}, "'funding' twice"),
    ({"group": "cwd", "row": "funding", "value": 3}, "column"),
])
def test_a_pair_that_does_not_exist_is_refused(app, ws, judgment, words):
    client, pid, h = join(app, ws)
    r = send(client, ws, pid, h, [judgment])
    assert r.status_code == 422 and words in r.json()["error"]
    assert app.state.store.count_events(ws) == 0


def test_a_pair_given_twice_in_one_batch_is_refused(app, ws):
    client, pid, h = join(app, ws)
    r = send(client, ws, pid, h, [
        {"group": "cwd", "row": "funding", "column": "feasibility", "value": 3},
        {"group": "cwd", "row": "feasibility", "column": "funding", "value": 3}])
    assert r.status_code == 422 and "twice" in r.json()["error"]
    assert app.state.store.count_events(ws) == 0


def test_another_participants_id_is_refused(app, ws):
    client_a, pid_a, h_a = join(app, ws, "Anna")
    _client_b, pid_b, _h_b = join(app, ws, "Bartek")
    r = send(client_a, ws, pid_b, h_a, [{"group": "cwd", "row": "funding", "column": "feasibility", "value": 3}])
    assert r.status_code == 403 and "your own answers" in r.json()["error"]
    r = send(client_a, ws, pid_a, {"X-Participant-Token": "forged"},
             [{"group": "cwd", "row": "funding", "column": "feasibility", "value": 3}])
    assert r.status_code == 403
    assert app.state.store.count_events(ws) == 0


def test_a_wrong_session_code_is_refused(app, ws):
    client, pid, h = join(app, ws)
    r = client.post("/api/s/ZZZZZZ/judgments", json={"participant_id": pid, "judgments": []}, headers=h)
    assert r.status_code == 404 and "ZZZZZZ" in r.json()["error"]
    r = client.post("/api/s/ZZZZZZ/join", json={"name": "X"})
    assert r.status_code == 404


def test_a_body_that_is_not_json_or_has_unknown_fields_is_refused(app, ws):
    client, pid, h = join(app, ws)
    r = client.post(f"/api/s/{ws.code}/judgments", content=b"{not json", headers={**h, "content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]
    r = send(client, ws, pid, h, [{"group": "cwd", "row": "funding", "column": "feasibility", "value": 3, "x": 1}])
    assert r.status_code == 422 and "x" in r.json()["error"]
    r = client.post(f"/api/s/{ws.code}/join", json={"name": "   "})
    assert r.status_code == 422 and "name" in r.json()["error"]
    assert app.state.store.count_events(ws) == 0


# --- the HTML forms --------------------------------------------------------------------------------------------

def browser_join(app, ws, name="Ola"):
    client = TestClient(app)
    client.get("/")
    csrf = client.cookies.get("appraise_csrf")
    r = client.post("/join", data={"csrf": csrf, "code": ws.code.lower(), "name": name, "role": "sołtys", "jst": ""})
    assert r.status_code == 200 and r.url.path == f"/s/{ws.code}/p"
    pid = re.search(r'name="participant_id" value="([^"]+)"', r.text).group(1)
    return client, csrf, pid, r.text


def test_the_participant_page_has_a_select_for_every_pair_with_the_whole_scale(app, ws):
    _client, _csrf, _pid, page = browser_join(app, ws)
    for n in nodes(app, ws):
        for row, col in n.pairs:
            select = re.search(rf'<select name="pair:{row}:{col}"[^>]*>(.*?)</select>', page, re.DOTALL)
            assert select, (n.id, row, col)
            values = re.findall(r'<option value="([^"]*)"', select.group(1))
            assert values == ["", "9", "8", "7", "6", "5", "4", "3", "2", "1", "1/2", "1/3", "1/4", "1/5", "1/6",
                              "1/7", "1/8", "1/9", "skip"]


def test_a_form_saves_and_the_page_shows_the_answers(app, ws):
    client, csrf, pid, _page = browser_join(app, ws)
    r = client.post(f"/s/{ws.code}/p/strategy_fit", data={
        "csrf": csrf, "participant_id": pid, "pair:strategy_objective:territorial_challenges": "3",
        "pair:strategy_objective:synergy": "skip", "pair:territorial_challenges:synergy": "1/2"})
    assert r.status_code == 200
    assert re.search(r'<option value="3" selected>', r.text)
    assert re.search(r'<option value="skip" selected>', r.text)
    assert re.search(r'<option value="1/2" selected>', r.text)
    assert app.state.store.count_events(ws) == 3


def test_one_pair_per_screen_goes_to_the_next_pair(app, ws):
    client, csrf, pid, _page = browser_join(app, ws)
    r = client.get(f"/s/{ws.code}/p/strategy_fit/pair/0")
    assert r.status_code == 200 and len(re.findall(r'type="radio" name="value"', r.text)) == 18
    r = client.post(f"/s/{ws.code}/p/strategy_fit/pair/0", data={"csrf": csrf, "participant_id": pid, "value": "5"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("/pair/1")
    r = client.post(f"/s/{ws.code}/p/strategy_fit/pair/2", data={"csrf": csrf, "participant_id": pid, "value": "1/3"},
                    follow_redirects=False)
    assert r.headers["location"].endswith("/p#g-strategy_fit")
    assert client.get(f"/s/{ws.code}/p/strategy_fit/pair/3").status_code == 404


def test_a_form_without_its_csrf_token_stores_nothing(app, ws):
    client, _csrf, pid, _page = browser_join(app, ws)
    for token in ("", "forged"):
        r = client.post(f"/s/{ws.code}/p/strategy_fit", data={
            "csrf": token, "participant_id": pid, "pair:strategy_objective:synergy": "3"})
        assert r.status_code == 403 and "Traceback" not in r.text
    assert app.state.store.count_events(ws) == 0


def test_a_tampered_form_value_is_refused_with_the_pair_named(app, ws):
    client, csrf, pid, _page = browser_join(app, ws)
    r = client.post(f"/s/{ws.code}/p/strategy_fit", data={
        "csrf": csrf, "participant_id": pid, "pair:strategy_objective:territorial_challenges": "3",
        "pair:strategy_objective:synergy": "10"})
    assert r.status_code == 422
    message = re.search(r'id="error-message">([^<]*)<', r.text).group(1)
    assert "10" in message and "–" in message
    assert app.state.store.count_events(ws) == 0


def test_a_form_posted_for_another_participant_is_refused(app, ws):
    client, csrf, _pid, _page = browser_join(app, ws, "Ola")
    _c2, _csrf2, pid2, _p2 = browser_join(app, ws, "Piotr")
    r = client.post(f"/s/{ws.code}/p/strategy_fit", data={
        "csrf": csrf, "participant_id": pid2, "pair:strategy_objective:synergy": "3"})
    assert r.status_code == 403
    assert app.state.store.count_events(ws) == 0


def test_the_participant_page_needs_to_have_joined(app, ws):
    client = TestClient(app)
    r = client.get(f"/s/{ws.code}/p", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/j/{ws.code}"
    r = client.post("/join", data={"csrf": "x", "code": ws.code, "name": "A"})
    assert r.status_code == 403


def test_joining_with_a_wrong_code_says_so(app, ws):
    client = TestClient(app)
    client.get("/")
    r = client.post("/join", data={"csrf": client.cookies.get("appraise_csrf"), "code": "QQQQQQ", "name": "A"})
    assert r.status_code == 404 and "QQQQQQ" in r.text


def test_the_live_preview_stores_nothing(app, ws):
    client, _csrf, _pid, _page = browser_join(app, ws)
    r = client.post(f"/s/{ws.code}/preview", json={"group": "strategy_fit", "judgments": [
        {"row": "strategy_objective", "column": "territorial_challenges", "value": "2"},
        {"row": "strategy_objective", "column": "synergy", "value": "4"},
        {"row": "territorial_challenges", "column": "synergy", "value": "2"}]})
    assert r.status_code == 200 and r.json()["cr"] == pytest.approx(0, abs=1e-12)
    assert app.state.store.count_events(ws) == 0


# --- the advisor -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/s/{code}/dashboard", "/s/{code}/dashboard.json", "/s/{code}/audit",
                                  "/s/{code}/export/package.toml", "/s/{code}/export/participants.zip",
                                  "/s/{code}/export/audit.csv"])
def test_the_advisors_pages_need_the_secret(app, ws, path):
    client = TestClient(app)
    url = path.format(code=ws.code)
    assert client.get(url).status_code == 403
    assert client.get(url + "?secret=wrong").status_code == 403
    assert client.get(url + f"?secret={SECRET}").status_code in (200, 409)


def test_opening_a_session_through_the_advisors_form(app):
    client = advisor(app)
    csrf = client.cookies.get("appraise_csrf")
    r = client.post("/advisor/sessions", data={"csrf": csrf, "title": "Warsztat w Karpiowie",
                                               "groups": ["strategy_fit", "funding"]}, follow_redirects=False)
    assert r.status_code == 303
    code = r.headers["location"].split("/")[2]
    ws = app.state.store.session(code)
    assert ws.groups == ["strategy_fit", "funding"] and ws.title == "Warsztat w Karpiowie"
    page = client.get(r.headers["location"]).text
    assert code in page and "<svg" in page and f"/j/{code}" in page
    r = client.post("/advisor/sessions", data={"csrf": csrf, "groups": ["jst_count"]})
    assert r.status_code == 422
    r = client.post("/advisor/sessions", data={"csrf": csrf})
    assert r.status_code == 422


def panel_of_three(app, ws, seed=7):
    rng = np.random.default_rng(seed)
    people = []
    for k, name in enumerate(["Anna", "Bartek", "Celina"]):
        client, pid, h = join(app, ws, name)
        skip = {("cwd", "partnership_benefit", "funding")} if k == 0 else set()
        assert send(client, ws, pid, h, all_pairs(app, ws, rng, skip)).status_code == 200
        people.append((client, pid, h))
    return people


def test_the_dashboard_shows_the_engines_panel_and_consensus(app, ws):
    panel_of_three(app, ws)
    client = advisor(app)
    members = app.state.store.members(ws)
    client.post(f"/s/{ws.code}/weights", data={"csrf": client.cookies.get("appraise_csrf"),
                                               f"weight:{members[0].public_id}": "2",
                                               f"weight:{members[2].public_id}": "0,5"})
    d = client.get(f"/s/{ws.code}/dashboard.json").json()
    assert [p["weight"] for p in d["participants"]] == [2.0, 1.0, 0.5]
    for g in d["groups"]:
        ids = g["items"]
        mine = [p for p in g["participants"] if p["status"] == "ok"]
        assert len(mine) == 3
        # the participants' weights are the eigenvectors of their completed matrices: rebuild the AIJ from them
        per = np.array([[p["weights"][i] for i in ids] for p in mine])
        group = np.array([g["weights"][i] for i in ids])
        assert group.sum() == pytest.approx(1)
        assert g["consensus"] == pytest.approx(float(consensus.consensus(per)), rel=1e-12)
        sim = np.array(g["similarity"])
        assert np.allclose(sim, consensus.similarity_matrix(per)) and np.allclose(np.diag(sim), 1)
    page = client.get(f"/s/{ws.code}/dashboard").text
    assert page.count('class="num group-weight"') == sum(len(g["items"]) for g in d["groups"])


def test_a_participant_weighed_zero_is_left_out(app, ws):
    panel_of_three(app, ws)
    client = advisor(app)
    members = app.state.store.members(ws)
    before = client.get(f"/s/{ws.code}/dashboard.json").json()
    client.post(f"/s/{ws.code}/weights", data={"csrf": client.cookies.get("appraise_csrf"),
                                               f"weight:{members[1].public_id}": "0"})
    after = client.get(f"/s/{ws.code}/dashboard.json").json()
    assert all(members[1].public_id not in g["counted"] for g in after["groups"])
    assert after["groups"][0]["weights"] != before["groups"][0]["weights"]
    r = client.post(f"/s/{ws.code}/weights", data={"csrf": client.cookies.get("appraise_csrf"),
                                                   f"weight:{members[1].public_id}": "-1"})
    assert r.status_code == 422
    r = client.post(f"/s/{ws.code}/weights", data={"csrf": client.cookies.get("appraise_csrf"),
                                                   "weight:nobody": "1"})
    assert r.status_code == 422


def test_the_export_is_the_panel_the_engine_reads(app, ws, tmp_path):
    panel_of_three(app, ws)
    client = advisor(app)
    members = app.state.store.members(ws)
    client.post(f"/s/{ws.code}/weights", data={"csrf": client.cookies.get("appraise_csrf"),
                                               f"weight:{members[0].public_id}": "3"})
    d = client.get(f"/s/{ws.code}/dashboard.json").json()
    for fmt in ("toml", "json", "xlsx"):
        r = client.get(f"/s/{ws.code}/export/package.{fmt}")
        assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
        path = tmp_path / f"export.{fmt}"
        path.write_bytes(r.content)
        pkg = load_package(path)
        for g in d["groups"]:
            weighting = next(x for x in pkg.criteria_set.iter_groups() if x.id == g["group"])
            assert [j.expert for j in weighting.pairwise] == [p["expert"] for p in d["participants"]]
            assert [j.weight for j in weighting.pairwise] == [3.0, 1.0, 1.0]
        ranking = pkg.rank()
        assert [(r.id, r.rank) for r in ranking.results] == [(r["id"], r["rank"]) for r in d["ranking"]]
        assert np.allclose([r.score for r in ranking.results], [r["score"] for r in d["ranking"]], rtol=1e-12)


def test_the_participants_csvs_give_the_dashboards_weights_with_appraise_weights(app, ws, tmp_path):
    panel_of_three(app, ws)
    client = advisor(app)
    d = client.get(f"/s/{ws.code}/dashboard.json").json()
    zipfile.ZipFile(io.BytesIO(client.get(f"/s/{ws.code}/export/participants.zip").content)).extractall(tmp_path)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "participants.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 3 * len(d["groups"])
    g = d["groups"][0]
    files = sorted((tmp_path / g["group"]).glob("*.csv"))
    assert len(files) == 3
    out = subprocess.run([sys.executable, "-m", "appraisal.console.cli", "weights", "--json", *map(str, files)],
                         capture_output=True, text=True, env={"APPRAISE_LANG": "en", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["weights"] == pytest.approx(g["weights"], rel=1e-9)
    for expert, p in zip(result["experts"], g["participants"]):
        assert expert["weights"] == pytest.approx(p["weights"], rel=1e-9)


def test_the_audit_trail_keeps_every_value_and_what_it_replaced(app, ws):
    client, pid, h = join(app, ws)
    pair = {"group": "cwd", "row": "funding", "column": "feasibility"}
    assert send(client, ws, pid, h, [{**pair, "value": 3}]).json() == {"stored": 1}
    assert send(client, ws, pid, h, [{**pair, "value": 3}]).json() == {"stored": 0}  # the same again: no change
    assert send(client, ws, pid, h, [{**pair, "value": "1/2"}]).json() == {"stored": 1}
    assert send(client, ws, pid, h, [{**pair, "value": None}]).json() == {"stored": 1}
    events = app.state.store.events(ws)
    # stored in the group's order (feasibility before funding), so the values are turned
    assert [(e["value"], e["previous"], e["had_previous"]) for e in events] == [
        (1 / 3, None, False), (2.0, 1 / 3, True), (None, 2.0, True)]
    adv = advisor(app)
    text = adv.get(f"/s/{ws.code}/export/audit.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["value"] for r in rows] == [repr(1 / 3), "2.0", ""]
    assert all(r["at"].endswith("+00:00") for r in rows)
    assert adv.get(f"/s/{ws.code}/audit").status_code == 200


def test_the_database_refuses_to_change_or_delete_a_stored_judgment(app, ws):
    from sqlalchemy import text
    client, pid, h = join(app, ws)
    send(client, ws, pid, h, [{"group": "cwd", "row": "funding", "column": "feasibility", "value": 3}])
    for sql in ("UPDATE judgment_events SET value = 9", "DELETE FROM judgment_events"):
        with pytest.raises(Exception, match="append-only"), app.state.store.writer.begin() as conn:
            conn.execute(text(sql))
    assert app.state.store.count_events(ws) == 1


def test_a_name_that_looks_like_a_formula_is_not_one_in_the_audit_csv(app, ws):
    client, pid, h = join(app, ws, name="=HYPERLINK(\"http://x\")")
    send(client, ws, pid, h, [{"group": "cwd", "row": "funding", "column": "feasibility", "value": 3}])
    text = advisor(app).get(f"/s/{ws.code}/export/audit.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_an_export_before_anyone_finished_says_so(app, ws):
    r = advisor(app).get(f"/s/{ws.code}/export/package.toml")
    assert r.status_code == 409 and "nobody" in r.text


# --- errors never show a stack trace -----------------------------------------------------------------------------

def test_an_unexpected_error_shows_a_short_page_not_a_traceback(app, ws, monkeypatch, caplog):
    client, _pid, h = join(app, ws)

    def broken(*_a, **_k):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(app.state.store, "current", broken)  # the dashboard's read
    monkeypatch.setattr(app.state.store, "own", broken)  # a participant's read
    client = TestClient(app, raise_server_exceptions=False)
    for url in (f"/api/s/{ws.code}/me", f"/s/{ws.code}/dashboard?secret={SECRET}"):
        r = client.get(url, headers=h)
        assert r.status_code == 500
        assert "Traceback" not in r.text and "database on fire" not in r.text and "RuntimeError" not in r.text
    assert "database on fire" in caplog.text  # the advisor's log has it


def test_an_unknown_page_is_a_404_page(app):
    r = TestClient(app).get("/nothing/here")
    assert r.status_code == 404 and "Traceback" not in r.text


# --- language --------------------------------------------------------------------------------------------------

def test_the_pages_are_polish_by_default_and_english_on_request(app, monkeypatch):
    monkeypatch.delenv("APPRAISE_LANG")
    client = TestClient(app)
    assert "Dołącz" in client.get("/").text
    assert "Join the workshop" in client.get("/?lang=en").text
    assert "Join the workshop" in client.get("/").text  # the choice is remembered (a cookie)


# --- the command line ------------------------------------------------------------------------------------------

def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "appraisal.console.cli", *args], capture_output=True, text=True,
                          env={"APPRAISE_LANG": "en", "PATH": "/usr/bin:/bin", **(env or {})}, timeout=60)


def test_workshop_serve_refuses_a_missing_package_and_a_bad_database(tmp_path):
    r = run_cli("workshop", "serve", str(tmp_path / "none.toml"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = run_cli("workshop", "serve", str(PACKAGE), "--db", "postgresql://nobody@127.0.0.1:1/none", "--port", "1")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "database" in r.stderr


def test_the_json_api_takes_the_token_from_its_header_only_and_json_only(app, ws):
    """A cross-site form can send the participant's cookie and a text/plain body, but not the header or JSON."""
    client, _csrf, pid, _page = browser_join(app, ws)
    body = {"participant_id": pid, "judgments": [{"group": "cwd", "row": "funding", "column": "feasibility",
                                                  "value": 3}]}
    r = client.post(f"/api/s/{ws.code}/judgments", json=body)  # the cookie alone
    assert r.status_code == 403 and "X-Participant-Token" in r.json()["error"]
    r = client.post(f"/api/s/{ws.code}/judgments", content=json.dumps(body).encode(),
                    headers={"content-type": "text/plain"})
    assert r.status_code == 415
    assert app.state.store.count_events(ws) == 0


def test_a_hall_of_participants_gets_the_spread_and_the_clusters_not_a_matrix_per_pair(app, ws):
    from appraisal.workshop.analysis import FULL_TABLES
    rng = np.random.default_rng(3)
    for k in range(FULL_TABLES + 1):
        client, pid, h = join(app, ws, f"Uczestnik {k}")
        assert send(client, ws, pid, h, all_pairs(app, ws, rng)).status_code == 200
    client = advisor(app)
    d = client.get(f"/s/{ws.code}/dashboard.json").json()
    assert all("similarity" not in g and "consensus" in g for g in d["groups"])
    full = client.get(f"/s/{ws.code}/dashboard.json?full=1").json()
    assert all(np.array(g["similarity"]).shape == (FULL_TABLES + 1,) * 2 for g in full["groups"])
    page = client.get(f"/s/{ws.code}/dashboard").text
    assert 'class="grid similarity"' not in page
    # per item: the smallest, median and largest participant's weight around the panel's
    g = full["groups"][0]
    per = np.array([[p["weights"][i] for i in g["items"]] for p in g["participants"]])
    row = re.search(r'data-item="{}" data-weight="[^"]+"><b>[^<]+</b></td>\s*((?:<td class="num">[^<]+</td>)+)'.format(
        g["items"][0]), page).group(1)
    assert len(re.findall("<td", row)) == 3
    assert per[:, 0].min() <= g["weights"][g["items"][0]] <= per[:, 0].max()


@pytest.mark.parametrize(("typed", "stored"), [(0.333, 1 / 3), ("0,33", 1 / 3), ("1/3", 1 / 3), (0.5, 0.5),
                                               ("9", 9.0), (0.111, 1 / 9)])
def test_a_rounded_fraction_is_the_scale_value_it_stands_for(app, ws, typed, stored):
    client, pid, h = join(app, ws)
    assert send(client, ws, pid, h, [{"group": "cwd", "row": "funding", "column": "feasibility",
                                      "value": typed}]).status_code == 200
    # stored in the group's order (feasibility before funding): the reciprocal, exactly
    assert app.state.store.events(ws)[0]["value"] == pytest.approx(1 / stored, rel=1e-15)
