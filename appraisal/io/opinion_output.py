"""Writing a package's opinions into a folder, keeping the advisor's edits from the previous run.

Layout of ``DIR``: one ``<id>.docx``/``.md``/``.json`` per project and the package bundle
``pakiet.docx``/``.md``/``.json``. The per-project JSON is always written: it is the opinion's record,
which the next run reads. File names (:func:`file_stems`): the id made safe for a file name (Polish
letters transliterated, lower case, the parts of an id with '/' joined by '-', never outside ``DIR``,
never hidden, so never the lock file); ids that would share a name (``P01``/``p01``, ``a/b``/``a-b``),
the id ``pakiet`` and ids ending in ``.prev`` get ``-<8 hex of sha256(id)>`` — every id of a shared
name, so the names depend on the set of ids, never on their order. Files an earlier run left under
the plain name (or the ``-2``, ``-3`` … of earlier versions) are read only when their JSON names
exactly this project, and are then moved to the project's new name.

A run holds ``DIR/.appraise.lock`` (:func:`appraisal.io.files.folder_lock`) from before it reads the
earlier files until it has written the last one: a second run into ``DIR`` meanwhile stops (exit 2).

Regeneration into the same ``DIR`` (:func:`read_previous`):

- the advisor's text (7.2 recommendations, 8. notes) is taken from the previous JSON, or from the
  previous DOCX when the DOCX was edited: when the DOCX text differs from the JSON's, the DOCX wins —
  unless the DOCX still holds exactly what was written last time (the JSON records a digest of it),
  which means the JSON was the file edited, and then the JSON wins. The DOCX is read as Word shows it
  with the changes accepted (content controls, field results, smart tags, custom XML included); a
  tracked change not yet accepted or rejected in 7.2, 8 or the comment column stops the run (exit 2,
  nothing written): see :func:`appraisal.io.docx.read_advisor_docx`;
- the advisor's comments per criterion typed into the comment column of the section-3 table are read
  back too: a cell that differs from what was written there last time is the advisor's, and it wins
  over the package's comment on that criterion — in this run and the later ones (kept in the JSON's
  ``advisor.comments``; the package's comment is shown again only when that entry is removed);
- texts are compared as they are written: line ends as LF, characters XML cannot carry dropped
  (:func:`appraisal.io.opinion_layout.clean_text`), so a CRLF or a control character is never an edit;
- the previous score, rank and category (from the JSON) feed the opinion's "what changed" block; when
  the previous opinion came from the same inputs (same input hash), its change block is carried over;
- a DOCX that is not the file last written (its sha256 differs from the JSON's ``advisor.docx_digest``,
  or no digest is recorded) is copied to ``<id>.prev.docx`` (overwritten each run) before it is replaced;
- a folder holding the opinions of another package (another partnership; or not one project title in
  common) stops the run, and so does a previous ``<id>.json`` that is not a valid opinion (checked
  against :class:`~appraisal.opinions.Opinion`), or is the opinion of another project id (it would be
  written over), and a ``pakiet.json`` that is not a valid bundle when the bundle is to be written.

Bounded reads, regular files only: a previous ``<id>.json`` up to :data:`MAX_RECORD_BYTES`,
``pakiet.json`` up to :data:`MAX_BUNDLE_BYTES`, a DOCX up to
:data:`~appraisal.io.docx.MAX_DOCX_BYTES` (its document.xml and styles.xml up to
:data:`~appraisal.io.docx.MAX_DOCX_PART_BYTES` unpacked each).

Every target path is checked before anything is written (a folder in place of a file stops the run).

A previous file that cannot be read stops the run (exit 2) rather than silently losing the text.
Markdown files are output only and are not read back.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..criteria import i18n
from ..criteria.errors import InputError
from ..criteria.i18n import _, ngettext
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
    language,
    quote,
)
from .opinion_layout import clean_text

FORMATS = ("docx", "md", "json")
BUNDLE_STEM = "pakiet"
#: the largest earlier record read back: a project's ``<id>.json``, and the bundle ``pakiet.json``
MAX_RECORD_BYTES = 20 * 1024 * 1024
MAX_BUNDLE_BYTES = 64 * 1024 * 1024


def parse_formats(text: str) -> list[str]:
    """``docx,md,json`` → the formats in that order; a clear error for anything else."""
    out = []
    for part in (t.strip().lower() for t in text.split(",")):
        if not part:
            continue
        if part not in FORMATS:
            raise InputError(_("unknown format {format!r}; use any of {formats} (comma-separated)").format(
                format=part, formats=", ".join(FORMATS)), param="format")
        if part not in out:
            out.append(part)
    if not out:
        raise InputError(_("no format given; use any of {formats}").format(formats=", ".join(FORMATS)),
                         param="format")
    return out


def _base_stem(pid: str) -> str:
    """A project id made safe for a file name (one flat folder: the parts of an id with '/' joined by '-')."""
    from ..batch import safe_part

    return safe_part("-".join(t for t in pid.split("/") if t not in ("", ".", "..")) or "_")


def _id_hash(pid: str) -> str:
    return hashlib.sha256(pid.encode("utf-8", "surrogatepass")).hexdigest()


def _stem_names(project_ids: list[str]) -> dict[str, str]:
    """Project id → file stem, from the set of ids alone (never from their order). An id whose safe name
    is shared with another id of the package (``P01``/``p01``, ``a/b``/``a-b``), is the bundle's
    (``pakiet``) or would make another's backup name (ends in ``.prev``) gets a suffix from the hash of
    the exact id — every id of a shared name, not only the later ones — lengthened until no two meet."""
    bases = {pid: _base_stem(pid) for pid in project_ids}
    count = Counter(bases.values())
    length = {pid: 8 if count[b] > 1 or b == BUNDLE_STEM or b.endswith(".prev") else 0 for pid, b in bases.items()}
    while True:
        names = {pid: bases[pid] + (f"-{_id_hash(pid)[:n]}" if n else "") for pid, n in length.items()}
        seen = Counter(names.values())
        clash = [pid for pid, name in names.items() if seen[name] > 1]
        if not clash:
            return names
        for pid in clash:
            if length[pid] == 64:  # pragma: no cover - two ids with one sha256
                raise InputError(_("cannot give project {project!r} a file name of its own").format(project=pid))
            length[pid] = {0: 8, 8: 16, 16: 64}[length[pid]]


def file_stems(out_dir: Path, project_ids: list[str]) -> dict[str, Path]:
    """Each project's file path without extension, safe and unique inside ``out_dir`` (see :func:`_stem_names`)."""
    root = out_dir.resolve()
    out = {}
    for pid, name in _stem_names(project_ids).items():
        path = out_dir / name
        if root not in path.resolve().parents:
            raise InputError(_("refusing to write outside the output folder: {path}").format(path=path))
        out[pid] = path
    return out


def _earlier_stems(out_dir: Path, project_ids: list[str], stems: dict[str, Path]) -> dict[str, list[Path]]:
    """Where an earlier run may have put the files of a project whose stem now carries a hash: the plain
    safe name, and the ``-2``, ``-3`` … names that earlier versions gave in package order. Names that
    are now another project's (or the bundle's) are left out."""
    bases = {pid: _base_stem(pid) for pid in project_ids}
    count = Counter(bases.values())
    current = {p.name for p in stems.values()} | {BUNDLE_STEM}
    out = {}
    for pid, stem in stems.items():
        b = bases[pid]
        if stem.name == b:
            continue
        names = [b] + [f"{b}-{n}" for n in range(2, count[b] + 2)]
        out[pid] = [out_dir / n for n in names if n not in current]
    return out


def _with(stem: Path, ext: str) -> Path:
    return stem.parent / f"{stem.name}.{ext}"


def _read_record(path: Path, limit: int, what: str) -> tuple[object, str | None]:
    """A JSON file read with a bounded read (regular files only): (the document, None), or (None, why not)."""
    from ..criteria.documents import read_limited

    data = read_limited(path, limit, what)
    try:
        return json.loads(data.decode("utf-8-sig")), None
    except UnicodeDecodeError as exc:
        return None, _("not UTF-8 text (byte {byte})").format(byte=exc.start)
    except RecursionError:
        return None, _("nested too deeply")
    except ValueError as exc:
        return None, str(exc)


def _first_problem(exc: ValidationError) -> str:
    from ..criteria.problems import error_message, format_loc

    errs = exc.errors(include_url=False)
    e = errs[0]
    n = len(errs) - 1
    more = " " + ngettext("(and {n} more)", "(and {n} more)", n).format(n=n) if n else ""
    return f"{format_loc(tuple(e.get('loc', ())))}: {error_message(e)}{more}"


def _read_json(path: Path) -> dict:
    """An earlier opinion record, checked against the :class:`Opinion` model (one line, exit 2 otherwise)."""
    doc, why = _read_record(path, MAX_RECORD_BYTES, _("the earlier opinion"))
    if why is not None:
        raise InputError(_("cannot read the earlier opinion ({why}); the advisor's text in it would be lost — "
                           "repair or remove the file").format(why=why), source=str(path))
    if not isinstance(doc, dict) or doc.get("kind") != "opinion":
        raise InputError(_("is not an opinion (a JSON object with \"kind\": \"opinion\"), but the next opinion "
                           "would be written over it; move or remove it, or use another -o folder"), source=str(path))
    try:
        Opinion.model_validate(doc)
    except ValidationError as exc:
        raise InputError(_("is not a valid opinion ({problem}); the advisor's text in it would be lost — repair "
                           "or remove the file").format(problem=_first_problem(exc)), source=str(path)) from None
    except RecursionError:  # pragma: no cover - json.loads refuses such nesting first
        raise InputError(_("cannot read the earlier opinion (nested too deeply); repair or remove the file"),
                         source=str(path)) from None
    return doc


def _text(value) -> str:
    return clean_text(value) if isinstance(value, str) else ""


@dataclass
class Previously:
    previous: dict[str, Previous] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    backups: dict[str, Path] = field(default_factory=dict)  # project id → a DOCX to keep as <id>.prev.docx
    docx_digests: dict[str, str] = field(default_factory=dict)  # project id → digest of the DOCX last written
    moves: dict[str, Path] = field(default_factory=dict)  # project id → the stem its earlier files are under


def _word_comments(j: dict | None, rows: list[tuple[str, str]]) -> dict[str, str]:
    """Criterion id → the comment typed in the DOCX's section-3 table, for each cell that differs from
    what was written there last time (the previous JSON's comment); rows matched by criterion label.
    Both sides compared as written (line ends as LF, no control characters)."""
    if j is None:
        return {}
    crits = [c for c in (j.get("criteria") or []) if isinstance(c, dict)]
    by_label = {_text(c.get("label")): c for c in crits}
    out = {}
    for k, (label, cell) in enumerate(rows):
        c = crits[k] if k < len(crits) and _text(crits[k].get("label")) == label else by_label.get(label)
        if c is None or not isinstance(c.get("id"), str):
            continue
        cell = clean_text(cell).strip()
        if cell != _text(c.get("comment")).strip():
            out[c["id"]] = cell
    return out


def _earlier_record(pid: str, candidates: list[Path]) -> tuple[Path, dict] | None:
    """The first of ``candidates`` whose JSON is the opinion of exactly ``pid`` (others are not read)."""
    for stem in candidates:
        jpath = _with(stem, "json")
        if not jpath.is_file():
            continue
        try:
            j = _read_json(jpath)
        except InputError:
            continue  # not ours to read (nor to write: these names are no project's now)
        if ((j.get("identification") or {}).get("project_id")) == pid:
            return stem, j
    return None


def _criteria_named(labels: dict[str, str] | None, j: dict | None, ids: list[str]) -> str:
    """The criteria ``ids`` by their labels, as a reader knows them: the criteria set's, in the current
    language (``labels``), else those of the earlier opinion ``j``; the id only when neither names it."""
    earlier = {c.get("id"): _text(c.get("label")) for c in ((j or {}).get("criteria") or []) if isinstance(c, dict)}
    return ", ".join(quote((labels or {}).get(i) or earlier.get(i) or i) for i in ids)


def read_previous(stems: dict[str, Path], partnership: str | None = None,
                  titles: dict[str, str] | None = None,
                  earlier: dict[str, list[Path]] | None = None,
                  labels: dict[str, str] | None = None) -> Previously:
    """What the last run left for each project (see the module docstring).

    Opinions of another package stop the run (InputError): a previous opinion naming another
    partnership than ``partnership``, or previous opinions none of whose project titles matches
    ``titles`` (a single changed title is only noted: the package's own title was edited). So does a
    record at a project's own name that is another project's opinion (it would be written over).
    ``earlier``: where an earlier run may have put the files of a project whose name now carries a hash.
    ``labels``: the criteria's labels by id (in the current language), which the notes name them by."""
    from .docx import docx_digest, read_advisor_docx, read_docx_bytes

    out = Previously()
    title_checks: list[tuple[str, str, str]] = []  # (project id, previous title, current title)
    for pid, stem in stems.items():
        jpath, dpath = _with(stem, "json"), _with(stem, "docx")
        j = _read_json(jpath) if jpath.exists() else None
        if j is None and not dpath.exists() and earlier and earlier.get(pid):
            found = _earlier_record(pid, earlier[pid])
            if found is not None:  # read there, and moved to the project's own name before it is written
                old, j = found
                jpath, dpath = _with(old, "json"), _with(old, "docx")
                out.moves[pid] = old
                out.notes.append(_("{project}: earlier opinion {old}.* read and moved to {new}.* (another "
                                   "project's id gives the same file name, so both names now carry a hash)").format(
                    project=pid, old=old.name, new=stem.name))
        ident = (j or {}).get("identification") or {}
        if j is not None and partnership is not None and ident.get("partnership") != partnership:
            folder = stem.parent
            raise InputError(_("{folder} holds the opinions of another package ({partnership}); use another -o "
                               "folder").format(folder=folder, partnership=ident.get("partnership")))
        if j is not None and ident.get("project_id") != pid:
            raise InputError(_("is the opinion of project {other!r}, not of {project!r}, but {project}'s opinion "
                               "would be written over it (and over its DOCX); move or remove {stem}.*, or use "
                               "another -o folder").format(other=ident.get("project_id"), project=pid,
                                                           stem=stem.name), source=str(jpath))
        if j is not None and titles is not None and pid in titles:
            title_checks.append((pid, _text(ident.get("project_title")), clean_text(titles[pid])))
        adv = (j or {}).get("advisor") or {}
        jn, jr = _text(adv.get("notes")), _text(adv.get("recommendations"))
        digest = adv.get("written_digest") or ""
        out.docx_digests[pid] = adv.get("docx_digest") or ""
        jc = adv.get("comments") if isinstance(adv.get("comments"), dict) else {}
        comments = {k: clean_text(v) for k, v in jc.items() if isinstance(k, str) and isinstance(v, str)}
        notes, recs, source = jn, jr, "json"
        if dpath.exists():
            data = read_docx_bytes(dpath)
            d = read_advisor_docx(dpath, data)
            dn = clean_text(d.sections.get("notes", jn))
            dr = clean_text(d.sections.get("recommendations", jr))
            word = _word_comments(j, d.comments)
            if word:
                comments.update(word)
                out.notes.append(_("{project}: advisor's comments on {criteria} taken from {file} (edited in "
                                   "Word)").format(project=pid, criteria=_criteria_named(labels, j, sorted(word)),
                                                   file=dpath.name))
            if docx_digest(data) != out.docx_digests[pid]:  # not the file last written (or not known)
                out.backups[pid] = _with(stem, "docx")  # kept before it is replaced (where it is by then)
            if (dn, dr) != (jn, jr):
                if j is not None and digest and advisor_digest(dn, dr) == digest:
                    out.notes.append(_("{project}: advisor's text taken from {json} (edited there; {docx} was as "
                                       "generated)").format(project=pid, json=jpath.name, docx=dpath.name))
                else:
                    if j is not None and digest and advisor_digest(jn, jr) != digest:
                        out.notes.append(_("{project}: advisor's text edited in both {docx} and {json}; the DOCX "
                                           "text was kept").format(project=pid, docx=dpath.name, json=jpath.name))
                    else:
                        out.notes.append(_("{project}: advisor's text taken from {docx} (edited in Word)").format(
                            project=pid, docx=dpath.name))
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
        raise InputError(_("{folder} holds the opinions of another package ({partnership}, other project titles: "
                           "{project} was “{title}”); use another -o folder").format(
            folder=folder, partnership=partnership, project=title_checks[0][0], title=title_checks[0][1]))
    out.notes.extend(_("{project}: project title changed from “{old}” to “{new}”; the advisor's text is "
                       "kept").format(project=pid, old=old, new=new)
                     for pid, old, new in title_checks if old != new)
    return out


@dataclass
class Written:
    opinions: list[Opinion]
    bundle: OpinionBundle
    files: dict[str, list[Path]]  # project id → files written
    bundle_files: list[Path]
    notes: list[str]


def write_opinions(ranking, out_dir: str | Path, formats: list[str] | None = None, lang: str | None = None,
                   rules=None, robustness: RobustnessRun | None = None, advisor: str | None = None,
                   date=None) -> Written:
    """Build every opinion of the ranked package and write them (and the bundle) into ``out_dir``,
    holding the folder's lock (``.appraise.lock``) from before the earlier files are read until the
    last file is written: a second run into the same folder meanwhile gets one line (exit 2). The
    opinions, the documents and the notes are in ``lang`` (None: the current language)."""
    lang = language(lang)
    with i18n.use(lang):
        return _write_all(ranking, out_dir, formats, lang, rules, robustness, advisor, date)


def _write_all(ranking, out_dir: str | Path, formats: list[str] | None, lang: str, rules,
               robustness: RobustnessRun | None, advisor: str | None, date) -> Written:
    from .files import folder_lock

    formats = list(formats or FORMATS)
    out_dir = Path(out_dir)
    _make_folder(out_dir)
    pkg = ranking.package
    ids = [p.id for p in pkg.projects] if pkg is not None else list(ranking.alternatives)
    _check_targets(out_dir, file_stems(out_dir, ids), formats)  # before the lock file is made
    with folder_lock(out_dir):
        return _write_opinions(ranking, out_dir, formats, lang, rules, robustness, advisor, date, ids)


def _write_opinions(ranking, out_dir: Path, formats: list[str], lang: str, rules, robustness, advisor, date,
                    ids: list[str]) -> Written:
    from ..opinions import rules_for

    rules = rules_for(ranking, rules)
    pkg = ranking.package
    stems = file_stems(out_dir, ids)
    _check_targets(out_dir, stems, formats)
    if pkg is not None:
        _check_bundle(out_dir, pkg.partnership.name, "json" in formats)
    prev = read_previous(stems, pkg.partnership.name if pkg is not None else None,
                         {p.id: p.title for p in pkg.projects} if pkg is not None else None,
                         _earlier_stems(out_dir, ids, stems),
                         {c.id: c.label.get(lang) for c in pkg.criteria_set.leaves()} if pkg is not None else None)
    opinions = build_opinions(ranking, rules, prev.previous, robustness, lang, advisor, date)
    files: dict[str, list[Path]] = {}
    for op in opinions:
        pid = op.identification.project_id
        stem = stems[pid]
        if pid in prev.moves:
            _move(prev.moves[pid], stem)
        paths = []
        docx_path = _with(stem, "docx")
        if "docx" in formats:
            from .docx import docx_digest, read_docx_bytes, write_opinion_docx

            if pid in prev.backups:  # not the DOCX written last time: kept before it is replaced
                _copy(prev.backups[pid], _with(stem, "prev.docx"))
                if prev.docx_digests.get(pid):
                    note = _("{project}: the edited {stem}.docx kept as {stem}.prev.docx")
                else:
                    note = _("{project}: the earlier (no record of the file last written) {stem}.docx kept as "
                             "{stem}.prev.docx")
                prev.notes.append(note.format(project=pid, stem=stem.name))
            paths.append(write_opinion_docx(op, docx_path))
            op.advisor.docx_digest = docx_digest(read_docx_bytes(docx_path))
        elif docx_path.exists():  # left as it is: its record stays
            op.advisor.docx_digest = prev.docx_digests.get(pid, "")
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
        raise InputError(_("exists and is not a folder"), source=str(out_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a path under a file, no permission, …
        raise InputError(_("cannot create the folder: {reason}").format(reason=exc.strerror or exc),
                         source=str(out_dir)) from None


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
            raise InputError(_("is a folder, but an opinion file is to be written there; remove or rename it"),
                             source=str(path))
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise InputError(_("cannot write into this folder (permission denied)"), source=str(out_dir))


def _check_bundle(out_dir: Path, partnership: str, replaced: bool) -> None:
    """The previous bundle (``pakiet.json``) must be this partnership's too, even when no project id is
    shared; when it is to be ``replaced``, it must be an opinion bundle (:class:`OpinionBundle`): any
    other file of that name (the package itself, say) stops the run rather than be written over."""
    path = _with(out_dir / BUNDLE_STEM, "json")
    if not path.exists():
        return
    doc, why = _read_record(path, MAX_BUNDLE_BYTES, _("the earlier opinion bundle"))
    if why is None and isinstance(doc, dict) and doc.get("kind") == "opinion_bundle":
        try:
            OpinionBundle.model_validate(doc)
        except ValidationError as exc:
            why = _("not a valid opinion bundle: {problem}").format(problem=_first_problem(exc))
        else:
            if doc.get("partnership") != partnership:
                raise InputError(_("{folder} holds the opinions of another package ({partnership}); use another -o "
                                   "folder").format(folder=out_dir, partnership=doc.get("partnership")))
            return
    elif why is None:
        why = _("not an opinion bundle (a JSON object with \"kind\": \"opinion_bundle\")")
    if replaced:
        raise InputError(_("{why}, but the bundle would be written over it; move or remove it, or use another -o "
                           "folder").format(why=why), source=str(path))


def _move(old: Path, stem: Path) -> None:
    """An earlier opinion's files (``old.json``, ``.docx``, ``.md``, ``.prev.docx``) moved to ``stem``."""
    for ext in ("json", "docx", "md", "prev.docx"):
        src = _with(old, ext)
        if src.is_file():
            try:
                os.replace(src, _with(stem, ext))
            except OSError as exc:
                raise InputError(_("cannot move it to {name}: {reason}").format(
                    name=_with(stem, ext).name, reason=exc.strerror or exc), source=str(src)) from None


def _copy(src: Path, dst: Path) -> Path:
    from .files import atomic_write

    return atomic_write(dst, lambda tmp: shutil.copyfile(src, tmp))


def _write_json(path: Path, model) -> Path:
    from .files import atomic_write_json

    return atomic_write_json(path, model.model_dump(mode="json"))
