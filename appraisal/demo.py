"""The bundled samples, for ``appraise demo``: where they are, every pilot partnership ranked, and the
whole pipeline run on them (:func:`run_demo`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from . import numfmt
from .batch import BatchResult, discover, run
from .criteria import i18n
from .criteria.errors import InputError
from .criteria.i18n import _, ngettext, pgettext


def samples_dir() -> Path:
    """The folder of the bundled samples (a real folder: the package is installed unzipped)."""
    return Path(str(resources.files("appraisal.samples")))


def bundled_partnerships(workers: int = 1) -> BatchResult:
    """Every package under ``samples/pakiety/<voivodeship>/``, ranked (broken ones reported)."""
    from .io.formats import load_package

    jobs, skipped = discover(samples_dir() / "pakiety")
    result = run(jobs, workers=workers, read=load_package)
    result.skipped = skipped
    return result


@dataclass
class DemoReport:
    """What :func:`run_demo` did: its sections of text (to be shown in order, a blank line between two),
    the notes about bundled packages that could not be ranked (for stderr), and the files written."""

    sections: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def run_demo(out_dir: str | Path = "appraise-demo", lang: str | None = None, *,
             on_section: Callable[[str], None] | None = None,
             on_note: Callable[[str], None] | None = None) -> DemoReport:
    """The whole pipeline on the bundled samples, its files written to ``out_dir``.

    One partnership in full (the AHP weights of its criteria tree with their consistency, the gates, the
    TOPSIS ranking with WSM beside it), a portfolio under a budget, its appraisal workbook and advisory
    opinions; the selection-card package and its workbook; then a one-line summary of every bundled
    partnership. ``on_section``/``on_note`` receive each section and note as soon as it is ready (the
    command line prints them as the demo goes); all of them are in the report too. ``lang``: the
    language of every section, note and file (None: the current language, Polish by default).
    """
    lang = lang or i18n.current()
    with i18n.use(lang):
        return _run_demo(Path(out_dir), lang, on_section, on_note)


def _run_demo(out_dir: Path, lang: str, on_section: Callable[[str], None] | None,
              on_note: Callable[[str], None] | None) -> DemoReport:
    from .io.excel_report import write_appraisal_workbook
    from .io.files import atomic_write_json
    from .io.formats import load_package, save
    from .io.text import clip, render_portfolio, render_ranking, render_weights_report, table
    from .portfolio import portfolio as choose

    report = DemoReport()

    def section(text: str) -> None:
        report.sections.append(text)
        if on_section is not None:
            on_section(text)

    samples = samples_dir()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(_("cannot make the output folder: {reason}").format(reason=exc.strerror or exc),
                         source=str(out_dir)) from None
    pkg = load_package(samples / "pakiet_dolina_baryczy.json")
    rk = pkg.rank()
    n = len(pkg.projects)
    section(ngettext("== {partnership} ({voivodeship}), {n} project, criteria set: {criteria}",
                     "== {partnership} ({voivodeship}), {n} projects, criteria set: {criteria}", n).format(
        partnership=pkg.partnership.name, voivodeship=pkg.partnership.voivodeship, n=n,
        criteria=pkg.criteria_set.label.get(lang)))
    section(render_weights_report(rk, lang))
    section(render_ranking(rk, lang))
    card = load_package(samples / "pakiet_karta.json").rank("points")
    section(_("== {partnership}: selection card").format(partnership=card.partnership) + "\n"
            + render_ranking(card, lang))

    # a budget of about 60 % of what the eligible projects cost (whole millions of PLN)
    eligible_cost = sum(p.cost or 0 for p in pkg.projects if p.id in rk.scores())
    pf = choose(rk, float(int(0.6 * eligible_cost / 1e6) * 1e6))
    section(_("== {partnership}: portfolio under a budget").format(partnership=pkg.partnership.name)
            + "\n" + render_portfolio(pf, lang))

    written = report.written
    written += [write_appraisal_workbook(rk, out_dir / "ocena_dolina_baryczy.xlsx", lang, portfolio=pf),
                save(card, out_dir / "ocena_karta.xlsx", lang=lang)]
    for name, r in (("ranking.json", rk), ("ranking_karta.json", card)):
        written.append(save(r, out_dir / name))
    written.append(save(pf, out_dir / "portfel.json"))

    from .io.opinion_output import write_opinions
    from .opinions import robustness as opinion_robustness

    opinions_done = write_opinions(rk, out_dir / "opinie", ["docx", "md", "json"], lang,
                                   robustness=opinion_robustness(rk, 2000, 0))
    verdicts = "; ".join(f"{o.identification.project_id} {o.recommendation_label}" for o in opinions_done.opinions)
    section(_("== Advisory opinions: {opinions}").format(opinions=verdicts))
    written.extend(opinions_done.bundle_files)

    bundled = bundled_partnerships()
    if bundled.outcomes:
        lines = [o.line for o in bundled.scored]
        rows = [[ln["voivodeship"], clip(ln["partnership"], 46), str(ln["projects"]), str(ln["eligible"]),
                 ln["top_project"]["id"], clip(ln["top_project"]["title"], 40),
                 numfmt.number(ln["top_project"]["score"], 4, lang=lang)]
                for ln in lines]
        heads = [pgettext("demo", "Voivodeship"), pgettext("demo", "Partnership"), pgettext("demo", "Projects"),
                 pgettext("demo", "Ranked"), pgettext("demo", "Top"), pgettext("demo", "Top project"),
                 pgettext("demo", "Score")]
        section(_("== All bundled partnerships: {packages} packages in {voivodeships} voivodeships, {projects} "
                  "projects").format(packages=len(lines), voivodeships=len({ln["voivodeship"] for ln in lines}),
                                     projects=sum(ln["projects"] for ln in lines))
                + "\n" + table(heads, rows, "llrrllr"))
        for o in bundled.failed:
            report.notes.append(_("not ranked: {error}").format(error=o.error))
            if on_note is not None:
                on_note(report.notes[-1])
        written.append(atomic_write_json(out_dir / "partnerships.json", {
            "partnerships": lines,
            "errors": [{"file": o.file, "reason": o.error} for o in bundled.failed]}))
    return report
