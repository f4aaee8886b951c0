"""The workshop in a real browser: an advisor and three participants on phones, then the exports checked by
the command line.

One scenario (a module fixture) is played in headless Chromium against the app served by uvicorn, on the
sample package and a temporary SQLite database:

- the advisor (a desktop window) opens a session for every group and reads its code off the dashboard;
- three participants (phone-sized windows, 390 × 844) join with the code, a name, a role and a JST, and
  answer every pair of every group with the selects, each with judgments of their own; one of them answers
  one group one pair per screen; one gives a cyclic set in a 3 × 3 group (a > b, b > c, c > a), is warned
  (CR above 0.10, the pairs to look at highlighted) and revises the suggested pair until it is consistent;
  one skips a pair and still gets weights (Harker's completion);
- the advisor sets the participants' weights (2, 1, 0,5) on the dashboard.

The tests then check the pages against what the engine's command line says about the exports: the group
weights against ``appraise weights`` on the participants' CSVs, the ranking against ``appraise rank`` on the
exported package (TOML, JSON, XLSX), and that ``sensitivity --sampler panel`` and ``opinions`` accept it.
The assertions use ids, classes, data attributes and numbers, never the words of the UI (whose Polish
catalog changes).

References: Selenium project (2024), *Selenium 4 documentation*, "Waits" (``WebDriverWait``,
``expected_conditions``); Harker, P. T. (1987), "Incomplete pairwise comparisons in the analytic hierarchy
process", *Mathematical Modelling* 9(11), 837–848; Saaty, T. L. (1980), *The Analytic Hierarchy Process*.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import subprocess
import sys
import zipfile
from fractions import Fraction
from pathlib import Path

import pytest
from workshop_support import chrome_drivers, click_to_next_page, live_server, require_module

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "samples" / "pakiet_dolina_baryczy.toml"
SECRET = "sekret-doradcy-test"
DESKTOP = (1280, 900)
WAIT = 15  # seconds an explicit wait may take before the test fails

#: the participants: name, role, JST, their advisor-set weight (as typed, with a Polish decimal comma) and
#: their answers, group → values in the group's pair order (row before column in the criteria tree)
PEOPLE = [
    ("Jan Nowak", "wójt", "Gmina Karpiowo", "2", {
        "cwd": ("2", "2", "4", "1", "2", "2"),
        "partnership_benefit": ("3", "1/3", "3"),  # a cycle: a > b, b > c, c > a (revised below)
        "strategy_fit": ("2", "3", "2"),
        "feasibility": ("1/2", "1", "2"),
        "funding": ("3", "5", "2"),
    }),
    ("Ewa Wiśniewska", "skarbnik", "Gmina Stawno", "1", {
        "cwd": ("2", "1/2", "1", "1/4", "1/2", "2"),
        "partnership_benefit": ("1/3", "1/5", "1/2"),
        "strategy_fit": ("1", "2", "2"),
        "feasibility": ("1/3", "1/2", "2"),  # one pair per screen
        "funding": ("5", "skip", "1/3"),  # a skipped pair: Harker's completion
    }),
    ("Piotr Zając", "LGD", "Powiat rudnicki", "0,5", {
        "cwd": ("1/3", "1", "1", "3", "3", "1"),
        "partnership_benefit": ("5", "7", "2"),
        "strategy_fit": ("1/4", "1/2", "2"),
        "feasibility": ("3", "5", "2"),
        "funding": ("1/2", "1/3", "1/2"),
    }),
]
CYCLE = (0, "partnership_benefit")  # who gives the inconsistent set, in which group
PAIR_PAGES = (1, "feasibility")  # who answers which group one pair per screen
SKIP = (1, "funding")  # who skips a pair (the "skip" in PEOPLE), in which group


def cli(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``appraise ARGS`` in a subprocess, English messages."""
    env = {**os.environ, "APPRAISE_LANG": "en"}
    return subprocess.run([sys.executable, "-m", "appraisal.console.cli", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=timeout, check=False)


def cli_json(*args: str) -> dict:
    done = cli(*args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def fraction(text: str) -> float:
    return float(Fraction(text))


def number_shown(text: str) -> float:
    """A number as the page prints it (Polish ``0,6130`` or English ``0.6130``)."""
    return float(text.strip().replace("\u00a0", "").replace(" ", "").replace(",", "."))


def close(a: float, b: float, rel: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-15)


class Browser:
    """A driver with explicit waits; every page it shows is kept to be searched for a stack trace."""

    def __init__(self, driver, base: str, pages: list[tuple[str, str]]):
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver = driver
        self.base = base
        self.pages = pages
        self.wait = WebDriverWait(driver, WAIT)

    def keep(self) -> None:
        self.pages.append((self.driver.current_url, self.driver.page_source))

    def get(self, path: str) -> None:
        self.driver.get(self.base + path)
        self.keep()

    def css(self, selector: str, within=None):
        from selenium.webdriver.common.by import By

        return (within or self.driver).find_element(By.CSS_SELECTOR, selector)

    def all(self, selector: str, within=None) -> list:
        from selenium.webdriver.common.by import By

        return (within or self.driver).find_elements(By.CSS_SELECTOR, selector)

    def submit(self, button) -> None:
        """Click a submit button and wait until the next page has replaced this one."""
        click_to_next_page(self.driver, button, WAIT)
        self.keep()

    def json_at(self, path: str) -> dict:
        """A JSON endpoint opened in the browser (its cookies sent), parsed."""
        self.driver.get(self.base + path)
        text = self.css("body").text
        self.pages.append((self.driver.current_url, text))
        return json.loads(text)


def choose(b: Browser, select, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(select).select_by_value(value)


def status_of(b: Browser, group: str) -> dict:
    """What a participant's page says about one group: the status box's classes and line, the pairs
    highlighted to revisit, the weights listed."""
    section = b.css(f"section#g-{group}")
    box = b.css(".status", section)
    return {"classes": set(box.get_attribute("class").split()), "line": b.css(".status-line", box).text,
            "revisit": [(p.get_attribute("data-row"), p.get_attribute("data-col"))
                        for p in b.all(".pair.revisit", section)],
            "weights": len(b.all("ul.weights li", box))}


def answer_grid(b: Browser, group: str, values: tuple[str, ...]) -> None:
    form = b.css(f"form.pairs[data-group='{group}']")
    pairs = b.all(".pair", form)
    assert len(pairs) == len(values), group
    for pair, value in zip(pairs, values):
        choose(b, b.css("select", pair), value)
    b.submit(b.css(f"#save-{group}"))


def answer_pair_pages(b: Browser, code: str, group: str, values: tuple[str, ...]) -> list[str]:
    """Answer a group one pair per screen; returns the URLs the pages went through."""
    b.get(f"/s/{code}/p/{group}/pair/0")
    seen = []
    for value in values:
        seen.append(b.driver.current_url)
        b.css(f"form.scale input[name=value][value='{value}']").click()
        b.submit(b.css("form.scale button[type=submit]"))
    return seen


def pair_order(b: Browser, group: str) -> list[tuple[str, str]]:
    form = b.css(f"form.pairs[data-group='{group}']")
    return [(p.get_attribute("data-row"), p.get_attribute("data-col")) for p in b.all(".pair", form)]


def fitting_value(order: list[tuple[str, str]], given: dict[tuple[str, str], Fraction],
                  pair: tuple[str, str]) -> Fraction:
    """The value of ``pair`` that makes a 3 × 3 set consistent with the two other answers:
    a_ij = a_ik · a_kj."""
    (i, j) = pair
    k = next(x for p in order for x in p if x not in pair)

    def a(r: str, c: str) -> Fraction:
        return given[(r, c)] if (r, c) in given else 1 / given[(c, r)]

    return a(i, k) * a(k, j)


def as_choice(v: Fraction) -> str:
    return str(v.numerator) if v.denominator == 1 else f"1/{v.denominator}"


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    """Play the workshop in the browser; return what was seen and where the exports were saved."""
    require_module("uvicorn")
    httpx = require_module("httpx", "test")
    from appraisal.workshop.app import create_app

    tmp = tmp_path_factory.mktemp("workshop")
    app = create_app(PACKAGE, str(tmp / "w.sqlite"), advisor_secret=SECRET)
    pages: list[tuple[str, str]] = []
    seen: dict = {"pages": pages, "tmp": tmp}
    with live_server(app) as base:  # serving until the module's tests are done
        seen["base"] = base
        with chrome_drivers() as make:
            play(seen, base, make, httpx, tmp)
        yield seen


def play(seen: dict, base: str, make, httpx, tmp: Path) -> None:
    """The scenario: what the browsers do, and what they saw (into ``seen``)."""
    pages = seen["pages"]
    # --- the advisor opens a session for every group
    adv = Browser(make(*DESKTOP, mobile=False), base, pages)
    adv.get(f"/advisor?secret={SECRET}")
    boxes = adv.all("#open-session input[type=checkbox][name=groups]")
    seen["offered_groups"] = [x.get_attribute("value") for x in boxes]
    seen["all_checked"] = all(x.is_selected() for x in boxes)
    adv.submit(adv.css("#open-session button[type=submit]"))
    code = adv.css("#session-code").text.strip()
    seen["code"] = code
    seen["dashboard_url"] = adv.driver.current_url

    # --- three participants join on phones
    phones = []
    for name, role, jst, _weight, _answers in PEOPLE:
        p = Browser(make(), base, pages)
        p.get("/")
        for field, text in (("code", code.lower()), ("name", name), ("role", role), ("jst", jst)):
            p.css(f"#{field}").send_keys(text)
        p.submit(p.css("#join"))
        phones.append(p)
    seen["after_join"] = [p.driver.current_url for p in phones]
    seen["viewport"] = phones[0].driver.execute_script("return [window.innerWidth, window.innerHeight]")
    seen["groups_on_page"] = [f.get_attribute("data-group") for f in phones[0].all("form.pairs")]
    seen["order"] = {g: pair_order(phones[0], g) for g in seen["groups_on_page"]}

    # --- they answer, each their own way
    for who, (_name, _role, _jst, _weight, answers) in enumerate(PEOPLE):
        p = phones[who]
        for group, values in answers.items():
            if (who, group) == PAIR_PAGES:
                seen["pair_pages"] = answer_pair_pages(p, code, group, values)
                seen["after_pair_pages"] = p.driver.current_url
                seen["pair_pages_status"] = status_of(p, group)
            else:
                answer_grid(p, group, values)

    # --- the inconsistent set: the warning, the suggestion, the revision
    who, group = CYCLE
    p = phones[who]
    seen["warned"] = status_of(p, group)
    me = p.json_at(f"/api/s/{code}/me")
    view = next(g for g in me["groups"] if g["group"] == group)
    seen["warned_api"] = view
    suggested = (view["revisit"][0]["row"], view["revisit"][0]["column"])
    order = seen["order"][group]
    given = {pair: Fraction(v) for pair, v in zip(order, PEOPLE[who][4][group])}
    revised = as_choice(fitting_value(order, given, suggested))
    seen["revision"] = (suggested, revised)
    p.get(f"/s/{code}/p")
    section = p.css(f"section#g-{group}")
    select = next(x for x in p.all(".pair", section)
                  if (x.get_attribute("data-row"), x.get_attribute("data-col")) == suggested)
    choose(p, p.css("select", select), revised)
    # the page's script asks the server (nothing stored) and clears the warning before saving
    p.wait.until(lambda d: "inconsistent" not in p.css(f"section#g-{group} .status").get_attribute("class"))
    seen["live_after_revision"] = status_of(p, group)
    p.submit(p.css(f"#save-{group}"))
    seen["saved_after_revision"] = status_of(p, group)
    seen["api_after_revision"] = next(g for g in p.json_at(f"/api/s/{code}/me")["groups"]
                                      if g["group"] == group)
    phones[SKIP[0]].get(f"/s/{code}/p")
    seen["skip_status"] = status_of(phones[SKIP[0]], SKIP[1])

    # --- the advisor's dashboard: updated by its script without a reload, then the weights set
    adv.wait.until(lambda d: len(adv.all("tr[data-participant]")) == len(PEOPLE))
    seen["live_rows"] = len(adv.all("tr[data-participant]"))
    adv.get(f"/s/{code}/dashboard")
    rows = adv.all("tr[data-participant]")
    ids = [r.get_attribute("data-participant") for r in rows]
    seen["participant_ids"] = ids
    for pid, person in zip(ids, PEOPLE):
        box = adv.css(f"input.weight[name='weight:{pid}']")
        box.clear()
        box.send_keys(person[3])
    adv.submit(adv.css("#save-weights"))
    adv.get(f"/s/{code}/dashboard")
    seen["weights_after"] = [adv.css(f"input.weight[name='weight:{pid}']").get_attribute("value")
                             for pid in ids]
    seen["group_weights"] = {
        g: {td.get_attribute("data-item"): float(td.get_attribute("data-weight"))
            for td in adv.all(f"section#panel-{g} td.group-weight")}
        for g in seen["groups_on_page"]}
    seen["ranking_table"] = [(tr.get_attribute("data-project"), number_shown(adv.all("td", tr)[2].text),
                              int(adv.all("td", tr)[0].text))
                             for tr in adv.all("#ranking tr[data-project]")]
    seen["dashboard_json"] = adv.json_at(f"/s/{code}/dashboard.json")

    # --- the exports, downloaded as a script would (the secret as a query parameter)
    files = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        for name in ("participants.zip", "package.toml", "package.json", "package.xlsx"):
            r = client.get(f"/s/{code}/export/{name}", params={"secret": SECRET})
            assert r.status_code == 200, (name, r.status_code, r.text[:300])
            target = tmp / name
            target.write_bytes(r.content)
            files[name] = target
        seen["no_secret_status"] = client.get(f"/s/{code}/export/package.toml").status_code
    seen["files"] = files


# ------------------------------------------------------------------------------------------------ pages

def test_the_advisor_opens_a_session_for_every_group(workshop):
    assert workshop["all_checked"]
    assert workshop["offered_groups"] == ["cwd", "partnership_benefit", "strategy_fit", "feasibility", "funding"]
    assert workshop["groups_on_page"] == workshop["offered_groups"]
    assert re.fullmatch(r"[A-Z2-9]{6}", workshop["code"])
    assert workshop["dashboard_url"].endswith(f"/s/{workshop['code']}/dashboard")
    assert workshop["dashboard_json"]["code"] == workshop["code"]


def test_participants_join_on_a_phone_sized_window(workshop):
    assert workshop["viewport"] == [390, 844]
    for url in workshop["after_join"]:  # the code typed in lower case still finds the session
        assert url.endswith(f"/s/{workshop['code']}/p")
    people = workshop["dashboard_json"]["participants"]
    assert [(x["name"], x["role"], x["jst"]) for x in people] == [p[:3] for p in PEOPLE]
    total = sum(len(v) for v in PEOPLE[0][4].values())
    assert all(x["answered"] == x["pairs"] == total for x in people)


def test_one_pair_per_screen_walks_through_the_group(workshop):
    code = workshop["code"]
    group = PAIR_PAGES[1]
    assert [u.split(workshop["base"])[1] for u in workshop["pair_pages"]] == [
        f"/s/{code}/p/{group}/pair/{k}" for k in range(len(PEOPLE[PAIR_PAGES[0]][4][group]))]
    assert workshop["after_pair_pages"].endswith(f"/s/{code}/p#g-{group}")
    status = workshop["pair_pages_status"]
    assert "ok" in status["classes"] and status["weights"] == 3


def test_an_inconsistent_set_is_flagged_and_the_revision_clears_it(workshop):
    warned = workshop["warned"]
    assert {"ok", "inconsistent"} <= warned["classes"]
    assert re.search(r"0[.,]10\b", warned["line"]), warned["line"]
    assert warned["revisit"], "no pair is highlighted to revisit"
    api = workshop["warned_api"]
    assert api["cr"] > 0.10 and api["consistent"] is False
    suggested, revised = workshop["revision"]
    assert suggested in warned["revisit"]  # the suggested pair is among the highlighted ones
    labels = (api["revisit"][0]["row_label"], api["revisit"][0]["column_label"])
    assert all(label in warned["line"] for label in labels), warned["line"]
    for when in ("live_after_revision", "saved_after_revision"):
        after = workshop[when]
        assert "ok" in after["classes"] and "inconsistent" not in after["classes"], (when, after)
        assert after["revisit"] == [], when
        assert not re.search(r"0[.,]10\b", after["line"]), after["line"]
    fixed = workshop["api_after_revision"]
    assert fixed["consistent"] is True and fixed["cr"] <= 0.10 and fixed["revisit"] == []
    assert revised != PEOPLE[CYCLE[0]][4][CYCLE[1]][workshop["order"][CYCLE[1]].index(suggested)]


def test_a_skipped_pair_still_gives_weights(workshop):
    status = workshop["skip_status"]
    assert "ok" in status["classes"] and status["weights"] == 3
    who, group = SKIP
    assert "skip" in PEOPLE[who][4][group]
    pid = workshop["participant_ids"][who]
    g = next(x for x in workshop["dashboard_json"]["groups"] if x["group"] == group)
    mine = next(x for x in g["participants"] if x["participant_id"] == pid)
    assert mine["status"] == "ok" and len(mine["weights"]) == 3
    assert pid in g["counted"]


def test_no_page_shows_a_stack_trace(workshop):
    assert len(workshop["pages"]) > 20
    for url, source in workshop["pages"]:
        assert "Traceback" not in source, url
        assert 'id="error-message"' not in source, url


def test_a_wrong_code_shows_the_error_page(workshop, chrome_driver_factory):
    base, code = workshop["base"], workshop["code"]
    wrong = "ZZZZZ9" if code != "ZZZZZ9" else "ZZZZZ8"
    b = Browser(chrome_driver_factory(), base, [])
    b.get("/")
    b.css("#code").send_keys(wrong)
    b.css("#name").send_keys("Ktoś")
    b.submit(b.css("#join"))
    assert wrong in b.css("#error-message").text
    assert b.all("#join")  # the form is there again to correct the code
    b.get(f"/s/{wrong}/p")
    assert b.all("section.error") and wrong in b.css("#error-message").text
    b.get(f"/s/{code}/dashboard")  # without the advisor's secret
    assert b.all("section.error #error-message")
    for _url, source in b.pages:
        assert "Traceback" not in source
    assert workshop["no_secret_status"] == 403


# -------------------------------------------------------------------------------------- against the CLI

def _participants(workshop) -> tuple[Path, list[dict]]:
    out = workshop["tmp"] / "participants"
    if not out.exists():
        with zipfile.ZipFile(workshop["files"]["participants.zip"]) as zf:
            zf.extractall(out)
    with open(out / "participants.csv", encoding="utf-8-sig", newline="") as fh:
        return out, list(csv.DictReader(fh))


def test_the_advisor_weights_are_saved(workshop):
    assert [number_shown(x) for x in workshop["weights_after"]] == [2.0, 1.0, 0.5]
    assert [x["weight"] for x in workshop["dashboard_json"]["participants"]] == [2.0, 1.0, 0.5]


def test_the_exported_csvs_hold_what_was_chosen_in_the_browser(workshop):
    folder, rows = _participants(workshop)
    revised_pair, revised = workshop["revision"]
    for row in rows:
        who = int(row["nr"]) - 1
        group = row["group"]
        assert row["participant_id"] == workshop["participant_ids"][who]
        assert row["status"] == "ok" and row["file"]
        values = PEOPLE[who][4][group]
        skipped = sum(v == "skip" for v in values)
        assert (int(row["answered"]), int(row["skipped"]), int(row["completed_by_harker"])) == (
            len(values) - skipped, skipped, skipped)
        with open(folder / row["file"], encoding="utf-8", newline="") as fh:
            table = list(csv.reader(fh))
        ids = table[0][1:]
        for (r, c), value in zip(workshop["order"][group], values):
            cell = table[1 + ids.index(r)][1 + ids.index(c)]
            if (who, group) == CYCLE and (r, c) == revised_pair:
                value = revised
            if value == "skip":
                assert cell and cell not in ("1", "")  # Harker's value, not a blank
            else:
                assert close(fraction(cell), fraction(value)), (row["name"], group, r, c, cell, value)


def test_each_participants_weights_equal_appraise_weights_on_their_csv(workshop):
    folder, rows = _participants(workshop)
    assert len(rows) == len(PEOPLE) * len(workshop["groups_on_page"])
    for row in rows:
        result = cli_json("weights", str(folder / row["file"]))
        assert result["weights"], row["file"]
        for item, w in result["weights"].items():
            assert close(float(row[f"w:{item}"]), w), (row["file"], item)
        assert close(float(row["cr"]), result["cr"]) or abs(float(row["cr"]) - result["cr"]) < 1e-12


def test_the_dashboards_group_weights_equal_appraise_weights_on_the_csvs(workshop):
    folder, rows = _participants(workshop)
    by_json = {g["group"]: g for g in workshop["dashboard_json"]["groups"]}
    for group, shown in workshop["group_weights"].items():
        mine = sorted((r for r in rows if r["group"] == group), key=lambda r: int(r["nr"]))
        assert len(mine) == len(PEOPLE)
        weights = ",".join(r["weight"] for r in mine)
        assert [float(r["weight"]) for r in mine] == [2.0, 1.0, 0.5]
        result = cli_json("weights", "--expert-weights", weights, *[str(folder / r["file"]) for r in mine])
        assert set(shown) == set(result["weights"]) and len(shown) >= 3, group
        for item, w in result["weights"].items():
            assert close(shown[item], w), (group, item, shown[item], w)
            assert close(by_json[group]["weights"][item], w), (group, item)
        assert close(by_json[group]["cr"], result["cr"]) or abs(by_json[group]["cr"] - result["cr"]) < 1e-12


@pytest.mark.parametrize("fmt", ["toml", "json", "xlsx"])
def test_the_exported_package_ranks_as_the_dashboard(workshop, fmt):
    result = cli_json("rank", str(workshop["files"][f"package.{fmt}"]))
    ranked = [(r["id"], r["score"], r["rank"]) for r in result["results"]]
    table = workshop["ranking_table"]
    assert len(ranked) == len(table) >= 3
    assert [r[0] for r in ranked] == [t[0] for t in table]
    assert [r[2] for r in ranked] == [t[2] for t in table]
    for (pid, score, _rank), (_pid, shown, _r) in zip(ranked, table):
        assert abs(score - shown) <= 0.5e-4 + 1e-12, (pid, score, shown)  # the table prints 4 decimals
    board = workshop["dashboard_json"]["ranking"]
    assert [b["id"] for b in board] == [r[0] for r in ranked]
    for b, (pid, score, rank) in zip(board, ranked):
        assert close(b["score"], score) and b["rank"] == rank, pid


def test_the_export_feeds_sensitivity_and_opinions(workshop):
    package = workshop["files"]["package.toml"]
    done = cli("sensitivity", str(package), "--sampler", "panel", "--samples", "200", "--seed", "1", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["sampler"] == "panel" and report["samples"] == 200
    out = workshop["tmp"] / "opinie"
    done = cli("opinions", str(workshop["files"]["package.json"]), "-o", str(out), "--format", "md",
               "--sampler", "panel", "--samples", "200", "--json")
    assert done.returncode == 0, done.stderr
    opinions = json.loads(done.stdout)["opinions"]
    ranked = sorted((o for o in opinions if o["rank"] is not None), key=lambda o: o["rank"])
    assert [(o["project"], o["rank"]) for o in ranked] == [(t[0], t[2]) for t in workshop["ranking_table"]]
    assert len(opinions) > len(ranked)  # the project failing a gate (one JST) gets an opinion too
    assert all(Path(f).is_file() for o in opinions for f in o["files"])


def test_the_exported_package_lists_the_panel(workshop):
    import tomllib

    doc = tomllib.loads(workshop["files"]["package.toml"].read_text(encoding="utf-8"))
    names = [p[0] for p in PEOPLE]
    for group in workshop["groups_on_page"]:
        panel = doc["weights"][group]["pairwise"]
        assert [e["weight"] for e in panel] == [2.0, 1.0, 0.5], group
        assert all(any(e["expert"].startswith(n) for e in panel) for n in names), group
    as_json = json.loads(workshop["files"]["package.json"].read_text(encoding="utf-8"))
    assert as_json["weights"].keys() == doc["weights"].keys()
    assert io.BytesIO(workshop["files"]["package.xlsx"].read_bytes()).read(2) == b"PK"
