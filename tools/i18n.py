"""The Polish catalogs, kept with Babel.

    python tools/i18n.py extract            # every message of the code -> build/appraise.pot; list untranslated
    python tools/i18n.py missing [PO]       # the messages no catalog translates, as .po entries (to paste into PO)
    python tools/i18n.py compile            # each criteria/locale/pl/LC_MESSAGES/*.po -> .mo
    python tools/i18n.py check              # exit 1 when a message is untranslated or a .mo is stale

Messages are found by Babel's Python extractor with the keywords ``_``, ``N_``, ``ngettext`` and
``pgettext`` in appraisal/, criteria/ and cli.py. The catalogs are split by area (one .po per area);
at run time criteria/i18n.py chains them, so a message must be translated in exactly one of them.
"""

from __future__ import annotations

import datetime
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "appraisal", ROOT / "criteria", ROOT / "cli.py"]
CATALOGS = ROOT / "criteria" / "locale" / "pl" / "LC_MESSAGES"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
# the workshop's pages: Jinja2's own Babel extractor finds the _() calls in the templates
METHOD_MAP = [("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")]
FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def extract() -> Catalog:
    """Every message marked in the code, with where it is."""
    catalog = Catalog(project="appraise", locale=None)
    for source in SOURCES:
        if source.is_file():
            from babel.messages.extract import extract as extract_file
            with open(source, "rb") as fh:
                for lineno, message, comments, context in extract_file(
                        "python", fh, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
                    catalog.add(message, None, [(source.relative_to(ROOT).as_posix(), lineno)],
                                auto_comments=comments, context=context)
            continue
        for filename, lineno, message, comments, context in extract_from_dir(
                source, METHOD_MAP, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
            path = (source / filename).relative_to(ROOT).as_posix()
            catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    return catalog


def catalogs() -> dict[Path, Catalog]:
    """The Polish catalogs, by file."""
    out = {}
    for path in sorted(CATALOGS.glob("*.po")):
        with open(path, "rb") as fh:
            out[path] = read_po(fh, locale="pl")
    return out


def _key(message) -> tuple:
    return (message.context, message.id)


def untranslated(template: Catalog, pos: dict[Path, Catalog]) -> list:
    """The messages of ``template`` that no catalog translates (an empty or missing msgstr)."""
    done = set()
    for catalog in pos.values():
        for m in catalog:
            if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string):
                done.add(_key(m))
    return [m for m in template if m.id and _key(m) not in done]


def _mo(catalog: Catalog) -> bytes:
    """The compiled catalog, the same bytes on every run (Babel would stamp the time into the header)."""
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def compile_all() -> list[Path]:
    written = []
    for path, catalog in catalogs().items():
        buf = io.BytesIO(_mo(catalog))
        target = path.with_suffix(".mo")
        if not target.exists() or target.read_bytes() != buf.getvalue():
            tmp = target.with_suffix(".mo.tmp")
            tmp.write_bytes(buf.getvalue())
            tmp.replace(target)
            written.append(target)
    return written


def stale() -> list[Path]:
    out = []
    for path, catalog in catalogs().items():
        target = path.with_suffix(".mo")
        if not target.exists() or target.read_bytes() != _mo(catalog):
            out.append(target)
    return out


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "extract":
        template = extract()
        out = ROOT / "build" / "appraise.pot"
        out.parent.mkdir(exist_ok=True)
        with open(out, "wb") as fh:
            write_po(fh, template, width=110)
        missing = untranslated(template, catalogs())
        print(f"{out}: {len(template)} messages, {len(missing)} untranslated")
        return 0
    if command == "missing":
        template = extract()
        missing = untranslated(template, catalogs())
        out = Catalog(locale="pl")
        for m in missing:
            out.add(m.id, "" if not m.pluralizable else ("", "", ""), m.locations, context=m.context,
                    flags=m.flags)
        buf = io.BytesIO()
        write_po(buf, out, width=110, omit_header=True)
        sys.stdout.write(buf.getvalue().decode())
        return 0
    if command == "compile":
        for target in compile_all():
            print(f"wrote {target.relative_to(ROOT)}")
        return 0
    if command == "check":
        missing = untranslated(extract(), catalogs())
        for m in missing:
            where = ", ".join(f"{f}:{n}" for f, n in m.locations[:2])
            print(f"untranslated: {m.id!r} ({where})")
        for target in stale():
            print(f"stale: {target.relative_to(ROOT)} (run: python tools/i18n.py compile)")
        return 1 if missing or stale() else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
