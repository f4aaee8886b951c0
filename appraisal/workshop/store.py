"""The workshop's storage: sessions, participants and an append-only log of their judgments (SQLAlchemy 2).

One schema for SQLite (the default: a file beside the advisor, no server) and PostgreSQL (a hosted service,
``postgresql+psycopg://…``). Nothing is ever overwritten:

- a judgment is a :class:`JudgmentEvent` row with who, when, the value (``None``: skipped) and the value it
  replaces; a participant's current judgment of a pair is the newest event for it;
- a participant's weight in the panel (set by the advisor) is a :class:`WeightEvent`, the newest one counts;
- both tables refuse UPDATE and DELETE in the database itself (a trigger), not only in this code.

Writes run one transaction at a time per participant: the participant's row is locked (``SELECT … FOR
UPDATE`` on PostgreSQL; SQLite takes its write lock at ``BEGIN IMMEDIATE``), so two answers sent at the same
moment by one phone still record the right previous values.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    create_engine,
    event,
    func,
    select,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

#: session codes: no 0/O, 1/I/L, so that a code read off a projector is typed right
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


class Base(DeclarativeBase):
    pass


class WorkshopSession(Base):
    __tablename__ = "workshop_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(300))
    package_hash: Mapped[str] = mapped_column(String(100))  # "sha256:" and 64 hex digits
    groups: Mapped[list] = mapped_column(JSON)  # the ids of the groups judged, in tree order
    created_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True))


class Participant(Base):
    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_sessions.id"), index=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(120), default="")
    jst: Mapped[str] = mapped_column(String(160), default="")
    joined_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True))


class JudgmentEvent(Base):
    """One answer to one pair (``row`` before ``column`` in the group's order): append-only."""

    __tablename__ = "judgment_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_sessions.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    group_id: Mapped[str] = mapped_column(String(120))
    row_id: Mapped[str] = mapped_column(String(120))
    column_id: Mapped[str] = mapped_column(String(120))
    value: Mapped[float | None] = mapped_column(Float, nullable=True)  # None: skipped
    previous: Mapped[float | None] = mapped_column(Float, nullable=True)
    had_previous: Mapped[int] = mapped_column(Integer, default=0)  # 1 when it replaces an earlier answer
    at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True))


class WeightEvent(Base):
    """The advisor's weight of a participant in the panel: append-only, the newest counts."""

    __tablename__ = "weight_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    weight: Mapped[float] = mapped_column(Float)
    previous: Mapped[float] = mapped_column(Float)
    at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True))


APPEND_ONLY = ("judgment_events", "weight_events")


def _append_only_triggers(engine: Engine) -> None:
    """Triggers that make the event tables refuse UPDATE and DELETE, whoever connects."""
    with engine.begin() as conn:
        for table in APPEND_ONLY:
            if engine.dialect.name == "sqlite":
                for op in ("UPDATE", "DELETE"):
                    conn.execute(text(
                        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"))
                # REPLACE INTO deletes the old row without firing DELETE triggers (recursive_triggers is off)
                conn.execute(text(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_replace BEFORE INSERT ON {table} "
                    f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"))
            elif engine.dialect.name == "postgresql":
                conn.execute(text(
                    "CREATE OR REPLACE FUNCTION appraise_append_only() RETURNS trigger AS $$ BEGIN "
                    "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql"))
                conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"))
                conn.execute(text(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION appraise_append_only()"))
                # row triggers do not see TRUNCATE (nor TRUNCATE … CASCADE from the participants)
                conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}"))
                conn.execute(text(
                    f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION appraise_append_only()"))


def database_url(url: str) -> str:
    """A SQLAlchemy URL: a plain path is a SQLite file; ``postgresql://`` is driven by psycopg 3."""
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _sqlite_engine(url: str, begin: str) -> Engine:
    """A SQLite engine whose transactions start with ``begin`` (``BEGIN`` to read, ``BEGIN IMMEDIATE`` to
    write: a writer takes the write lock at once and waits for it, instead of failing to upgrade later)."""
    engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # pysqlite starts no transaction of its own; ours start below
        cur = dbapi_conn.cursor()
        if ":memory:" not in url and url != "sqlite://":
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql(begin)

    return engine


def make_engines(url: str) -> tuple[Engine, Engine]:
    """The engines to read and to write ``url`` (one and the same but for SQLite), with the tables and
    triggers created."""
    url = database_url(url)
    if url.startswith("sqlite"):
        if ":memory:" in url or url == "sqlite://":
            raise ValueError("an in-memory SQLite database cannot be shared by the workshop's threads; give a file")
        writer = _sqlite_engine(url, "BEGIN IMMEDIATE")
        reader = _sqlite_engine(url, "BEGIN")
    else:
        writer = reader = create_engine(url, pool_size=10, max_overflow=30, pool_pre_ping=True)
    Base.metadata.create_all(writer)
    _append_only_triggers(writer)
    return reader, writer


def now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


def _utc(at: _dt.datetime) -> _dt.datetime:
    """A stored time in UTC (SQLite gives it back without its zone)."""
    return at.replace(tzinfo=_dt.UTC) if at.tzinfo is None else at.astimezone(_dt.UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Answer:
    """One pair's judgment as sent: ``value`` is a_row,column (``None``: skip the pair)."""

    group: str
    row: str
    column: str
    value: float | None


@dataclass(frozen=True)
class Member:
    """A participant as the analysis sees them."""

    id: int
    public_id: str
    name: str
    role: str
    jst: str
    weight: float
    joined_at: _dt.datetime


class Store:
    """The workshop database: every read and write the app makes."""

    def __init__(self, url: str):
        self.reader, self.writer = make_engines(url)
        self._sessions = sessionmaker(self.reader, expire_on_commit=False)
        self._writes = sessionmaker(self.writer, expire_on_commit=False)

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with self._writes.begin() as s:
            yield s

    # --- sessions -----------------------------------------------------------------------------------------
    def open_session(self, title: str, package_hash: str, groups: list[str]) -> WorkshopSession:
        with self._tx() as s:
            taken = set(s.scalars(select(WorkshopSession.code)))
            code = _new_code(taken)
            ws = WorkshopSession(code=code, title=title, package_hash=package_hash, groups=list(groups),
                                 created_at=now())
            s.add(ws)
        return ws

    def session(self, code: str) -> WorkshopSession | None:
        with self._sessions() as s:
            return s.scalar(select(WorkshopSession).where(WorkshopSession.code == code.strip().upper()))

    def sessions(self) -> list[WorkshopSession]:
        with self._sessions() as s:
            return list(s.scalars(select(WorkshopSession).order_by(WorkshopSession.id.desc())))

    # --- participants -------------------------------------------------------------------------------------
    def join(self, ws: WorkshopSession, name: str, role: str, jst: str) -> tuple[Participant, str]:
        """A new participant and their secret token (only its hash is stored)."""
        token = secrets.token_urlsafe(24)
        with self._tx() as s:
            p = Participant(session_id=ws.id, public_id=secrets.token_hex(8), token_hash=token_hash(token),
                            name=name, role=role, jst=jst, joined_at=now())
            s.add(p)
        return p, token

    def participant_by_token(self, ws: WorkshopSession, token: str | None) -> Participant | None:
        if not token:
            return None
        with self._sessions() as s:
            return s.scalar(select(Participant).where(Participant.session_id == ws.id,
                                                      Participant.token_hash == token_hash(token)))

    def participant(self, ws: WorkshopSession, public_id: str) -> Participant | None:
        with self._sessions() as s:
            return s.scalar(select(Participant).where(Participant.session_id == ws.id,
                                                      Participant.public_id == public_id))

    def members(self, ws: WorkshopSession) -> list[Member]:
        with self._sessions() as s:
            people = list(s.scalars(select(Participant).where(Participant.session_id == ws.id)
                                    .order_by(Participant.id)))
            weights = self._weights(s, [p.id for p in people])
        return [Member(p.id, p.public_id, p.name, p.role, p.jst, weights.get(p.id, 1.0), p.joined_at)
                for p in people]

    @staticmethod
    def _weights(s: Session, ids: list[int]) -> dict[int, float]:
        if not ids:
            return {}
        newest = (select(WeightEvent.participant_id, func.max(WeightEvent.id).label("last"))
                  .where(WeightEvent.participant_id.in_(ids)).group_by(WeightEvent.participant_id).subquery())
        rows = s.execute(select(WeightEvent.participant_id, WeightEvent.weight)
                         .join(newest, WeightEvent.id == newest.c.last))
        return {pid: w for pid, w in rows}

    def set_weight(self, participant: Participant, weight: float) -> None:
        with self._tx() as s:
            s.scalar(select(Participant).where(Participant.id == participant.id).with_for_update())
            previous = self._weights(s, [participant.id]).get(participant.id, 1.0)
            if previous != weight:
                s.add(WeightEvent(participant_id=participant.id, weight=weight, previous=previous, at=now()))

    # --- judgments ----------------------------------------------------------------------------------------
    def record(self, ws: WorkshopSession, participant: Participant, answers: Iterable[Answer]) -> int:
        """Append the answers (in one transaction: all or none); returns how many changed a judgment.

        An answer equal to the current judgment adds nothing (the log holds changes, not clicks)."""
        answers = list(answers)
        with self._tx() as s:
            s.scalar(select(Participant).where(Participant.id == participant.id).with_for_update())
            current = self._current(s, ws.id, [participant.id]).get(participant.id, {})
            stamp = now()
            stored = 0
            for a in answers:
                key = (a.group, a.row, a.column)
                had = key in current
                before = current.get(key)
                if had and before == a.value:
                    continue  # the same answer again (a skip of a skipped pair, too) changes nothing
                s.add(JudgmentEvent(session_id=ws.id, participant_id=participant.id, group_id=a.group,
                                    row_id=a.row, column_id=a.column, value=a.value, previous=before,
                                    had_previous=int(had), at=stamp))
                current[key] = a.value
                stored += 1
        return stored

    @staticmethod
    def _current(s: Session, session_id: int, ids: list[int] | None = None
                 ) -> dict[int, dict[tuple[str, str, str], float | None]]:
        q = select(JudgmentEvent).where(JudgmentEvent.session_id == session_id)
        if ids is not None:
            q = q.where(JudgmentEvent.participant_id.in_(ids))
        out: dict[int, dict[tuple[str, str, str], float | None]] = {}
        for e in s.scalars(q.order_by(JudgmentEvent.id)):
            out.setdefault(e.participant_id, {})[(e.group_id, e.row_id, e.column_id)] = e.value
        return out

    def own(self, ws: WorkshopSession, participant: Participant) -> tuple[Member, dict[tuple[str, str, str], float | None]]:
        """A participant as the analysis sees them and their current judgments (theirs only are read)."""
        with self._sessions() as s:
            weight = self._weights(s, [participant.id]).get(participant.id, 1.0)
            current = self._current(s, ws.id, [participant.id]).get(participant.id, {})
        p = participant
        return Member(p.id, p.public_id, p.name, p.role, p.jst, weight, p.joined_at), current

    def current(self, ws: WorkshopSession) -> dict[int, dict[tuple[str, str, str], float | None]]:
        """Each participant's current judgments: {participant id: {(group, row, column): value or None}}."""
        with self._sessions() as s:
            return self._current(s, ws.id)

    def events(self, ws: WorkshopSession) -> list[dict]:
        """The whole audit trail of a session, oldest first."""
        with self._sessions() as s:
            names = {p.id: p for p in s.scalars(select(Participant).where(Participant.session_id == ws.id))}
            rows = []
            for e in s.scalars(select(JudgmentEvent).where(JudgmentEvent.session_id == ws.id)
                               .order_by(JudgmentEvent.id)):
                p = names[e.participant_id]
                rows.append({"event": e.id, "at": _utc(e.at), "participant": p.public_id, "name": p.name,
                             "group": e.group_id, "row": e.row_id, "column": e.column_id, "value": e.value,
                             "previous": e.previous, "had_previous": bool(e.had_previous)})
            ids = list(names)
            if ids:
                for w in s.scalars(select(WeightEvent).where(WeightEvent.participant_id.in_(ids))
                                   .order_by(WeightEvent.id)):
                    p = names[w.participant_id]
                    rows.append({"event": f"w{w.id}", "at": _utc(w.at), "participant": p.public_id, "name": p.name,
                                 "group": "", "row": "", "column": "weight", "value": w.weight,
                                 "previous": w.previous, "had_previous": True})
        return rows

    def count_events(self, ws: WorkshopSession | None = None) -> int:
        with self._sessions() as s:
            q = select(func.count(JudgmentEvent.id))
            if ws is not None:
                q = q.where(JudgmentEvent.session_id == ws.id)
            return int(s.scalar(q) or 0)

    def version(self, ws: WorkshopSession) -> str:
        """Changes whenever an answer, a participant or a weight is added: what the dashboard polls."""
        with self._sessions() as s:
            events = s.scalar(select(func.count(JudgmentEvent.id)).where(JudgmentEvent.session_id == ws.id))
            people = s.scalar(select(func.count(Participant.id)).where(Participant.session_id == ws.id))
            weights = s.scalar(select(func.count(WeightEvent.id)).join(
                Participant, Participant.id == WeightEvent.participant_id).where(Participant.session_id == ws.id))
        return f"{events}-{people}-{weights}"

    def dispose(self) -> None:
        self.reader.dispose()
        self.writer.dispose()


def _new_code(taken: set[str]) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code

