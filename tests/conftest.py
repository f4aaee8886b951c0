"""Shared test helpers: recalculating a workbook in a real spreadsheet engine (LibreOffice)."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    """The tests were written against the English messages (the gettext msgids): they run with
    ``APPRAISE_LANG=en``. The product's default is Polish; tests of that default (tests/test_i18n.py and
    the Polish-output tests) remove the variable with ``monkeypatch.delenv("APPRAISE_LANG")`` or pass
    ``--lang pl``. Subprocesses inherit the variable."""
    from appraisal.criteria import i18n

    monkeypatch.setenv("APPRAISE_LANG", "en")
    i18n.set_language(None)
    yield
    i18n.set_language(None)


def soffice_or_skip() -> str:
    """The LibreOffice binary; in CI (CI=true) its absence fails the test instead of skipping it."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is required in CI: apt-get install libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) is not installed")
    return exe


def recalculate(path: Path, workdir: Path) -> Path:
    """Open ``path`` in headless LibreOffice Calc, recalculate, save as .xlsx; return the new file."""
    exe = soffice_or_skip()
    out = workdir / f"lo-{uuid.uuid4().hex[:8]}"
    profile = workdir / f"lo-profile-{uuid.uuid4().hex[:8]}"
    run = subprocess.run(
        [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--calc",
         "--convert-to", "xlsx", "--outdir", str(out), str(path)],
        capture_output=True, text=True, timeout=240, check=False)
    result = out / (path.stem + ".xlsx")
    assert run.returncode == 0 and result.exists(), f"LibreOffice failed: {run.stdout} {run.stderr}"
    shutil.rmtree(profile, ignore_errors=True)
    return result


@pytest.fixture
def recalc(tmp_path):
    """``recalc(path)`` → the same workbook recalculated and saved by LibreOffice."""
    return lambda path: recalculate(Path(path), tmp_path)


# ---- workshop web app: PostgreSQL, headless Chromium (tests/workshop_support.py; selenium, uvicorn and the
# database drivers are imported only when a fixture runs, so this file imports without them)

@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server for the session (``workshop_support.PostgresServer``); skipped locally when
    PostgreSQL is absent, failed in CI."""
    from workshop_support import postgres_server

    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def pg_url(pg_server):
    """SQLAlchemy URL (``postgresql+psycopg://postgres@127.0.0.1:<port>/appraise_test``) of the session's
    throwaway database."""
    return pg_server.url()


@pytest.fixture
def chrome_driver_factory():
    """``make(width=390, height=844, *, scale=1, mobile=True, lang="pl")`` → a headless Chromium WebDriver;
    every driver made is quit at teardown. Skipped locally when Chromium or selenium is absent, failed in CI."""
    from workshop_support import chrome_drivers

    with chrome_drivers() as make:
        yield make
