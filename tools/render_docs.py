"""Render the README's pictures: pages of one advisory opinion and of the demo's appraisal workbook.

    python tools/render_docs.py            # writes docs/img/*.png
    python tools/render_docs.py --out DIR  # elsewhere

What it does, in a temporary folder (nothing else in the repository is touched):

1. ``appraise demo -o DIR`` on the packaged samples (in Polish, the default language): the appraisal
   workbook ``ocena_dolina_baryczy.xlsx`` and the advisory opinions under ``opinie/``;
2. ``appraise sensitivity`` of the same package with ``-o wrazliwosc.xlsx`` (seeded), for the page of the
   sensitivity sheet with its chart;
3. each document converted to PDF by LibreOffice (``soffice --headless --convert-to pdf``, its own
   throw-away profile), and the pages wanted turned into PNG by ``pdftoppm`` (poppler-utils).

It writes, with fixed names (so a re-run replaces the same files):

- ``opinia-strona-1.png`` … ``opinia-strona-3.png``: the first pages of the opinion of the project the
  demo ranks first (fewer when the opinion is shorter);
- ``arkusz-oceny.png``: the first page of the appraisal workbook (its first sheet, *Podsumowanie*);
- ``wrazliwosc.png``: the first page of the sensitivity workbook whose text names the stability
  intervals (the sheet with the range chart).

Needs LibreOffice (Writer and Calc) and poppler-utils on the PATH, and ``appraise`` importable (run it in
the project's virtual environment). The pictures depend on the fonts installed; the names do not.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "docs" / "img"
#: pixels per inch of the PNG pages (A4 at 110 dpi is about 910 × 1290 pixels)
DPI = 110
#: how many pages of the opinion are shown
OPINION_PAGES = 3
#: words that mark the sensitivity sheet with the stability chart (Polish, then English)
STABILITY_WORDS = ("Przedziały stabilności", "Przedział stabilności", "Stability intervals")


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    """Run ``cmd``; on failure say which command and what it printed, then stop."""
    proc = subprocess.run(cmd, check=False, capture_output=True, text=True, **kw)
    if proc.returncode != 0:
        sys.exit(f"render_docs: {' '.join(map(str, cmd))} failed ({proc.returncode}):\n{proc.stderr or proc.stdout}")
    return proc


def appraise(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """The installed command line, through this Python (the virtual environment's)."""
    code = "import sys; from appraisal.console.cli import main; sys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "APPRAISE_LANG": "pl"}
    return run([sys.executable, "-c", code, *args], cwd=cwd, env=env)


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        sys.exit("render_docs: LibreOffice is needed (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)")
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        sys.exit("render_docs: poppler-utils is needed (apt-get install poppler-utils)")
    return exe


def to_pdf(src: Path, work: Path) -> Path:
    """``src`` converted to PDF by LibreOffice, in ``work/pdf``, with a profile of its own."""
    profile = work / "lo-profile"
    outdir = work / "pdf"
    outdir.mkdir(exist_ok=True)
    run([soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(outdir), str(src)], cwd=work, timeout=600)
    pdf = outdir / (src.stem + ".pdf")
    if not pdf.is_file():
        sys.exit(f"render_docs: LibreOffice wrote no PDF for {src}")
    return pdf


def page_count(pdf: Path) -> int:
    for line in run(["pdfinfo", str(pdf)]).stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    sys.exit(f"render_docs: pdfinfo gives no page count for {pdf}")


def page_text(pdf: Path, page: int) -> str:
    return run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"]).stdout


def to_png(pdf: Path, page: int, target: Path) -> Path:
    """Page ``page`` (from 1) of ``pdf`` as the PNG ``target``."""
    stem = target.with_suffix("")
    run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)])
    made = stem.with_suffix(".png")
    if made != target:
        made.replace(target)
    return target


def render(out: Path, work: Path) -> list[Path]:
    demo = work / "demo"
    appraise(["demo", "-o", str(demo)], cwd=work)
    written: list[Path] = []

    # the opinion of the project ranked first (by the demo's own ranking)
    ranking = json.loads((demo / "ranking.json").read_text(encoding="utf-8"))
    top = min(ranking["results"], key=lambda r: (r["rank"], r["id"]))["id"]
    opinions = {p.stem.lower(): p for p in (demo / "opinie").glob("*.docx") if not p.stem.endswith(".prev")}
    docx = opinions.get(top.lower())
    if docx is None:
        sys.exit(f"render_docs: no opinion DOCX of {top} among {sorted(opinions)}")
    pdf = to_pdf(docx, work)
    for page in range(1, min(OPINION_PAGES, page_count(pdf)) + 1):
        written.append(to_png(pdf, page, out / f"opinia-strona-{page}.png"))

    # the appraisal workbook: its first sheet (Podsumowanie) is its first page
    pdf = to_pdf(demo / "ocena_dolina_baryczy.xlsx", work)
    written.append(to_png(pdf, 1, out / "arkusz-oceny.png"))

    # the sensitivity workbook: the first page that names the stability intervals
    from appraisal.demo import samples_dir

    sens = work / "wrazliwosc.xlsx"
    appraise(["sensitivity", str(samples_dir() / "pakiet_dolina_baryczy.json"), "--samples", "2000", "--seed", "1",
              "-o", str(sens)], cwd=work)
    pdf = to_pdf(sens, work)
    page = next((p for p in range(1, page_count(pdf) + 1)
                 if any(w.lower() in page_text(pdf, p).lower() for w in STABILITY_WORDS)), None)
    if page is None:
        sys.exit(f"render_docs: no page of {sens.name} names the stability intervals ({', '.join(STABILITY_WORDS)})")
    written.append(to_png(pdf, page, out / "wrazliwosc.png"))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"folder for the PNG files [{DEFAULT_OUT}]")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (and say where it is)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("opinia-strona-*.png"):  # a shorter opinion must not leave an old page behind
        old.unlink()
    work = Path(tempfile.mkdtemp(prefix="appraise-docs-"))
    try:
        for path in render(args.out, work):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    finally:
        if args.keep:
            print(f"temporary files kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
