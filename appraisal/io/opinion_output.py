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
- the advisor's comments per criterion typed into the comment column of the section-3 table are read
  back too: a cell that differs from what was written there last time is the advisor's, and it wins
  over the package's comment on that criterion — in this run and the later ones (kept in the JSON's
  ``advisor.comments``; the package's comment is shown again only when that entry is removed);
- the previous score, rank and category (from the JSON) feed the opinion's "what changed" block; when
  the previous opinion came from the same inputs (same input hash), its change block is carried over;
- a DOCX whose advisor text was edited is copied to ``<id>.prev.docx`` (overwritten each run) before it
  is replaced;
- a folder holding the opinions of another package (another partnership; or not one project title in
  common) stops the run, and so does a previous ``<id>.json`` that is not an opinion.

Every target path is checked before anything is written (a folder in place of a file stops the run).

A previous file that cannot be read stops the run (exit 2) rather than silently losing the text.
Markdown files are output only and are not read back.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..criteria import InputError
from ..opinions import (
    ChangeBlock,
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


def _read_json(path: Path) -> dict:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the earlier opinion ({exc}); the advisor's text in it would be lost — "
                         f"repair or remove the file", source=str(path)) from None
    if not isinstance(doc, dict) or doc.get("kind") != "opinion":
        raise InputError("is not an opinion (a JSON object with \"kind\": \"opinion\"), but the next opinion "
                         "would be written over it; move or remove it, or use another -o folder", source=str(path))
    return doc


def _text(value) -> str:
    return value if isinstance(value, str) else ""


@dataclass
class Previously:
    previous: dict[str, Previous] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    backups: dict[str, Path] = field(default_factory=dict)  # project id → a DOCX with the advisor's edits


def _word_comments(j: dict | None, rows: list[tuple[str, str]]) -> dict[str, str]:
    """Criterion id → the comment typed in the DOCX's section-3 table, for each cell that differs from
    what was written there last time (the previous JSON's comment); rows matched by criterion label."""
    if j is None:
        return {}
    crits = [c for c in (j.get("criteria") or []) if isinstance(c, dict)]
    by_label = {_text(c.get("label")): c for c in crits}
    out = {}
    for k, (label, cell) in enumerate(rows):
        c = crits[k] if k < len(crits) and _text(crits[k].get("label")) == label else by_label.get(label)
        if c is None or not isinstance(c.get("id"), str):
            continue
        if cell.strip() != _text(c.get("comment")).strip():
            out[c["id"]] = cell.strip()
    return out


def read_previous(stems: dict[str, Path], partnership: str | None = None,
                  titles: dict[str, str] | None = None) -> Previously:
    """What the last run left for each project (see the module docstring).

    Opinions of another package stop the run (InputError): a previous opinion naming another
    partnership than ``partnership``, or previous opinions none of whose project titles matches
    ``titles`` (a single changed title is only noted: the package's own title was edited)."""
    from .docx import read_advisor_docx

    out = Previously()
    title_checks: list[tuple[str, str, str]] = []  # (project id, previous title, current title)
    for pid, stem in stems.items():
        jpath, dpath = _with(stem, "json"), _with(stem, "docx")
        j = _read_json(jpath) if jpath.exists() else None
        ident = (j or {}).get("identification") or {}
        if j is not None and partnership is not None and ident.get("partnership") != partnership:
            folder = stem.parent
            raise InputError(f"{folder} holds the opinions of another package ({ident.get('partnership')}); "
                             f"use another -o folder")
        if j is not None and ident.get("project_id") != pid:
            out.notes.append(f"{jpath}: not the opinion of project {pid}; not used")
            j = None
        if j is not None and titles is not None and pid in titles:
            title_checks.append((pid, _text(ident.get("project_title")), titles[pid]))
        adv = (j or {}).get("advisor") or {}
        jn, jr = _text(adv.get("notes")), _text(adv.get("recommendations"))
        digest = _text(adv.get("written_digest"))
        jc = adv.get("comments") if isinstance(adv.get("comments"), dict) else {}
        comments = {k: v for k, v in jc.items() if isinstance(k, str) and isinstance(v, str)}
        notes, recs, source = jn, jr, "json"
        if dpath.exists():
            d = read_advisor_docx(dpath)
            dn, dr = d.sections.get("notes", jn), d.sections.get("recommendations", jr)
            word = _word_comments(j, d.comments)
            if word:
                comments.update(word)
                out.notes.append(f"{pid}: advisor's comments on {', '.join(sorted(word))} taken from {dpath.name} "
                                 f"(edited in Word)")
            edited = bool(word) or (advisor_digest(dn, dr) != digest if j is not None and digest
                                    else (dn, dr) != (jn, jr))
            if edited:
                out.backups[pid] = dpath
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
        if j is None and not (notes or recs or comments):
            continue
        rec = j.get("recommendation") if j else None
        try:
            category = Recommendation(rec) if rec is not None else None
        except ValueError:
            category = None
        score = j.get("score") if j else None
        rank = j.get("rank") if j else None
        try:
            changes = ChangeBlock.model_validate(j["changes"]) if j and j.get("changes") else None
        except ValidationError:
            changes = None
        out.previous[pid] = Previous(
            notes=notes, recommendations=recs, source=source,
            score=float(score) if isinstance(score, (int, float)) and not isinstance(score, bool) else None,
            rank=rank if isinstance(rank, int) and not isinstance(rank, bool) else None,
            recommendation=category, input_hash=ident.get("input_hash") if j else None,
            known=j is not None, changes=changes, comments=comments)
    if title_checks and all(old != new for _, old, new in title_checks):
        folder = next(iter(stems.values())).parent
        raise InputError(f"{folder} holds the opinions of another package ({partnership}, other project titles: "
                         f"{title_checks[0][0]} was “{title_checks[0][1]}”); use another -o folder")
    out.notes.extend(f"{pid}: project title changed from “{old}” to “{new}”; the advisor's text is kept"
                     for pid, old, new in title_checks if old != new)
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
    _make_folder(out_dir)
    rules = rules_for(ranking, rules)
    pkg = ranking.package
    ids = [p.id for p in pkg.projects] if pkg is not None else list(ranking.alternatives)
    stems = file_stems(out_dir, ids)
    _check_targets(out_dir, stems, formats)
    if pkg is not None:
        _check_bundle_owner(out_dir, pkg.partnership.name)
    prev = read_previous(stems, pkg.partnership.name if pkg is not None else None,
                         {p.id: p.title for p in pkg.projects} if pkg is not None else None)
    opinions = build_opinions(ranking, rules, prev.previous, robustness, lang, advisor, date)
    files: dict[str, list[Path]] = {}
    for op in opinions:
        pid = op.identification.project_id
        stem = stems[pid]
        paths = []
        if "docx" in formats:
            from .docx import write_opinion_docx

            if pid in prev.backups:  # the advisor's edited DOCX, kept before it is replaced
                _copy(prev.backups[pid], _with(stem, "prev.docx"))
                prev.notes.append(f"{pid}: the edited {stem.name}.docx kept as {stem.name}.prev.docx")
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


def _make_folder(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("exists and is not a folder", source=str(out_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a path under a file, no permission, …
        raise InputError(f"cannot create the folder: {exc.strerror or exc}", source=str(out_dir)) from None


def _check_targets(out_dir: Path, stems: dict[str, Path], formats: list[str]) -> None:
    """Every file the run will write, checked before any is written: none may be a folder."""
    targets = []
    for stem in stems.values():
        targets += [_with(stem, ext) for ext in formats if ext != "json"] + [_with(stem, "json")]
        if "docx" in formats:
            targets.append(_with(stem, "prev.docx"))
    targets += [_with(out_dir / BUNDLE_STEM, ext) for ext in formats]
    for path in targets:
        if path.is_dir():
            raise InputError("is a folder, but an opinion file is to be written there; remove or rename it",
                             source=str(path))
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise InputError("cannot write into this folder (permission denied)", source=str(out_dir))


def _check_bundle_owner(out_dir: Path, partnership: str) -> None:
    """The previous bundle (``pakiet.json``) must be this partnership's too, even when no project id is shared."""
    path = _with(out_dir / BUNDLE_STEM, "json")
    if not path.is_file():
        return
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # output only: a damaged bundle is simply written again
    if isinstance(doc, dict) and doc.get("kind") == "opinion_bundle" and doc.get("partnership") != partnership:
        raise InputError(f"{out_dir} holds the opinions of another package ({doc.get('partnership')}); "
                         f"use another -o folder")


def _copy(src: Path, dst: Path) -> Path:
    from .files import atomic_write

    return atomic_write(dst, lambda tmp: shutil.copyfile(src, tmp))


def _write_json(path: Path, model) -> Path:
    from .files import atomic_write_json

    return atomic_write_json(path, model.model_dump(mode="json"))
