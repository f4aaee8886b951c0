"""Advisory opinions as Markdown (for the web): the same sections, tables and numbers as the DOCX
(:mod:`appraisal.io.opinion_layout`), GitHub-flavoured tables, UTF-8. Generated output only:
edits to these files are not read back (the advisor edits the DOCX, or the JSON)."""

from __future__ import annotations

from pathlib import Path

from ..opinions import Opinion, OpinionBundle
from .files import atomic_write_text
from .opinion_layout import Block, bundle_blocks, footer_text, opinion_blocks


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>") or " "


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(_cell(h) for h in headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*out, ""]


def _render(blocks: list[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind == "title":
            out += [f"# {b.text}", ""]
        elif b.kind == "subtitle":
            out += [f"**{b.text}**", ""]
        elif b.kind == "heading":
            out += [f"{'#' * min(b.level + 1, 6)} {b.text}", ""]
        elif b.kind == "para":
            out += [f"**{b.text}**" if b.bold else b.text, ""]
        elif b.kind == "small":
            out += [f"*{b.text}*", ""]
        elif b.kind == "bullets":
            out += [*(f"- {item}" for item in b.items), ""]
        elif b.kind == "advisor":
            out += [b.text if b.text.strip() else f"*{b.placeholder}*", ""]
        elif b.kind == "kv":
            out += _table(["", ""], b.rows)
        elif b.kind == "table":
            out += _table(b.headers, b.rows)
        elif b.kind == "signature":
            out += [" · ".join(f"{label}: ………………" for label in b.headers), ""]
        elif b.kind == "pagebreak":
            out += ["---", ""]
        else:  # pragma: no cover
            raise ValueError(f"unknown block {b.kind!r}")
    return "\n".join(out).rstrip("\n") + "\n"


def opinion_markdown(op: Opinion) -> str:
    idn = op.identification
    return _render(opinion_blocks(op)) + f"\n<!-- {footer_text(idn.engine, idn.input_hash, op.lang)} -->\n"


def bundle_markdown(bundle: OpinionBundle) -> str:
    return _render(bundle_blocks(bundle))


def write_opinion_markdown(op: Opinion, path: str | Path) -> Path:
    return atomic_write_text(path, opinion_markdown(op))


def write_bundle_markdown(bundle: OpinionBundle, path: str | Path) -> Path:
    return atomic_write_text(path, bundle_markdown(bundle))
