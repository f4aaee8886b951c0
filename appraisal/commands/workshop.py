"""``appraise workshop serve``: the workshop web app for one package (the optional extra ``appraise[workshop]``)."""

from __future__ import annotations

import socket
from pathlib import Path

import click

from appraisal.commands.clickwords import Command, Group
from appraisal.commands.common import lang_option
from appraisal.criteria.errors import InputError
from appraisal.criteria.i18n import N_, _

#: the modules of the extra, checked before anything starts
EXTRA_MODULES = ("starlette", "uvicorn", "jinja2", "sqlalchemy", "multipart", "qrcode", "tomli_w")


@click.group(cls=Group, help=N_(
    "Stakeholders give their pairwise judgments on their phones; the panel's weights build themselves.\n"
    "\n"
    "Needs the optional extra: pip install \"appraise[workshop]\"."))
@lang_option
def workshop(lang) -> None:
    """``appraise workshop`` (its help is the ``help=`` above)."""


def _lan_address() -> str | None:
    """This machine's address on the local network (no packet is sent), for the link phones open."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return s.getsockname()[0]
        except OSError:
            return None


@workshop.command(cls=Command, help=N_(
    "Serve the workshop for PACKAGE (JSON, TOML or workbook) until Ctrl-C.\n"
    "\n"
    "Prints the advisor's secret and the dashboard's address. The answers are kept in --db: a SQLite file "
    "(default workshop.sqlite in the current folder) or a PostgreSQL URL (postgresql://user@host/db). Use --host 0.0.0.0 "
    "so that phones on the hall's network can reach it."))
@click.argument("package", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--db", default="workshop.sqlite", show_default=True,
              help=N_("SQLite file or database URL (postgresql://…)."))
@click.option("--host", default="127.0.0.1", show_default=True, help=N_("Address to listen on."))
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help=N_("Port."))
@click.option("--secret", envvar="APPRAISE_WORKSHOP_SECRET", default=None,
              help=N_("The advisor's secret (default: a new random one, printed)."))
@lang_option
def serve(package, db, host, port, secret, lang) -> None:
    """``appraise workshop serve`` (its help is the ``help=`` above)."""
    import importlib.util

    missing = [name for name in EXTRA_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise InputError(_("the workshop needs the optional extra: pip install \"appraise[workshop]\" "
                           "(missing: {modules})").format(modules=", ".join(missing)))
    import uvicorn
    from sqlalchemy.exc import SQLAlchemyError

    from appraisal.workshop.app import create_app

    shown_host = _lan_address() if host in ("0.0.0.0", "::") else host
    base = f"http://{shown_host or host}:{port}"
    try:
        app = create_app(package, db, advisor_secret=secret, base_url=base)
    except InputError:
        raise
    except ValueError as exc:  # e.g. an in-memory SQLite database
        raise InputError(str(exc), source=db) from None
    except SQLAlchemyError as exc:  # a database that cannot be reached: one line, not a traceback
        raise InputError(_("cannot open the database: {error}").format(
            error=str(getattr(exc, "orig", exc)).splitlines()[0]), source=db) from None
    click.echo(_("Workshop for {package}").format(package=package))
    click.echo(_("  participants: {url}/").format(url=base))
    click.echo(_("  advisor:      {url}/advisor?secret={secret}").format(url=base, secret=app.state.secret))
    click.echo(_("  answers kept in: {db}").format(db=db))
    click.echo(_("Stop with Ctrl-C."))
    uvicorn.run(app, host=host, port=port, log_level="warning")
