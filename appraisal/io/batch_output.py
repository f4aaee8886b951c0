"""Writing a batch's results: one JSON per package (and, with ``workbooks``, one appraisal workbook
per package) written by the worker processes as each package is scored; then summary.json,
errors.json, league.json and the national workbook. Every file is written atomically, under the
output folder only: the folder each file goes into is resolved and must lie inside the resolved
output folder, so a link planted there (``out/workbooks -> elsewhere``) is refused, not followed.

A run holds the folder's lock (:func:`~appraisal.io.files.folder_lock`) from start to end and keeps a
run marker (``.appraise-run.json``): "running" from its start, "finished" once summary.json is
written. ``--only-failed`` builds only on a finished run, and reads the earlier records with a
bounded read, validated (:func:`previous_run`).

    with locked_output(out_dir):
        previous = previous_run(out_dir)        # --only-failed only
        mark_run(out_dir, "running", source)
        writer = PackageWriter(out_dir, lang, workbooks)
        writer.plan(jobs)                       # each job's output path, unique and inside out_dir
        result = batch.run(jobs, ..., write=writer)
        write_results(result, out_dir, source, method, lang, previous)
        mark_run(out_dir, "finished", source)
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from ..batch import (
    LEAGUE_FIELDS,
    RUN_MARKER,
    BatchResult,
    Job,
    iter_league,
    key_order,
    league_dict,
    no_gc,
    output_path,
    shown,
    summary,
)
from ..criteria import i18n
from ..criteria.documents import read_limited
from ..criteria.errors import InputError
from ..criteria.i18n import N_, _, ngettext
from ..criteria.problems import format_loc
from .files import atomic_write, atomic_write_json, atomic_write_text, folder_lock

#: the largest summary.json / league.json / run marker read back (a national run's league is ~100 MB)
MAX_RECORD_BYTES = 512 * 1024 * 1024


# --- staying inside the output folder --------------------------------------------------------------------------


#: the national workbook's file name by language (that of its sheets): ``NATIONAL_WORKBOOK["pl"]``
NATIONAL_WORKBOOK = i18n.InLanguage(N_("national_summary.xlsx"))


def national_workbook_name() -> str:
    """The national workbook's file name in the current language."""
    return _(NATIONAL_WORKBOOK.msgid)


def _real(path: str | Path) -> Path:
    return Path(os.path.realpath(path))


def check_inside(root: Path, path: Path) -> Path:
    """``path`` when the folder it goes into resolves inside ``root`` (the resolved output folder), else
    one :class:`InputError`: a link planted in the output folder never takes a write elsewhere. (The
    file itself may be a link: it is replaced by the atomic rename, not followed.)"""
    real = _real(path.parent)
    if real != root and root not in real.parents:
        raise InputError(_("refusing to write outside the output folder: {folder} leads to {target} (a link?); "
                           "remove it or choose another output folder").format(folder=shown(str(path.parent)),
                                                                              target=shown(str(real))))
    return path


def make_folder(root: Path, folder: Path) -> None:
    """Make ``folder`` (and its parents) inside ``root``: what exists of it already must resolve inside
    ``root`` before anything is made, and the whole of it after."""
    existing = folder
    while not os.path.lexists(existing) and existing.parent != existing:
        existing = existing.parent
    check_inside(root, existing / "_")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(_("cannot make the output folder: {reason}").format(reason=exc.strerror or exc),
                         source=shown(str(folder))) from None
    check_inside(root, folder / "_")


@dataclass
class PackageWriter:
    """Writes one scored package's results; called in the worker that scored it (picklable)."""

    out_dir: Path
    #: the language of the workbooks (None: the current one where the package is scored)
    lang: str | None = None
    workbooks: bool = False
    #: the resolved output folder, every path written is checked against (set by plan)
    root: Path | None = field(default=None, repr=False)

    def plan(self, jobs: list[Job]) -> None:
        """Give every job its output path (``packages/<voivodeship>/<partnership>``, transliterated,
        unique) and make the folders, once, before the workers start — each inside the output folder."""
        self.root = _real(self.out_dir)
        taken: set[str] = set()
        folders = set()
        for job in jobs:
            path = output_path(self.out_dir, "packages", job.key, ".json", taken)
            job.out = path.relative_to(self.out_dir / "packages").with_suffix("").as_posix()
            folders.add(path.parent)
            if self.workbooks:
                folders.add(self.out_dir / "workbooks" / Path(job.out).parent)
        for folder in sorted(folders):
            make_folder(self.root, folder)

    def _inside(self, path: Path) -> Path:
        if self.root is None:
            self.root = _real(self.out_dir)
        return check_inside(self.root, path)

    def __call__(self, job: Job, ranking) -> None:
        assert job.out is not None, "plan() gives every job its path first"
        with i18n.use(self.lang):
            if self.workbooks:  # the workbook first: it is the one that can refuse a text (a cell holds 32,767)
                from ..portfolio import budget_portfolio
                from .excel_report import write_appraisal_workbook

                write_appraisal_workbook(ranking, self._inside(self.out_dir / "workbooks" / f"{job.out}.xlsx"),
                                         i18n.current(), *budget_portfolio(ranking))
            atomic_write_text(self._inside(self.out_dir / "packages" / f"{job.out}.json"), package_json(job, ranking))

    def discard(self, job: Job) -> None:
        """Remove a failed package's results (of this run or an earlier one into the same folder), never
        a file a link leads to outside the output folder."""
        if job.out is None:
            return
        for path in (self.out_dir / "packages" / f"{job.out}.json", self.out_dir / "workbooks" / f"{job.out}.xlsx"):
            try:
                self._inside(path)
            except InputError:
                continue
            path.unlink(missing_ok=True)


def package_json(job: Job, ranking) -> str:
    """``{"file", "voivodeship", ...the ranking's JSON}``, indented, Polish letters as they are.

    The ranking is serialised by pydantic's own (compiled) serialiser: five times quicker than
    ``json.dumps`` of its dict, the same values."""
    body = ranking.model_dump_json(indent=2, exclude_none=True)
    head = (f'{{\n  "file": {json.dumps(shown(job.file), ensure_ascii=False)},\n'
            f'  "voivodeship": {json.dumps(job.voivodeship, ensure_ascii=False)},\n')
    return head + body[2:] + "\n"


def write_results(result: BatchResult, out_dir: Path, source: str, method: str, lang: str | None = None,
                  previous: Previous | None = None, normalization: str | None = None,
                  criteria: str | None = None) -> dict[str, Any]:
    """Write the summaries (the per-package files were written during the run); return the summary.
    ``lang``: the language of the national workbook and of its file name (None: the current one).

    ``previous`` (the earlier run, :func:`previous_run`) keeps the packages that are not in this run
    (``--only-failed``). summary.json is written last: it completes a run, the one ``--only-failed``
    builds on (and then the run marker says "finished", :func:`mark_run`)."""
    with no_gc(), i18n.use(lang):
        return _write(result, out_dir, source, method, previous, normalization, criteria)


def _write(result: BatchResult, out_dir: Path, source: str, method: str,
           previous: Previous | None, normalization: str | None, criteria: str | None) -> dict[str, Any]:
    from .excel_national import write_national_workbook

    out_dir.mkdir(parents=True, exist_ok=True)
    summ = summary(result, shown(source), method, normalization, criteria and shown(criteria))
    league: list[Any] = list(iter_league(result))
    if previous is not None:
        summ, league = _merge(previous, summ, league)
    atomic_write_json(out_dir / "errors.json", summ["errors"])
    # the league's sheet rows and league.json are written by a second process meanwhile (the other core)
    write_national_workbook(summ, league, out_dir / national_workbook_name(),
                            alongside=lambda: write_league_json(out_dir / "league.json", league))
    atomic_write_json(out_dir / "summary.json", summ)
    return summ


SETTINGS = ("method", "normalization", "criteria", "source")


def check_retry(previous: dict[str, Any] | Previous, now: dict[str, Any]) -> None:
    """``--only-failed`` builds on an earlier run: only with the same settings (method, normalization,
    shared criteria set, source), or the summary would mix scores of different kinds."""
    if isinstance(previous, Previous):
        previous = previous.summary

    def same(key: str) -> bool:
        a, b = previous[key], now.get(key)
        if key == "source" and a is not None and b is not None:
            return shown(os.path.realpath(a)) == shown(os.path.realpath(b))
        return a == (b if b is None else shown(b))

    for key in SETTINGS:
        if key in previous and not same(key):
            raise InputError(_("--only-failed: the earlier run used {setting} {earlier!r}, this one {now!r}; retry with "
                               "the same settings, or run the whole batch again").format(
                setting=key, earlier=previous[key], now=shown(now.get(key))))


def write_league_json(path: Path, league: list[Any]) -> Path:
    """The league as a JSON list of objects, one project a line, written row by row (a national
    run has a quarter of a million rows: never one huge string in memory)."""
    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8") as f:
            f.write("[")
            for i, row in enumerate(league):
                f.write(",\n" if i else "\n")
                f.write(json.dumps(row if isinstance(row, dict) else league_dict(row), ensure_ascii=False))
            f.write("\n]\n" if league else "]\n")

    return atomic_write(path, write)


# --- one run at a time, and a record of whether it finished ---------------------------------------------------------

@contextmanager
def locked_output(out_dir: Path) -> Iterator[Path]:
    """The output folder, made if need be and locked (``.appraise.lock``) while the block runs: a second
    run into the same folder meanwhile gets one line (exit 2) instead of mixing its results in."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(_("cannot make the output folder: {reason}").format(reason=exc.strerror or exc),
                         source=shown(str(out_dir))) from None
    with folder_lock(out_dir):
        yield out_dir


def mark_run(out_dir: Path, state: str, source: str, mode: str = "full") -> Path:
    """Write the run marker ``.appraise-run.json`` (atomically): "running" at a run's start, before any
    result is written; "finished" after summary.json. A run that is interrupted (Ctrl-C, kill -9, a
    full disk) leaves "running": its folder mixes this run's results with an earlier one's, and
    ``--only-failed`` refuses to build on it."""
    from ..provenance import ENGINE

    return atomic_write_json(out_dir / RUN_MARKER, {
        "state": state, "mode": mode, "source": shown(source), "pid": os.getpid(), "engine": ENGINE,
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z")})


# --- the records of an earlier run (--only-failed), read back bounded and validated ---------------------------------

def again(problem: str) -> str:
    """``problem``, and what to do about it: the earlier run cannot be built on."""
    return _("{problem}; run the whole batch again (without --only-failed)").format(problem=problem)


class _Record(BaseModel):
    """A part of an earlier run's record: the fields read back, each of the type written (strict)."""

    model_config = ConfigDict(strict=True, extra="ignore")


class RunMarker(_Record):
    state: str


class TopProject(_Record):
    id: str | None = None
    title: str | None = None
    score: float | None = None


class PartnershipRecord(_Record):
    """One line of summary.json's "partnerships" (:func:`appraisal.batch.partnership_line`)."""

    key: str
    file: str | None = None
    voivodeship: str | None = None
    partnership: str | None = None
    method: str | None = None
    normalization: str | None = None
    projects: int | None = None
    eligible: int | None = None
    recommended: int | None = None
    recommendations: dict[str, int] | None = None
    total_cost: float | None = None
    cost_by_source: dict[str, float] | None = None
    top_project: TopProject | None = None
    median_score: float | None = None
    input_hash: str | None = None


class ErrorRecord(_Record):
    key: str
    file: str | None = None
    reason: str | None = None
    where: str | None = None


class SkippedRecord(_Record):
    file: str
    reason: str


class SummaryRecord(_Record):
    """The parts of summary.json that a retry reads."""

    method: str | None = None
    normalization: str | None = None
    criteria: str | None = None
    source: str | None = None
    partnerships: list[PartnershipRecord]
    errors: list[ErrorRecord]
    skipped: list[SkippedRecord] = []


class LeagueRecord(_Record):
    """One project of league.json (:data:`appraisal.batch.LEAGUE_FIELDS`)."""

    voivodeship: str | None = None
    partnership: str | None = None
    key: str
    id: str | None = None
    title: str | None = None
    score: float | None = None
    rank: int | None = None
    eligible: bool = False
    failed_gates: list[str] = []
    cost: float | None = None
    funding: str | None = None
    recommendation: str | None = None


_LEAGUE = TypeAdapter(list[LeagueRecord])


@dataclass
class Previous:
    """An earlier, finished run: its summary (the parts read, validated) and its league (tuples of
    :data:`~appraisal.batch.LEAGUE_FIELDS`)."""

    summary: dict[str, Any]
    league: list[tuple] = field(default_factory=list)


def _reject_constant(name: str) -> float:
    raise ValueError(_("{name} is not a number JSON allows").format(name=name))


def read_record(path: Path, what: str, model: Any) -> Any:
    """``path`` (a regular file of at most :data:`MAX_RECORD_BYTES`, read bounded), parsed as JSON and
    validated by ``model`` (a pydantic model or TypeAdapter); anything else is one :class:`InputError`
    naming the file."""
    source = shown(str(path))
    try:
        data = read_limited(path, MAX_RECORD_BYTES, what)
    except InputError as exc:
        raise InputError(again(_("{what}: {problem}").format(what=what, problem=exc.message)), source=source) from None
    try:
        doc = json.loads(data.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise InputError(again(_("{what} is not UTF-8 text (byte {byte})").format(what=what, byte=exc.start)),
                         source=source) from None
    except RecursionError:
        raise InputError(again(_("{what} is nested too deeply").format(what=what)), source=source) from None
    except ValueError as exc:  # JSONDecodeError, NaN/Infinity, huge integers
        raise InputError(again(_("{what} cannot be read ({error})").format(what=what, error=exc)),
                         source=source) from None
    try:
        if isinstance(model, TypeAdapter):
            return model.validate_python(doc)
        return model.model_validate(doc)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise InputError(again(_("{what} is not as appraise writes it: {where}: {error}").format(
            what=what, where=shown(format_loc(err["loc"])), error=err["msg"])), source=source) from None
    except RecursionError:
        raise InputError(again(_("{what} is nested too deeply").format(what=what)), source=source) from None


def previous_run(out_dir: Path) -> Previous:
    """The earlier run into ``out_dir`` that ``--only-failed`` builds on: it must have finished (its run
    marker says so; a folder written before there were markers has only its summary.json), and its
    summary.json and league.json must be as appraise writes them, the league covering every scored
    package. Anything else is one :class:`InputError`, before anything is written."""
    marker = out_dir / RUN_MARKER
    if os.path.lexists(marker):
        state = read_record(marker, _("the run marker"), RunMarker).state
        if state != "finished":
            raise InputError(again(_("the last run into this folder did not finish (interrupted, or stopped by an "
                                     "error), so its results mix that run's and an earlier one's")),
                             source=shown(str(out_dir)))
    path = out_dir / "summary.json"
    if not os.path.lexists(path):
        raise InputError(_("--only-failed needs the summary.json of an earlier run in the output folder"),
                         source=shown(str(path)))
    summ = read_record(path, _("the earlier summary"), SummaryRecord).model_dump(exclude_unset=True)
    return Previous(summ, _earlier_league(out_dir / "league.json", summ))


def _earlier_league(path: Path, previous: dict[str, Any]) -> list[tuple]:
    """The earlier run's league, which must be there, readable, and cover its scored packages."""
    if not os.path.lexists(path):
        raise InputError(again(_("the earlier run's league is missing")), source=shown(str(path)))
    rows = read_record(path, _("the earlier run's league"), _LEAGUE)
    league = [tuple(getattr(r, f) for f in LEAGUE_FIELDS) for r in rows]
    missing = {p["key"] for p in previous.get("partnerships", [])} - {r[2] for r in league}
    if missing:
        raise InputError(again(ngettext("the earlier run's league lacks {n} scored package, e.g. {key!r}",
                                        "the earlier run's league lacks {n} scored packages, e.g. {key!r}",
                                        len(missing)).format(n=len(missing), key=min(missing))),
                         source=shown(str(path)))
    return league


def _merge(previous: Previous, now: dict[str, Any], league: list[Any]) -> tuple[dict[str, Any], list[Any]]:
    """Fold a retry of the failed packages into the earlier summary."""
    prev = previous.summary
    retried = {e["key"] for e in now["errors"]} | {p["key"] for p in now["partnerships"]}

    def order(rows: list[Any], key=lambda r: r["key"]) -> list[Any]:
        return sorted(rows, key=lambda r: key_order(key(r)))

    lines = order([p for p in prev["partnerships"] if p["key"] not in retried] + now["partnerships"])
    errors = order([e for e in prev["errors"] if e["key"] not in retried] + now["errors"])
    kept = [row for row in previous.league if row[2] not in retried]
    league = order(kept + list(league), key=lambda r: r[2])
    skipped = prev.get("skipped", [])
    merged = {**now, "partnerships": lines, "errors": errors, "skipped": skipped,
              "counts": {"found": len(lines) + len(errors), "scored": len(lines), "failed": len(errors),
                         "skipped": len(skipped)}}
    return merged, league
