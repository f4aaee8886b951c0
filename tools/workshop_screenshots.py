"""Screenshots of the workshop web app for the README: a participant's page, one pair per screen, the dashboard.

    python tools/workshop_screenshots.py            # writes docs/img/workshop_*.png
    python tools/workshop_screenshots.py --out DIR  # elsewhere

What it does (nothing in the repository is touched but the three pictures):

1. serves the workshop for ``samples/pakiet_dolina_baryczy.toml`` with uvicorn on a free loopback port, a
   temporary SQLite database, a fixed advisor secret, a fixed session code (``BARYCZ``) and a fixed link
   (``http://192.168.1.10:8000``, as ``appraise workshop serve --host 0.0.0.0`` would print on a hall's
   network), so the code, the link and the QR code are the same on every run;
2. in headless Chromium (Polish, the default language) the advisor opens a session for every group; one
   participant, on a phone-sized window (390 px wide), joins and answers every pair with the selects, the
   first group with a cyclic, inconsistent set (the warning and the pairs to revisit show) and one pair
   skipped (completed by Harker's method); five more participants answer through the JSON API with judgments drawn
   from a fixed seed; the advisor gives one of them the weight 2;
3. writes, with fixed names (a re-run replaces the same files):

   - ``workshop_participant.png``: the top of the participant's page, two phone screens (390 × 1688 px):
     the first group, with the warning;
   - ``workshop_pair.png``: one pair per screen (a pair already answered), 390 px wide;
   - ``workshop_dashboard.png``: the advisor's dashboard, the whole page, 1280 px wide.

A whole page is photographed by making the emulated viewport as tall as the document
(``Emulation.setDeviceMetricsOverride``, Chrome DevTools Protocol). Needs the workshop extra, selenium, and
Debian's chromium and chromium-driver (the test helpers in ``tests/workshop_support.py`` start them). The
pictures depend on the fonts installed; their names do not.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the helpers that start Chromium and the live server

os.environ["APPRAISE_LANG"] = "pl"  # the product's default language, whatever the caller's environment says

from workshop_support import click_to_next_page, live_server, make_chrome_driver

PACKAGE = ROOT / "samples" / "pakiet_dolina_baryczy.toml"
DEFAULT_OUT = ROOT / "docs" / "img"
SECRET = "zrzuty-ekranu"
CODE = "BARYCZ"  # letters of the session-code alphabet (no O, I, L)
LINK_BASE = "http://192.168.1.10:8000"
SEED = 20261015
PHONE = (390, 844)
DESKTOP = (1280, 900)
SAATY = [9, 8, 7, 6, 5, 4, 3, 2, 1, 1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 6, 1 / 7, 1 / 8, 1 / 9]

#: the participant photographed: answers per group in the pair order of the criteria tree
PHOTOGRAPHED = ("Anna Kowalczyk", "sekretarz gminy", "Gmina Karpiowo", {
    # the first group on the page: a cycle (benefit > strategy > feasibility > benefit), so the warning and
    # the pairs to revisit show, and one pair skipped, so Harker's completion is mentioned
    "cwd": ("3", "1/3", "5", "3", "skip", "2"),
    "partnership_benefit": ("1/2", "1", "2"),
    "strategy_fit": ("2", "3", "2"),
    "feasibility": ("1/2", "1", "2"),
    "funding": ("3", "5", "2"),
})
#: the others (answers drawn from SEED around priorities of their own)
OTHERS = [
    ("Tomasz Wrona", "burmistrz", "Miasto i Gmina Rudnica nad Baryczą"),
    ("Marta Zielińska", "biuro partnerstwa", ""),
    ("Krzysztof Lis", "wójt", "Gmina Stawno"),
    ("Barbara Sowa", "skarbnik powiatu", "Powiat rudnicki"),
    ("Jerzy Kaczmarek", "LGD", "Gmina Sułowice"),
]
#: whom the advisor weighs 2 (the others keep 1)
HEAVY = "Tomasz Wrona"


def nearest_saaty(x: float) -> str:
    v = min(SAATY, key=lambda s: abs(math.log(s) - math.log(x)))
    return str(round(v)) if v >= 1 else f"1/{round(1 / v)}"


def drawn_answers(rng: random.Random, groups: dict[str, list[str]]) -> list[dict]:
    """One participant's judgments: priorities of their own (log-normal around equal), each ratio with a
    little noise, rounded to Saaty's scale."""
    out = []
    for group, ids in groups.items():
        w = {i: math.exp(rng.gauss(0, 0.6)) for i in ids}
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                ratio = w[ids[a]] / w[ids[b]] * math.exp(rng.gauss(0, 0.25))
                out.append({"group": group, "row": ids[a], "column": ids[b], "value": nearest_saaty(ratio)})
    return out


def full_page(driver, path: Path, width: int, mobile: bool, at_most: int | None = None) -> None:
    """A PNG of the whole page (or of its first ``at_most`` pixels): the emulated viewport made as tall as
    the document."""
    height = driver.execute_script(
        "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)")
    height = min(height, at_most or height)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": int(height), "deviceScaleFactor": 1, "mobile": mobile})
    driver.execute_script("window.scrollTo(0, 0)")
    path.write_bytes(driver.get_screenshot_as_png())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the PNGs (default docs/img)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    import httpx
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from appraisal.criteria import i18n
    from appraisal.workshop import store as store_module
    from appraisal.workshop.app import create_app

    i18n.set_language(None)
    store_module._new_code = lambda taken: CODE  # a fixed code: the same link and QR code on every run

    def submit(driver, button) -> None:
        click_to_next_page(driver, button)

    with tempfile.TemporaryDirectory(prefix="appraise-shots-") as tmp:
        app = create_app(PACKAGE, str(Path(tmp) / "warsztat.sqlite"), advisor_secret=SECRET, base_url=LINK_BASE)
        drivers = []
        try:
            with live_server(app) as base:
                advisor = make_chrome_driver(*DESKTOP, mobile=False)
                drivers.append(advisor)
                advisor.get(f"{base}/advisor?secret={SECRET}")
                submit(advisor, advisor.find_element(By.CSS_SELECTOR, "#open-session button[type=submit]"))
                code = advisor.find_element(By.ID, "session-code").text.strip()
                assert code == CODE, code

                # the photographed participant, on a phone
                phone = make_chrome_driver(*PHONE)
                drivers.append(phone)
                phone.get(f"{base}/j/{code}")
                name, role, jst, answers = PHOTOGRAPHED
                for field, text in (("name", name), ("role", role), ("jst", jst)):
                    phone.find_element(By.ID, field).send_keys(text)
                submit(phone, phone.find_element(By.ID, "join"))
                groups = {}
                for form in phone.find_elements(By.CSS_SELECTOR, "form.pairs"):
                    group = form.get_attribute("data-group")
                    pairs = form.find_elements(By.CSS_SELECTOR, ".pair")
                    groups[group] = []
                    for pair in pairs:
                        for item in (pair.get_attribute("data-row"), pair.get_attribute("data-col")):
                            if item not in groups[group]:
                                groups[group].append(item)
                for group, values in answers.items():
                    form = phone.find_element(By.CSS_SELECTOR, f"form.pairs[data-group='{group}']")
                    for pair, value in zip(form.find_elements(By.CSS_SELECTOR, ".pair select"), values):
                        Select(pair).select_by_value(value)
                    submit(phone, phone.find_element(By.ID, f"save-{group}"))

                # the others, through the JSON API
                rng = random.Random(SEED)
                with httpx.Client(base_url=base, timeout=30) as client:
                    for who, what, where in OTHERS:
                        joined = client.post(f"/api/s/{code}/join", json={"name": who, "role": what, "jst": where})
                        joined.raise_for_status()
                        me = joined.json()
                        sent = client.post(f"/api/s/{code}/judgments",
                                           headers={"X-Participant-Token": me["token"]},
                                           json={"participant_id": me["participant_id"],
                                                 "judgments": drawn_answers(rng, groups)})
                        sent.raise_for_status()

                # the advisor weighs one participant 2
                advisor.get(f"{base}/s/{code}/dashboard")
                for row in advisor.find_elements(By.CSS_SELECTOR, "tr[data-participant]"):
                    if row.find_element(By.CSS_SELECTOR, "td").text.startswith(HEAVY):
                        box = row.find_element(By.CSS_SELECTOR, "input.weight")
                        box.clear()
                        box.send_keys("2")
                submit(advisor, advisor.find_element(By.ID, "save-weights"))

                # the pictures
                phone.get(f"{base}/s/{code}/p")
                full_page(phone, args.out / "workshop_participant.png", PHONE[0], True, at_most=2 * PHONE[1])
                phone.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                      {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": True})
                phone.get(f"{base}/s/{code}/p/strategy_fit/pair/1")
                full_page(phone, args.out / "workshop_pair.png", PHONE[0], True)
                advisor.get(f"{base}/s/{code}/dashboard")
                full_page(advisor, args.out / "workshop_dashboard.png", DESKTOP[0], False)
        finally:
            for driver in drivers:
                driver.quit()
            app.state.store.dispose()
    for name in ("workshop_participant.png", "workshop_pair.png", "workshop_dashboard.png"):
        print(args.out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
