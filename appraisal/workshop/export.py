"""What leaves the workshop: the package with the panel, one CSV per participant, the audit trail, the QR code.

- the package (TOML, JSON or the package workbook) is the input package with each judged group weighed by
  the panel: ``weights.<group>.pairwise`` lists one matrix per participant (``expert``, ``weight`` and the
  completed matrix), the ``experts`` list ``appraise rank``, ``sensitivity --sampler panel`` and
  ``opinions`` already read. A criteria set given by a file is written into the package, so the export
  stands alone;
- ``participants.zip`` holds ``<group>/<nn>_<name>.csv``, each the participant's completed matrix in the
  format ``appraise weights`` reads (skipped pairs hold Harker's value), and ``participants.csv`` with who
  they are and their weights;
- the audit trail, every judgment ever stored, oldest first, as CSV (UTF-8 with BOM for Excel).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import re
import tempfile
import zipfile
from pathlib import Path

from .. import __version__
from ..criteria.judgments import judgment_text
from ..criteria.sets import builtin_sets, load_criteria
from .analysis import FULL_TABLES, Workshop, expert_name, package_with_panel

PACKAGE_FORMATS = {
    "toml": "application/toml",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def qr_svg(link: str) -> bytes:
    """The QR code of ``link`` as an SVG image (no raster library needed)."""
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(link, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    buf = io.BytesIO()
    img.save(buf)
    return buf.getvalue()


def _document(w: Workshop, package_path: Path) -> dict:
    """The package with the panel as a plain document (what ``appraise`` reads from JSON or TOML)."""
    pkg = package_with_panel(w.package, w.overrides())
    doc = pkg.model_dump(mode="json", exclude_none=True)
    if isinstance(w.package.criteria, str) and w.package.criteria not in builtin_sets():
        base = load_criteria(w.package.criteria, package_path.parent)
        doc["criteria"] = base.model_dump(mode="json", exclude_none=True)
    return doc


def package_bytes(w: Workshop, fmt: str, package_path: Path, ws=None) -> bytes:
    doc = _document(w, package_path)
    if fmt == "json":
        return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt == "toml":
        import tomli_w

        head = (f"# {w.package.partnership.name}: the package with the workshop's panel "
                f"(appraise {__version__}, {_dt.datetime.now(_dt.UTC):%Y-%m-%d %H:%M} UTC)\n")
        if ws is not None:
            head += f"# workshop session {ws.code}; input package {package_path.name} {ws.package_hash}\n"
        return (head + tomli_w.dumps(doc)).encode("utf-8")
    if fmt == "xlsx":
        from ..io.package_workbook.write import write_template
        from ..package import package_from_document

        pkg = package_from_document(doc, str(package_path), package_path.parent)
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "package.xlsx"
            write_template(target, pkg.criteria_set, package=pkg)
            return target.read_bytes()
    raise ValueError(fmt)


def _slug(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text, flags=re.UNICODE).strip("_")[:60] or "uczestnik"


def matrix_csv(ids: list[str], matrix) -> str:
    """A pairwise matrix in the CSV format of ``appraise weights`` (upper triangle; fractions exact)."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(["", *ids])
    n = len(ids)
    for i in range(n):
        row = [ids[i]]
        for j in range(n):
            if j < i:
                row.append("")
            elif j == i:
                row.append("1")
            else:
                row.append(str(judgment_text(float(matrix[i, j]))))
        out.writerow(row)
    return buf.getvalue()


def participants_zip(w: Workshop) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        number = {m.id: k for k, m in enumerate(w.members, start=1)}
        table = io.StringIO()
        out = csv.writer(table, lineterminator="\n")
        out.writerow(["nr", "participant_id", "name", "role", "jst", "weight", "group", "status", "cr",
                      "answered", "skipped", "completed_by_harker", "file", *["w:" + i for n in w.nodes
                                                                            for i in n.ids]])
        for panel in w.panels:
            for a in panel.answers:
                k = number[a.member.id]
                name = f"{panel.node.id}/{k:02d}_{_slug(a.member.name)}.csv"
                if a.status == "ok":
                    zf.writestr(name, matrix_csv(panel.node.ids, a.matrix))
                weights = a.weight_map()
                out.writerow([k, a.member.public_id, a.member.name, a.member.role, a.member.jst,
                              repr(a.member.weight), panel.node.id, a.status,
                              "" if a.cr is None else repr(a.cr), len(a.given), len(a.skipped),
                              len(a.completed), name if a.status == "ok" else "",
                              *[repr(weights[i]) if i in weights else "" for n in w.nodes for i in n.ids]])
        zf.writestr("participants.csv", "\ufeff" + table.getvalue())
    return buf.getvalue()


AUDIT_COLUMNS = ["event", "at", "participant", "name", "group", "row", "column", "value", "previous",
                 "had_previous"]


def write_audit_csv(fh, events: list[dict]) -> None:
    out = csv.writer(fh, lineterminator="\n")
    out.writerow(AUDIT_COLUMNS)
    for e in events:
        row = []
        for c in AUDIT_COLUMNS:
            v = e[c]
            if isinstance(v, _dt.datetime):
                v = v.isoformat()
            elif isinstance(v, float):
                v = repr(v)
            elif v is None:
                v = ""
            elif isinstance(v, bool):
                v = "1" if v else "0"
            row.append(_no_formula(str(v)))
        out.writerow(row)


def _no_formula(text: str) -> str:
    """A name typed by a participant is never a formula in Excel: a leading = + - @ is quoted."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def dashboard_json(w: Workshop, ws, version: str, full: bool = False) -> dict:
    """The dashboard's numbers as JSON (the page's script and the browser tests read them). A group's
    similarity matrix is left out above :data:`FULL_TABLES` counted participants unless ``full``."""
    out = {"code": ws.code, "title": ws.title, "version": version, "engine": f"appraise {__version__}",
           "participants": [], "groups": [], "ranking": None, "ranking_error": w.ranking_error}
    answered = w.answered()
    for m in w.members:
        done, total = answered[m.id]
        out["participants"].append({"participant_id": m.public_id, "name": m.name, "expert": expert_name(m),
                                    "role": m.role, "jst": m.jst, "weight": m.weight, "answered": done,
                                    "pairs": total})
    for p in w.panels:
        g = {"group": p.node.id, "label": p.node.label, "items": p.node.ids,
             "participants": [{"participant_id": a.member.public_id, "status": a.status, "cr": a.cr,
                               "weights": a.weight_map()} for a in p.answers],
             "counted": [a.member.public_id for a in p.members]}
        if p.result is not None:
            g.update(weights=p.result.weight_map(), cr=float(p.result.cr), consistent=p.result.consistent)
        if p.consensus is not None:
            g.update(consensus=p.consensus, homogeneity=p.homogeneity, consensus_word=p.word,
                     clusters=[[p.members[i].member.public_id for i in c] for c in p.clusters])
            if full or len(p.members) <= FULL_TABLES:
                g["similarity"] = p.similarity.tolist()
        out["groups"].append(g)
    if w.ranking is not None:
        out["ranking"] = [{"id": r.id, "title": r.title, "rank": r.rank, "score": r.score}
                          for r in w.ranking.results]
    return out
