"""The bundled samples, and a one-line summary per partnership (used by ``appraise demo``)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .criteria import InputError

PACKAGE_SUFFIXES = (".json", ".toml", ".xlsx")


def samples_dir() -> Path:
    """The folder of the bundled samples (a real folder: the package is installed unzipped)."""
    return Path(str(resources.files("appraisal.samples")))


def bundled_packages() -> list[Path]:
    """Every package of the pilot partnerships under ``samples/pakiety/<voivodeship>/``."""
    root = samples_dir() / "pakiety"
    if not root.is_dir():
        return []
    found = [p for p in root.rglob("*") if p.suffix.lower() in PACKAGE_SUFFIXES and p.is_file()]
    return sorted(found, key=lambda p: [polish_key(part) for part in p.relative_to(root).parts])


_ORDER = "aąbcćdeęfghijklłmnńoóprsśtuvwxyzźż"


def polish_key(text: str) -> list[int]:
    """Sort key in Polish alphabetical order (ł after l, ś after s, …)."""
    return [_ORDER.index(ch) if ch in _ORDER else 100 + ord(ch) for ch in text.lower()]


@dataclass
class PartnershipLine:
    file: str
    voivodeship: str
    partnership: str
    projects: int
    eligible: int
    top_id: str
    top_title: str
    top_score: float
    error: str | None = None


def summarise(paths: list[Path], method: str = "topsis") -> list[PartnershipLine]:
    """Rank each package; a package that cannot be read or ranked is reported, the rest still run."""
    from .package import load_package

    out = []
    for path in paths:
        try:
            pkg = load_package(path)
            rk = pkg.rank("points" if method == "points" else method)
        except InputError as exc:
            out.append(PartnershipLine(str(path), path.parent.name, path.stem, 0, 0, "", "", float("nan"), str(exc)))
            continue
        top = rk.results[0]
        out.append(PartnershipLine(str(path), pkg.partnership.voivodeship or path.parent.name, pkg.partnership.name,
                                   len(pkg.projects), len(rk.results), top.id, top.title or "", top.score))
    return out
