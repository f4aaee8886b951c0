"""Batch scoring across voivodeships: every package found, one national picture, nothing lost.

1. **Discover** the packages under a folder (``DIR/<voivodeship>/<partnership>.xlsx|json|toml``, any
   depth) — or take the partnerships of one long table (:mod:`appraisal.io.long_table`).
2. **Prepare** each package in parallel (``workers`` processes): read, validate, apply the gates,
   synthesise the weights, build the matrix (:func:`appraisal.ranking.prepare_package`). A package
   that cannot be read or prepared becomes an error record (file, cell when known, reason); the
   others go on.
3. **Score** each chunk of prepared packages (up to 64) through the stacked (B, m, n) kernels, one
   call per shape, in the same worker.
4. **Write** each package's results there and then, when a ``write`` callable is given (the
   per-package JSON and workbook writers live in :mod:`appraisal.io.batch_output`), so that
   nothing but a summary line and the league rows of a package travels back: memory stays small
   however many packages there are.
5. **Summarise**: one line per partnership, a league of every project, the errors.

Results are returned in discovery order, so they are identical whatever the number of workers,
and each package's ranking is identical to ranking it alone.
"""

from __future__ import annotations

import gc
import math
import os
import re
import stat
import time
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .criteria import i18n
from .criteria.errors import InputError
from .criteria.i18n import N_, _
from .criteria.models import RECOMMENDATIONS
from .filenames import LOCK_NAME, PACKAGE_SUFFIXES, RUN_MARKER
from .ranking import Prepared, Ranking, finish_package, method_scores, prepare_package

#: what "recommended" means in the summaries: the category an advisory opinion would give
RECOMMEND_RULE = N_("recommended = the category 'recommended' under the opinion rules of the package's criteria set "
                    "(appraisal.opinions: gates, attainment thresholds on the set's own scales and reference levels, "
                    "group minima, selection card), as in 'appraise opinions'; independent of the other projects")


#: the fields of a league row (one project of a scored package), in the order kept in memory
LEAGUE_FIELDS = ("voivodeship", "partnership", "key", "id", "title", "score", "rank", "eligible", "failed_gates",
                 "cost", "funding", "recommendation")


@dataclass
class Job:
    """One package to score: a file, or a partnership of a long table (``package`` given).

    ``out``: where its results go, relative to the output folder, without suffix (set by the writer)."""

    key: str
    file: str
    voivodeship: str
    package: Any = None
    error: InputError | None = None
    out: str | None = None


@dataclass
class Outcome:
    """What is kept of one package: its summary line and league rows (or its error); the whole
    :class:`Ranking` only when asked for (``keep_rankings``)."""

    key: str
    file: str
    voivodeship: str
    line: dict[str, Any] | None = None
    league: list[tuple] = field(default_factory=list)
    ranking: Ranking | None = None
    error: str | None = None
    where: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.line is not None


@dataclass
class BatchResult:
    outcomes: list[Outcome]
    skipped: list[dict[str, str]] = field(default_factory=list)
    #: seconds: per phase summed over the workers (``*_s``), and the wall time of the run (``wall_s``)
    timing: dict[str, float] = field(default_factory=dict)

    @property
    def scored(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.ok]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


# --- discovery -------------------------------------------------------------------------------------------

def shown(text: str | None) -> str:
    """``text`` as it can always be written (JSON, a workbook, a terminal): valid Unicode.

    A file name that is not UTF-8 (from a Windows ZIP) reaches Python as lone surrogates
    (``os.fsdecode``); its bytes are shown escaped (``pakiet_\\xff.json``), like any other lone surrogate
    (``\\udcff``). Text that is already valid comes back as it is."""
    if text is None:
        return ""
    text = str(text)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def discover(root: str | Path, exclude: Iterable[str | Path] = ()) -> tuple[list[Job], list[dict[str, str]]]:
    """Package files under ``root`` (any depth; hidden files and Excel lock files ``~$…`` left out),
    and what was skipped (other files, empty folders), each with the reason.

    Only regular files are taken (also through a link): a named pipe, a device, a socket or a broken
    link is skipped with the reason, never opened. Folders that are not walked, each skipped with the
    reason: ``exclude`` (the output folder of this run; ``root`` itself there is an error), any other
    appraise output folder (one holding a run marker or a lock file), and links to folders. Names that
    are not UTF-8 are kept for opening the file (``Job.file``) and shown escaped everywhere else
    (:func:`shown`)."""
    root = Path(root)
    if not root.is_dir():
        raise InputError(_("no such folder"), source=shown(str(root)))
    excluded = {ident for ident in map(_identity, exclude) if ident is not None}
    if _identity(root) in excluded:
        raise InputError(_("is the output folder too; choose another output folder (-o)"), source=shown(str(root)))
    jobs, skipped = [], []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        walked, passed_over = [], False
        for d in sorted(dirnames):
            if d.startswith("."):
                continue
            why = _not_walked(here / d, excluded)
            if why:
                skipped.append({"file": shown(str(here / d)), "reason": why})
                passed_over = True
            else:
                walked.append(d)
        dirnames[:] = walked
        visible = sorted(f for f in filenames if not f.startswith("."))
        if not visible and not dirnames and not passed_over and here != root:
            skipped.append({"file": shown(str(here)), "reason": _("empty folder")})
        for name in visible:
            path = here / name
            rel = path.relative_to(root)
            if name.startswith("~$"):
                skipped.append({"file": shown(str(path)), "reason": _("Excel lock file")})
            elif path.suffix.lower() in PACKAGE_SUFFIXES:
                why = _not_regular(path)
                if why:
                    skipped.append({"file": shown(str(path)), "reason": why})
                    continue
                voiv = rel.parts[0] if len(rel.parts) > 1 else ""
                jobs.append(Job(key=shown(rel.with_suffix("").as_posix()), file=str(path),
                                voivodeship=shown(voiv)))
            else:
                skipped.append({"file": shown(str(path)),
                                "reason": _("not a package file ({extension})").format(
                                    extension=shown(path.suffix) or _("no extension"))})
    _sort_polish(jobs)
    return jobs, skipped


def _identity(path: str | Path) -> tuple[int, int] | None:
    """The file system's identity of a folder (device, inode), None when there is none."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _not_walked(folder: Path, excluded: set[tuple[int, int]]) -> str | None:
    """Why a folder of the tree is not walked (None: it is)."""
    if folder.is_symlink():
        return _("a link to a folder (not followed)")
    if _identity(folder) in excluded:
        return _("the output folder of this run")
    if any(os.path.lexists(folder / name) for name in (RUN_MARKER, LOCK_NAME)):
        return _("an appraise output folder (results of an earlier run)")
    return None


def _not_regular(path: Path) -> str | None:
    """Why a package file is not read (None: it is a regular file, possibly through a link)."""
    link = os.path.islink(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return _("a broken link") if link else _("vanished while the folder was read")
    except OSError as exc:
        return _("cannot be read: {reason}").format(reason=exc.strerror or exc)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        kind = _("a named pipe (FIFO)")
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = _("a device")
    elif stat.S_ISSOCK(mode):
        kind = _("a socket")
    elif stat.S_ISDIR(mode):
        kind = _("a folder")
    else:
        kind = _("a special file")
    if link:
        return _("{kind} (through a link), not a regular file; only regular files are read").format(kind=kind)
    return _("{kind}, not a regular file; only regular files are read").format(kind=kind)


_ALPHABET = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż"
_POS = {c: i for i, c in enumerate(_ALPHABET)}


def _char_key(c: str) -> tuple[int, int, int]:
    if c in _POS:
        return (2, _POS[c], 0)
    if c.isdigit():
        return (1, ord(c), 0)
    if c.isalpha():  # a letter outside the Polish alphabet (é, ü, ...): just after its base letter
        base = unicodedata.normalize("NFD", c)[0]
        if base in _POS:
            return (2, _POS[base], 1)
        return (3, ord(c), 0)
    return (0, ord(c), 0)  # spaces and punctuation before digits and letters


def polish_key(text: str | None) -> tuple:
    """A sort key in Polish alphabetical order: a ą b c ć … l ł … s ś … z ź ż, case-insensitive."""
    return _polish_key("" if text is None else str(text))


@lru_cache(maxsize=1 << 16)  # a national league sorts a quarter of a million rows by a few thousand names
def _polish_key(s: str) -> tuple:
    return (tuple(_char_key(c) for c in s.casefold()), s)



def _sort_polish(jobs: list[Job]) -> None:
    jobs.sort(key=lambda j: key_order(j.key))


def key_order(key: str) -> list[tuple]:
    """A package key (``voivodeship/partnership``) in Polish order, part by part: the batch's order."""
    return [polish_key(p) for p in key.split("/")]


# --- preparing (in worker processes) and scoring (batched) ---------------------------------------------------

def _prepare(job: Job, criteria: Any, method: str, normalization: str,
             read: Callable[[str], Any] | None) -> Prepared | tuple[str, str | None]:
    """Read (with ``read``) and prepare one package; an error becomes (reason, where)."""
    try:
        if job.error is not None:
            raise job.error
        if job.package is None and read is None:
            raise TypeError("batch.run() needs read= to read package files (appraisal.io.formats.load_package)")
        pkg = job.package if job.package is not None else read(job.file)
        if criteria is not None:
            pkg = _with_criteria(pkg, criteria)  # checks the package on the shared set
        # load_package has just checked it: not twice (a third of the preparing time)
        return prepare_package(pkg, method, normalization, checked=job.package is None or criteria is not None)
    except InputError as exc:
        return shown(str(exc.located(job.file))), exc.where and shown(exc.where)
    except Exception as exc:  # noqa: BLE001 - one broken package must not stop the batch
        return shown(_("{file}: internal error: {type}: {error}").format(
            file=job.file, type=type(exc).__name__, error=exc)), None


def _with_criteria(pkg, criteria):
    """The package appraised on a shared criteria set instead of its own."""
    from .package import Package

    shared = Package.model_validate({**pkg.model_dump(exclude={"criteria"}), "criteria": criteria})
    shared._source = pkg.source
    return shared.check()


def score_prepared(preps: list[Prepared]) -> list[Ranking]:
    """Score prepared packages through the stacked kernels: packages sharing a method, shape, directions
    and normalization (and, for R-TOPSIS, value functions) go through one call of shape (B, m, n) per
    method they need (the method's own kernel and its cross-checks', from the registry)."""
    groups: dict[tuple, list[int]] = {}
    for i, p in enumerate(preps):
        ref = p.values.key() if p.normalization == "reference" and p.values is not None else None
        groups.setdefault((p.method, p.x.shape, tuple(p.d), p.normalization, ref), []).append(i)
    out: list[Ranking | None] = [None] * len(preps)
    for (method, _shape, d, normalization, _ref), idx in groups.items():
        x = np.stack([preps[i].x for i in idx])
        w = np.stack([preps[i].w for i in idx])
        scores = method_scores(method, x, w, np.array(d), normalization, preps[idx[0]].values)
        for k, i in enumerate(idx):
            out[i] = finish_package(preps[i], {name: s[k] for name, s in scores.items()})
    return out  # type: ignore[return-value]


def run(jobs: list[Job], criteria: Any = None, method: str = "topsis", normalization: str = "vector",
        workers: int | None = None, progress: Callable[[int], None] | None = None,
        write: Callable[[Job, Ranking], None] | None = None, keep_rankings: bool = False,
        read: Callable[[str], Any] | None = None) -> BatchResult:
    """Prepare, score (batched) and, with ``write``, write every job; nothing raises for one package.

    ``read(file)`` reads a job's package file (a picklable function: the engine knows no file formats;
    pass :func:`appraisal.io.formats.load_package`); jobs holding their package need none.

    ``write(job, ranking)`` is called in the worker process for each scored package (it must be
    picklable); a failure to write becomes that package's error. ``keep_rankings`` keeps each
    package's whole :class:`Ranking` in its outcome (small runs; a national run keeps only lines).
    """
    workers = max(1, workers or os.cpu_count() or 1)
    t0 = time.perf_counter()
    chunk = max(1, min(CHUNK, math.ceil(len(jobs) / (workers * 4)) if jobs else 1))
    lang = i18n.current()  # the workers' messages in the caller's language (a worker process has its own)
    tasks = [(jobs[i:i + chunk], criteria, method, normalization, write, keep_rankings, read, lang)
             for i in range(0, len(jobs), chunk)]
    outcomes: list[Outcome] = []
    timing = {"read_and_validate_s": 0.0, "score_s": 0.0, "write_s": 0.0}
    with no_gc():
        if workers == 1 or len(tasks) <= 1:
            done: Iterable = map(_work, tasks)
            pool = None
        else:
            pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts)
            done = pool.map(_work, tasks)
        try:
            for task, (outs, tm) in zip(tasks, done):
                outcomes.extend(outs)
                for k, v in tm.items():
                    timing[k] += v
                if progress:
                    progress(len(task[0]))
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
    timing["wall_s"] = time.perf_counter() - t0
    timing["workers"] = workers
    return BatchResult(outcomes, timing=timing)


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the main process, which stops handing out chunks and waits for the
    ones under way (each a fraction of a second): no worker is killed half-way through a file."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


#: packages prepared, scored (one stacked kernel call per shape) and written together in a worker
CHUNK = 64


def _work(task) -> tuple[list[Outcome], dict[str, float]]:
    """One chunk of jobs, in a worker: prepare, score stacked, summarise (and write) each package."""
    from .opinions import categories
    from .sensitivity import one_blas_thread

    jobs, criteria, method, normalization, write, keep, read, lang = task
    with i18n.use(lang), no_gc():
        t0 = time.perf_counter()
        prepared = [_prepare(j, criteria, method, normalization, read) for j in jobs]
        t1 = time.perf_counter()
        outcomes = [Outcome(j.key, shown(j.file), j.voivodeship) for j in jobs]
        good = []
        for i, p in enumerate(prepared):
            if isinstance(p, Prepared):
                good.append(i)
            else:
                outcomes[i].error, outcomes[i].where = p
        with one_blas_thread():
            scored = _score_safely([prepared[i] for i in good])  # type: ignore[misc]
        t2 = time.perf_counter()
        for i, rk in zip(good, scored):
            o = outcomes[i]
            if not isinstance(rk, Ranking):
                o.error, o.where = rk
                continue
            if not o.voivodeship and rk.package is not None:
                o.voivodeship = rk.package.partnership.voivodeship or ""
            if rk.source is not None:  # the path, written into the results: a name that is not UTF-8 escaped
                rk.source = shown(rk.source)
            try:
                cats = categories(rk)
                line = partnership_line(rk, o.key, o.file, o.voivodeship, cats)
                league = league_rows(rk, o.key, o.voivodeship, cats)
            except InputError as exc:
                o.error, o.where = shown(str(exc.located(o.file))), exc.where and shown(exc.where)
                continue
            except Exception as exc:  # noqa: BLE001 - one broken package must not stop the batch
                o.error = shown(_("{file}: internal error: {type}: {error}").format(
                    file=o.file, type=type(exc).__name__, error=exc))
                continue
            if write is not None:
                try:
                    write(jobs[i], rk)
                except Exception as exc:  # noqa: BLE001 - e.g. a text no spreadsheet cell can hold
                    o.error = shown(_("{file}: cannot write the results: {error}").format(file=o.file, error=exc))
                    continue
            o.line, o.league = line, league
            if keep:
                o.ranking = rk
        discard = getattr(write, "discard", None)
        if discard is not None:  # a failed package leaves no results behind, not even an earlier run's
            for j, o in zip(jobs, outcomes):
                if not o.ok:
                    discard(j)
        t3 = time.perf_counter()
    return outcomes, {"read_and_validate_s": t1 - t0, "score_s": t2 - t1, "write_s": t3 - t2}


@contextmanager
def no_gc():
    """The cyclic garbage collector off: a batch builds a large heap of long-lived objects, and
    scanning it again and again costs a third of the time (measured in benchmarks/)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _score_safely(preps: list[Prepared]) -> list[Ranking | tuple[str, str | None]]:
    """Batched scoring; a package whose scores are undefined is scored alone to get its own error."""
    try:
        return score_prepared(preps)  # type: ignore[return-value]
    except InputError:
        out: list[Ranking | tuple[str, str | None]] = []
        for p in preps:
            try:
                out.append(score_prepared([p])[0])
            except InputError as exc:
                out.append((shown(str(exc.located(p.pkg.source))), exc.where and shown(exc.where)))
        return out


# --- summaries ------------------------------------------------------------------------------------------------

def partnership_line(rk: Ranking, key: str, file: str, voivodeship: str,
                     categories: dict[str, Any]) -> dict[str, Any]:
    """One line of the national summary for a scored package (``categories``: each project's
    recommendation, :func:`appraisal.opinions.categories`)."""
    pkg = rk.package
    assert pkg is not None
    counts = {c: 0 for c in RECOMMENDATIONS}
    for c in categories.values():
        counts[str(c.value)] += 1
    by_source: dict[str, float] = {}
    for p in pkg.projects:
        assigned = 0.0
        for f in p.funding:
            if f.amount is not None:
                by_source[f.source] = by_source.get(f.source, 0.0) + f.amount
                assigned += f.amount
        if p.cost is not None and p.cost - assigned > 0.5:
            by_source["nieokreślone"] = by_source.get("nieokreślone", 0.0) + (p.cost - assigned)
    scores = [r.score for r in rk.results]
    top = rk.results[0]
    return {
        "key": key, "file": file, "voivodeship": voivodeship or (pkg.partnership.voivodeship or ""),
        "partnership": pkg.partnership.name, "method": rk.method, "normalization": rk.normalization,
        "projects": len(pkg.projects), "eligible": len(rk.results), "recommended": counts["recommended"],
        "recommendations": counts,
        "total_cost": float(sum(p.cost or 0.0 for p in pkg.projects)),
        "cost_by_source": dict(sorted(by_source.items())),
        "top_project": {"id": top.id, "title": top.title, "score": top.score},
        "median_score": float(np.median(scores)), "input_hash": rk.input_hash,
    }


def league_rows(rk: Ranking, key: str, voivodeship: str, categories: dict[str, Any]) -> list[tuple]:
    """Every project of a scored package with its rank within the package, as tuples of
    :data:`LEAGUE_FIELDS` (a national run holds a quarter of a million of them)."""
    pkg = rk.package
    assert pkg is not None
    ranked = {r.id: r for r in rk.results}
    failed = {i.id: [g.label or g.id for g in i.failed_gates] for i in rk.ineligible}
    name = pkg.partnership.name
    rows = []
    for p in pkg.projects:
        r = ranked.get(p.id)
        rows.append((voivodeship, name, key, p.id, p.title, None if r is None else r.score,
                     None if r is None else r.rank, r is not None, failed.get(p.id, []), p.cost,
                     "; ".join(f.source for f in p.funding), str(categories[p.id].value)))
    return rows


def league_dict(row: tuple) -> dict[str, Any]:
    return dict(zip(LEAGUE_FIELDS, row))


def summary(result: BatchResult, source: str, method: str, normalization: str | None = None,
            criteria: str | None = None) -> dict[str, Any]:
    """The run's summary; ``criteria``: the shared criteria set given with ``--criteria`` (None: each
    package's own)."""
    from .provenance import ENGINE

    lines = [o.line for o in result.scored]
    return {
        "engine": ENGINE, "source": source, "method": method, "normalization": normalization, "criteria": criteria,
        "recommend_rule": _(RECOMMEND_RULE),
        "counts": {"found": len(result.outcomes), "scored": len(lines), "failed": len(result.failed),
                   "skipped": len(result.skipped)},
        "partnerships": lines,
        "errors": [{"key": o.key, "file": o.file, "reason": o.error, "where": o.where} for o in result.failed],
        "skipped": result.skipped,
    }


# --- safe output paths ------------------------------------------------------------------------------------------

def safe_part(text: str, limit: int = 80) -> str:
    """One path component made from any text: ASCII letters, digits, '-', '_' and '.', never '.' or '..',
    never empty. Polish letters are transliterated (ł → l)."""
    text = text.replace("ł", "l").replace("Ł", "L")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")
    return (text[:limit].rstrip("-._") or "_").lower()


def output_path(out_dir: Path, folder: str, key: str, suffix: str, taken: set[str]) -> Path:
    """``out_dir/folder/<sanitised key><suffix>``, unique among ``taken``, always inside ``out_dir``."""
    rel = "/".join(safe_part(p) for p in key.split("/") if p not in ("", ".", ".."))
    candidate, n = rel, 2
    while candidate in taken:
        candidate, n = f"{rel}-{n}", n + 1
    taken.add(candidate)
    path = (out_dir / folder / (candidate + suffix))
    root = out_dir.resolve()
    if root not in path.resolve().parents:
        raise InputError(_("refusing to write outside the output folder: {path}").format(path=shown(str(path))))
    return path


def iter_league(result: BatchResult) -> Iterable[tuple]:
    """Every league row of the scored packages, in discovery order (tuples of :data:`LEAGUE_FIELDS`)."""
    for o in result.scored:
        yield from o.league
