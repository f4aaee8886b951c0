"""A seeded generator of synthetic package trees for the batch benchmark.

    python benchmarks/make_tree.py OUT --packages 10000 --projects 25 --seed 1
    python benchmarks/make_tree.py OUT --packages 1000 --broken --manifest broken.json

writes ``OUT/<voivodeship>/partnership-NNNNN.json``: N packages of M projects each, scored on the
built-in ``cwd`` criteria set (12 criteria, 3 gates). Every value is valid for its criterion: scale
levels (0–5, synergy 0–3, implementation_risk 1–5) and plausible quantities kept consistent the way
``tools/make_samples.py`` keeps them (``jst_count`` = 1 + partners, ``cost_per_beneficiary`` =
cost / ``population_served`` rounded, ``readiness`` matching the status, funding sources that add
up to the cost). Gates are mostly passed: about 3 % of the projects are single-JST (they fail
``min_two_jst``), about 1 % fail ``eligible_costs`` and 0.5 % ``in_strategy``, and every package
keeps at least two eligible projects.

With ``--broken`` a few packages per thousand (``--broken-rate``, default 0.003; at least one) are
broken on purpose, each in one of these ways (in turn): a score off its scale, a missing score, a
missing gate answer, a score given as a string, a negative quantity, a duplicate project id, fewer
than two projects passing the gates, every eligible project scored alike (TOPSIS undefined: this one
fails at the scoring step, not when the file is read), and a truncated file (invalid JSON). The
other packages are byte-identical to those of the same seed without ``--broken``. ``--manifest``
writes the broken keys and kinds to a JSON file (keep it outside OUT: the batch would take any
``.json`` in the tree for a package).

Speed: the JSON text is built directly (numbers drawn with numpy in chunks of packages, strings
from fixed pools, no pydantic and no ``json.dumps`` per package), in ``--jobs`` processes (default:
the cores); 50,000 packages of 25 projects (1.2 GB) took 23 s on the 2-core benchmark machine.
The same arguments give byte-identical trees, whatever ``--jobs``. Everything is invented.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

# --- fixed pools ----------------------------------------------------------------------------------------------

#: voivodeship → (regional programme 2021-2027, weight ≈ number of gminy)
VOIVODESHIPS = {
    "dolnośląskie": ("Fundusze Europejskie dla Dolnego Śląska 2021-2027", 169),
    "kujawsko-pomorskie": ("Fundusze Europejskie dla Kujaw i Pomorza 2021-2027", 144),
    "lubelskie": ("Fundusze Europejskie dla Lubelskiego 2021-2027", 213),
    "lubuskie": ("Fundusze Europejskie dla Lubuskiego 2021-2027", 82),
    "łódzkie": ("Fundusze Europejskie dla Łódzkiego 2021-2027", 177),
    "małopolskie": ("Fundusze Europejskie dla Małopolski 2021-2027", 182),
    "mazowieckie": ("Fundusze Europejskie dla Mazowsza 2021-2027", 314),
    "opolskie": ("Fundusze Europejskie dla Opolskiego 2021-2027", 71),
    "podkarpackie": ("Fundusze Europejskie dla Podkarpacia 2021-2027", 160),
    "podlaskie": ("Fundusze Europejskie dla Podlaskiego 2021-2027", 118),
    "pomorskie": ("Fundusze Europejskie dla Pomorza 2021-2027", 123),
    "śląskie": ("Fundusze Europejskie dla Śląskiego 2021-2027", 167),
    "świętokrzyskie": ("Fundusze Europejskie dla Świętokrzyskiego 2021-2027", 102),
    "warmińsko-mazurskie": ("Fundusze Europejskie dla Warmii i Mazur 2021-2027", 116),
    "wielkopolskie": ("Fundusze Europejskie dla Wielkopolski 2021-2027", 226),
    "zachodniopomorskie": ("Fundusze Europejskie dla Pomorza Zachodniego 2021-2027", 113),
}
VOIV_NAMES = list(VOIVODESHIPS)
_vw = np.array([w for _, w in VOIVODESHIPS.values()], dtype=float)
VOIV_P = _vw / _vw.sum()

# invented place names: stem + ending (nominative) and the adjective in the genitive for "Ziemi …"
STEMS = ["Dobro", "Sosno", "Krośni", "Wilczo", "Modrze", "Brzezi", "Jabłono", "Lipo", "Olszy", "Dębo",
         "Grabo", "Jaworo", "Kalino", "Leszczy", "Mało", "Nowo", "Staro", "Bielo", "Czarno", "Zielono",
         "Złoto", "Srebro", "Kamieno", "Piasko", "Borowo", "Łęczy", "Mszano", "Rudo", "Wrzoso", "Żuro",
         "Sokoło", "Orło", "Wróblo", "Jelenio", "Turo", "Bobro", "Rako", "Lisio", "Kunio", "Sarnio"]
ENDINGS = [("bór", "borskiej"), ("wice", "wickiej"), ("pole", "polskiej"), ("las", "leskiej"),
           ("górz", "górskiej"), ("wola", "wolskiej"), ("brzeg", "brzeskiej"), ("dół", "dolskiej")]
PLACES = [s + e for s in STEMS for e, _ in ENDINGS]            # 320 distinct names
PLACE_ADJ = [s + a for s in STEMS for _, a in ENDINGS]
RIVERS_GEN = ["Srebrnicy", "Pliszanki", "Ostrówki", "Słonki", "Wierznicy", "Tyśmy", "Tanwicy", "Świdrzycy",
              "Wełnianki", "Baryczki", "Jasiołki", "Mlecznej", "Olszówki", "Bystrzycy", "Czarnej Wody",
              "Łososinki", "Kamionki", "Grabinki", "Wieprzówki", "Dobrzynki"]
JST_KIND = ["Gmina", "Gmina", "Gmina", "Miasto i Gmina", "Gmina Miejska"]
PARTNERSHIP_FORMS = ["Partnerstwo Gmin Ziemi {adj}", "Związek Gmin Doliny {river}",
                     "Partnerstwo na rzecz rozwoju Doliny {river}", "Porozumienie Gmin Pogórza {adj}"]
ADVISORS = ["Ewa Kozłowska", "Anna Wiśniewska", "Piotr Zieliński", "Katarzyna Wójcik", "Tomasz Kamiński",
            "Magdalena Lewandowska", "Michał Szymański", "Agnieszka Dąbrowska", "Krzysztof Woźniak",
            "Joanna Kaczmarek", "Marcin Mazur", "Barbara Krawczyk", "Paweł Piotrowski", "Małgorzata Grabowska",
            "Łukasz Pawłowski", "Monika Michalska", "Grzegorz Nowicki", "Aleksandra Adamczyk"]

# project kinds: title, description, soft (a service, not construction)
KINDS = [
    ("Budowa kanalizacji sanitarnej z przepompowniami", "Sieć kanalizacyjna z przyłączami i przepompowniami, "
     "odprowadzenie ścieków do oczyszczalni partnera.", False),
    ("Modernizacja stacji uzdatniania wody z rurociągiem tranzytowym", "Nowy układ filtracji, zbiornik wody "
     "czystej i rurociąg łączący sieci gmin.", False),
    ("Międzygminna trasa rowerowa", "Trasa rowerowa z miejscami obsługi rowerzystów, łącząca centra gmin i "
     "przystanki kolejowe.", False),
    ("Rewitalizacja centrum i rynku", "Przebudowa rynku i ulic przyległych, zieleń i retencja wody opadowej, "
     "lokale dla organizacji pozarządowych.", False),
    ("Dzienny dom seniora", "Dzienny dom pobytu dla osób starszych z transportem z sołectw i zajęciami "
     "aktywizującymi.", True),
    ("Usługi opiekuńcze w miejscu zamieszkania", "Usługi opiekuńcze i teleopieka, centrum koordynacji w "
     "ośrodku pomocy społecznej lidera.", True),
    ("Wspólny system dowozów szkolnych", "Wspólny przetarg i rozkład dowozów uczniów do szkół partnerstwa.", True),
    ("Szerokopasmowy dostęp do internetu dla szkół i urzędów", "Światłowód do szkół i urzędów, wspólna "
     "sieć szkieletowa partnerstwa.", False),
    ("Strefa aktywności gospodarczej", "Uzbrojenie terenów inwestycyjnych, droga dojazdowa i obsługa "
     "inwestora w jednym punkcie.", False),
    ("Termomodernizacja budynków użyteczności publicznej z OZE", "Docieplenie, wymiana źródeł ciepła na "
     "pompy ciepła i instalacje fotowoltaiczne.", False),
    ("Międzygminne linie autobusowe", "Wspólny organizator transportu, autobusy niskoemisyjne, rozkład "
     "zintegrowany z kursami kolejowymi.", True),
    ("Ochrona przeciwpowodziowa i mała retencja", "Zbiorniki retencyjne, przebudowa rowów i przepustów, "
     "system ostrzegania mieszkańców.", False),
    ("Szlak turystyczny z infrastrukturą", "Oznakowanie szlaku, wiaty, punkty widokowe i wspólna marka "
     "turystyczna.", False),
    ("E-usługi wspólnego centrum usług", "Wspólne centrum usług wspólnych i e-usługi dla mieszkańców "
     "i przedsiębiorców.", True),
    ("Spółdzielnia socjalna i wsparcie ekonomii społecznej", "Spółdzielnia socjalna osób prawnych gmin, "
     "usługi zieleni i sprzątania.", True),
    ("Przebudowa drogi powiatowej", "Przebudowa drogi z chodnikiem i oświetleniem na odcinku łączącym "
     "gminy partnerstwa.", False),
    ("Centrum usług społecznych", "Centrum usług społecznych z ofertą dla rodzin, seniorów i osób "
     "z niepełnosprawnościami.", True),
    ("Modernizacja domu kultury i biblioteki", "Przebudowa domu kultury, pracownie i wspólny program "
     "działań dla mieszkańców.", False),
]
CONSTRUCTION_STATUS = [
    ["pomysł w fiszce projektu"],
    ["koncepcja", "koncepcja programowo-przestrzenna"],
    ["PFU w przygotowaniu", "studium wykonalności w opracowaniu"],
    ["decyzja środowiskowa wydana, projekt budowlany w opracowaniu", "PFU gotowy, decyzja lokalizacyjna wydana"],
    ["złożony wniosek o pozwolenie na budowę", "dokumentacja techniczna gotowa"],
    ["pozwolenie na budowę prawomocne", "gotowy do przetargu na roboty"],
]
SOFT_STATUS = [
    ["pomysł w fiszce projektu"], ["wstępny model usługi"], ["analiza potrzeb w toku"],
    ["analiza potrzeb gotowa, standard usługi w przygotowaniu"], ["opis przedmiotu zamówienia gotowy"],
    ["dokumentacja przetargowa i wniosek o dofinansowanie gotowe"],
]
OWN = "budżet JST (wkład własny)"
NATIONAL_SOURCES = ["FEnIKS 2021-2027", "KPO", "Rządowy Fundusz Polski Ład", "NFOŚiGW",
                    "Rządowy Fundusz Rozwoju Dróg"]
COMMENTS = {
    "strategy_objective": "Wymieniony w strategii terytorialnej partnerstwa; wskaźnik celu określony.",
    "readiness": "Stan przygotowania potwierdzony dokumentami przekazanymi przez lidera.",
    "implementation_risk": "Ryzyko związane z wykupem gruntów i harmonogramem przetargów.",
    "funding_identified": "Typ projektu kwalifikowalny we wskazanym programie; nabór w harmonogramie.",
    "own_contribution": "Wkład własny zabezpieczony w wieloletnich prognozach finansowych partnerów.",
    "synergy": "Uzupełnia inne projekty pakietu na tym samym obszarze.",
    "institutional_capacity": "Lider realizował wcześniej projekty o podobnej skali.",
}
COMMENT_KEYS = list(COMMENTS)
GATE_COMMENTS = {
    "min_two_jst": "Projekt jednej gminy, bez partnerów: nie spełnia kryterium dostępowego.",
    "eligible_costs": "Zakres projektu poza linią demarkacyjną wskazanego programu.",
    "in_strategy": "Projekt nie figuruje w strategii terytorialnej ani w jej projekcie.",
}

#: the 12 leaf criteria of ``cwd`` in the set's order, and its 3 gates
CRITERIA = ["jst_count", "population_served", "partnership_scope", "strategy_objective",
            "territorial_challenges", "synergy", "readiness", "institutional_capacity",
            "implementation_risk", "funding_identified", "own_contribution", "cost_per_beneficiary"]
GATES = ["in_strategy", "min_two_jst", "eligible_costs"]
BROKEN_KINDS = ["off_scale", "missing_score", "missing_gate", "string_score", "negative_quantity",
                "duplicate_id", "too_few_eligible", "all_alike", "truncated"]

Q = {}  # pooled string → its JSON literal


def q(s: str) -> str:
    lit = Q.get(s)
    if lit is None:
        lit = Q[s] = json.dumps(s, ensure_ascii=False)
    return lit


# --- one package ----------------------------------------------------------------------------------------------

_SCORES_FMT = "{" + ", ".join(f'"{k}": %d' for k in CRITERIA) + "}"
_GATES_TXT = {}
for _a in (True, False):
    for _b in (True, False):
        for _c in (True, False):
            _GATES_TXT[(_a, _b, _c)] = "{" + ", ".join(f'"{g}": {"true" if v else "false"}'
                                                      for g, v in zip(GATES, (_a, _b, _c))) + "}"


def _scores_text(sc: dict) -> str:
    if len(sc) == len(CRITERIA) and all(type(v) is int for v in sc.values()):
        return _SCORES_FMT % tuple(sc.values())  # the usual case: every criterion, in order, integers
    return "{" + ", ".join(f'"{k}": {q(v) if isinstance(v, str) else v}' for k, v in sc.items()) + "}"


def _gates_text(gates: dict) -> str:
    if len(gates) == len(GATES):
        return _GATES_TXT[tuple(gates[g] for g in GATES)]
    return "{" + ", ".join(f'"{g}": {"true" if v else "false"}' for g, v in gates.items()) + "}"


def _package_text(i: int, m: int, d: dict, broken: str | None) -> str:
    """The JSON text of package ``i`` from its drawn numbers ``d`` (lists of Python numbers)."""
    voiv = VOIV_NAMES[d["voiv"]]
    programme = VOIVODESHIPS[voiv][0]
    n_mem = d["n_members"]
    start = d["place"]
    members = []
    for j in range(n_mem):
        place = PLACES[(start + 37 * j) % len(PLACES)]
        kind = "Powiat" if j == n_mem - 1 and n_mem >= 6 else JST_KIND[(start + j) % len(JST_KIND)]
        members.append(f"{kind} {place}" if kind != "Powiat" else f"Powiat {PLACE_ADJ[(start + 37 * j) % len(PLACES)][:-3]}i")
    form = PARTNERSHIP_FORMS[d["form"]]
    adj = PLACE_ADJ[start] if "Ziemi" in form else PLACE_ADJ[start][:-2] + "ego"  # Ziemi …skiej, Pogórza …skiego
    name = form.format(adj=adj, river=RIVERS_GEN[d["river"]]) + f" (syntetyczne {i:05d})"
    lines = ["{",
             f'  "partnership": {{"name": {q(name)}, "voivodeship": {q(voiv)}, '
             f'"members": [{", ".join(q(x) for x in members)}]}},',
             f'  "advisor": {q(ADVISORS[d["advisor"]])},',
             f'  "date": "2026-{d["month"]:02d}-{d["day"]:02d}",',
             '  "criteria": "cwd",',
             '  "projects": [']
    projects = []
    for k in range(m):
        pr = d["projects"][k]
        kind_t, kind_d, soft = KINDS[pr["kind"]]
        lead = pr["lead"] % n_mem
        n_part = 0 if pr["single"] else 1 + pr["partners"] % (n_mem - 1)
        partners = [members[(lead + 1 + t) % n_mem] for t in range(n_part)]
        cost, pop = pr["cost"], pr["pop"]
        readiness = pr["readiness"]
        status = (SOFT_STATUS if soft else CONSTRUCTION_STATUS)[readiness]
        status = status[pr["status"] % len(status)]
        # funding: 1-3 sources adding up to the cost
        own = cost if pr["n_src"] == 1 else round(cost * pr["own_share"] / 1e6) * 1000  # 15-40 %
        funding = []
        rest = cost - own
        if pr["n_src"] >= 2:
            main_src = programme if pr["src"] == 0 else NATIONAL_SOURCES[pr["src"] - 1]
            if pr["n_src"] == 3:
                second = NATIONAL_SOURCES[(pr["src"]) % len(NATIONAL_SOURCES)]
                first_amt = round(rest * 0.7 / 1000.0) * 1000
                funding.append((main_src, first_amt))
                funding.append((second, rest - first_amt))
            else:
                funding.append((main_src, rest))
        funding.append((OWN, own))
        gates = {"in_strategy": not pr["fail_strategy"], "min_two_jst": n_part > 0,
                 "eligible_costs": not pr["fail_costs"]}
        scope = 0 if n_part == 0 else min(5, max(1, pr["scope"] + (1 if (n_part + 1) * 2 >= n_mem else 0)))
        sc = {
            "jst_count": n_part + 1, "population_served": pop, "partnership_scope": scope,
            "strategy_objective": pr["so"] if not pr["fail_strategy"] else min(pr["so"], 1),
            "territorial_challenges": pr["tc"], "synergy": pr["syn"], "readiness": readiness,
            "institutional_capacity": pr["cap"], "implementation_risk": pr["risk"],
            "funding_identified": pr["fund"] if not pr["fail_costs"] else min(pr["fund"], 1),
            "own_contribution": pr["oc"], "cost_per_beneficiary": round(cost / pop),
        }
        comments = {}
        if pr["comment"] < len(COMMENT_KEYS):
            ck = COMMENT_KEYS[pr["comment"]]
            comments[ck] = COMMENTS[ck]
        for g in GATES:
            if not gates[g]:
                comments[g] = GATE_COMMENTS[g]
        projects.append({"id": f"P{k + 1:0{2 if m < 100 else 3}d}", "title": f"{kind_t} – {PLACES[(start + 37 * lead) % len(PLACES)]}"
                         + (" i partnerzy" if n_part else ""), "lead": members[lead], "partners": partners,
                         "cost": cost, "status": status, "description": kind_d, "funding": funding,
                         "scores": sc, "gates": gates, "comments": comments})
    # every package keeps at least two eligible projects
    eligible = [p for p in projects if all(p["gates"].values())]
    for p in projects:
        if len(eligible) >= 2:
            break
        if p in eligible:
            continue
        _make_eligible(p, members)
        eligible.append(p)
    if broken is not None:
        _break(projects, broken, d["break_pick"])
    for p in projects:
        funding = ", ".join(f'{{"source": {q(s)}, "amount": {a}}}' for s, a in p["funding"])
        comments = ", ".join(f'"{c}": {q(t)}' for c, t in p["comments"].items())
        projects_line = (
            f'    {{"id": {json.dumps(p["id"])}, "title": {q(p["title"])}, "lead_jst": {q(p["lead"])}, '
            f'"partners": [{", ".join(q(x) for x in p["partners"])}], "cost": {p["cost"]}, '
            f'"status": {q(p["status"])}, "description": {q(p["description"])}, "funding": [{funding}], '
            f'"scores": {_scores_text(p["scores"])}, "gates": {_gates_text(p["gates"])}, "comments": {{{comments}}}}}')
        lines.append(projects_line + ",")
    lines[-1] = lines[-1][:-1]
    lines += ["  ]", "}", ""]
    text = "\n".join(lines)
    if broken == "truncated":
        text = text[: len(text) * 2 // 3]
    return text


def _make_eligible(p: dict, members: list[str]) -> None:
    p["gates"] = {g: True for g in GATES}
    for g in GATES:
        p["comments"].pop(g, None)
    if not p["partners"]:
        p["partners"] = [members[(members.index(p["lead"]) + 1) % len(members)]]
        p["title"] += " i partnerzy"
        p["scores"]["jst_count"] = 2
        p["scores"]["partnership_scope"] = max(1, p["scores"]["partnership_scope"])


def _break(projects: list[dict], kind: str, pick: int) -> None:
    """Break one package on purpose (``kind`` from BROKEN_KINDS)."""
    p = projects[pick % len(projects)]
    if kind == "off_scale":
        p["scores"]["readiness"] = 3.5
    elif kind == "missing_score":
        del p["scores"]["institutional_capacity"]
    elif kind == "missing_gate":
        del p["gates"]["eligible_costs"]
    elif kind == "string_score":
        p["scores"]["synergy"] = str(p["scores"]["synergy"])
    elif kind == "negative_quantity":
        p["scores"]["population_served"] = -abs(p["scores"]["population_served"])
    elif kind == "duplicate_id":
        projects[-1]["id"] = projects[0]["id"]
    elif kind == "too_few_eligible":
        for other in projects[1:]:
            other["gates"]["in_strategy"] = False
            other["comments"]["in_strategy"] = GATE_COMMENTS["in_strategy"]
    elif kind == "all_alike":
        first = projects[0]
        for other in projects[1:]:
            other["scores"] = dict(first["scores"])
    elif kind == "truncated":
        pass  # cut in _package_text
    else:
        raise ValueError(kind)


# --- drawing the numbers, a chunk of packages at a time --------------------------------------------------------

def _draw_chunk(rng: np.random.Generator, first: int, count: int, m: int) -> list[dict]:
    """The random numbers of ``count`` packages of ``m`` projects, as Python values."""
    c, cm = count, count * m
    pk = {
        "voiv": rng.choice(len(VOIV_NAMES), size=c, p=VOIV_P),
        "n_members": rng.integers(3, 10, c),
        "place": rng.integers(0, len(PLACES), c),
        "form": rng.integers(0, len(PARTNERSHIP_FORMS), c),
        "river": rng.integers(0, len(RIVERS_GEN), c),
        "advisor": rng.integers(0, len(ADVISORS), c),
        "month": rng.integers(1, 13, c),
        "day": rng.integers(1, 29, c),
        "break_pick": rng.integers(0, 1 << 30, c),
    }
    pk = {k: v.tolist() for k, v in pk.items()}
    readiness = rng.choice(6, size=cm, p=[0.05, 0.15, 0.25, 0.25, 0.18, 0.12])
    pr = {
        "kind": rng.integers(0, len(KINDS), cm),
        "lead": rng.integers(0, 1 << 30, cm),
        "single": rng.random(cm) < 0.03,
        "partners": rng.integers(0, 1 << 30, cm),
        "cost": (np.round(np.exp(rng.uniform(np.log(3e5), np.log(4e7), cm)) / 1e4) * 1e4).astype(np.int64),
        "pop": np.maximum(50, np.round(np.exp(rng.uniform(np.log(300), np.log(6e4), cm)) / 10) * 10).astype(np.int64),
        "readiness": readiness,
        "status": rng.integers(0, 2, cm),
        "n_src": rng.choice([1, 2, 3], size=cm, p=[0.1, 0.6, 0.3]),
        "own_share": rng.integers(150, 400, cm),
        "src": rng.integers(0, 1 + len(NATIONAL_SOURCES), cm),
        "fail_strategy": rng.random(cm) < 0.005,
        "fail_costs": rng.random(cm) < 0.01,
        "scope": rng.integers(1, 5, cm),
        "so": rng.choice(6, size=cm, p=[0.0, 0.04, 0.16, 0.34, 0.31, 0.15]),
        "tc": np.clip(np.round(rng.normal(2.8, 1.0, cm)), 0, 5).astype(np.int64),
        "syn": rng.choice(4, size=cm, p=[0.12, 0.33, 0.38, 0.17]),
        "cap": np.clip(np.round(rng.normal(3.0, 0.9, cm)), 0, 5).astype(np.int64),
        "risk": np.clip(np.round(rng.normal(3.0 - 0.45 * (readiness - 2.5), 0.7)), 1, 5).astype(np.int64),
        "fund": rng.choice(6, size=cm, p=[0.02, 0.1, 0.28, 0.32, 0.2, 0.08]),
        "oc": rng.choice(6, size=cm, p=[0.03, 0.12, 0.25, 0.25, 0.25, 0.10]),
        "comment": rng.integers(0, 2 * len(COMMENT_KEYS), cm),  # about half the projects get a comment
    }
    cols = {k: v.tolist() for k, v in pr.items()}
    keys = list(cols)
    out = []
    for b in range(c):
        d = {k: v[b] for k, v in pk.items()}
        lo = b * m
        d["projects"] = [dict(zip(keys, vals)) for vals in zip(*(cols[k][lo:lo + m] for k in keys))]
        out.append(d)
    return out


def broken_plan(n: int, seed: int, rate: float) -> dict[int, str]:
    """Which packages are broken, and how: ``max(1, round(n * rate))`` of them, kinds in turn."""
    k = min(n, max(1, round(n * rate)))
    picks = sorted(np.random.default_rng([seed, 1]).choice(n, size=k, replace=False).tolist())
    return {i: BROKEN_KINDS[j % len(BROKEN_KINDS)] for j, i in enumerate(picks)}


CHUNK = 500  # packages per chunk; each chunk has its own seeded stream, so any number of jobs gives the same tree


def _write_chunk(args: tuple) -> tuple[int, list[str], dict[str, str]]:
    """Draw, format and write one chunk of packages; (bytes, voivodeships used, broken key → kind)."""
    out, seed, c, packages, projects, plan, width = args
    first = c * CHUNK
    count = min(CHUNK, packages - first)
    rng = np.random.default_rng([seed, 0, c])
    total, used, broken_keys = 0, set(), {}
    for b, d in enumerate(_draw_chunk(rng, first, count, projects)):
        i = first + b
        kind = plan.get(i)
        voiv = VOIV_NAMES[d["voiv"]]
        key = f"{voiv}/partnership-{i:0{width}d}"
        text = _package_text(i, projects, d, kind).encode("utf-8")
        with open(os.path.join(out, voiv, f"partnership-{i:0{width}d}.json"), "wb") as fh:
            fh.write(text)
        total += len(text)
        used.add(voiv)
        if kind is not None:
            broken_keys[key] = kind
    return total, sorted(used), broken_keys


def make_tree(out: str | Path, packages: int, projects: int = 25, seed: int = 1, broken: bool = False,
              broken_rate: float = 0.003, jobs: int | None = None) -> dict:
    """Write the tree; return what was written: counts, broken keys (key → kind), bytes, seconds.
    ``jobs`` processes (default: the cores) write the chunks; the tree does not depend on it."""
    if projects < 2:
        raise ValueError("a package needs at least two projects")
    if packages < 1:
        raise ValueError("at least one package")
    t0 = time.perf_counter()
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} exists and is not empty")
    for v in VOIV_NAMES:
        (out / v).mkdir(parents=True, exist_ok=True)
    plan = broken_plan(packages, seed, broken_rate) if broken else {}
    width = max(5, len(str(packages - 1)))
    n_chunks = -(-packages // CHUNK)
    tasks = [(str(out), seed, c, packages, projects,
              {i: k for i, k in plan.items() if c * CHUNK <= i < (c + 1) * CHUNK}, width) for c in range(n_chunks)]
    jobs = max(1, min(jobs or os.cpu_count() or 1, n_chunks))
    if jobs == 1:
        results = [_write_chunk(t) for t in tasks]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_write_chunk, tasks))
    total_bytes, broken_keys, used = 0, {}, set()
    for nbytes, vs, bk in results:
        total_bytes += nbytes
        used.update(vs)
        broken_keys.update(bk)
    for v in VOIV_NAMES:  # leave no empty folder (the batch would list it as skipped)
        if v not in used:
            (out / v).rmdir()
    return {"out": str(out), "packages": packages, "projects": projects, "criteria": len(CRITERIA),
            "seed": seed, "broken": dict(sorted(broken_keys.items())), "bytes": total_bytes,
            "seconds": time.perf_counter() - t0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="the tree's root folder (created; must be empty if it exists)")
    ap.add_argument("-n", "--packages", type=int, default=1000, help="number of packages [1000]")
    ap.add_argument("-m", "--projects", type=int, default=25, help="projects per package [25]")
    ap.add_argument("--seed", type=int, default=1, help="random seed [1]")
    ap.add_argument("--broken", action="store_true", help="break a few packages per thousand on purpose")
    ap.add_argument("--broken-rate", type=float, default=0.003, help="share of broken packages [0.003]")
    ap.add_argument("--jobs", type=int, default=None, help="processes writing the tree [cores]")
    ap.add_argument("--manifest", type=Path, default=None,
                    help="write the broken keys and kinds here (outside the tree)")
    args = ap.parse_args(argv)
    info = make_tree(args.out, args.packages, args.projects, args.seed, args.broken, args.broken_rate,
                     args.jobs)
    if args.manifest is not None:
        args.manifest.write_text(json.dumps(info, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    kinds: dict[str, int] = {}
    for k in info["broken"].values():
        kinds[k] = kinds.get(k, 0) + 1
    print(f"{info['packages']} packages × {info['projects']} projects × {info['criteria']} criteria in {info['out']}: "
          f"{info['bytes'] / 1e6:.1f} MB in {info['seconds']:.2f} s; broken: {len(info['broken'])}"
          + (f" ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})" if kinds else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
