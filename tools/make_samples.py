#!/usr/bin/env python3
"""Generate the fictional sample packages in ``samples/pakiety/<voivodeship>/<slug>.json``.

38 partnerships of local governments (JST) in 15 voivodeships, each with a package of 4–15
candidate key projects scored on the built-in ``cwd`` criteria set (a few on the sample selection
card ``samples/karta_oceny.toml``), with gate answers, advisor comments, funding plans and, in
about ten packages, the package's own weighting (direct weights or a panel of experts' AHP
pairwise matrices). Every partnership, JST, person and project is invented.

The output is deterministic: the same seed gives byte-identical files. Only the standard library
is used (``--check`` also loads and ranks every file with ``appraisal``).

    python tools/make_samples.py            # (re)write samples/pakiety/
    python tools/make_samples.py --check    # ... then load and rank every package
    python tools/make_samples.py --out DIR  # write somewhere else
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import math
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

SEED = "appraise-pakiety-2026-v1"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "samples" / "pakiety"
CARD_REF = "../../karta_oceny.toml"  # relative to a package file in samples/pakiety/<voivodeship>/

# --------------------------------------------------------------------------------------------
# voivodeships: regional programme 2021-2027, genitive adjective (Urząd Marszałkowski
# Województwa …), the letter of powiat road numbers
VOIVODESHIPS = {
    "dolnośląskie": ("Fundusze Europejskie dla Dolnego Śląska 2021-2027", "Dolnośląskiego", "D"),
    "kujawsko-pomorskie": ("Fundusze Europejskie dla Kujaw i Pomorza 2021-2027", "Kujawsko-Pomorskiego", "C"),
    "lubelskie": ("Fundusze Europejskie dla Lubelskiego 2021-2027", "Lubelskiego", "L"),
    "lubuskie": ("Fundusze Europejskie dla Lubuskiego 2021-2027", "Lubuskiego", "F"),
    "łódzkie": ("Fundusze Europejskie dla Łódzkiego 2021-2027", "Łódzkiego", "E"),
    "małopolskie": ("Fundusze Europejskie dla Małopolski 2021-2027", "Małopolskiego", "K"),
    "mazowieckie": ("Fundusze Europejskie dla Mazowsza 2021-2027", "Mazowieckiego", "W"),
    "podkarpackie": ("Fundusze Europejskie dla Podkarpacia 2021-2027", "Podkarpackiego", "R"),
    "podlaskie": ("Fundusze Europejskie dla Podlaskiego 2021-2027", "Podlaskiego", "B"),
    "pomorskie": ("Fundusze Europejskie dla Pomorza 2021-2027", "Pomorskiego", "G"),
    "śląskie": ("Fundusze Europejskie dla Śląskiego 2021-2027", "Śląskiego", "S"),
    "świętokrzyskie": ("Fundusze Europejskie dla Świętokrzyskiego 2021-2027", "Świętokrzyskiego", "T"),
    "warmińsko-mazurskie": ("Fundusze Europejskie dla Warmii i Mazur 2021-2027", "Warmińsko-Mazurskiego", "N"),
    "wielkopolskie": ("Fundusze Europejskie dla Wielkopolski 2021-2027", "Wielkopolskiego", "P"),
    "zachodniopomorskie": ("Fundusze Europejskie dla Pomorza Zachodniego 2021-2027", "Zachodniopomorskiego", "Z"),
}

OWN = "budżet JST (wkład własny)"
SOURCES = {
    "FENIKS": "FEnIKS 2021-2027",
    "KPO": "KPO",
    "PL": "Rządowy Fundusz Polski Ład",
    "RFRD": "Rządowy Fundusz Rozwoju Dróg",
    "NFOS": "NFOŚiGW",
    "OWN": OWN,
}


# --------------------------------------------------------------------------------------------
# the partnerships (all invented). Members: "G" gmina, "MiG" miasto i gmina, "M" miasto (urban
# gmina), "P" powiat (adjective). river: (nominative, genitive). n: number of projects.
# weights: the package's own weighting (see WEIGHTINGS); card: scored on the selection card.
@dataclass
class Spec:
    voiv: str
    name: str
    members: list[str]
    river: tuple[str, str]
    n: int
    marg: bool = False   # part of the area threatened with permanent marginalisation
    cap: int = 3         # typical institutional capacity (0–5)
    iit: bool = False    # an integrated territorial instrument (IIT) with an allocation
    weights: str | None = None
    card: bool = False


PARTNERSHIPS = [
    Spec("dolnośląskie", "Partnerstwo Gmin Ziemi Złotoborskiej",
         ["MiG Złotobór", "G Wrzosowice", "G Jodłowa Przesieka", "G Stare Olszyny", "G Kalinowo Śląskie",
          "P złotoborski"], ("Złotna", "Złotnej"), 9, iit=True, weights="panel_feasibility"),
    Spec("dolnośląskie", "Porozumienie Gmin Pogórza Jaworzyckiego",
         ["MiG Jaworzyce", "G Sośnianka", "G Bukowa Przełęcz", "G Modrzewie Sudeckie"],
         ("Jaworzyca", "Jaworzycy"), 6, cap=2),
    Spec("dolnośląskie", "Partnerstwo na rzecz rozwoju Doliny Srebrnicy",
         ["M Srebrnik", "G Srebrnik", "G Kruszyniec", "G Olszowa Łąka", "G Pstrągowo", "P srebrnicki"],
         ("Srebrnica", "Srebrnicy"), 9, cap=4, iit=True),
    Spec("kujawsko-pomorskie", "Partnerstwo Gmin Ziemi Gniewoborskiej",
         ["MiG Gniewobór", "G Złotnica Kujawska", "G Parchanie Wielkie", "G Solankowo", "G Chabrowo"],
         ("Gniewna", "Gniewnej"), 8),
    Spec("kujawsko-pomorskie", "Związek Gmin Doliny Wierznicy",
         ["G Wierznica", "G Borowy Młyn", "MiG Kamionka Pomorska", "G Torfowo", "G Żurawiniec"],
         ("Wierznica", "Wierznicy"), 7, cap=4),
    Spec("kujawsko-pomorskie", "Partnerstwo Gmin Ziemi Wrzosławskiej",
         ["MiG Wrzosław", "G Kępnica", "G Olszanka Dobrzyńska", "G Łęgowo Kujawskie", "G Bursztynowo",
          "G Rokicie", "G Przydroże", "P wrzosławski"], ("Wrzośnica", "Wrzośnicy"), 11, iit=True,
         weights="direct_funding"),
    Spec("lubelskie", "Partnerstwo Gmin Ziemi Tarnoborskiej",
         ["MiG Tarnobór", "G Wola Żurawska", "G Kosmatka", "G Podlipie Nadbużne", "G Siedliska Tarnoborskie"],
         ("Tarnówka", "Tarnówki"), 7, marg=True, weights="panel_root_mild"),
    Spec("lubelskie", "Związek Gmin Doliny Tyśmy",
         ["G Tyśmianka", "G Łukowica Lubelska", "G Bystrzanów", "G Olesin Mały", "G Rudka Kozielska"],
         ("Tyśma", "Tyśmy"), 6, marg=True),
    Spec("lubelskie", "Porozumienie Gmin Polesia Łękawickiego",
         ["MiG Jeziernik", "G Łękawica Poleska", "G Turzyniec", "G Bagnówka", "G Czarnołęka", "P jeziernicki"],
         ("Łękawka", "Łękawki"), 8, marg=True, card=True),
    Spec("lubuskie", "Partnerstwo Gmin Ziemi Dobroborskiej",
         ["MiG Dobrobór", "G Sosnowe Pole", "G Krośnik Odrzański", "G Wilcza Struga", "G Modrzyca Lubuska"],
         ("Dobrzanka", "Dobrzanki"), 9),
    Spec("lubuskie", "Partnerstwo na rzecz rozwoju Doliny Pliszanki",
         ["MiG Pliszno", "G Sarnowo Lubuskie", "G Dąbrówka Leśna", "G Kruczy Gaj"],
         ("Pliszanka", "Pliszanki"), 4, cap=2),
    Spec("łódzkie", "Partnerstwo Gmin Ziemi Grabnickiej",
         ["MiG Grabnik", "G Zielęcin", "G Kępa Łódzka", "G Różanna", "G Kaczorowice", "P grabnicki"],
         ("Grabnica", "Grabnicy"), 8),
    Spec("łódzkie", "Związek Gmin Doliny Wolicy",
         ["MiG Wolica Grodzka", "G Borki Nadwolickie", "G Szczawin Mały", "G Topolnica", "P wolicki"],
         ("Wolica", "Wolicy"), 7, cap=4),
    Spec("małopolskie", "Porozumienie Gmin Pogórza Strzeleckiego",
         ["MiG Strzelec Górny", "G Jodłówka Pogórska", "G Przysietnica Mała", "G Bukowina Pogórska",
          "G Kamionna Dolna"], ("Strzelnica", "Strzelnicy"), 9),
    Spec("małopolskie", "Partnerstwo na rzecz rozwoju Doliny Słonki",
         ["MiG Słonne", "G Podsłonne", "G Zarębki Górne", "G Lipowiec Sądecki", "G Łazy Beskidzkie",
          "G Kotelnica", "P słoński"], ("Słonka", "Słonki"), 10, cap=4, weights="direct_root_strategy"),
    Spec("małopolskie", "Związek Gmin Ziemi Kośnickiej",
         ["MiG Kośnica", "G Gaik Małopolski", "G Strumiany", "G Krzemienica Wiślana", "G Wrzosówka"],
         ("Kośnianka", "Kośnianki"), 7),
    Spec("mazowieckie", "Partnerstwo Gmin Ziemi Bialińskiej",
         ["MiG Bialin Mazowiecki", "G Kruszewo Kościelne", "G Stara Łomna", "G Wola Rudzka",
          "G Zalesie Mazowieckie", "G Gręblin", "G Orzechowo Szlacheckie", "P bialiński"],
         ("Bialinka", "Bialinki"), 12, weights="panel_strategy"),
    Spec("mazowieckie", "Związek Gmin Doliny Świdrzycy",
         ["MiG Kamionek Mazowiecki", "G Świdrzyca", "G Brzezinka Świdrzycka", "G Orzeszyn Duży"],
         ("Świdrzyca", "Świdrzycy"), 6, card=True),
    Spec("mazowieckie", "Partnerstwo na rzecz rozwoju Doliny Ostrówki",
         ["M Ostrówek Mazowiecki", "G Ostrówek", "G Szczepankowo Mazowieckie", "G Żabinka", "G Chrustne",
          "G Lipniczka"], ("Ostrówka", "Ostrówki"), 9),
    Spec("podkarpackie", "Porozumienie Gmin Pogórza Jasiołowskiego",
         ["MiG Jasiołów", "G Przysłup Dolny", "G Rymanka", "G Olchowa Wola", "G Hadlówka", "P jasiołowski"],
         ("Jasiołowianka", "Jasiołowianki"), 8, marg=True),
    Spec("podkarpackie", "Partnerstwo Gmin Ziemi Sokołowieckiej",
         ["MiG Sokołowiec", "G Wólka Podkarpacka", "G Zawadka Rzeczna", "G Brzóza Sokołowiecka",
          "G Kamień Leśny"], ("Sokołówka", "Sokołówki"), 9, weights="direct_feasibility"),
    Spec("podkarpackie", "Związek Gmin Doliny Tanwicy",
         ["MiG Jeżowiec", "G Tanwica", "G Zalesie Tanwickie", "G Borowina Sanna"],
         ("Tanwica", "Tanwicy"), 7, marg=True, card=True),
    Spec("podlaskie", "Partnerstwo Gmin Ziemi Korczyńskiej",
         ["MiG Korczyn Podlaski", "G Stare Bagienne", "G Puszczyki", "G Łosinka Mała", "G Rudawka Podlaska",
          "G Krzywiec Leśny"], ("Korczynka", "Korczynki"), 7, marg=True, cap=2,
         weights="panel_benefit_direct_funding"),
    Spec("podlaskie", "Związek Gmin Doliny Jaćwieżki",
         ["MiG Kamionna Podlaska", "G Jaćwież Mała", "G Bagnisko", "G Turówka", "P kamioński"],
         ("Jaćwieżka", "Jaćwieżki"), 6, marg=True),
    Spec("podlaskie", "Partnerstwo na rzecz rozwoju Doliny Wierzbianki",
         ["MiG Puszczyn", "G Wierzbianka", "G Żebrowo Podlaskie", "G Biała Wieś Podlaska", "G Łoknica"],
         ("Wierzbianka", "Wierzbianki"), 4, marg=True, cap=2),
    Spec("pomorskie", "Partnerstwo Gmin Ziemi Miłoborskiej",
         ["MiG Miłobór", "G Borowiec Pomorski", "G Jeziorki Kaszubskie", "G Sarnia Góra", "G Stara Słupica",
          "P miłoborski"], ("Miłobórka", "Miłobórki"), 10, card=True),
    Spec("pomorskie", "Związek Gmin Doliny Łebnicy",
         ["MiG Łebnica", "G Sławinek Pomorski", "G Rębowo", "G Chojnik Morski", "G Smolnik Nadmorski"],
         ("Łebnica", "Łebnicy"), 8, cap=4),
    Spec("śląskie", "Partnerstwo Gmin Ziemi Jastrzębnickiej",
         ["M Jastrzębnik", "G Hałdowice", "G Smolna Śląska", "G Brzezinka Górnośląska", "G Pławiec",
          "P jastrzębnicki"], ("Jastrzębianka", "Jastrzębianki"), 10, cap=4, iit=True, weights="panel_root"),
    Spec("świętokrzyskie", "Partnerstwo Gmin Ziemi Opatkowickiej",
         ["MiG Opatkowice", "G Wola Kamienna", "G Łysica Dolna", "G Piaskowiec", "G Dąbrowa Jodłowa"],
         ("Opatkówka", "Opatkówki"), 9, marg=True, weights="panel_funding_mild"),
    Spec("świętokrzyskie", "Porozumienie Gmin Pogórza Wierzbnickiego",
         ["MiG Wierzbnik Górny", "G Skały Wierzbnickie", "G Mominek", "G Jawornik Świętokrzyski",
          "G Grzybów Leśny"], ("Wierzbniczanka", "Wierzbniczanki"), 6),
    Spec("świętokrzyskie", "Partnerstwo na rzecz rozwoju Doliny Łośnej",
         ["MiG Zbrojów", "G Łośna Dolna", "G Kozłowiec", "G Rogatka", "G Skrzelin", "P zbrojowski"],
         ("Łośna", "Łośnej"), 8, marg=True),
    Spec("warmińsko-mazurskie", "Partnerstwo Gmin Ziemi Rybnowskiej",
         ["MiG Rybnowo Warmińskie", "G Kormorany", "G Sieja Mała", "G Stare Trzciny", "G Mazurska Wola",
          "P rybnowski"], ("Rybnówka", "Rybnówki"), 10, marg=True),
    Spec("warmińsko-mazurskie", "Związek Gmin Doliny Sielawki",
         ["MiG Jeziorowo Mazurskie", "G Sielawka", "G Łabędziniec", "G Bobrowe Błota", "G Szuwary"],
         ("Sielawka", "Sielawki"), 7, marg=True, cap=4),
    Spec("warmińsko-mazurskie", "Partnerstwo na rzecz rozwoju Doliny Kalinówki",
         ["M Nowe Ostrowie", "G Ostrowie Warmińskie", "G Kalinówka Mała", "G Pojezierze Górne", "G Lisiny",
          "G Żurawiec Warmiński"], ("Kalinówka", "Kalinówki"), 9),
    Spec("wielkopolskie", "Partnerstwo Gmin Ziemi Krzemieńskiej",
         ["MiG Krzemień Wielkopolski", "G Jezierzyce Wielkopolskie", "G Pniewko", "G Łęgi Obrzańskie",
          "G Wrzosy Wielkie", "P krzemieński"], ("Krzemionka", "Krzemionki"), 8),
    Spec("wielkopolskie", "Związek Gmin Doliny Prośnicy",
         ["MiG Kaliszków", "G Prośnica", "G Dębnica Kaliska", "G Olszowiec", "G Żytnica", "G Topola Kaliska"],
         ("Prośnica", "Prośnicy"), 8, cap=4),
    Spec("wielkopolskie", "Partnerstwo na rzecz rozwoju Doliny Wełnianki",
         ["M Wełnowo", "G Wełnowo", "G Rogoźniczka", "G Skoki Nadwełniańskie", "G Budziszyn Wielkopolski",
          "G Ludomek", "G Tarnówko Wielkopolskie", "G Słomianka", "P wełnowski"],
         ("Wełnianka", "Wełnianki"), 15, cap=4, iit=True, weights="direct_benefit"),
    Spec("zachodniopomorskie", "Partnerstwo Gmin Ziemi Regalińskiej",
         ["MiG Regalin", "G Płotnica", "G Węgorza Struga", "G Krzemianka", "G Łosośnik", "P regaliński"],
         ("Regalinka", "Regalinki"), 8),
]

NAME_PREFIXES = ("Partnerstwo Gmin ", "Związek Gmin ", "Partnerstwo na rzecz rozwoju ", "Porozumienie Gmin ")

FIRST_F = ["Anna", "Katarzyna", "Magdalena", "Joanna", "Agnieszka", "Monika", "Ewa", "Małgorzata", "Beata",
           "Aleksandra", "Justyna", "Karolina", "Marta", "Dorota", "Izabela", "Natalia", "Barbara", "Renata",
           "Iwona", "Sylwia", "Elżbieta", "Paulina"]
FIRST_M = ["Piotr", "Tomasz", "Paweł", "Marcin", "Michał", "Krzysztof", "Andrzej", "Jakub", "Łukasz",
           "Grzegorz", "Rafał", "Adam", "Wojciech", "Dariusz", "Sebastian", "Bartosz", "Marek", "Robert",
           "Jarosław", "Mateusz", "Zbigniew", "Artur"]
SURNAMES = [("Nowak", "Nowak"), ("Kowalczyk", "Kowalczyk"), ("Wiśniewski", "Wiśniewska"),
            ("Wójcik", "Wójcik"), ("Kamiński", "Kamińska"), ("Lewandowski", "Lewandowska"),
            ("Zieliński", "Zielińska"), ("Szymański", "Szymańska"), ("Dąbrowski", "Dąbrowska"),
            ("Kozłowski", "Kozłowska"), ("Jankowski", "Jankowska"), ("Mazur", "Mazur"),
            ("Krawczyk", "Krawczyk"), ("Piotrowski", "Piotrowska"), ("Grabowski", "Grabowska"),
            ("Pawłowski", "Pawłowska"), ("Michalski", "Michalska"), ("Adamczyk", "Adamczyk"),
            ("Dudek", "Dudek"), ("Zając", "Zając"), ("Wieczorek", "Wieczorek"), ("Jabłoński", "Jabłońska"),
            ("Król", "Król"), ("Majewski", "Majewska"), ("Olszewski", "Olszewska"), ("Jaworski", "Jaworska"),
            ("Malinowski", "Malinowska"), ("Stępień", "Stępień"), ("Górski", "Górska"), ("Sikora", "Sikora"),
            ("Walczak", "Walczak"), ("Baran", "Baran"), ("Rutkowski", "Rutkowska"), ("Michalak", "Michalak"),
            ("Szewczyk", "Szewczyk"), ("Ostrowski", "Ostrowska"), ("Tomaszewski", "Tomaszewska"),
            ("Zalewski", "Zalewska"), ("Kubiak", "Kubiak"), ("Sadowski", "Sadowska"),
            ("Czarnecki", "Czarnecka"), ("Sobczak", "Sobczak"), ("Kołodziej", "Kołodziej"),
            ("Wasilewski", "Wasilewska"), ("Borkowski", "Borkowska"), ("Kalinowski", "Kalinowska")]


# --------------------------------------------------------------------------------------------
# small helpers

TRANSLIT = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def slugify(text: str) -> str:
    text = text.replace("(fikcyjne)", "").translate(TRANSLIT).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def list_pl(items: list[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " i " + items[-1]


def gminy_list(pl: list[str], area: str, prep: str = "w gminach") -> str:
    """'w gminach A, B i C', or 'w 7 gminach Ziemi X' when the list would be too long."""
    if len(pl) <= 4:
        return f"{prep} {list_pl(pl)}"
    words = {"w gminach": f"w {len(pl)} gminach", "gmin": f"{len(pl)} gmin"}
    return f"{words[prep]} {area}"


def plural(n: int, one: str, few: str, many: str) -> str:
    if n == 1:
        return one
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return few
    return many


def round_to(x: float, step: int) -> int:
    return int(step * round(x / step))


def pln(x: float) -> str:
    """12 345 678 → '12,3 mln zł'; smaller amounts in thousands."""
    if x >= 1e6:
        return f"{x / 1e6:.1f}".replace(".", ",") + " mln zł"
    return f"{round(x / 1000):d} tys. zł"


def num(x: int) -> str:
    """Thousands separated by a non-breaking-free plain space, as in Polish texts."""
    return f"{x:,}".replace(",", " ")


def weighted(rng: random.Random, table: dict) -> object:
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]


def clip(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


def month_str(d: dt.date, delta_months: int) -> str:
    m = d.year * 12 + (d.month - 1) + delta_months
    return f"{m % 12 + 1:02d}.{m // 12}"


def quarter_str(d: dt.date, delta_months: int) -> tuple[str, int]:
    m = d.year * 12 + (d.month - 1) + delta_months
    return ["I", "II", "III", "IV"][(m % 12) // 3], m // 12


# --------------------------------------------------------------------------------------------
# JSTs

@dataclass
class JST:
    kind: str      # G, MiG, M, P
    name: str      # bare name (for a powiat the adjective)
    pop: int

    @property
    def full(self) -> str:
        return {"G": "Gmina ", "MiG": "Miasto i Gmina ", "M": "Miasto ", "P": "Powiat "}[self.kind] + self.name

    @property
    def place(self) -> str | None:
        return None if self.kind == "P" else self.name

    @property
    def loc(self) -> str:
        """'w gminie X' and the like."""
        if self.kind == "P":
            return "w powiecie " + self.name[:-1] + "m"   # złotoborski → złotoborskim
        return {"G": "w gminie ", "MiG": "w mieście i gminie ", "M": "w mieście "}[self.kind] + self.name

    @property
    def town_loc(self) -> str:
        return ("w mieście " if self.kind in ("M", "MiG") else "w miejscowości ") + self.name

    @property
    def gen(self) -> str:
        if self.kind == "P":
            return "powiatu " + self.name[:-1] + "ego"   # złotoborski → złotoborskiego
        return {"G": "gminy ", "MiG": "miasta i gminy ", "M": "miasta "}[self.kind] + self.name


def make_jsts(spec: Spec, rng: random.Random) -> list[JST]:
    out = []
    for m in spec.members:
        kind, name = m.split(" ", 1)
        pop = {"G": rng.randint(3200, 11500), "MiG": rng.randint(9000, 23000),
               "M": rng.randint(12000, 36000), "P": 0}[kind]
        out.append(JST(kind, name, round_to(pop, 10)))
    total = sum(j.pop for j in out)
    for j in out:
        if j.kind == "P":   # the powiat also has gminy outside the partnership
            j.pop = round_to(total * rng.uniform(1.25, 1.7), 10)
    return out


# --------------------------------------------------------------------------------------------
# project kinds

@dataclass
class Kind:
    key: str
    short: str                 # short name for cross-references in comments
    unit: tuple[int, int]      # cost per beneficiary range (PLN)
    share: tuple[float, float] # beneficiaries as a share of the participating residents
    cost: tuple[float, float]  # total cost bounds (PLN)
    part: str                  # few | many | all
    tc: float                  # typical answer to territorial challenges (0–5)
    risk: float                # typical implementation risk (1–5)
    goal: str                  # the strategy goal it serves
    indicator: str
    challenge: str
    integrated: bool           # one service or network (vs a bundle of separate investments)
    soft: bool = False         # a service rather than a construction project
    single_ok: bool = False    # may plausibly be one JST's project (fails min_two_jst)
    weight: float = 1.0        # how often it appears in packages
    funding: list = field(default_factory=list)


F = {  # funding plans: (probability, [(source, low share, high share), ...]); own budget takes the rest
    "water": [(0.45, [("REG", 0.60, 0.80)]), (0.25, [("PL", 0.80, 0.95)]),
              (0.20, [("REG", 0.45, 0.60), ("NFOS", 0.15, 0.25)]), (0.10, [("NFOS", 0.50, 0.70)])],
    "reg": [(0.75, [("REG", 0.70, 0.85)]), (0.25, [("PL", 0.80, 0.95)])],
    "reg_only": [(1.0, [("REG", 0.70, 0.85)])],
    "social": [(0.85, [("REG", 0.75, 0.85)]), (0.15, [("REG", 0.60, 0.70), ("PL", 0.10, 0.20)])],
    "buses": [(0.55, [("REG", 0.70, 0.85)]), (0.30, [("KPO", 0.75, 0.90)]), (0.15, [])],
    "broadband": [(0.65, [("KPO", 0.75, 0.90)]), (0.35, [("REG", 0.70, 0.85)])],
    "sag": [(0.45, [("REG", 0.45, 0.60), ("PL", 0.20, 0.30)]), (0.35, [("PL", 0.75, 0.90)]),
            (0.20, [("REG", 0.55, 0.70)])],
    "energy": [(0.30, [("FENIKS", 0.70, 0.85)]), (0.25, [("REG", 0.65, 0.80)]), (0.20, [("NFOS", 0.50, 0.75)]),
               (0.15, [("KPO", 0.70, 0.85)]), (0.10, [("PL", 0.80, 0.95)])],
    "oze": [(0.35, [("NFOS", 0.55, 0.75)]), (0.25, [("REG", 0.60, 0.75)]),
            (0.25, [("FENIKS", 0.45, 0.60), ("NFOS", 0.15, 0.25)]), (0.15, [("KPO", 0.65, 0.80)])],
    "transport": [(0.40, [("FENIKS", 0.70, 0.85)]), (0.35, [("REG", 0.70, 0.85)]), (0.25, [("KPO", 0.75, 0.90)])],
    "flood": [(0.40, [("FENIKS", 0.70, 0.85)]), (0.35, [("REG", 0.50, 0.65), ("NFOS", 0.15, 0.25)]),
              (0.25, [("NFOS", 0.55, 0.75)])],
    "digital": [(0.55, [("REG", 0.75, 0.85)]), (0.30, [("KPO", 0.80, 0.95)]), (0.15, [])],
    "culture": [(0.65, [("REG", 0.70, 0.85)]), (0.35, [("PL", 0.80, 0.95)])],
    "road": [(0.65, [("RFRD", 0.50, 0.80)]), (0.35, [("PL", 0.80, 0.95)])],
}

KINDS = {k.key: k for k in [
    Kind("kanalizacja", "kanalizacja sanitarna", (4000, 9000), (0.15, 0.40), (6e6, 45e6), "few", 3, 3.0,
         "env", "odsetek mieszkańców korzystających z sieci kanalizacyjnej",
         "niedobór infrastruktury wodno-ściekowej na terenach wiejskich", False, single_ok=True, weight=1.0,
         funding=F["water"]),
    Kind("suw", "stacja uzdatniania wody", (600, 1800), (0.30, 0.80), (2.5e6, 16e6), "few", 3, 2.0,
         "env", "liczba mieszkańców z dostępem do wody spełniającej normy",
         "złą jakość wody i przerwy w dostawach latem", True, single_ok=True, weight=0.8, funding=F["water"]),
    Kind("trasa", "trasa rowerowa", (600, 2500), (0.30, 0.60), (4e6, 32e6), "many", 2, 3.0,
         "access", "długość tras rowerowych łączących centra gmin",
         "brak bezpiecznych połączeń pieszo-rowerowych między miejscowościami", True, weight=1.0,
         funding=F["reg"]),
    Kind("rewitalizacja", "rewitalizacja centrum", (800, 2500), (0.50, 1.00), (4e6, 26e6), "few", 3, 2.5,
         "access", "powierzchnia zrewitalizowanych przestrzeni publicznych",
         "degradację centrum i odpływ usług z małego miasta", False, single_ok=True, weight=0.8,
         funding=F["reg"]),
    Kind("dds", "dzienne domy seniora", (3000, 8000), (0.02, 0.05), (1.8e6, 10e6), "many", 4, 2.0,
         "services", "liczba miejsc opieki dziennej dla seniorów",
         "starzenie się mieszkańców i samotność osób starszych", True, weight=0.9, funding=F["social"]),
    Kind("opieka", "usługi opiekuńcze", (2000, 6000), (0.01, 0.04), (0.6e6, 4.5e6), "many", 4, 2.0,
         "services", "liczba osób objętych usługami opiekuńczymi",
         "starzenie się mieszkańców i brak usług opiekuńczych na wsi", True, soft=True, weight=0.7,
         funding=F["social"]),
    Kind("dowozy", "dowozy uczniów", (2500, 6000), (0.04, 0.08), (1.6e6, 9e6), "many", 4, 1.5,
         "services", "odsetek uczniów dojeżdżających do szkoły krócej niż 45 minut",
         "wykluczenie komunikacyjne dzieci i młodzieży", True, soft=True, weight=0.6, funding=F["buses"]),
    Kind("broadband", "sieć światłowodowa", (1000, 3000), (0.10, 0.30), (3e6, 24e6), "many", 4, 3.0,
         "services", "odsetek gospodarstw domowych z dostępem do internetu 100 Mb/s",
         "wykluczenie cyfrowe i brak warunków do pracy zdalnej", True, weight=0.6, funding=F["broadband"]),
    Kind("sag", "strefa aktywności gospodarczej", (500, 2500), (0.40, 0.90), (8e6, 58e6), "few", 3, 3.5,
         "work", "liczba nowych miejsc pracy w strefach aktywności gospodarczej",
         "odpływ młodych do dużych miast z powodu braku pracy", True, single_ok=True, weight=0.7,
         funding=F["sag"]),
    Kind("termo", "termomodernizacja", (1500, 6000), (0.08, 0.25), (3e6, 22e6), "many", 2, 1.5,
         "env", "zużycie energii w budynkach użyteczności publicznej",
         "wysokie koszty energii i niską emisję", False, single_ok=True, weight=0.9, funding=F["energy"]),
    Kind("oze", "klaster energii", (300, 1500), (0.50, 1.00), (6e6, 48e6), "many", 2, 3.5,
         "env", "udział OZE w zużyciu energii przez obiekty komunalne",
         "wysokie koszty energii obiektów komunalnych", True, single_ok=True, weight=0.7, funding=F["oze"]),
    Kind("transport", "transport publiczny", (400, 1500), (0.40, 0.90), (6e6, 40e6), "many", 4, 2.5,
         "access", "liczba kursów transportu publicznego w dni robocze",
         "wykluczenie komunikacyjne mieszkańców wsi", True, weight=0.6, funding=F["transport"]),
    Kind("flood", "ochrona przeciwpowodziowa", (1500, 5000), (0.10, 0.35), (9e6, 60e6), "many", 3, 4.0,
         "env", "liczba mieszkańców chronionych przed powodzią",
         "zagrożenie powodziowe i suszę", True, weight=0.4, funding=F["flood"]),
    Kind("turystyka", "produkt turystyczny", (200, 900), (0.50, 1.00), (1.5e6, 14e6), "all", 2, 2.0,
         "work", "liczba korzystających z bazy turystycznej obszaru",
         "słabą bazę ekonomiczną i sezonowość dochodów", True, weight=0.6, funding=F["reg_only"]),
    Kind("eusługi", "e-usługi", (12, 70), (0.60, 1.00), (0.3e6, 3.5e6), "all", 2, 2.5,
         "services", "liczba usług publicznych dostępnych online",
         "niską dostępność usług publicznych dla mieszkańców wsi", True, soft=True, weight=0.6,
         funding=F["digital"]),
    Kind("ekonomia", "spółdzielnia socjalna", (5000, 15000), (0.003, 0.010), (0.6e6, 4e6), "many", 4, 2.5,
         "work", "liczba miejsc pracy w podmiotach ekonomii społecznej",
         "długotrwałe bezrobocie i wykluczenie społeczne", True, soft=True, weight=0.4,
         funding=F["social"]),
    Kind("kultura", "centrum kultury", (300, 1200), (0.50, 1.00), (2e6, 14e6), "few", 2, 2.0,
         "services", "liczba uczestników wydarzeń kulturalnych",
         "niską aktywność społeczną i brak miejsc spotkań", False, single_ok=True, weight=0.6,
         funding=F["culture"]),
    Kind("droga", "droga powiatowa", (500, 2000), (0.30, 0.70), (5e6, 34e6), "few", 3, 2.5,
         "access", "czas dojazdu do siedziby powiatu",
         "słabą dostępność komunikacyjną centrów usług", True, weight=0.7, funding=F["road"]),
    Kind("cus", "centrum usług społecznych", (200, 800), (0.20, 0.50), (1.2e6, 7e6), "many", 4, 2.0,
         "services", "liczba osób korzystających z usług społecznych",
         "rozproszenie usług społecznych i długie dojazdy do nich", True, soft=True, weight=0.4,
         funding=F["social"]),
]}

GOAL_NAMES = {
    "work": ["Praca i przedsiębiorczość na miejscu", "Silna gospodarka lokalna"],
    "services": ["Usługi publiczne bliżej mieszkańca", "Dobre życie w każdym wieku"],
    "env": ["Czyste środowisko, woda i energia", "Odporność na zmiany klimatu"],
    "access": ["Dostępny i spójny obszar partnerstwa", "Atrakcyjne centra i dobre połączenia"],
}

RELATED = {
    "kanalizacja": ["suw", "sag", "rewitalizacja"], "suw": ["kanalizacja", "sag", "oze"],
    "trasa": ["rewitalizacja", "turystyka", "transport", "droga"], "rewitalizacja": ["trasa", "kultura", "transport"],
    "dds": ["opieka", "cus", "transport"], "opieka": ["dds", "cus", "eusługi"], "dowozy": ["transport", "droga"],
    "broadband": ["eusługi", "sag"], "sag": ["droga", "kanalizacja", "broadband", "transport"],
    "termo": ["oze"], "oze": ["termo", "suw", "kanalizacja"], "transport": ["dowozy", "trasa", "rewitalizacja"],
    "flood": ["turystyka", "kanalizacja"], "turystyka": ["trasa", "flood", "kultura", "rewitalizacja"],
    "eusługi": ["broadband", "opieka", "cus"], "ekonomia": ["cus", "dds", "turystyka"],
    "kultura": ["rewitalizacja", "turystyka"], "droga": ["sag", "trasa", "dowozy"],
    "cus": ["dds", "opieka", "ekonomia", "eusługi"],
}

CONSTRUCTION_STATUS = {
    0: ["pomysł w fiszce projektu"],
    1: ["koncepcja", "koncepcja programowo-przestrzenna"],
    2: ["PFU w przygotowaniu", "studium wykonalności w opracowaniu"],
    3: ["decyzja środowiskowa wydana, projekt budowlany w opracowaniu", "PFU gotowy, decyzja lokalizacyjna wydana"],
    4: ["złożony wniosek o pozwolenie na budowę", "dokumentacja techniczna gotowa"],
    5: ["pozwolenie na budowę prawomocne", "gotowy do przetargu na roboty"],
}
SOFT_STATUS = {
    0: ["pomysł w fiszce projektu"],
    1: ["wstępny model usługi"],
    2: ["analiza potrzeb w toku"],
    3: ["analiza potrzeb gotowa, standard usługi w przygotowaniu"],
    4: ["opis przedmiotu zamówienia gotowy"],
    5: ["dokumentacja przetargowa i wniosek o dofinansowanie gotowe"],
}

CWD_LEAVES = ["jst_count", "population_served", "partnership_scope", "strategy_objective",
              "territorial_challenges", "synergy", "readiness", "institutional_capacity",
              "implementation_risk", "funding_identified", "own_contribution", "cost_per_beneficiary"]
CWD_COST = {"implementation_risk", "cost_per_beneficiary"}
CARD_LEAVES = ["zgodnosc_strategia", "wyzwania", "partnerstwo", "gotowosc", "trwalosc",
               "efektywnosc_kosztowa", "wskazniki"]
CARD_BONUS = ["obszar_marginalizacji", "partnerstwo_ngo"]


# --------------------------------------------------------------------------------------------
# a package being built

@dataclass
class Ctx:
    spec: Spec
    rng: random.Random
    jsts: list[JST]
    area: str
    programme: str
    marshal: str
    road_letter: str
    date: dt.date
    goal_no: dict[str, int]
    goal_name: dict[str, str]

    @property
    def gminy(self) -> list[JST]:
        return [j for j in self.jsts if j.kind != "P"]

    @property
    def powiat(self) -> JST | None:
        return next((j for j in self.jsts if j.kind == "P"), None)

    def past(self, lo: int = 1, hi: int = 10) -> str:
        return month_str(self.date, -self.rng.randint(lo, hi))

    def future(self, lo: int = 1, hi: int = 10) -> str:
        return month_str(self.date, self.rng.randint(lo, hi))


@dataclass
class Proj:
    pid: str
    kind: Kind
    lead: JST
    partners: list[JST]
    fail: str | None = None          # the gate it fails
    title: str = ""
    description: str = ""
    cost: int = 0
    pop: int = 0
    status: str = ""
    funding: list = field(default_factory=list)
    primary: str = "OWN"             # the main outside source
    scores: dict = field(default_factory=dict)
    card: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)
    synergy_with: Proj | None = None
    soft: bool = False               # a service or a purchase rather than construction works

    @property
    def parts(self) -> list[JST]:
        return [self.lead, *self.partners]

    @property
    def places(self) -> list[str]:
        out = []
        for j in self.parts:
            if j.place and j.place not in out:
                out.append(j.place)
        return out


def choose_participants(ctx: Ctx, kind: Kind, single: bool) -> tuple[JST, list[JST]]:
    rng = ctx.rng
    gminy, powiat = ctx.gminy, ctx.powiat
    towns = [j for j in gminy if j.kind in ("M", "MiG")]
    if kind.key in ("rewitalizacja", "kultura") and towns:
        lead = rng.choice(towns)
    elif powiat and not single and (kind.key == "droga" or (kind.key in ("transport", "dowozy", "cus")
                                                             and rng.random() < 0.5)):
        lead = powiat
    else:
        pool = gminy if single else ctx.jsts if kind.key in ("trasa", "turystyka") else gminy
        lead = rng.choices(pool, weights=[2.0 if j.kind in ("M", "MiG") else 1.0 for j in pool])[0]
    if single:
        return lead, []
    others = [j for j in ctx.jsts if j is not lead]
    if kind.key == "droga" and lead.kind == "P":
        k = rng.randint(2, min(3, len(gminy)))
        return lead, rng.sample(gminy, k)
    part = kind.part
    if kind.key == "trasa" and rng.random() < 0.4:
        part = "all"
    if part == "all" or (part == "many" and len(others) <= 2):
        chosen = others if rng.random() < 0.75 else rng.sample(others, max(1, len(others) - 1))
    elif part == "many":
        k = rng.randint(max(2, (len(others) + 1) // 2), len(others))
        chosen = rng.sample(others, k)
    else:
        chosen = rng.sample(others, min(len(others), rng.choice([1, 1, 2])))
    if kind.key in ("kanalizacja", "suw") and all(j.kind == "P" for j in chosen):
        chosen = [rng.choice([j for j in gminy if j is not lead])]
    order = {id(j): i for i, j in enumerate(ctx.jsts)}
    return lead, sorted(chosen, key=lambda j: order[id(j)])


def participating_pop(ctx: Ctx, p: Proj) -> int:
    """Residents of the gminy taking part (a powiat taking part brings in all the member gminy); a town
    centre or a culture centre serves its town and only a little of the partner gminy."""
    if p.kind.key in ("rewitalizacja", "kultura"):
        return p.lead.pop + int(0.25 * sum(j.pop for j in p.partners if j.kind != "P"))
    if any(j.kind == "P" for j in p.parts):
        return sum(j.pop for j in ctx.gminy)
    return sum(j.pop for j in p.parts)


# --------------------------------------------------------------------------------------------
# titles and descriptions

def title_and_description(ctx: Ctx, p: Proj) -> tuple[str, str]:
    rng, k, pl, area = ctx.rng, p.kind.key, p.places, ctx.area
    river_gen = ctx.spec.river[1]
    cost, pop = p.cost, p.pop
    lead = p.lead
    n_g = max(1, len(pl))
    if k == "kanalizacja":
        km = max(3, round(cost / rng.uniform(0.75e6, 1.15e6)))
        rlm = round_to(pop * rng.uniform(1.2, 1.5), 100)
        if len(pl) >= 2:
            t = rng.choice([f"Budowa kanalizacji sanitarnej w aglomeracji {pl[0]} – {pl[1]} ({km} km sieci)",
                            f"Rozbudowa oczyszczalni ścieków w miejscowości {pl[0]} i budowa kanalizacji "
                            f"sanitarnej {gminy_list(pl, area)}"])
        else:
            t = f"Budowa kanalizacji sanitarnej w aglomeracji {pl[0]} ({km} km sieci)"
        pumps = max(2, km // 3)
        d = (f"{km} km sieci kanalizacji sanitarnej grawitacyjno-tłocznej, {pumps} "
             f"{plural(pumps, 'przepompownia', 'przepompownie', 'przepompowni')}, rozbudowa oczyszczalni "
             f"do {num(rlm)} RLM; domknięcie aglomeracji wyznaczonej uchwałą sejmiku.")
    elif k == "suw":
        km = max(2, round(cost / rng.uniform(0.9e6, 1.6e6)))
        if len(pl) >= 2:
            t = rng.choice([f"Budowa stacji uzdatniania wody w miejscowości {pl[0]} i spięcie wodociągów "
                            f"{gminy_list(pl, area, 'gmin')}",
                            f"Modernizacja stacji uzdatniania wody {pl[0]} – {pl[1]} z rurociągiem "
                            f"tranzytowym ({km} km)"])
        else:
            t = f"Przebudowa stacji uzdatniania wody w miejscowości {pl[0]} ze zbiornikiem wody czystej"
        vol = rng.choice([150, 200, 250, 300, 400])
        d = (f"Nowy układ filtracji (odżelazianie i odmanganianie), zbiornik wody czystej {vol} m³, "
             f"{km} km rurociągu łączącego sieci i zasilanie awaryjne z agregatu.")
    elif k == "trasa":
        km = max(4, round(cost / rng.uniform(0.45e6, 0.85e6)))
        route = " – ".join(pl[:4]) if len(pl) >= 2 else pl[0]
        opts = [f"Budowa trasy rowerowej {route} ({km} km)"]
        if len(pl) >= 2:
            opts.append(f"Trasa rowerowa {area} – odcinek {pl[0]} – {pl[-1]} ({km} km)")
        if ctx.powiat and len(pl) >= 2:
            opts.append(f"Budowa ciągu pieszo-rowerowego {pl[0]} – {pl[1]} wzdłuż drogi powiatowej ({km} km)")
        t = rng.choice(opts)
        mor = max(2, km // 7)
        d = (f"{km} km drogi dla rowerów o nawierzchni bitumicznej, {mor} "
             f"{plural(mor, 'miejsce', 'miejsca', 'miejsc')} obsługi rowerzystów, oświetlone przejścia i "
             f"połączenie z przystankami autobusowymi.")
    elif k == "rewitalizacja":
        t = rng.choice([f"Rewitalizacja rynku i przestrzeni publicznych {lead.town_loc}",
                        f"{lead.name} – rewitalizacja rynku z zielono-niebieską infrastrukturą",
                        f"Rewitalizacja rynku i adaptacja kamienicy na centrum aktywności lokalnej {lead.town_loc}"])
        ul = rng.randint(2, 4)
        d = (f"Przebudowa płyty rynku i {ul} przyległych ulic, zieleń i retencja wód opadowych, adaptacja "
             f"budynku na centrum aktywności lokalnej w obszarze rewitalizacji z GPR.")
    elif k == "dds":
        n = max(2, min(n_g, round(pop / rng.uniform(180, 320))))
        if 3 <= n_g <= 5 and rng.random() < 0.4:
            t = f"Dzienny dom seniora w miejscowości {pl[0]} z filiami {gminy_list(pl[1:], area)}"
        elif n_g >= 2:
            t = (f"Sieć dziennych domów seniora {gminy_list(pl, area)} ({n} "
                 f"{plural(n, 'placówka', 'placówki', 'placówek')})")
        else:
            t = f"Dzienny dom seniora {lead.town_loc}"
        miejsca = round_to(pop * rng.uniform(0.06, 0.1), 5)
        d = (f"Adaptacja budynków (m.in. po szkołach) na dzienne domy seniora, łącznie {miejsca} miejsc, "
             f"wspólny zespół opiekunów i dowóz uczestników.")
    elif k == "opieka":
        t = rng.choice([f"Wspólny system usług opiekuńczych i teleopieki dla seniorów {gminy_list(pl, area)}",
                        f"Usługi opiekuńcze w miejscu zamieszkania i wypożyczalnia sprzętu rehabilitacyjnego "
                        f"dla mieszkańców {area}"]) if n_g >= 2 else \
            f"Usługi opiekuńcze w miejscu zamieszkania {lead.loc}"
        d = (f"Usługi opiekuńcze i specjalistyczne usługi opiekuńcze dla ok. {num(round_to(pop * 0.4, 10))} "
             f"osób, opaski teleopieki, centrum koordynacji w ośrodku pomocy społecznej lidera.")
    elif k == "dowozy":
        nb = max(2, round(cost / rng.uniform(0.75e6, 1.05e6)))
        t = rng.choice([f"Zintegrowany system dowozów uczniów {gminy_list(pl, area)} – zakup {nb} autobusów "
                        f"szkolnych",
                        f"Wspólne dowozy uczniów do szkół i na zajęcia pozalekcyjne – zakup {nb} autobusów "
                        f"niskoemisyjnych"]) if n_g >= 2 else \
            f"Dowozy uczniów – zakup {nb} autobusów szkolnych"
        schools = rng.randint(max(3, n_g), max(4, 2 * n_g + 1))
        d = (f"Wspólne trasy dowozów do {schools} szkół, {nb} autobusów niskoemisyjnych, kursy w godzinach "
             f"pozaszkolnych dostępne dla wszystkich mieszkańców.")
    elif k == "broadband":
        nm = max(5, pop // rng.randint(150, 260))
        t = rng.choice([f"Sieć światłowodowa dla {nm} miejscowości bez dostępu do szybkiego internetu "
                        f"{gminy_list(pl, area)}",
                        f"Likwidacja białych plam w dostępie do internetu szerokopasmowego na obszarze {area}"]) \
            if n_g >= 2 else f"Sieć światłowodowa dla {nm} miejscowości {lead.loc}"
        d = (f"Sieć FTTH do punktów adresowych bez dostępu do internetu 100 Mb/s w {nm} miejscowościach, "
             f"operator wyłoniony w przetargu, punkty publicznego dostępu w szkołach.")
    elif k == "sag":
        ha = max(6, round(cost / rng.uniform(0.6e6, 1.1e6)))
        if len(pl) >= 2:
            t = rng.choice([f"Międzygminna strefa aktywności gospodarczej {pl[0]} – {pl[1]} – uzbrojenie terenów "
                            f"inwestycyjnych ({ha} ha)",
                            f"Strefa aktywności gospodarczej {area} w miejscowości {pl[0]} – drogi wewnętrzne i "
                            f"sieci ({ha} ha)"])
        else:
            t = f"Strefa aktywności gospodarczej {lead.town_loc} – uzbrojenie terenów inwestycyjnych ({ha} ha)"
        d = (f"Drogi wewnętrzne, sieci wodno-kanalizacyjne i energetyczne oraz zjazd z drogi wojewódzkiej dla "
             f"{ha} ha terenów inwestycyjnych; wspólna oferta i obsługa inwestora.")
    elif k == "termo":
        nb = max(3, n_g, round(cost / rng.uniform(1.6e6, 3.2e6)))
        if n_g >= 2:
            t = rng.choice([f"Termomodernizacja {nb} budynków użyteczności publicznej {gminy_list(pl, area)} "
                            f"z instalacjami OZE",
                            f"Termomodernizacja {nb} szkół z pompami ciepła i fotowoltaiką"])
        else:
            t = f"Termomodernizacja {nb} budynków użyteczności publicznej {lead.loc}"
        d = (f"Docieplenie, wymiana stolarki i źródeł ciepła, fotowoltaika i pompy ciepła na {nb} budynkach; "
             f"wspólny przetarg i nadzór inwestorski.")
    elif k == "oze":
        mw = max(0.5, round(cost / rng.uniform(3.5e6, 5.5e6), 1))
        if n_g >= 2:
            t = rng.choice([f"Klaster energii {area} – instalacje fotowoltaiczne na obiektach komunalnych i "
                            f"magazyn energii",
                            f"Instalacje OZE i magazyny energii dla oczyszczalni i stacji uzdatniania wody "
                            f"{gminy_list(pl, area)}"])
        else:
            t = f"Instalacje OZE i magazyn energii dla obiektów komunalnych {lead.loc}"
        d = (f"Instalacje PV o łącznej mocy {str(mw).replace('.', ',')} MW, magazyn energii i system "
             f"zarządzania energią dla obiektów komunalnych; klaster działa na podstawie porozumienia "
             f"cywilnoprawnego.")
    elif k == "transport":
        nb = max(2, round(cost / rng.uniform(2.6e6, 3.4e6)))
        if 3 <= len(pl) <= 5 and cost < 16e6 and rng.random() < 0.5:
            t = (f"Węzeł przesiadkowy w miejscowości {pl[0]} z parkingami Park & Ride i Bike & Ride oraz linie "
                 f"dowozowe do {gminy_list(pl[1:], area, 'gmin')}")
        else:
            t = f"Międzygminne linie autobusowe {area} – zakup {nb} autobusów elektrycznych z ładowarkami"
            p.soft = True
        d = (f"Wspólny organizator transportu, {nb} autobusów elektrycznych, rozkład zintegrowany z "
             f"dowozami szkolnymi i kursami kolejowymi.")
    elif k == "flood":
        if len(pl) >= 2 and rng.random() < 0.5:
            nz = int(clip(round(cost / rng.uniform(2.5e6, 4.5e6)), 3, 12))
            t = (f"Mała retencja w zlewni {river_gen} – {nz} {plural(nz, 'zbiornik', 'zbiorniki', 'zbiorników')} "
                 f"i odbudowa rowów melioracyjnych {gminy_list(pl, area)}")
        else:
            t = f"Ochrona przeciwpowodziowa w dolinie {river_gen} – modernizacja wałów i zbiornik retencyjny"
        km = max(2, round(cost / rng.uniform(2.5e6, 4e6)))
        d = (f"Modernizacja {km} km wałów, zbiornik retencyjny o pojemności {rng.randint(80, 600)} tys. m³, "
             f"przebudowa przepustów; realizacja w porozumieniu z Wodami Polskimi.")
    elif k == "turystyka":
        opts = [f"Sieć wież widokowych i ścieżek przyrodniczych {area}",
                f"Wspólny produkt turystyczny {area} – oznakowanie, punkty informacji i miejsca odpoczynku"]
        if n_g >= 2:
            opts.append(f"Szlak kajakowy rzeki {river_gen} – przystanie i miejsca obsługi turystów "
                        f"{gminy_list(pl, area)}")
        t = rng.choice(opts)
        d = (f"Wspólne oznakowanie, {rng.randint(4, 12)} miejsc odpoczynku i punktów informacji, aplikacja z "
             f"trasami i kalendarzem wydarzeń; marka turystyczna {area}.")
    elif k == "eusługi":
        nj = len(p.parts)
        t = rng.choice([f"Wspólna platforma e-usług publicznych dla {nj} JST partnerstwa",
                        f"Cyfrowy urząd – e-usługi, elektroniczny obieg dokumentów i cyberbezpieczeństwo w {nj} "
                        f"urzędach partnerstwa"]) if nj >= 2 else f"E-usługi i elektroniczny obieg dokumentów {lead.loc}"
        d = (f"Wspólna platforma e-usług (podatki, odpady, rezerwacje obiektów), elektroniczny obieg dokumentów "
             f"i szkolenia pracowników w {nj} urzędach.")
    elif k == "ekonomia":
        t = rng.choice([f"Centrum ekonomii społecznej {area} i spółdzielnia socjalna {gminy_list(pl, area, 'gmin')}",
                        f"Spółdzielnia socjalna partnerstwa – usługi komunalne i catering dla szkół "
                        f"{gminy_list(pl, area)}"]) if n_g >= 2 else f"Spółdzielnia socjalna {lead.loc}"
        d = (f"Spółdzielnia socjalna osób prawnych założona przez gminy, {rng.randint(8, 20)} miejsc pracy dla "
             f"osób długotrwale bezrobotnych, zlecenia na utrzymanie zieleni i catering.")
    elif k == "kultura":
        t = rng.choice([f"Przebudowa ośrodka kultury {lead.town_loc} na centrum kultury i aktywności lokalnej",
                        f"Modernizacja sali widowiskowej i biblioteki {lead.town_loc} – wspólna oferta kulturalna "
                        f"partnerstwa"])
        d = (f"Przebudowa budynku ośrodka kultury, sala widowiskowa na {rng.choice([120, 150, 180, 220])} miejsc, "
             f"pracownie i biblioteka; wspólny kalendarz wydarzeń dla gmin partnerstwa.")
    elif k == "droga":
        km = max(2, round(cost / (rng.uniform(1.6e6, 2.8e6) if lead.kind == "P" else rng.uniform(1.0e6, 2.2e6))))
        if lead.kind == "P" and len(pl) >= 2:
            nr = f"{rng.randint(1000, 4999)}{ctx.road_letter}"
            t = (f"Przebudowa drogi powiatowej nr {nr} {pl[0]} – {pl[1]} ({km} km) z chodnikiem i drogą dla "
                 f"rowerów")
        elif len(pl) >= 2:
            t = f"Przebudowa dróg gminnych na trasie {' – '.join(pl[:3])} ({km} km)"
        else:
            t = f"Przebudowa dróg gminnych {lead.loc} ({km} km)"
        d = (f"Poszerzenie jezdni, nowa konstrukcja nawierzchni, chodniki i zatoki autobusowe na {km} km; "
             f"poprawa dojazdu do szkół i siedziby powiatu.")
    elif k == "cus":
        t = (f"Centrum usług społecznych {area} z punktami {gminy_list(pl, area)}" if n_g >= 2
             else f"Centrum usług społecznych {lead.loc}")
        d = ("Wspólne centrum usług społecznych: organizator usług, punkty konsultacyjne w gminach, "
             "asystenci osób starszych i z niepełnosprawnościami, mieszkania treningowe.")
    else:  # pragma: no cover
        raise ValueError(k)
    return t, d


# --------------------------------------------------------------------------------------------
# funding

def make_funding(ctx: Ctx, p: Proj) -> None:
    rng = ctx.rng
    if p.fail == "min_two_jst" and rng.random() < 0.3:
        plan = []
    else:
        plan = weighted(rng, {i: prob for i, (prob, _) in enumerate(p.kind.funding)})
        plan = p.kind.funding[plan][1]
    rows, used = [], 0
    for key, lo, hi in plan:
        amount = round_to(p.cost * rng.uniform(lo, hi), 1000)
        used += amount
        rows.append((ctx.programme if key == "REG" else SOURCES[key], amount, key))
    own = p.cost - used
    if own > 0 or not rows:
        rows.append((OWN, own, "OWN"))
    p.funding = [{"source": s, "amount": a} for s, a, _ in rows]
    outside = [(a, key) for _, a, key in rows if key != "OWN"]
    p.primary = max(outside)[1] if outside else "OWN"


# --------------------------------------------------------------------------------------------
# scores on the cwd set

def level(rng: random.Random, mean: float, spread: float, lo: int, hi: int) -> int:
    return int(clip(round(rng.gauss(mean, spread)), lo, hi))


def score_cwd(ctx: Ctx, p: Proj, n_members: int) -> dict:
    rng, k = ctx.rng, p.kind
    s: dict[str, int | float] = {}
    jst_count = len(p.parts)
    s["jst_count"] = jst_count
    s["population_served"] = p.pop
    if jst_count == 1:
        scope = 0
    else:
        share = jst_count / n_members
        if share >= 0.99 and k.integrated:
            scope = rng.choice([4, 5, 5])
        elif share >= 0.5:
            scope = rng.choice([3, 4]) if k.integrated else rng.choice([2, 3])
        else:
            scope = rng.choice([2, 3]) if k.integrated else rng.choice([1, 2])
    s["partnership_scope"] = scope
    if p.fail == "in_strategy":
        so = rng.choice([0, 1, 1])
    else:
        so = int(weighted(rng, {1: 0.04, 2: 0.16, 3: 0.34, 4: 0.31, 5: 0.15}))
    s["strategy_objective"] = so
    tc_mean = k.tc + (0.7 if ctx.spec.marg else -0.2)
    s["territorial_challenges"] = level(rng, tc_mean, 0.9, 0, 5 if ctx.spec.marg else 4)
    s["synergy"] = int(weighted(rng, {0: 0.12, 1: 0.33, 2: 0.38, 3: 0.17}))
    if k.key in ("rewitalizacja", "kultura", "termo") and rng.random() < 0.3:
        readiness = int(weighted(rng, {3: 0.3, 4: 0.4, 5: 0.3}))
    else:
        readiness = int(weighted(rng, {0: 0.03, 1: 0.07, 2: 0.2, 3: 0.3, 4: 0.25, 5: 0.15} if ctx.spec.card else
                                 {0: 0.05, 1: 0.15, 2: 0.25, 3: 0.25, 4: 0.18, 5: 0.12}))
    s["readiness"] = readiness
    cap_mean = ctx.spec.cap + (0.4 if p.lead.kind in ("P", "M", "MiG") else -0.2) - (0.3 if jst_count >= 5 else 0)
    s["institutional_capacity"] = level(rng, cap_mean, 0.8, 0, 5)
    s["implementation_risk"] = level(rng, k.risk - 0.45 * (readiness - 2.5) + (0.3 if jst_count >= 5 else 0),
                                     0.7, 1, 5)
    s["funding_identified"] = funding_level(ctx, p)
    oc_table = {0: 0.03, 1: 0.12, 2: 0.25, 3: 0.25, 4: 0.25, 5: 0.10}
    if jst_count >= 5:
        oc_table = {0: 0.05, 1: 0.18, 2: 0.32, 3: 0.25, 4: 0.15, 5: 0.05}
    if p.primary == "OWN":
        oc_table = {3: 0.3, 4: 0.45, 5: 0.25}
    s["own_contribution"] = int(weighted(rng, oc_table))
    s["cost_per_beneficiary"] = round(p.cost / p.pop)
    return s


def funding_level(ctx: Ctx, p: Proj) -> int:
    rng = ctx.rng
    key = p.primary
    if key == "OWN":
        val = rng.choice([3, 4, 4])
    elif key == "PL":
        val = int(weighted(rng, {3: 0.3, 4: 0.3, 5: 0.4}))
    elif key in ("RFRD", "KPO", "NFOS"):
        val = int(weighted(rng, {2: 0.3, 3: 0.45, 4: 0.25}))
    elif key == "REG":
        val = int(weighted(rng, {3: 0.3, 4: 0.45, 5: 0.25} if ctx.spec.iit else
                           {1: 0.1, 2: 0.3, 3: 0.4, 4: 0.2}))
    else:  # FEnIKS
        val = int(weighted(rng, {1: 0.2, 2: 0.45, 3: 0.35}))
    if p.fail == "eligible_costs":
        val = min(val, rng.choice([1, 1, 2]))
    return val


def oriented(scores: dict, ids: list[str], cost: set[str]) -> list[float]:
    return [-scores[c] if c in cost else scores[c] for c in ids]


def dominator(projects: list[Proj], ids: list[str], cost: set[str], key: str) -> Proj | None:
    """A project at least as good as every other eligible project on every criterion."""
    elig = [p for p in projects if p.fail is None]
    vecs = {p.pid: oriented(getattr(p, key), ids, cost) for p in elig}
    for p in elig:
        if all(all(a >= b for a, b in zip(vecs[p.pid], vecs[q.pid])) for q in elig if q is not p):
            return p
    return None


# --------------------------------------------------------------------------------------------
# scores on the selection card (samples/karta_oceny.toml)

BENCH = {k.key: (k.unit[0] + k.unit[1]) / 2 for k in KINDS.values()}


def score_card(ctx: Ctx, p: Proj, n_members: int) -> dict:
    """Card points derived from the same latent assessment as the cwd scores."""
    rng, s = ctx.rng, p.scores
    so = s["strategy_objective"]
    tc = s["territorial_challenges"]
    card = {
        "zgodnosc_strategia": {0: 0, 1: 5, 2: 5, 3: 7, 4: rng.choice([7, 10]), 5: 10}[so],
        "wyzwania": {0: 0, 1: 3, 2: 3, 3: rng.choice([3, 6]), 4: 6, 5: 6}[tc],
    }
    n = len(p.parts)
    if n == 1:
        card["partnerstwo"] = 0
    elif n == 2:
        card["partnerstwo"] = 4 if s["partnership_scope"] >= 3 else 2
    elif n == n_members:
        card["partnerstwo"] = 10
    elif n >= 5:
        card["partnerstwo"] = 8
    else:
        card["partnerstwo"] = 6
    card["gotowosc"] = {0: 0, 1: rng.choice([0, 3]), 2: 3, 3: rng.choice([3, 6]), 4: 6, 5: 9}[s["readiness"]]
    card["trwalosc"] = {0: 0, 1: 2, 2: 2, 3: rng.choice([2, 4]), 4: 4, 5: 4}[s["own_contribution"]]
    ratio = s["cost_per_beneficiary"] / BENCH[p.kind.key]
    card["efektywnosc_kosztowa"] = 10 if ratio < 0.8 else 5 if ratio <= 1.2 else 0
    card["wskazniki"] = int(weighted(rng, {0: 0.03, 2: 0.17, 4: 0.5, 6: 0.3}))
    card["obszar_marginalizacji"] = 5 if ctx.spec.marg and rng.random() < 0.7 else 0
    card["partnerstwo_ngo"] = 3 if rng.random() < 0.3 else 0
    return card


# --------------------------------------------------------------------------------------------
# comments

def pick_other(ctx: Ctx, p: Proj, projects: list[Proj]) -> Proj | None:
    related = [q for q in projects if q is not p and q.kind.key in RELATED.get(p.kind.key, [])]
    pool = related or [q for q in projects if q is not p]
    return ctx.rng.choice(pool) if pool else None


def cwd_comment(ctx: Ctx, p: Proj, crit: str, projects: list[Proj]) -> str:
    rng, s, k = ctx.rng, p.scores, p.kind
    v = s[crit]
    if crit == "partnership_scope":
        names = list_pl([j.name for j in p.parts if j.kind != "P"])
        return {
            0: f"Efekty wyłącznie na terenie {p.lead.gen}; brak porozumienia z innymi JST.",
            1: (f"Inwestycja {p.lead.gen}; {list_pl([j.full for j in p.partners])} tylko współfinansuje i "
                f"korzysta z oferty." if k.key in ("rewitalizacja", "kultura") and len(p.partners) == 1 else
                rng.choice([f"Odrębne zadania gmin {names} zgłoszone razem; każda gmina prowadzi własny przetarg.",
                            "Zestaw niezależnych inwestycji; brak wspólnego standardu i wspólnego zarządzania."])),
            2: rng.choice(["Wspólny standard techniczny i uzgodniony harmonogram, ale każda JST zarządza swoją "
                           "częścią osobno.",
                           "Wspólny przetarg i inspektor nadzoru; eksploatacja pozostaje w gminach."]),
            3: f"Porozumienie międzygminne {len(p.parts)} JST podpisane w {ctx.past(2, 14)}; wspólny operator "
               f"jeszcze niewyłoniony.",
            4: f"Wspólny operator ({rng.choice(['biuro partnerstwa', 'spółka międzygminna', 'lider projektu'])}) "
               f"dla {len(p.parts)} z {len(ctx.jsts)} JST partnerstwa.",
            5: f"Obejmuje wszystkie {len(ctx.jsts)} JST; zarządzanie przez "
               f"{rng.choice(['związek międzygminny', 'biuro partnerstwa', 'spółkę międzygminną'])} z trwałym "
               f"podziałem kosztów utrzymania.",
        }[v]
    if crit == "jst_count":
        if any(j.kind == "P" for j in p.partners):
            return "Powiat włączony na podstawie porozumienia o udziale w kosztach i utrzymaniu."
        return f"{len(p.parts)} JST, w tym lider – {p.lead.full}; pozostałe gminy partnerstwa poza projektem."
    if crit == "population_served":
        pop = num(p.pop)
        return {
            "kanalizacja": f"{pop} mieszkańców do przyłączenia (ok. {num(round_to(p.pop / 3.1, 10))} przyłączy).",
            "suw": f"Woda dla {pop} mieszkańców; obecnie przekroczenia manganu i żelaza w "
                   f"{rng.randint(2, 6)} wodociągach.",
            "trasa": f"Mieszkańcy miejscowości w pasie 2 km od trasy: {pop}; turyści niewliczeni.",
            "rewitalizacja": f"Mieszkańcy miasta korzystający z centrum: {pop}; dane z GPR.",
            "dds": f"Ok. {pop} osób 65+ i ich opiekunów korzystających z placówek i usług.",
            "opieka": f"{pop} osób niesamodzielnych i ich rodzin (dane OPS z {ctx.date.year - 1} r.).",
            "dowozy": f"{pop} uczniów dowożonych codziennie; dziś {rng.randint(3, 6)} przewoźników i osobne umowy.",
            "broadband": f"{pop} mieszkańców bez dostępu do internetu 100 Mb/s (dane UKE).",
            "sag": f"Mieszkańcy w wieku produkcyjnym gmin uczestniczących: {pop}.",
            "termo": f"Użytkownicy budynków (uczniowie, pracownicy, korzystający z usług): ok. {pop} osób.",
            "oze": f"Odbiorcy energii z instalacji: {pop} mieszkańców obsługiwanych przez obiekty komunalne.",
            "transport": f"Mieszkańcy w zasięgu 1 km od przystanków nowych linii: {pop}.",
            "flood": f"{pop} mieszkańców na obszarze zagrożenia powodziowego (mapy ISOK).",
            "turystyka": f"Mieszkańcy gmin szlaku: {pop}; ruch turystyczny (ok. "
                         f"{num(round_to(p.pop * rng.uniform(0.8, 2.5), 1000))} osób rocznie) niewliczony.",
            "eusługi": f"Wszyscy mieszkańcy gmin uczestniczących: {pop}; realnie aktywnych użytkowników ok. 30%.",
            "ekonomia": f"{pop} osób zagrożonych wykluczeniem objętych wsparciem (dane OPS i PUP).",
            "kultura": f"Mieszkańcy gminy korzystający z oferty ośrodka: {pop}.",
            "droga": f"Mieszkańcy miejscowości przy drodze i dojeżdżający: {pop}; pomiar ruchu z {ctx.past(3, 12)}: "
                     f"{num(rng.randint(9, 48) * 100)} poj./dobę.",
            "cus": f"Odbiorcy usług społecznych w gminach uczestniczących: {pop} osób.",
        }[k.key]
    if crit == "cost_per_beneficiary":
        costs = sorted(q.scores["cost_per_beneficiary"] for q in projects)
        if v == costs[-1]:
            why = {"kanalizacja": "rozproszona zabudowa", "dds": "mała liczba miejsc",
                   "ekonomia": "wsparcie indywidualne", "opieka": "usługi długoterminowe",
                   "flood": "ochrona niewielu zabudowań"}.get(k.key, "mała liczba odbiorców")
            return f"Koszt na odbiorcę {num(v)} zł – najwyższy w pakiecie; przyczyna: {why}."
        if v == costs[0]:
            return f"Koszt na odbiorcę {num(v)} zł – najniższy w pakiecie."
        return f"Koszt na odbiorcę {num(v)} zł przy koszcie całkowitym {pln(p.cost)}."
    if crit == "strategy_objective":
        no, name = ctx.goal_no[k.goal], ctx.goal_name[k.goal]
        return {
            0: "Nie da się wskazać celu strategii, który projekt realizuje.",
            1: "Powiązanie ze strategią tylko przez diagnozę; brak kierunku działań, w który się wpisuje.",
            2: f"Wpisuje się w kierunek działań celu {no}, ale nie wpływa na żaden wskaźnik strategii.",
            3: f"Realizuje kierunek działań celu {no}; wkład we wskaźnik „{k.indicator}”.",
            4: f"Wymieniony w strategii w celu {no} („{name}”); wskaźnik: {k.indicator}.",
            5: f"Przedsięwzięcie flagowe celu {no} („{name}”); bez niego cel nie zostanie osiągnięty.",
        }[v]
    if crit == "territorial_challenges":
        marg = [j.name for j in p.parts if j.kind != "P"][:2]
        where = (f"gmina {marg[0]} leży" if len(marg) == 1 else f"gminy {list_pl(marg)} leżą")
        return {
            0: "Projekt nie odpowiada na wyzwania wskazane w diagnozie obszaru.",
            1: "Związek z wyzwaniami diagnozy deklaratywny; głównie poprawa komfortu i estetyki.",
            2: f"Częściowo odpowiada na {k.challenge}; nie działa na przyczyny problemu.",
            3: f"Odpowiada wprost na {k.challenge}; opisana grupa docelowa i mechanizm oddziaływania.",
            4: (f"Odpowiada na {k.challenge}; {where} na obszarze zagrożonym trwałą marginalizacją."
                if ctx.spec.marg and marg else f"Odpowiada wprost na dwa wyzwania diagnozy: {k.challenge} oraz "
                                                f"odpływ młodych mieszkańców."),
            5: f"Odpowiada na kluczowe wyzwania obszaru zagrożonego trwałą marginalizacją: {k.challenge} oraz "
               f"depopulację.",
        }[v]
    if crit == "synergy":
        q = p.synergy_with
        if v == 0 or q is None:
            return "Brak powiązań z innymi projektami pakietu."
        return {
            1: f"Ten sam obszar co {q.pid} ({q.kind.short}), ale bez wspólnych elementów.",
            2: f"Wzmacnia efekty {q.pid} ({q.kind.short}).",
            3: f"Warunek pełnych efektów {q.pid} ({q.kind.short}): wspólna infrastruktura i harmonogram.",
        }[v]
    if crit == "readiness":
        if p.soft:
            return {
                0: "Tylko idea w fiszce; brak diagnozy potrzeb i modelu usługi.",
                1: "Wstępny model usługi; brak analizy potrzeb u partnerów.",
                2: f"Analiza potrzeb w toku (ankieta w {len(p.parts)} JST, wyniki w {ctx.future(1, 4)}).",
                3: "Analiza potrzeb gotowa; standard usługi i OPZ w przygotowaniu.",
                4: f"OPZ gotowy; porozumienie o wspólnej realizacji podpisane w {ctx.past(1, 8)}.",
                5: "Dokumentacja przetargowa gotowa; wniosek o dofinansowanie przygotowany do złożenia.",
            }[v]
        n_plots = rng.randint(3, 19)
        return {
            0: "Jedynie pomysł w fiszce; brak koncepcji, lokalizacji i szacunku kosztów.",
            1: f"Koncepcja z {ctx.past(3, 14)}; {n_plots} {plural(n_plots, 'działka', 'działki', 'działek')} do "
               f"wykupu od osób prywatnych.",
            2: rng.choice([f"PFU w przygotowaniu (odbiór w {ctx.future(2, 6)}); brak decyzji środowiskowej.",
                           f"Studium wykonalności w opracowaniu; teren w {rng.randint(60, 90)}% w dyspozycji gmin."]),
            3: f"Decyzja środowiskowa wydana w {ctx.past(1, 9)}; projekt budowlany zlecony, odbiór w "
               f"{ctx.future(3, 9)}.",
            4: rng.choice([f"Brak prawomocnego pozwolenia na budowę; wniosek złożony w {ctx.past(1, 5)}.",
                           f"Projekt budowlany kompletny; wniosek o pozwolenie na budowę złożony w {ctx.past(1, 5)}."]),
            5: f"Pozwolenie na budowę prawomocne od {ctx.past(1, 10)}; kosztorys inwestorski z {ctx.past(1, 6)}.",
        }[v]
    if crit == "institutional_capacity":
        return {
            0: "Brak wskazanego zespołu; urząd bez doświadczenia w projektach UE.",
            1: "Realizacja oparta na zewnętrznej firmie doradczej; w urzędzie jedna osoba do projektów.",
            2: f"Lider rozliczył jeden mniejszy projekt UE ({rng.randint(2017, 2023)}); brak zespołu projektowego.",
            3: "Zespół projektowy u lidera (3 osoby); partnerzy bez doświadczenia we wspólnej realizacji.",
            4: "Zespół lidera zrealizował podobny projekt w okresie 2014-2020; partnerzy współpracowali już "
               "przy wspólnych zamówieniach.",
            5: f"Biuro partnerstwa z {rng.randint(3, 6)} etatami i doświadczeniem w projektach partnerskich od "
               f"{rng.randint(2012, 2018)} r.",
        }[v]
    if crit == "implementation_risk":
        mgr = rng.choice(COUNTERPARTS.get(k.key, ["zarządcą drogi", "operatorem sieci dystrybucyjnej"]))
        if p.soft:
            return {
                1: "Standardowy zakres usług i dostaw; ryzyko ograniczone do terminów.",
                2: "Ryzyko małej liczby ofert w przetargu; zaplanowane działania zaradcze.",
                3: f"Napięty harmonogram i uzgodnienia między {len(p.parts)} JST; ryzyko nierozstrzygniętego przetargu.",
                4: "Brak zgody części partnerów co do zakresu i podziału kosztów utrzymania po okresie trwałości.",
                5: "Realizacja zależy od wspólnego operatora, którego partnerstwo jeszcze nie powołało, i od "
                   "długich terminów dostaw.",
            }[v]
        n_plots = rng.randint(4, 15)
        return {
            1: "Typowe roboty, sprawdzona technologia; rezerwa 10% w kosztorysie.",
            2: "Ryzyko wzrostu cen robót; rezerwa i klauzula waloryzacyjna zaplanowane.",
            3: f"Napięty harmonogram i uzgodnienia z {mgr}; ryzyko nierozstrzygniętego przetargu.",
            4: rng.choice(["Część zakresu w obszarze Natura 2000 – możliwe warunki RDOŚ; sprzeciw części "
                           "mieszkańców.",
                           f"Kosztorys z {ctx.past(10, 20)} nieaktualny – realny wzrost kosztów ponad 20%."]),
            5: f"Realizacja zależy od uzgodnień z {mgr} i {n_plots} "
               f"{plural(n_plots, 'działki', 'działek', 'działek')} o nieuregulowanym stanie prawnym.",
        }[v]
    if crit == "funding_identified":
        src = {"REG": f"programie {ctx.programme}", "FENIKS": "programie FEnIKS", "KPO": "KPO",
               "PL": "Rządowym Funduszu Polski Ład", "RFRD": "Rządowym Funduszu Rozwoju Dróg",
               "NFOS": "programie NFOŚiGW", "OWN": ""}[p.primary]
        src_gen = {"REG": f"programu {ctx.programme}", "FENIKS": "programu FEnIKS", "KPO": "KPO",
                   "PL": "Rządowego Funduszu Polski Ład", "RFRD": "Rządowego Funduszu Rozwoju Dróg",
                   "NFOS": "programu NFOŚiGW", "OWN": ""}[p.primary]
        src_acc = {"REG": f"program {ctx.programme}", "FENIKS": "program FEnIKS", "KPO": "KPO",
                   "PL": "Rządowy Fundusz Polski Ład", "RFRD": "Rządowy Fundusz Rozwoju Dróg",
                   "NFOS": "program NFOŚiGW", "OWN": ""}[p.primary]
        q, year = quarter_str(ctx.date, rng.randint(3, 12))
        if p.primary == "OWN":
            return {3: "Finansowanie wyłącznie z budżetów JST; brak próby pozyskania środków zewnętrznych.",
                    4: "Finansowanie w całości z budżetów JST, ujęte w WPF – bez ryzyka naboru."}.get(
                v, "Finansowanie wyłącznie z budżetów JST.")
        return {
            0: "Brak wskazanego źródła finansowania poza ogólnym „środki zewnętrzne”.",
            1: f"Wskazano {src_acc}, ale typ projektu nie jest tam wprost przewidziany (linia demarkacyjna).",
            2: f"Typ projektu kwalifikowalny w {src}; brak naboru w harmonogramie na {ctx.date.year + 1} r.",
            3: f"Nabór w {src} zapowiedziany na {q} kw. {year} r.; duża konkurencja w województwie.",
            4: (f"Projekt ujęty w instrumencie terytorialnym partnerstwa z alokacją w {src}." if p.primary == "REG"
                and ctx.spec.iit else f"Nabór w {src} otwarty do {ctx.future(1, 3)}; wniosek w przygotowaniu."),
            5: (f"Promesa z Rządowego Funduszu Polski Ład z {ctx.past(1, 8)}." if p.primary == "PL" else
                f"Projekt na liście projektów do dofinansowania z {src_gen} (instrument terytorialny)."
                if p.primary == "REG" else
                f"Umowa o dofinansowanie z {src_gen} podpisana w {ctx.past(1, 6)}."),
        }[v]
    if crit == "own_contribution":
        others = [j.name for j in p.partners if j.kind != "P"][:2]
        return {
            0: "Brak wskazania źródła wkładu własnego; przedsięwzięcie poza WPF.",
            1: "Deklaracje wójtów i burmistrzów bez ujęcia w WPF ani w uchwałach budżetowych.",
            2: (f"Wkład ujęty w WPF lidera; {list_pl(others)} bez uchwał." if others
                else "Wkład ujęty w WPF lidera na kwotę niższą niż wymagana."),
            3: "Wkład w WPF wszystkich JST, ale z kredytu; zdolność kredytowa niepotwierdzona opinią RIO.",
            4: "Wkład w WPF wszystkich uczestniczących JST z nadwyżki operacyjnej; relacja z art. 243 ufp "
               "zachowana.",
            5: f"Środki w budżetach na {ctx.date.year + 1} r. i rezerwa 10%; porozumienie o podziale kosztów "
               f"podpisane w {ctx.past(1, 8)}.",
        }[v]
    raise KeyError(crit)  # pragma: no cover


COUNTERPARTS = {
    "kanalizacja": ["Wodami Polskimi", "zarządem dróg wojewódzkich"], "suw": ["Wodami Polskimi"],
    "flood": ["Wodami Polskimi", "nadleśnictwem"], "trasa": ["zarządem dróg wojewódzkich", "nadleśnictwem"],
    "droga": ["zarządem dróg wojewódzkich", "PKP PLK"], "transport": ["PKP PLK", "zarządem dróg wojewódzkich"],
    "oze": ["operatorem sieci dystrybucyjnej"], "broadband": ["operatorem sieci dystrybucyjnej", "zarządcami dróg"],
    "sag": ["operatorem sieci dystrybucyjnej", "zarządem dróg wojewódzkich"],
    "rewitalizacja": ["wojewódzkim konserwatorem zabytków"], "kultura": ["wojewódzkim konserwatorem zabytków"],
    "turystyka": ["Wodami Polskimi", "nadleśnictwem"], "termo": ["wojewódzkim konserwatorem zabytków"],
    "dds": ["wojewódzkim konserwatorem zabytków"],
}

ELIGIBILITY_REASONS = {
    "droga": "Część zakresu to droga wewnętrzna – niekwalifikowalna w RFRD; do wyłączenia z projektu.",
    "broadband": "Część miejscowości objęta projektem operatora finansowanym z KPO – ryzyko podwójnego "
                 "finansowania; koszty w obecnym zakresie niekwalifikowalne.",
    "kultura": "Przebudowa sali widowiskowej bez funkcji społecznych poza katalogiem kosztów naboru na "
               "infrastrukturę kultury.",
    "termo": "Dwa budynki to komunalne budynki mieszkalne – niekwalifikowalne w działaniu dla budynków "
             "użyteczności publicznej.",
    "sag": "Uzbrojenie terenów bez zidentyfikowanego inwestora – niekwalifikowalne w programie regionalnym.",
    "turystyka": "Infrastruktura wyłącznie rekreacyjna (plaża, pomosty) – poza zakresem wsparcia turystyki.",
    "rewitalizacja": "Obszar projektu poza obszarem rewitalizacji wyznaczonym w GPR – koszty niekwalifikowalne.",
    "kanalizacja": "Aglomeracja poniżej 2 000 RLM – sieć zbiorcza niekwalifikowalna; kwalifikowalne byłyby "
                   "tylko przydomowe oczyszczalnie.",
    "suw": "Zakres obejmuje sieć rozdzielczą na terenach niezabudowanych – poza katalogiem kosztów "
           "kwalifikowalnych.",
    "oze": "Farma PV sprzedająca energię do sieci to działalność gospodarcza – pomoc publiczna "
           "nieprzewidziana w naborze.",
    "transport": "Zakup autobusów z napędem spalinowym – niekwalifikowalny; program finansuje tylko tabor "
                 "zeroemisyjny.",
    "dowozy": "Dowozy to zadanie własne gmin finansowane bieżąco; zakup autobusów szkolnych poza katalogiem "
              "programu.",
}


def gate_comment(ctx: Ctx, p: Proj) -> tuple[str, str]:
    if p.fail == "min_two_jst":
        return p.fail, (f"Projekt realizuje i finansuje wyłącznie {p.lead.full}; brak porozumienia z innymi JST – "
                        f"nie spełnia warunku udziału co najmniej dwóch JST.")
    if p.fail == "in_strategy":
        return p.fail, ctx.rng.choice([
            f"Projekt zgłoszony po przyjęciu strategii ({ctx.past(3, 12)}); nie figuruje w strategii ani w "
            f"projekcie jej aktualizacji.",
            f"Brak w strategii terytorialnej; zarząd partnerstwa planuje jej aktualizację w {ctx.future(2, 8)}."])
    reason = ELIGIBILITY_REASONS.get(p.kind.key, "Zakres rzeczowy wykracza poza typy projektów z regulaminu "
                                                 "naboru; do przeformułowania.")
    return "eligible_costs", reason


def salience(p: Proj, projects: list[Proj]) -> dict[str, float]:
    s = p.scores
    costs = [q.scores["cost_per_beneficiary"] for q in projects]
    out = {
        "readiness": 2.0 if s["readiness"] in (0, 1, 5) else 1.3 if s["readiness"] == 4 else 0.6,
        "implementation_risk": 2.0 if s["implementation_risk"] >= 4 else 0.8 if s["implementation_risk"] == 1 else 0.5,
        "funding_identified": 1.8 if s["funding_identified"] in (0, 1, 5) else 1.0 if s["funding_identified"] == 4
        else 0.6,
        "own_contribution": 1.6 if s["own_contribution"] in (0, 1, 5) else 0.6,
        "partnership_scope": 1.7 if s["partnership_scope"] in (1, 5) else 0.7,
        "territorial_challenges": 1.5 if s["territorial_challenges"] >= 4 else 0.9 if s["territorial_challenges"] <= 1
        else 0.4,
        "strategy_objective": 1.5 if s["strategy_objective"] in (1, 2, 5) else 0.6,
        "synergy": 1.3 if s["synergy"] in (0, 3) else 0.6,
        "cost_per_beneficiary": 1.8 if s["cost_per_beneficiary"] in (min(costs), max(costs)) else 0.3,
        "population_served": 0.8,
        "institutional_capacity": 1.4 if s["institutional_capacity"] in (0, 1, 5) else 0.4,
        "jst_count": 0.2,
    }
    if p.fail == "min_two_jst":
        out["partnership_scope"] = 0.2
    return out


def make_comments_cwd(ctx: Ctx, p: Proj, projects: list[Proj]) -> dict:
    rng = ctx.rng
    total = int(weighted(rng, {2: 0.35, 3: 0.45, 4: 0.20}))
    comments = {}
    if p.fail:
        gid, text = gate_comment(ctx, p)
        comments[gid] = text
    sal = salience(p, projects)
    keys = sorted(sal, key=lambda c: -sal[c] * rng.uniform(0.6, 1.4))
    for c in keys:
        if len(comments) >= total:
            break
        comments[c] = cwd_comment(ctx, p, c, projects)
    order = CWD_LEAVES + ["in_strategy", "min_two_jst", "eligible_costs"]
    gate_first = [c for c in comments if c not in CWD_LEAVES]
    return {c: comments[c] for c in gate_first + [c for c in order if c in comments and c in CWD_LEAVES]}


def make_comments_card(ctx: Ctx, p: Proj, projects: list[Proj]) -> dict:
    rng, c = ctx.rng, p.card
    base = sum(c[k] for k in CARD_LEAVES)
    bonus = c["obszar_marginalizacji"] + c["partnerstwo_ngo"]
    comments = {}
    if p.fail:
        if p.fail == "ujecie_w_strategii":
            comments[p.fail] = (f"Projekt zgłoszony po przyjęciu strategii ({ctx.past(3, 12)}); nie figuruje w "
                                f"strategii terytorialnej zaopiniowanej przez instytucję zarządzającą.")
        else:
            comments[p.fail] = rng.choice([
                "Wnioskodawcą ma być spółka komunalna, a nie JST lub jej związek – niekwalifikowalny w naborze.",
                ELIGIBILITY_REASONS.get(p.kind.key, "Typ projektu nie jest wymieniony w regulaminie naboru.")])
    no, name = ctx.goal_no[p.kind.goal], ctx.goal_name[p.kind.goal]
    texts = {
        "zgodnosc_strategia": {
            0: "Brak celu strategii, który projekt realizuje – poniżej minimum 5 pkt.",
            5: f"Wpisuje się tylko w kierunek działań celu {no}; brak wpływu na wskaźniki strategii.",
            7: f"Realizuje cel {no} („{name}”); wkład we wskaźnik „{p.kind.indicator}”.",
            10: f"Przedsięwzięcie kluczowe celu {no} strategii; wkład w kilka jej wskaźników.",
        }[c["zgodnosc_strategia"]],
        "wyzwania": {
            0: "Brak powiązania z wyzwaniami wskazanymi w diagnozie obszaru.",
            3: f"Częściowo odpowiada na {p.kind.challenge}.",
            6: f"Odpowiada wprost na {p.kind.challenge} oraz depopulację; opisany mechanizm oddziaływania.",
        }[c["wyzwania"]],
        "partnerstwo": {
            0: f"Projekt jednej JST ({p.lead.full}).",
            2: "Dwie JST, odrębne zadania bez wspólnego zarządzania.",
            4: f"Porozumienie międzygminne o wspólnej realizacji podpisane w {ctx.past(1, 10)}.",
            6: f"Umowa partnerska {len(p.parts)} JST z podziałem zadań i kosztów; lider – {p.lead.full}.",
            8: f"Umowa partnerska {len(p.parts)} JST, wspólny lider zarządzający – {p.lead.full}.",
            10: "Wszystkie JST partnerstwa; zarządzanie przez biuro partnerstwa.",
        }[c["partnerstwo"]],
        "gotowosc": ({
            0: "Jedynie wstępny model usługi – poniżej minimum 3 pkt; projekt nie przechodzi oceny mimo sumy "
               "punktów.",
            3: "Analiza potrzeb i standard usługi gotowe; brak opisu przedmiotu zamówienia.",
            6: f"OPZ gotowy; porozumienie o wspólnej realizacji podpisane w {ctx.past(1, 6)}.",
            9: "Dokumentacja przetargowa gotowa; usługa może ruszyć zaraz po podpisaniu umowy o dofinansowanie.",
        } if p.soft else {
            0: "Jedynie koncepcja – poniżej minimum 3 pkt; projekt nie przechodzi oceny mimo sumy punktów.",
            3: "Studium wykonalności gotowe, teren w dyspozycji; brak decyzji środowiskowej.",
            6: f"Dokumentacja techniczna kompletna; wniosek o pozwolenie na budowę złożony w {ctx.past(1, 5)}.",
            9: f"Pozwolenie na budowę prawomocne od {ctx.past(1, 10)}; projekt gotowy do przetargu.",
        })[c["gotowosc"]],
        "trwalosc": {
            0: "Brak opisu utrzymania efektów po zakończeniu projektu.",
            2: "Operator wskazany, ale koszty utrzymania bez zabezpieczenia w WPF.",
            4: "Koszty utrzymania ujęte w WPF; operator wyznaczony uchwałą.",
        }[c["trwalosc"]],
        "efektywnosc_kosztowa": {
            0: f"Koszt na odbiorcę {num(p.scores['cost_per_beneficiary'])} zł – ponad 120% wartości referencyjnej "
               f"dla tego typu projektu.",
            5: f"Koszt na odbiorcę {num(p.scores['cost_per_beneficiary'])} zł – w granicach wartości referencyjnej.",
            10: f"Koszt na odbiorcę {num(p.scores['cost_per_beneficiary'])} zł – poniżej 80% wartości "
                f"referencyjnej.",
        }[c["efektywnosc_kosztowa"]],
        "wskazniki": {
            0: "Brak wartości docelowych wskaźników.",
            2: "Tylko wskaźniki produktu; brak wskaźników rezultatu.",
            4: "Wskaźniki produktu i rezultatu z wartościami bazowymi i docelowymi.",
            6: f"Wskaźniki rezultatu zasilają wskaźnik strategii „{p.kind.indicator}”.",
        }[c["wskazniki"]],
        "obszar_marginalizacji": "Gminy projektu na liście obszarów zagrożonych trwałą marginalizacją – premia 5 pkt.",
        "partnerstwo_ngo": f"Partnerem jest Stowarzyszenie „Razem dla {ctx.area}” na podstawie umowy partnerskiej.",
    }
    below_min = c["zgodnosc_strategia"] < 5 or c["gotowosc"] < 3
    if base < 33 and not below_min:
        low = min(("gotowosc", "partnerstwo", "wyzwania", "efektywnosc_kosztowa", "wskazniki"),
                  key=lambda k: c[k])
        texts[low] += f" Suma {base} pkt poniżej progu 33 pkt (60%)."
    sal = {k: rng.uniform(0.3, 1.0) for k in CARD_LEAVES}
    for k in CARD_LEAVES:
        if (k == "gotowosc" and c[k] in (0, 9)) or (k == "zgodnosc_strategia" and c[k] in (0, 10)):
            sal[k] += 2.0
        if k == "efektywnosc_kosztowa" and c[k] in (0, 10):
            sal[k] += 1.0
    if base < 33 and not below_min:
        sal[low] += 3.0
    if bonus:
        sal["obszar_marginalizacji" if c["obszar_marginalizacji"] else "partnerstwo_ngo"] = rng.uniform(0.5, 1.6)
    total = int(weighted(rng, {2: 0.4, 3: 0.45, 4: 0.15}))
    for k in sorted(sal, key=lambda k: -sal[k]):
        if len(comments) >= total:
            break
        comments[k] = texts[k]
    if bonus and (base < 33 or below_min) and len(comments) < 4:
        comments["partnerstwo_ngo" if c["partnerstwo_ngo"] else "obszar_marginalizacji"] = \
            "Premia nie jest doliczana, bo projekt nie przechodzi oceny merytorycznej."
    order = CARD_LEAVES + CARD_BONUS
    gate_first = [k for k in comments if k not in order]
    return {k: comments[k] for k in gate_first + [k for k in order if k in comments]}


# --------------------------------------------------------------------------------------------
# weights: AHP helpers (plain Python) and the package overrides

RI = {3: 0.58, 4: 0.90}
SAATY = [1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9]

GROUP_CHILDREN = {
    "cwd": ["partnership_benefit", "strategy_fit", "feasibility", "funding"],
    "partnership_benefit": ["jst_count", "population_served", "partnership_scope"],
    "strategy_fit": ["strategy_objective", "territorial_challenges", "synergy"],
    "feasibility": ["readiness", "institutional_capacity", "implementation_risk"],
    "funding": ["funding_identified", "own_contribution", "cost_per_beneficiary"],
}
BASE_WEIGHTS = {
    "cwd": [0.35, 0.35, 0.19, 0.11],
    "partnership_benefit": [0.16, 0.30, 0.54],
    "strategy_fit": [0.45, 0.35, 0.20],
    "feasibility": [0.54, 0.16, 0.30],
    "funding": [0.40, 0.35, 0.25],
}
# how a role tilts the weights (multipliers by child id)
ROLE_TILT = {
    "advisor": {},
    "marshal": {"strategy_fit": 1.5, "strategy_objective": 1.4, "funding_identified": 1.3, "readiness": 1.3,
                "territorial_challenges": 1.2},
    "office": {"partnership_benefit": 1.4, "partnership_scope": 1.4, "synergy": 1.6, "institutional_capacity": 1.5,
               "jst_count": 1.3},
    "treasurer": {"funding": 1.9, "feasibility": 1.3, "own_contribution": 1.6, "cost_per_beneficiary": 1.5,
                  "implementation_risk": 1.5},
    "mayor": {"population_served": 1.5, "territorial_challenges": 1.4, "partnership_benefit": 1.2, "readiness": 1.2},
    "rops": {"territorial_challenges": 1.6, "population_served": 1.3, "strategy_fit": 1.2},
    "finance_expert": {"funding": 1.5, "funding_identified": 1.5, "readiness": 1.4, "feasibility": 1.3},
}


def saaty(ratio: float) -> float:
    """The nearest judgment on Saaty's scale, kept within 1/5 … 5 (no child here is 'very strongly' more
    important than another for a consistent expert)."""
    return min(SAATY[4:-4], key=lambda v: abs(math.log(v) - math.log(ratio)))


def cell(v: float) -> int | str:
    if v >= 1:
        return round(v)
    return f"1/{round(1 / v)}"


def full_matrix(upper: dict[tuple[int, int], float], n: int) -> list[list[float]]:
    a = [[1.0] * n for _ in range(n)]
    for (i, j), v in upper.items():
        a[i][j], a[j][i] = v, 1 / v
    return a


def consistency_ratio(a: list[list[float]]) -> float:
    n = len(a)
    w = [1.0 / n] * n
    for _ in range(500):
        aw = [sum(a[i][j] * w[j] for j in range(n)) for i in range(n)]
        s = sum(aw)
        w = [x / s for x in aw]
    aw = [sum(a[i][j] * w[j] for j in range(n)) for i in range(n)]
    lam = sum(aw[i] / w[i] for i in range(n)) / n
    return ((lam - n) / (n - 1)) / RI[n]


def aggregate(uppers: list[dict], weights: list[float], n: int) -> list[list[float]]:
    tot = sum(weights)
    agg = {}
    for key in uppers[0]:
        agg[key] = math.exp(sum(w * math.log(u[key]) for u, w in zip(uppers, weights)) / tot)
    return full_matrix(agg, n)


def expert_upper(rng: random.Random, group: str, role: str) -> dict:
    kids = GROUP_CHILDREN[group]
    n = len(kids)
    for _ in range(200):
        w = [b * ROLE_TILT[role].get(k, 1.0) * math.exp(rng.gauss(0, 0.22)) for b, k in zip(BASE_WEIGHTS[group], kids)]
        upper = {(i, j): saaty(w[i] / w[j]) for i in range(n) for j in range(i + 1, n)}
        if consistency_ratio(full_matrix(upper, n)) <= 0.08:
            return upper
    raise RuntimeError("no consistent matrix found")  # pragma: no cover


def make_mild(upper: dict, others: list[dict], weights: list[float], idx: int, n: int) -> dict:
    """Change one judgment so that this expert is mildly inconsistent (0.11 < CR < 0.22) while the
    panel's aggregated matrix stays consistent (CR ≤ 0.08). Deterministic: the smallest change wins."""
    best = None
    for key in sorted(upper):
        for v in SAATY[2:-2]:
            if v == upper[key]:
                continue
            trial = dict(upper)
            trial[key] = v
            cr = consistency_ratio(full_matrix(trial, n))
            if not 0.11 < cr < 0.22:
                continue
            panel = others[:idx] + [trial] + others[idx:]
            if consistency_ratio(aggregate(panel, weights, n)) > 0.08:
                continue
            step = abs(math.log(v) - math.log(upper[key]))
            cand = (step, abs(cr - 0.15), key, v)
            if best is None or cand < best:
                best = cand
    if best is None:
        raise RuntimeError("no mildly inconsistent variant found")  # pragma: no cover
    trial = dict(upper)
    trial[best[2]] = best[3]
    return trial


def role_label(ctx: Ctx, role: str) -> str:
    towns = [j for j in ctx.gminy if j.kind in ("M", "MiG")]
    rural = [j for j in ctx.gminy if j.kind == "G"]
    if role == "advisor":
        return "Doradca Partnerstwa"
    if role == "marshal":
        return f"Urząd Marszałkowski Województwa {ctx.marshal}"
    if role == "office":
        return "biuro partnerstwa"
    if role == "treasurer":
        j = ctx.rng.choice(ctx.gminy)
        return f"skarbnik {j.gen}"
    if role == "mayor":
        if rural and (not towns or ctx.rng.random() < 0.6):
            return f"wójt gminy {ctx.rng.choice(rural).name}"
        j = ctx.rng.choice(towns)
        return f"burmistrz {j.gen}"
    if role == "rops":
        return "Regionalny Ośrodek Polityki Społecznej"
    if role == "finance_expert":
        return "ekspert CWD ds. finansowania"
    raise KeyError(role)  # pragma: no cover


def panel(ctx: Ctx, group: str, roles: list[str], weights: list[int], advisor: str,
          mild: int | None = None) -> dict:
    rng = ctx.rng
    n = len(GROUP_CHILDREN[group])
    uppers = [expert_upper(rng, group, r) for r in roles]
    # the panel must agree well enough: aggregated matrix consistent
    for _ in range(50):
        if consistency_ratio(aggregate(uppers, weights, n)) <= 0.08:
            break
        uppers = [expert_upper(rng, group, r) for r in roles]
    if mild is not None:
        others = uppers[:mild] + uppers[mild + 1:]
        uppers[mild] = make_mild(uppers[mild], others, weights, mild, n)
    experts = []
    used_names = {advisor}
    for role, w, up in zip(roles, weights, uppers):
        if role == "advisor":
            name = advisor
        else:
            name = person(rng, used_names)
        used_names.add(name)
        a = full_matrix(up, n)
        experts.append({"expert": f"{name} ({role_label(ctx, role)})", "weight": w,
                        "matrix": [[cell(a[i][j]) if i != j else 1 for j in range(n)] for i in range(n)]})
    return {"pairwise": experts}


def direct(group: str, values: list[float]) -> dict:
    return {"weights": dict(zip(GROUP_CHILDREN[group], values))}


def make_weights(ctx: Ctx, key: str, advisor: str) -> dict:
    if key == "panel_feasibility":
        return {"feasibility": panel(ctx, "feasibility", ["advisor", "marshal", "office"], [2, 1, 1], advisor)}
    if key == "direct_funding":
        return {"funding": direct("funding", [0.5, 0.3, 0.2])}
    if key == "panel_root_mild":
        return {"cwd": panel(ctx, "cwd", ["advisor", "marshal", "mayor"], [2, 1, 1], advisor, mild=2)}
    if key == "direct_root_strategy":
        return {"cwd": direct("cwd", [0.30, 0.25, 0.30, 0.15]),
                "strategy_fit": direct("strategy_fit", [0.40, 0.40, 0.20])}
    if key == "panel_strategy":
        return {"strategy_fit": panel(ctx, "strategy_fit", ["advisor", "marshal", "office", "mayor"], [2, 1, 1, 1],
                                      advisor)}
    if key == "direct_feasibility":
        return {"feasibility": direct("feasibility", [0.5, 0.2, 0.3])}
    if key == "panel_benefit_direct_funding":
        return {"partnership_benefit": panel(ctx, "partnership_benefit", ["advisor", "office"], [1, 1], advisor),
                "funding": direct("funding", [0.45, 0.35, 0.20])}
    if key == "panel_root":
        return {"cwd": panel(ctx, "cwd", ["advisor", "marshal", "treasurer", "office"], [2, 1, 1, 1], advisor)}
    if key == "panel_funding_mild":
        return {"funding": panel(ctx, "funding", ["advisor", "treasurer", "finance_expert"], [2, 1, 1], advisor,
                                 mild=1)}
    if key == "direct_benefit":
        return {"partnership_benefit": direct("partnership_benefit", [0.2, 0.4, 0.4])}
    raise KeyError(key)  # pragma: no cover


# --------------------------------------------------------------------------------------------
# people

def person(rng: random.Random, taken: set[str]) -> str:
    while True:
        female = rng.random() < 0.5
        first = rng.choice(FIRST_F if female else FIRST_M)
        sur = rng.choice(SURNAMES)[1 if female else 0]
        name = f"{first} {sur}"
        if name not in taken:
            return name


# --------------------------------------------------------------------------------------------
# one package

def build_package(spec: Spec, n_fail: int, advisor: str) -> dict:
    rng = random.Random(f"{SEED}/{slugify(spec.name)}")
    programme, marshal, letter = VOIVODESHIPS[spec.voiv]
    area = next(spec.name[len(pre):] for pre in NAME_PREFIXES if spec.name.startswith(pre))
    start = dt.date(2026, 1, 12)
    date = start + dt.timedelta(days=rng.randint(0, 330))
    while date.weekday() >= 5:
        date += dt.timedelta(days=1)
    goals = ["work", "services", "env", "access"]
    order = goals[:]
    rng.shuffle(order)
    ctx = Ctx(spec, rng, make_jsts(spec, rng), area, programme, marshal, letter, date,
              goal_no={g: order.index(g) + 1 for g in goals},
              goal_name={g: rng.choice(GOAL_NAMES[g]) for g in goals})
    n_members = len(ctx.jsts)

    # kinds: weighted sample without replacement (a road needs a powiat or at least two gminy)
    pool = {k: kind.weight for k, kind in KINDS.items()}
    kinds = []
    for _ in range(spec.n):
        key = weighted(rng, pool)
        kinds.append(key)
        del pool[key]

    # which projects fail a gate, and which gate
    fails: list[str | None] = [None] * spec.n
    idx = rng.sample(range(spec.n), n_fail)
    for i in idx:
        if spec.card:
            fails[i] = rng.choice(["ujecie_w_strategii", "kwalifikowalnosc"])
        else:
            fails[i] = str(weighted(rng, {"min_two_jst": 0.55, "eligible_costs": 0.30, "in_strategy": 0.15}))
        if fails[i] == "min_two_jst" and not KINDS[kinds[i]].single_ok:
            spare = [k for k, kind in KINDS.items() if kind.single_ok and k not in kinds]
            if spare:
                kinds[i] = rng.choice(spare)
            else:
                fails[i] = "eligible_costs"

    projects: list[Proj] = []
    for i, key in enumerate(kinds):
        kind = KINDS[key]
        single = fails[i] == "min_two_jst" or (spec.card and kind.single_ok and rng.random() < 0.12)
        lead, partners = choose_participants(ctx, kind, single)
        p = Proj(f"P{i + 1:02d}", kind, lead, partners, fail=fails[i])
        base = participating_pop(ctx, p)
        share = rng.uniform(*kind.share)
        pop = base * share
        pop = round_to(pop, 10) if pop < 5000 else round_to(pop, 50)
        p.pop = max(40, pop)
        cost = p.pop * rng.uniform(*kind.unit)
        lo, hi = kind.cost
        if cost > hi:
            cost = hi * rng.uniform(0.72, 0.98)
        elif cost < lo:
            cost = lo * rng.uniform(1.02, 1.3)
        p.cost = round_to(cost, 10_000)
        p.soft = kind.soft
        p.title, p.description = title_and_description(ctx, p)
        make_funding(ctx, p)
        projects.append(p)

    # scores, with no eligible project dominating all the others
    for p in projects:
        p.scores = score_cwd(ctx, p, n_members)
        p.status = rng.choice((SOFT_STATUS if p.soft else CONSTRUCTION_STATUS)[p.scores["readiness"]])
    for p in projects:
        if p.scores["synergy"] > 0:
            p.synergy_with = pick_other(ctx, p, projects)
            if p.synergy_with is None:
                p.scores["synergy"] = 0
            elif p.synergy_with.kind.key not in RELATED.get(p.kind.key, []):
                p.scores["synergy"] = 1
    for _ in range(0 if spec.card else 20):
        top = dominator(projects, CWD_LEAVES, CWD_COST, "scores")
        if top is None:
            break
        s = top.scores
        choice = rng.choice(["readiness", "own_contribution", "implementation_risk", "institutional_capacity"])
        if choice == "implementation_risk":
            s[choice] = min(5, s[choice] + 1)
        else:
            s[choice] = max(0, s[choice] - 1)
        top.status = rng.choice((SOFT_STATUS if top.soft else CONSTRUCTION_STATUS)[s["readiness"]])

    if spec.card:
        for p in projects:
            p.card = score_card(ctx, p, n_members)
        for _ in range(20):
            top = dominator(projects, CARD_LEAVES, set(), "card")
            if top is None:
                break
            k = rng.choice(["trwalosc", "wskazniki", "wyzwania"])
            steps = {"wyzwania": [0, 3, 6], "trwalosc": [0, 2, 4], "wskazniki": [0, 2, 4, 6]}[k]
            top.card[k] = steps[max(0, steps.index(top.card[k]) - 1)]
        for p in projects:
            p.comments = make_comments_card(ctx, p, projects)
    else:
        for p in projects:
            p.comments = make_comments_cwd(ctx, p, projects)

    doc: dict = {
        "partnership": {"name": f"{spec.name} (fikcyjne)", "voivodeship": spec.voiv,
                        "members": [j.full for j in ctx.jsts]},
        "advisor": advisor,
        "date": date.isoformat(),
        "criteria": CARD_REF if spec.card else "cwd",
    }
    if spec.weights:
        doc["weights"] = make_weights(ctx, spec.weights, advisor)
    doc["projects"] = []
    for p in projects:
        if spec.card:
            scores = dict(p.card)
            gates = {"kwalifikowalnosc": p.fail != "kwalifikowalnosc",
                     "ujecie_w_strategii": p.fail != "ujecie_w_strategii"}
        else:
            scores = dict(p.scores)
            gates = {g: p.fail != g for g in ("in_strategy", "min_two_jst", "eligible_costs")}
        doc["projects"].append({
            "id": p.pid,
            "title": p.title,
            "lead_jst": p.lead.full,
            "partners": [j.full for j in p.partners],
            "cost": p.cost,
            "status": p.status,
            "description": p.description,
            "funding": p.funding,
            "scores": scores,
            "gates": gates,
            "comments": p.comments,
        })
    return doc


# --------------------------------------------------------------------------------------------
# output

def dumps(obj, indent: int = 0) -> str:
    """JSON with short lists of scalars (and matrix rows) kept on one line."""
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {dumps(v, indent + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if not obj:
            return "[]"
        if all(not isinstance(x, (dict, list)) for x in obj):
            line = "[" + ", ".join(json.dumps(x, ensure_ascii=False) for x in obj) + "]"
            if len(line) + len(inner) <= 120 or all(isinstance(x, (int, float)) for x in obj):
                return line
        items = [inner + dumps(x, indent + 1) for x in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(obj, ensure_ascii=False)


def generate(out: Path) -> list[Path]:
    specs = PARTNERSHIPS
    assert len(specs) == 38 and len({s.voiv for s in specs}) == 15, "38 partnerships in 15 voivodeships"
    all_names = [m for s in specs for m in s.members]
    assert len(all_names) == len(set(all_names)), "JST names must be unique"
    rng = random.Random(f"{SEED}/advisors")
    taken: set[str] = set()
    advisors = []
    for _ in specs:
        advisors.append(person(rng, taken))
        taken.add(advisors[-1])
    # gate failures spread evenly: about one project in twelve
    cum, fails = 0, []
    for s in specs:
        before = round(cum / 12)
        cum += s.n
        fails.append(round(cum / 12) - before)
    if out.exists():   # only our own files: stale packages from an earlier run go
        for f in sorted([*out.glob("*/*.json"), *out.glob("*/*.xlsx")]):
            f.unlink()
        for d in sorted(out.iterdir()):
            if d.is_dir() and not any(d.iterdir()):
                d.rmdir()
    written = []
    for s, n_fail, advisor in zip(specs, fails, advisors):
        doc = build_package(s, n_fail, advisor)
        path = out / s.voiv / f"{slugify(s.name)}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dumps(doc) + "\n", encoding="utf-8", newline="\n")
        if path.stem in AS_WORKBOOK:
            path = as_workbook(path)
        written.append(path)
    return written


#: packages delivered as filled Excel workbooks (the form advisors use), the rest as JSON
AS_WORKBOOK = {
    "partnerstwo-gmin-ziemi-zlotoborskiej",       # a panel of experts on feasibility
    "zwiazek-gmin-doliny-swidrzycy",              # a selection card
    "partnerstwo-gmin-ziemi-wrzoslawskiej",       # direct weights on funding
    "partnerstwo-gmin-ziemi-jastrzebnickiej",     # a panel on the root
    "porozumienie-gmin-polesia-lekawickiego",     # a selection card
}


def as_workbook(path: Path) -> Path:
    """Replace a package's JSON file by the filled Excel template (appraise template --from)."""
    import datetime as dt

    from appraisal.io.formats import load_package
    from appraisal.io.package_workbook import build_template
    from appraisal.io.xlsx import save_atomic

    pkg = load_package(path)
    wb = build_template(pkg.criteria_set, lang="pl", package=pkg)
    stamp = dt.datetime(2026, 11, 1, 12, 0, 0)  # fixed document dates (zip entries still carry the write time)
    wb.properties.created = wb.properties.modified = stamp
    target = path.with_suffix(".xlsx")
    save_atomic(wb, target)
    path.unlink()
    return target


def check(paths: list[Path]) -> int:
    from appraisal.io.formats import load_package

    bad = 0
    total = 0
    for f in paths:
        pkg = load_package(f)
        r = pkg.rank()
        total += len(pkg.projects)
        scores = sorted((x.score for x in r.results), reverse=True)
        ties = sum(1 for a, b in itertools.pairwise(scores) if abs(a - b) <= 1e-9)
        flag = "  TIES" if ties else ""
        bad += bool(ties)
        print(f"{f.parent.name}/{f.name}: {len(pkg.projects)} projects, {len(r.ineligible)} failing a gate, "
              f"top {r.results[0].id}{flag}")
    print(f"{len(paths)} packages, {total} projects")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default samples/pakiety)")
    ap.add_argument("--check", action="store_true", help="load and rank every package with appraisal")
    args = ap.parse_args(argv)
    paths = generate(args.out)
    print(f"wrote {len(paths)} packages to {args.out}")
    return check(paths) if args.check else 0


if __name__ == "__main__":
    sys.exit(main())
