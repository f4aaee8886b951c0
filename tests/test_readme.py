"""The README and docs/ stand on their own: every example runs from a copy of the packaged samples (as from
an installed wheel), and every link and picture points at a file of this repository that exists."""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
from pathlib import Path

import pytest

from appraisal.console.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: the project's own documentation: the README and everything under docs/
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
#: folders that are not the project's (environments, builds, caches)
NOT_OURS = {".git", ".venv", "venv", "build", "dist", "node_modules", ".pytest_cache", ".hypothesis", "__pycache__",
            ".ruff_cache"}
#: the folder the README's examples copy the samples into
EXAMPLES = "przyklady"


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.DOTALL)


COMMANDS = [line[2:].strip() for block in _blocks("console") for line in block.splitlines()
            if line.startswith("$ appraise ")]


@pytest.fixture(scope="module")
def samples_copy(tmp_path_factory) -> Path:
    """The packaged samples, copied as the README tells a user to: ``appraise samples copy przyklady``."""
    base = tmp_path_factory.mktemp("readme")
    cwd = os.getcwd()
    os.chdir(base)
    try:
        assert main(["samples", "copy", EXAMPLES]) == 0
    finally:
        os.chdir(cwd)
    return base / EXAMPLES


def test_readme_has_the_main_commands():
    assert "appraise demo" in COMMANDS
    assert f"appraise samples copy {EXAMPLES}" in COMMANDS
    assert "python -m pytest -q" in README
    for cmd in ("weights", "rank", "criteria", "schema", "validate", "demo", "samples", "sensitivity", "portfolio",
                "opinions", "batch", "template"):
        assert any(c.split()[1] == cmd for c in COMMANDS), cmd


def test_readme_examples_use_the_copied_samples_not_the_repository():
    """A user with an installed wheel has no samples/ folder: the examples read the copy."""
    assert not [c for c in COMMANDS if re.search(r"(^|[\s=])samples/", c)]
    for code in _blocks("python"):
        assert '"samples/' not in code


def test_readme_install_uses_a_virtual_environment():
    assert "python3 -m venv .venv" in README and ". .venv/bin/activate" in README
    assert "py -m venv .venv" in README and ".venv\\Scripts\\activate" in README
    assert "--lang en" in README and "APPRAISE_LANG" in README


def test_readme_documents_every_exit_code():
    section = README[README.index("## Exit codes"):]
    for code in ("0", "1", "2", "3", "4", "130"):
        assert re.search(rf"^\| {code} \|", section, flags=re.MULTILINE), code
    assert "--strict" in section


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_runs(command, samples_copy, monkeypatch, capsys, tmp_path):
    # each command runs in a folder of its own (so its outputs never land in the repository), beside its own
    # copy of the samples; `appraise samples ...` itself runs in an empty folder
    monkeypatch.chdir(tmp_path)
    args = shlex.split(command)[1:]
    if args[0] != "samples":
        shutil.copytree(samples_copy, tmp_path / EXAMPLES)
    args = [x for a in args for x in (sorted(glob.glob(a)) if "*" in a else [a])]
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.strip()
    if args[:2] == ["samples", "copy"]:
        assert (tmp_path / args[2] / "pakiet_dolina_baryczy.json").is_file()


def test_readme_python_example_runs(samples_copy, monkeypatch, capsys, tmp_path):
    shutil.copytree(samples_copy, tmp_path / EXAMPLES)  # the example's paths, its files written beside
    monkeypatch.chdir(tmp_path)
    blocks = _blocks("python")
    assert blocks
    for code in blocks:
        exec(compile(code, "README.md", "exec"), {"__name__": "readme"})
    out = capsys.readouterr().out
    assert "rank" in out and "score" in out and "expected_rank" in out
    import openpyxl

    assert "Podsumowanie" in openpyxl.load_workbook(tmp_path / "ocena.xlsx").sheetnames
    assert len(openpyxl.load_workbook(tmp_path / "wrazliwosc.xlsx").sheetnames) > len(
        openpyxl.load_workbook(tmp_path / "ocena.xlsx").sheetnames)


# --- links ---------------------------------------------------------------------------------------------------

FENCE = re.compile(r"^(```|~~~).*?^\1", flags=re.DOTALL | re.MULTILINE)
INLINE_CODE = re.compile(r"`[^`\n]*`")
MD_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REF_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$", flags=re.MULTILINE)
HTML_LINK = re.compile(r"<(?:img|a|source)\b[^>]*?\b(?:src|href|srcset)\s*=\s*[\"']([^\"']+)[\"']", flags=re.IGNORECASE)
ANCHOR_ID = re.compile(r"<a\s+(?:id|name)=[\"']([^\"']+)[\"']", flags=re.IGNORECASE)
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", flags=re.MULTILINE)


def _prose(text: str) -> str:
    """The text without code (fenced blocks and inline code): a path in an example is not a link."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def _targets(text: str) -> list[str]:
    prose = _prose(text)
    return [m for rx in (MD_LINK, REF_LINK, HTML_LINK) for m in rx.findall(prose)]


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"<[^>]+>", "", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("`", "").strip().lower()
    return re.sub(r"\s", "-", re.sub(r"[^\w\- ]", "", text))


def _anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    prose = FENCE.sub("", text)
    return set(ANCHOR_ID.findall(prose)) | {_slug(h) for h in HEADING.findall(prose)}


def _is_external(target: str) -> bool:
    return re.match(r"^(https?:|mailto:)", target, flags=re.IGNORECASE) is not None


def _check_target(doc: Path, target: str) -> str | None:
    """What is wrong with ``target``, a link in ``doc`` (None: it is a file of the repository that exists)."""
    if _is_external(target):
        return None
    if re.match(r"^([a-z][a-z0-9+.-]*:|/|\\|~)", target, flags=re.IGNORECASE):
        return "an absolute path or another scheme, outside the repository"
    path, _, fragment = target.partition("#")
    dest = (doc.parent / path).resolve() if path else doc
    if dest != ROOT and ROOT not in dest.parents:
        return "outside the repository"
    if not dest.exists():
        return "no such file"
    if fragment and dest.suffix == ".md" and fragment not in _anchors(dest):
        return f"no anchor #{fragment} in {dest.relative_to(ROOT)}"
    return None


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_stay_in_the_repository_and_exist(doc):
    targets = _targets(doc.read_text(encoding="utf-8"))
    assert targets, f"{doc.name} links to nothing (the link pattern is broken?)"
    bad = {t: why for t in targets if (why := _check_target(doc, t)) is not None}
    assert not bad, bad


def test_the_link_check_catches_what_it_should():
    """The checker itself: a link out of the repository, an absolute path, a missing file or anchor fail."""
    readme = ROOT / "README.md"
    assert _check_target(readme, "../shared/DESIGN.md") == "outside the repository"
    assert _check_target(readme, "/work/shared/DESIGN.md") is not None
    assert _check_target(readme, "file:///etc/passwd") is not None
    assert _check_target(readme, "docs/img/no-such-picture.png") == "no such file"
    assert _check_target(readme, "docs/design.md#no-such-anchor").startswith("no anchor")
    assert _check_target(readme, "docs/design.md#glossary") is None
    assert _check_target(ROOT / "docs" / "design.md", "../README.md#architecture") is None
    assert _targets("see `../x.md` and\n```\n[a](../y.md)\n```\n") == []
    assert _targets('<img src="a.png" width="3"> ![b](c.png "t") [d](e.md#f)') == ["c.png", "e.md#f", "a.png"]


def test_readme_shows_the_rendered_pages():
    """The opinion's and the appraisal workbook's pages (tools/render_docs.py) are pictures in the README."""
    shown = {t for t in _targets(README) if t.endswith(".png")}
    for name in ("opinia-strona-1.png", "opinia-strona-2.png", "arkusz-oceny.png"):
        assert f"docs/img/{name}" in shown, name
        assert (ROOT / "docs" / "img" / name).stat().st_size > 10_000, name


def _our_files(suffixes: tuple[str, ...]) -> list[Path]:
    out = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in NOT_OURS and not d.endswith(".egg-info")]
        out += [Path(folder, f) for f in files if f.endswith(suffixes)]
    return sorted(out)


def test_every_cited_design_anchor_exists():
    """Code, tests and documents cite the design as ``docs/design.md#anchor``: each anchor is there."""
    anchors = _anchors(ROOT / "docs" / "design.md")
    cited = {}
    for path in _our_files((".py", ".md", ".toml")):
        if path == Path(__file__).resolve():  # this file's examples of wrong anchors
            continue
        for anchor in re.findall(r"docs/design\.md#([\w-]+)", path.read_text(encoding="utf-8", errors="replace")):
            cited.setdefault(anchor, []).append(str(path.relative_to(ROOT)))
    assert cited, "nothing cites docs/design.md"
    assert not {a: where for a, where in cited.items() if a not in anchors}


def test_nothing_cites_the_design_note_outside_the_repository():
    """The design lives in docs/design.md; the old note outside the repository (DESIGN.md) is cited nowhere
    (docs/design.md's own table of old references aside)."""
    old = re.compile(r"\bDESIGN\.md\b|shared/DESIGN")
    found = [f"{p.relative_to(ROOT)}:{n}" for p in _our_files((".py", ".md", ".toml"))
             if p not in (ROOT / "docs" / "design.md", Path(__file__).resolve())
             for n, line in enumerate(p.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
             if old.search(line)]
    assert not found, found
