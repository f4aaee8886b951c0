"""Writing a package's opinions into a folder, keeping the advisor's edits from the previous run.

Layout of ``DIR``: one ``<id>.docx``/``.md``/``.json`` per project (the id made safe for a file name:
Polish letters transliterated, never outside ``DIR``, see :func:`appraisal.batch.output_path`) and
the package bundle ``pakiet.docx``/``.md``/``.json``. The per-project JSON is always written: it is
the opinion's record, which the next run reads.

Regeneration into the same ``DIR`` (:func:`read_previous`):

- the advisor's text (7.2 recommendations, 8. notes) is taken from the previous JSON, or from the
  previous DOCX when the DOCX was edited: when the DOCX text differs from the JSON's, the DOCX wins —
  unless the DOCX still holds exactly what was written last time (the JSON records a digest of it),
  which means the JSON was the file edited, and then the JSON wins;
- the previous score, rank and category (from the JSON) feed the opinion's "what changed" block.

A previous file that cannot be read stops the run (exit 2) rather than silently losing the text.
Markdown files are output only and are not read back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..criteria import InputError
from ..opinions import (
    Opinion,
    OpinionBundle,
    Previous,
    Recommendation,
    RobustnessRun,
    advisor_digest,
    build_bundle,
    build_opinions,
)

FORMATS = ("docx", "md", "json")
BUNDLE_STEM = "pakiet"


def parse_formats(text: str) -> list[str]:
    """``docx,md,json`` → the formats in that order; a clear error for anything else."""
    out = []
    for part in (t.strip().lower() for t in text.split(",")):
        if not part:
            continue
        if part not in FORMATS:
            raise InputError(f"unknown format {part!r}; use any of {', '.join(FORMATS)} (comma-separated)",
                             where="--format")
        if part not in out:
            out.append(part)
    if not out:
        raise InputError(f"no format given; use any of {', '.join(FORMATS)}", where="--format")
    return out


def file_stems(out_dir: Path, project_ids: list[str]) -> dict[str, Path]:
    """Each project's file path without extension, safe and unique inside ``out_dir``."""
    from ..batch import output_path

    taken = {BUNDLE_STEM}
    # one flat folder: the parts of an id with '/' are joined by '-' (output_path would make sub-folders)
    return {pid: output_path(out_dir, "", "-".join(t for t in pid.split("/") if t not in ("", ".", "..")) or "_",
                             "", taken) for pid in project_ids}


def _with(stem: Path, ext: str) -> Path:
    return stem.parent / f"{stem.name}.{ext}"


def _read_json(path: Path) -> dict | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the earlier opinion ({exc}); the advisor's text in it would be lost — "
                         f"repair or remove the file", source=str(path)) from None
    return doc if isinstance(doc, dict) else None


def _text(value) -> str:
    return value if isinstance(value, str) else ""


@dataclass
class Previously:
    previous: dict[str, Previous] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def read_previous(stems: dict[str, Path]) -> Previously:
    """What the last run left for each project (see the module docstring)."""
    from .docx import read_advisor_sections

    out = Previously()
    for pid, stem in stems.items():
        jpath, dpath = _with(stem, "json"), _with(stem, "docx")
        j = _read_json(jpath) if jpath.exists() else None
        if j is not None and (j.get("kind") != "opinion"
                              or (j.get("identification") or {}).get("project_id") != pid):
            out.notes.append(f"{jpath}: not the opinion of project {pid}; not used")
            j = None
        adv = (j or {}).get("advisor") or {}
        jn, jr = _text(adv.get("notes")), _text(adv.get("recommendations"))
        digest = _text(adv.get("written_digest"))
        notes, recs, source = jn, jr, "json"
        if dpath.exists():
            d = read_advisor_sections(dpath)
            dn, dr = d.get("notes", jn), d.get("recommendations", jr)
            if (dn, dr) != (jn, jr):
                if j is not None and digest and advisor_digest(dn, dr) == digest:
                    out.notes.append(f"{pid}: advisor's text taken from {jpath.name} (edited there; "
                                     f"{dpath.name} was as generated)")
                else:
                    if j is not None and digest and advisor_digest(jn, jr) != digest:
                        out.notes.append(f"{pid}: advisor's text edited in both {dpath.name} and {jpath.name}; "
                                         f"the DOCX text was kept")
                    else:
                        out.notes.append(f"{pid}: advisor's text taken from {dpath.name} (edited in Word)")
                    notes, recs, source = dn, dr, "docx"
        if j is None and not (notes or recs):
            continue
        rec = j.get("recommendation") if j else None
        try:
            category = Recommendation(rec) if rec is not None else None
        except ValueError:
            category = None
        score = j.get("score") if j else None
        rank = j.get("rank") if j else None
        out.previous[pid] = Previous(
            notes=notes, recommendations=recs, source=source,
            score=float(score) if isinstance(score, (int, float)) and not isinstance(score, bool) else None,
            rank=rank if isinstance(rank, int) and not isinstance(rank, bool) else None,
            recommendation=category, input_hash=((j or {}).get("identification") or {}).get("input_hash"),
            known=j is not None)
    return out


@dataclass
class Written:
    opinions: list[Opinion]
    bundle: OpinionBundle
    files: dict[str, list[Path]]  # project id → files written
    bundle_files: list[Path]
    notes: list[str]


def write_opinions(ranking, out_dir: str | Path, formats: list[str] | None = None, lang: str = "pl",
                   rules=None, robustness: RobustnessRun | None = None, advisor: str | None = None,
                   date=None) -> Written:
    """Build every opinion of the ranked package and write them (and the bundle) into ``out_dir``."""
    from ..opinions import rules_for

    formats = list(formats or FORMATS)
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("exists and is not a folder", source=str(out_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    rules = rules_for(ranking, rules)
    pkg = ranking.package
    ids = [p.id for p in pkg.projects] if pkg is not None else list(ranking.alternatives)
    stems = file_stems(out_dir, ids)
    prev = read_previous(stems)
    opinions = build_opinions(ranking, rules, prev.previous, robustness, lang, advisor, date)
    files: dict[str, list[Path]] = {}
    for op in opinions:
        pid = op.identification.project_id
        stem = stems[pid]
        paths = []
        if "docx" in formats:
            from .docx import write_opinion_docx

            paths.append(write_opinion_docx(op, _with(stem, "docx")))
        if "md" in formats:
            from .markdown import write_opinion_markdown

            paths.append(write_opinion_markdown(op, _with(stem, "md")))
        paths.append(_write_json(_with(stem, "json"), op))  # the record, always
        files[pid] = paths
    bundle = build_bundle(ranking, opinions, lang, {pid: stems[pid].name for pid in stems}, robustness, rules)
    bstem = out_dir / BUNDLE_STEM
    paths = []
    if "docx" in formats:
        from .docx import write_bundle_docx

        paths.append(write_bundle_docx(bundle, _with(bstem, "docx")))
    if "md" in formats:
        from .markdown import write_bundle_markdown

        paths.append(write_bundle_markdown(bundle, _with(bstem, "md")))
    if "json" in formats:
        paths.append(_write_json(_with(bstem, "json"), bundle))
    return Written(opinions, bundle, files, paths, prev.notes)


def _write_json(path: Path, model) -> Path:
    from .files import atomic_write_json

    return atomic_write_json(path, model.model_dump(mode="json"))
