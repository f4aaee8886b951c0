"""The install puts everything under the `appraisal` namespace (no top-level `cli`, `criteria`, ...)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _build_wheel(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis"))
    out = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out)], check=True, cwd=tmp_path)
    wheels = list(out.glob("appraise-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_has_only_the_appraisal_namespace(tmp_path):
    wheel = _build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names}
    assert top == {"appraisal", wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info"}, top
    for needed in ("appraisal/console/cli.py", "appraisal/criteria/models.py", "appraisal/criteria/sets/cwd.toml",
                   "appraisal/samples/pakiet_dolina_baryczy.json", "appraisal/samples/pakiet_karta.json",
                   "appraisal/samples/karta_oceny.toml", "appraisal/samples/pairwise_groups.csv"):
        assert needed in names, needed
    entry = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "appraise = appraisal.console.cli:main" in entry
    assert not any(n.startswith(("cli.py", "criteria/", "samples/", "tests/", "tools/")) for n in names)
    bundled = [n for n in names if n.startswith("appraisal/samples/pakiety/")]
    repo = [p for p in (ROOT / "samples" / "pakiety").rglob("*") if p.suffix in (".json", ".xlsx")]
    assert len(bundled) == len(repo) and any(n.endswith(".xlsx") for n in bundled)


def test_installed_wheel_runs_from_its_own_files(tmp_path):
    wheel = _build_wheel(tmp_path)
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True)
    assert not (target / "cli.py").exists() and not (target / "criteria").exists()
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import appraisal, appraisal.criteria, appraisal.console.cli as c;"
        "assert appraisal.__file__.startswith(sys.argv[1]), appraisal.__file__;"
        "assert appraisal.criteria.__file__.startswith(sys.argv[1]);"
        "sys.exit(c.main(['demo']))"
    )
    run = subprocess.run([sys.executable, "-c", code, str(target)], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "TOPSIS" in run.stdout


def test_every_python_package_of_the_checkout_is_in_the_wheel(tmp_path):
    """pyproject lists the packages by hand (the design card's folders map into one namespace): a new
    sub-package missing from that list would be missing from every installation."""
    root = Path(__file__).resolve().parent.parent
    mapping = {"appraisal": root / "appraisal", "appraisal.criteria": root / "criteria",
               "appraisal.samples": root / "samples"}
    expected = set()
    for name, folder in mapping.items():
        for init in folder.rglob("__init__.py"):
            rel = init.parent.relative_to(folder).parts
            expected.add(".".join((name, *rel)))
    with zipfile.ZipFile(_build_wheel(tmp_path)) as zf:
        packaged = {str(Path(n).parent).replace("/", ".") for n in zf.namelist() if n.endswith("/__init__.py")}
    assert expected <= packaged, f"not in the wheel: {sorted(expected - packaged)}"
