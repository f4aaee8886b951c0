"""The install puts everything under the `appraisal` namespace (no top-level `cli`, `criteria`, ...), and an
installed wheel works on its own: `appraise demo`, `appraise samples copy` and the README's first commands run
from a virtual environment outside the checkout, in Polish by default (the compiled catalogs are packed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

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


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return _build_wheel(tmp_path_factory.mktemp("build"))


def test_wheel_has_only_the_appraisal_namespace(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names}
    assert top == {"appraisal", wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info"}, top
    for needed in ("appraisal/console/cli.py", "appraisal/criteria/models.py", "appraisal/criteria/sets/cwd.toml",
                   "appraisal/samples/pakiet_dolina_baryczy.json", "appraisal/samples/pakiet_karta.json",
                   "appraisal/samples/karta_oceny.toml", "appraisal/samples/pairwise_groups.csv",
                   "appraisal/criteria/locale/pl/LC_MESSAGES/cli.mo", "appraisal/commands/samples.py"):
        assert needed in names, needed
    entry = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "appraise = appraisal.console.cli:main" in entry
    assert not any(n.startswith(("cli.py", "criteria/", "samples/", "tests/", "tools/")) for n in names)
    bundled = [n for n in names if n.startswith("appraisal/samples/pakiety/")]
    repo = [p for p in (ROOT / "samples" / "pakiety").rglob("*") if p.suffix in (".json", ".xlsx")]
    assert len(bundled) == len(repo) and any(n.endswith(".xlsx") for n in bundled)


def test_installed_wheel_runs_from_its_own_files(tmp_path, wheel):
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


def test_every_python_package_of_the_checkout_is_in_the_wheel(wheel):
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
    with zipfile.ZipFile(wheel) as zf:
        packaged = {str(Path(n).parent).replace("/", ".") for n in zf.namelist() if n.endswith("/__init__.py")}
    assert expected <= packaged, f"not in the wheel: {sorted(expected - packaged)}"


def test_every_compiled_catalog_is_in_the_wheel(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    catalogs = sorted((ROOT / "criteria" / "locale").rglob("*.mo"))
    assert catalogs
    for mo in catalogs:
        assert f"appraisal/criteria/{mo.relative_to(ROOT / 'criteria').as_posix()}" in names, mo


def _venv_with(wheel: Path, where: Path) -> Path:
    """A virtual environment with the wheel installed (its console script ``appraise``); the dependencies are
    those of this environment, reached through a .pth file (no network); the checkout is not reachable.

    The wheel goes in first, and only then the .pth: pip must not see this environment's own (editable)
    appraise from the new one, or it would uninstall it to install the wheel."""
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    assert not any(site.glob("*.pth"))
    # this environment's pip, installing for the new one's python (its console script points at that python)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-compile",
                    "-q", str(wheel)], check=True)
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    assert (bindir / "appraise").exists()
    return bindir / "appraise"


def test_an_installed_appraise_runs_the_demo_and_copies_the_samples_outside_the_checkout(tmp_path, wheel):
    appraise = _venv_with(wheel, tmp_path)
    work = tmp_path / "praca"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("APPRAISE_LANG", "PYTHONPATH")}  # Polish: the default

    def run(*args):
        return subprocess.run([str(appraise), *map(str, args)], capture_output=True, text=True, cwd=work, env=env,
                              timeout=600, check=False)

    where = subprocess.run([str(appraise.parent / "python"), "-c", "import appraisal; print(appraisal.__file__)"],
                           capture_output=True, text=True, cwd=work, env=env, check=True).stdout
    assert str(tmp_path / "venv") in where and str(ROOT) not in where
    demo = run("demo", "-o", "demo")
    assert demo.returncode == 0, demo.stderr
    assert "zapisane pliki:" in demo.stdout and "Miejsce" in demo.stdout and "written:" not in demo.stdout
    assert (work / "demo" / "ocena_dolina_baryczy.xlsx").is_file() and (work / "demo" / "ranking.json").is_file()
    copied = run("samples", "copy", "przyklady")
    assert copied.returncode == 0, copied.stderr
    assert (work / "przyklady" / "pakiet_dolina_baryczy.json").is_file()
    assert any((work / "przyklady" / "pakiety").rglob("*.xlsx"))
    again = run("samples", "copy", "przyklady")
    assert again.returncode == 2 and again.stderr.startswith("appraise: błąd: ") and "--force" in again.stderr
    ranked = run("rank", "przyklady/pakiet_dolina_baryczy.json")
    assert ranked.returncode == 0 and "Miejsce" in ranked.stdout, ranked.stderr
    card = run("rank", "przyklady/pakiet_karta.json", "--method", "points")  # its criteria file beside it
    assert card.returncode == 0, card.stderr
    assert run("validate", "przyklady/karta_oceny.toml").returncode == 0
