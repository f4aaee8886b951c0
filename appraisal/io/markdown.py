"""Advisory opinions as Markdown (for the web): the same sections, tables and numbers as the DOCX
(:mod:`appraisal.io.opinion_layout`), GitHub-flavoured tables, UTF-8. Generated output only:
edits to these files are not read back (the advisor edits the DOCX, or the JSON).

Every text is escaped before it is written: ``&``, ``<`` and ``>`` become ``&amp;``, ``&lt;`` and
``&gt;`` (a title, comment, descriptor or advisor's note holding HTML is shown as text, never passed
through as markup), line ends are LF and control characters are dropped
(:func:`~appraisal.io.opinion_layout.clean_text`); a line break inside a one-line element (a
heading, a table cell) is written as a space or ``<br>``.
"""

from __future__ import annotations

from pathlib import Path

from ..opinions import Opinion, OpinionBundle
from .files import atomic_write_text
from .opinion_layout import Block, bundle_blocks, clean_block, clean_text, footer_text, opinion_blocks

_HTML = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}


def escape(text: str) -> str:
    """``text`` (already cleaned) with ``& < >`` as entities: shown as written, never read as HTML."""
    return text.translate(_HTML)


def _line(text: str) -> str:
    """Text for an element that must stay on one line (a heading, bold or italic text)."""
    return escape(" ".join(text.split("\n")))


def _cell(text: str) -> str:
    return escape(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>") or " "


def _table(headers: list[str], rows: list[list[str]], groups: list[tuple[int, str]] = ()) -> list[str]:
    """A GitHub table; a group's row (``groups``: before which row, its title) is its title in bold in the
    first cell (Markdown has no cell across columns)."""
    out = ["| " + " | ".join(_cell(h) for h in headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    titles = dict(groups)
    for k, row in enumerate(rows):
        if k in titles:
            out.append("| " + " | ".join([f"**{_line(titles[k])}**", *(" " for _ in headers[1:])]) + " |")
        out.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return [*out, ""]


def _render(blocks: list[Block]) -> str:
    out: list[str] = []
    for b in map(clean_block, blocks):
        if b.kind == "title":
            out += [f"# {_line(b.text)}", ""]
        elif b.kind == "subtitle":
            out += [f"**{_line(b.text)}**", ""]
        elif b.kind == "heading":
            out += [f"{'#' * min(b.level + 1, 6)} {_line(b.text)}", ""]
        elif b.kind == "para":
            out += [f"**{_line(b.text)}**" if b.bold else escape(b.text), ""]
        elif b.kind == "small":
            out += [f"*{_line(b.text)}*", ""]
        elif b.kind == "bullets":
            out += [*(f"- {escape(item)}" for item in b.items), ""]
        elif b.kind == "advisor":
            out += [escape(b.text) if b.text.strip() else f"*{_line(b.placeholder)}*", ""]
        elif b.kind == "kv":
            out += _table(["", ""], b.rows)
        elif b.kind == "table":
            out += _table(b.headers, b.rows, b.groups)
        elif b.kind == "signature":
            out += [" · ".join(f"{_line(label)}: ………………" for label in b.headers), ""]
        elif b.kind == "pagebreak":
            out += ["---", ""]
        else:  # pragma: no cover
            raise ValueError(f"unknown block {b.kind!r}")
    return "\n".join(out).rstrip("\n") + "\n"


def opinion_markdown(op: Opinion) -> str:
    """One project's opinion as Markdown, in the opinion's language."""
    idn = op.identification
    footer = _line(clean_text(footer_text(idn.engine, idn.input_hash, op.lang))).replace("--", "- -")
    return _render(opinion_blocks(op)) + f"\n<!-- {footer} -->\n"


def bundle_markdown(bundle: OpinionBundle) -> str:
    """The package's opinions after the summary table, as Markdown, in the bundle's language."""
    return _render(bundle_blocks(bundle))


def write_opinion_markdown(op: Opinion, path: str | Path) -> Path:
    return atomic_write_text(path, opinion_markdown(op))


def write_bundle_markdown(bundle: OpinionBundle, path: str | Path) -> Path:
    return atomic_write_text(path, bundle_markdown(bundle))
