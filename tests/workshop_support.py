"""Test infrastructure for the workshop web app: a throwaway PostgreSQL server, headless Chromium and a live
ASGI server.

Only the standard library and pytest are imported at module level: ``tests/conftest.py`` imports this module,
and it must still import where selenium, uvicorn, SQLAlchemy or PostgreSQL are not installed. Each tool is
looked for when a fixture first needs it; its absence skips the test locally and fails it in CI
(``CI=true``), as :func:`conftest.soffice_or_skip` does for LibreOffice.

- :func:`postgres_server` starts a private PostgreSQL cluster (``initdb`` + ``pg_ctl``) in a temporary
  directory, on 127.0.0.1 and a free port, with trust authentication; the ``pg_url`` fixture yields a
  SQLAlchemy URL of a database in it. As root (initdb refuses root) the server binaries run as the
  ``postgres`` system user through ``runuser``.
- :func:`make_chrome_driver` makes a headless Debian Chromium driven by Selenium 4 through
  ``/usr/bin/chromedriver``. Chromium will not make a window narrower than 500 px, even headless, so the
  phone's viewport is set with the DevTools protocol (``Emulation.setDeviceMetricsOverride``).
- :func:`live_server` runs an ASGI app with uvicorn in a background thread on a socket bound beforehand
  (no race for the port).

References: PostgreSQL Global Development Group (2023), *PostgreSQL 15 documentation*, "initdb", "pg_ctl",
"createdb" and "Server Configuration"; Selenium project (2024), *Selenium 4 documentation*, "Chrome specific
functionality" (``execute_cdp_cmd``); Chrome DevTools Protocol, domain "Emulation"; Encode (2024), *uvicorn
documentation*, "Deployment: running programmatically" (``Config``, ``Server``, ``should_exit``).
"""

from __future__ import annotations

import contextlib
import glob
import importlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PHONE = (390, 844)  # CSS pixels, device scale 1: a common phone's viewport
PG_SUPERUSER = "postgres"
PG_DATABASE = "appraise_test"


def in_ci() -> bool:
    """True when the CI runner has set ``CI=true`` (``CI=true bash .ci/run``)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def unavailable(what: str, install: str) -> None:
    """Skip the test locally, fail it in CI: the workshop's tests are never skipped there."""
    if in_ci():
        pytest.fail(f"{what} is required in CI ({install}); .ci/run installs it", pytrace=False)
    pytest.skip(f"{what} is not installed ({install})")


def require_module(name: str, extra: str = "workshop") -> Any:
    """Import and return module ``name``; skipped locally / failed in CI when it is not installed."""
    try:
        return importlib.import_module(name)
    except ImportError:
        unavailable(f"the Python package {name}", f'pip install -e ".[{extra}]"')


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------------------------- PostgreSQL

def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", Path(path).parent.name)) or (0,)


def postgres_bindir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<ver>/bin`` (Debian) holding initdb and pg_ctl, else the directory of
    ``pg_ctl`` on PATH; None when PostgreSQL's server is not installed."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    for directory in candidates:
        if all(os.access(Path(directory, exe), os.X_OK) for exe in ("initdb", "pg_ctl", "postgres", "createdb")):
            return Path(directory)
    return None


class PostgresServer:
    """A running throwaway cluster; :meth:`url` names a database in it, :meth:`create_database` adds one."""

    def __init__(self, bindir: Path, base: Path, port: int, run_as: str | None):
        self.bindir = bindir
        self.base = base
        self.data = base / "data"
        self.sockdir = base / "sock"
        self.log = base / "postgres.log"
        self.host = "127.0.0.1"
        self.port = port
        self.run_as = run_as

    def command(self, exe: str, *args: str) -> list[str]:
        argv = [str(self.bindir / exe), *args]
        return ["runuser", "-u", self.run_as, "--", *argv] if self.run_as else argv

    def run(self, exe: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        # cwd: the postgres user may not be allowed into the caller's working directory
        done = subprocess.run(self.command(exe, *args), cwd=self.base, capture_output=True, text=True,
                              timeout=timeout, check=False)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{exe} {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n"
                               f"{done.stderr}\n{log}")
        return done

    def url(self, database: str = PG_DATABASE) -> str:
        return f"postgresql+psycopg://{PG_SUPERUSER}@{self.host}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create database ``name`` (letters, digits, underscores) and return its SQLAlchemy URL."""
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
            raise ValueError(f"not a plain database name: {name!r}")
        self.run("createdb", "-h", str(self.sockdir), "-p", str(self.port), "-U", PG_SUPERUSER, name)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.run("dropdb", "-h", str(self.sockdir), "-p", str(self.port), "-U", PG_SUPERUSER,
                 "--if-exists", "--force", name)

    def start(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", PG_SUPERUSER, "-A", "trust", "-E", "UTF8",
                 "--no-locale", "--no-sync")
        options = (f"-k '{self.sockdir}' -p {self.port} -c listen_addresses={self.host} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300")
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", options, "start")
        self.create_database(PG_DATABASE)

    def stop(self) -> None:
        if not (self.data / "postmaster.pid").exists():
            return
        try:
            self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop", timeout=60)
        except (RuntimeError, subprocess.TimeoutExpired):
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "-t", "30", "stop", timeout=60)


def _private_dir_for(user: str | None) -> Path:
    """A new temporary directory the server's user owns (as root: ``postgres``, and under a directory it can
    reach, which a root-only TMPDIR is not)."""
    if user is None:
        return Path(tempfile.mkdtemp(prefix="appraise-pg-"))
    import pwd

    entry = pwd.getpwnam(user)
    for parent in (tempfile.gettempdir(), "/tmp"):
        base = Path(tempfile.mkdtemp(prefix="appraise-pg-", dir=parent))
        os.chown(base, entry.pw_uid, entry.pw_gid)
        reachable = subprocess.run(["runuser", "-u", user, "--", "test", "-w", str(base)], check=False)
        if reachable.returncode == 0:
            return base
        shutil.rmtree(base, ignore_errors=True)
    raise RuntimeError(f"no temporary directory the {user!r} user can write to")


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """Start a throwaway PostgreSQL cluster, yield it, stop it and delete its directory."""
    bindir = postgres_bindir()
    if bindir is None:
        unavailable("PostgreSQL's server (initdb, pg_ctl)", "apt-get install postgresql")
    for module in ("sqlalchemy", "psycopg"):
        require_module(module)
    run_as = None
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            unavailable("the 'postgres' system user (initdb refuses to run as root)", "apt-get install postgresql")
        if shutil.which("runuser") is None:
            unavailable("runuser (to run initdb as 'postgres')", "apt-get install util-linux")
        run_as = "postgres"
    base = _private_dir_for(run_as)
    try:
        (base / "sock").mkdir()
        if run_as:
            shutil.chown(base / "sock", run_as, run_as)
        server = None
        for attempt in range(3):  # the free port may be taken between free_port() and the server's bind
            server = PostgresServer(bindir, base, free_port(), run_as)
            try:
                server.start()
                break
            except RuntimeError:
                server.stop()
                shutil.rmtree(server.data, ignore_errors=True)
                if attempt == 2:
                    raise
        assert server is not None
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(base, ignore_errors=True)


# ------------------------------------------------------------------------------------------------ browser

def require_chrome() -> None:
    """Chromium, ChromeDriver and selenium are there, or the test is skipped locally / failed in CI."""
    for exe, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(exe, os.X_OK):
            unavailable(exe, f"apt-get install {package}")
    require_module("selenium", "test")


def make_chrome_driver(width: int = PHONE[0], height: int = PHONE[1], *, scale: float = 1.0,
                       mobile: bool = True, lang: str = "pl") -> Any:
    """A headless Chromium WebDriver whose viewport is ``width`` × ``height`` CSS pixels at ``scale``.

    ``mobile=True`` emulates a phone's viewport handling: a page without ``<meta name="viewport"
    content="width=device-width">`` is laid out 980 px wide, as on a real phone. The metrics hold for the
    driver's first tab across navigation; a tab opened later is the window's plain size."""
    require_chrome()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 f"--window-size={width},{height}", f"--force-device-scale-factor={scale:g}", f"--lang={lang}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": lang})  # the Accept-Language header
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        # Chromium keeps windows at least 500 px wide: the viewport is emulated instead
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile})
    except BaseException:
        driver.quit()
        raise
    return driver


def click_to_next_page(driver: Any, button: Any, timeout: float = 15.0) -> None:
    """Click ``button`` and wait until the next page has replaced this one and has loaded.

    The old document is marked before the click and the wait ends when a document without the mark is
    complete. (Waiting for the button to go stale is racy: while Chromium swaps the documents, ChromeDriver
    may answer "Node with given id does not belong to the document", a plain WebDriverException.)"""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("window.__appraiseOldPage = true;")
    button.click()
    WebDriverWait(driver, timeout, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return window.__appraiseOldPage === undefined "
                                   "&& document.readyState === 'complete';"))


@contextlib.contextmanager
def chrome_drivers() -> Iterator[Callable[..., Any]]:
    """Yield :func:`make_chrome_driver`; every driver it made is quit on exit."""
    require_chrome()
    made: list[Any] = []

    def factory(width: int = PHONE[0], height: int = PHONE[1], **kwargs: Any) -> Any:
        driver = make_chrome_driver(width, height, **kwargs)
        made.append(driver)
        return driver

    try:
        yield factory
    finally:
        for driver in made:
            with contextlib.suppress(Exception):
                driver.quit()


# ------------------------------------------------------------------------------------------- live server

@contextlib.contextmanager
def live_server(app: Any, *, host: str = "127.0.0.1", timeout: float = 15.0,
                log_level: str = "warning") -> Iterator[str]:
    """Serve the ASGI ``app`` with uvicorn in a background thread; yield its base URL
    (``http://127.0.0.1:<port>``) once it accepts connections; stop it on exit."""
    uvicorn = require_module("uvicorn")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))  # bound here and handed to uvicorn: no other process can take the port meanwhile
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, lifespan="auto")
    server = uvicorn.Server(config)
    failure: list[BaseException] = []

    def serve() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # noqa: BLE001 - reported below (SystemExit: startup failed)
            failure.append(exc)

    thread = threading.Thread(target=serve, name=f"live-server-{port}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError(f"the live server stopped before it started: {failure!r}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"the live server did not start within {timeout} s")
            time.sleep(0.01)
        with socket.create_connection((host, port), timeout=timeout):
            pass
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        if thread.is_alive():
            server.force_exit = True
            thread.join(timeout)
        sock.close()
        if thread.is_alive() and sys.exc_info()[0] is None:
            raise RuntimeError(f"the live server on port {port} did not stop")
