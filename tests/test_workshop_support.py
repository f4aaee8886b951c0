"""Self-tests of the workshop's test infrastructure (tests/workshop_support.py): the throwaway PostgreSQL
server, headless Chromium on a phone-sized viewport and the live ASGI server."""

from __future__ import annotations

import socket
import urllib.parse
import uuid

import pytest
import workshop_support
from workshop_support import live_server, require_module


def test_pg_url_select_and_table(pg_url):
    sqlalchemy = require_module("sqlalchemy")
    assert pg_url.startswith("postgresql+psycopg://")
    engine = sqlalchemy.create_engine(pg_url)
    table = f"probe_{uuid.uuid4().hex[:8]}"
    try:
        with engine.begin() as conn:
            assert conn.execute(sqlalchemy.text("select 1")).scalar_one() == 1
            assert "PostgreSQL" in conn.execute(sqlalchemy.text("select version()")).scalar_one()
            conn.execute(sqlalchemy.text(f"create table {table} (id serial primary key, name text not null)"))
            conn.execute(sqlalchemy.text(f"insert into {table} (name) values (:n)"),
                         [{"n": "Wójt Gminy Łęczna"}, {"n": "KGW Żółkiewka"}])
        with engine.begin() as conn:
            names = conn.execute(sqlalchemy.text(f"select name from {table} order by id")).scalars().all()
            assert names == ["Wójt Gminy Łęczna", "KGW Żółkiewka"]
            conn.execute(sqlalchemy.text(f"drop table {table}"))
        assert table not in sqlalchemy.inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_pg_server_is_private_and_makes_databases(pg_server, pg_url):
    sqlalchemy = require_module("sqlalchemy")
    assert pg_server.data.is_dir() and (pg_server.data / "postmaster.pid").exists()
    assert urllib.parse.urlsplit(pg_url).port == pg_server.port != 5432
    url = pg_server.create_database("probe_extra")
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sqlalchemy.text("select current_database()")).scalar_one() == "probe_extra"
    finally:
        engine.dispose()
        pg_server.drop_database("probe_extra")
    with pytest.raises(ValueError):
        pg_server.create_database("x; drop database appraise_test")


def test_chromium_reads_a_page_on_a_phone_viewport(chrome_driver_factory):
    from selenium.webdriver.common.by import By

    driver = chrome_driver_factory()
    page = ("<!doctype html><meta name=viewport content='width=device-width'>"
            "<p id=greeting>Dzień dobry, wójcie</p>")
    driver.get("data:text/html;charset=utf-8," + urllib.parse.quote(page))
    assert driver.find_element(By.ID, "greeting").text == "Dzień dobry, wójcie"
    width, height, ratio, language = driver.execute_script(
        "return [window.innerWidth, window.innerHeight, window.devicePixelRatio, navigator.language]")
    assert (width, height) == workshop_support.PHONE == (390, 844)
    assert ratio == 1
    assert language.startswith("pl")


def test_chrome_factory_takes_the_callers_size(chrome_driver_factory):
    wide = chrome_driver_factory(1280, 800, mobile=False)
    wide.get("data:text/html,<p>x</p>")
    assert wide.execute_script("return [window.innerWidth, window.innerHeight]") == [1280, 800]


@pytest.mark.usefixtures("chrome_driver_factory")  # its skip-or-fail check; the context below is its own
def test_chrome_drivers_are_quit_on_exit():
    with workshop_support.chrome_drivers() as make:
        drivers = [make(), make(600, 400)]
        assert all(d.service.process.poll() is None for d in drivers)
    assert all(d.service.process.poll() is not None for d in drivers)  # chromedriver has exited


def test_live_server_serves_a_starlette_app():
    httpx = require_module("httpx", "test")
    require_module("starlette")
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    app = Starlette(routes=[Route("/", lambda request: PlainTextResponse("ok"))])
    with live_server(app) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        response = httpx.get(base_url + "/")
        assert (response.status_code, response.text) == (200, "ok")
        assert httpx.get(base_url + "/missing").status_code == 404
        port = urllib.parse.urlsplit(base_url).port
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass  # stopped: nothing listens any more


def test_live_server_reports_an_app_that_fails_to_start():
    require_module("starlette")
    from starlette.applications import Starlette

    def broken_lifespan(app):
        raise RuntimeError("no database")

    app = Starlette(lifespan=broken_lifespan)
    with pytest.raises(RuntimeError, match="stopped before it started"), live_server(app):
        pass


def test_absent_postgres_and_chromium_skip_locally_fail_in_ci(monkeypatch):
    monkeypatch.setattr(workshop_support, "postgres_bindir", lambda: None)
    monkeypatch.setattr(workshop_support, "CHROMIUM", "/nonexistent/chromium")
    for ci, outcome in ((None, pytest.skip.Exception), ("true", pytest.fail.Exception)):
        if ci is None:
            monkeypatch.delenv("CI", raising=False)
        else:
            monkeypatch.setenv("CI", ci)
        with pytest.raises(outcome, match="PostgreSQL"), workshop_support.postgres_server():
            pass
        with pytest.raises(outcome, match="chromium"):
            workshop_support.make_chrome_driver()
        with pytest.raises(outcome, match="chromium"), workshop_support.chrome_drivers():
            pass


def test_missing_tool_skips_locally_and_fails_in_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        workshop_support.unavailable("chromium", "apt-get install chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required in CI"):
        workshop_support.unavailable("chromium", "apt-get install chromium")
