"""The workshop web app (Starlette, Jinja2 templates): participants answer on their phones, the advisor watches.

Pages are plain HTML forms that work without JavaScript; a little script (static/workshop.js) shows a
participant's CR as they choose and refreshes the dashboard as answers come in.

Who may do what:

- answering needs the session code and the participant's own token (an HttpOnly cookie set when they join,
  or the ``X-Participant-Token`` header of the JSON API); a participant id that is not theirs is refused;
- the dashboard, the weights and the exports need the advisor's secret (printed when the server starts):
  ``?secret=…`` once, then an HttpOnly cookie;
- every form carries a CSRF token equal to a cookie (double submit); the JSON API needs a header a
  cross-site form cannot send;
- what is sent is checked by :mod:`appraisal.workshop.forms` (pydantic), refused whole with one clear line,
  and nothing is stored; an unexpected error shows a short page, never a stack trace (it goes to the log).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import secrets
from pathlib import Path
from urllib.parse import quote

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .. import ahp, numfmt
from ..criteria import i18n
from ..criteria.errors import InputError
from ..criteria.i18n import _, ngettext
from ..criteria.judgments import judgment_text
from . import analysis, export
from .forms import JoinIn, JudgmentIn, SubmissionIn, WeightIn, first_error, to_answers
from .store import Store

log = logging.getLogger("appraise.workshop")
HERE = Path(__file__).parent
CSRF_COOKIE = "appraise_csrf"
ADVISOR_COOKIE = "appraise_advisor"
LANG_COOKIE = "appraise_lang"


def participant_cookie(code: str) -> str:
    return f"appraise_p_{code}"


class Refused(Exception):
    """Bad input from a browser or a client: a status and one line for them; nothing was stored."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


def scale_words() -> list[tuple[int, str]]:
    """Saaty's scale in words (the current language): 1 … 9."""
    return [(1, _("equally important")), (2, _("slightly more important")), (3, _("moderately more important")),
            (4, _("moderately to strongly more important")), (5, _("strongly more important")),
            (6, _("strongly to very strongly more important")), (7, _("very strongly more important")),
            (8, _("very strongly to extremely more important")), (9, _("extremely more important"))]


def value_text(v: float | None) -> str:
    """A stored judgment as typed in a form: ``3`` or ``1/3`` (empty for none)."""
    return "" if v is None else str(judgment_text(v))


def consensus_words() -> dict[str, str]:
    return {"very_low": _("very low"), "low": _("low"), "moderate": _("moderate"), "high": _("high"),
            "very_high": _("very high")}


def create_app(package_path: str | Path, db_url: str, *, advisor_secret: str | None = None,
               base_url: str | None = None) -> Starlette:
    """The workshop for the package at ``package_path``, storing in ``db_url`` (a SQLite file or a URL)."""
    from ..io.formats import load_package

    package_path = Path(package_path)
    pkg = load_package(package_path)
    package_hash = "sha256:" + hashlib.sha256(package_path.read_bytes()).hexdigest()
    store = Store(db_url)
    secret = advisor_secret or secrets.token_urlsafe(12)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.globals.update(_=_, ngettext=ngettext, pct=numfmt.percent,
                       num=lambda x, d=3: numfmt.number(x, d), scale_words=scale_words, value_text=value_text,
                       consensus_words=consensus_words, cr_threshold=ahp.CR_THRESHOLD,
                       full_tables=analysis.FULL_TABLES,
                       revisit_message=revisit_message,
                       weight_text=lambda x: f"{x:g}".replace(".", "," if i18n.current() == "pl" else "."))

    # --- helpers ------------------------------------------------------------------------------------------
    def lang_of(request: Request) -> str:
        lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
        return lang if lang in i18n.LANGUAGES else i18n.current()

    def render(request: Request, name: str, context: dict, status: int = 200) -> Response:
        lang = lang_of(request)
        csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(18)
        with i18n.use(lang):
            resp = templates.TemplateResponse(request, name, {**context, "csrf": csrf, "lang": lang,
                                                              "title": pkg.partnership.name},
                                              status_code=status)
        resp.headers["Cache-Control"] = "no-store"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["X-Content-Type-Options"] = "nosniff"
        if request.cookies.get(CSRF_COOKIE) != csrf:
            resp.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="lax")
        if request.query_params.get("lang") in i18n.LANGUAGES:
            resp.set_cookie(LANG_COOKIE, lang, samesite="lax", max_age=365 * 86400)
        return resp

    async def form_of(request: Request) -> dict[str, str]:
        form = await request.form()
        data = {k: v for k, v in form.items() if isinstance(v, str)}
        cookie = request.cookies.get(CSRF_COOKIE, "")
        if not cookie or not hmac.compare_digest(cookie, data.get("csrf", "")):
            raise Refused(_("the form has expired or did not come from this page; reload the page and send it "
                            "again"), 403)
        return data

    def with_form(handler):
        """An endpoint that reads its form (and checks its CSRF token) on the event loop, then does its work
        (database, engine, template) in a worker thread, so that one request never holds up the others."""
        async def endpoint(request: Request) -> Response:
            data = await form_of(request)
            return await run_in_threadpool(handler, request, data, await request.form())
        return endpoint

    def with_json(handler):
        """The same for a JSON body."""
        async def endpoint(request: Request) -> Response:
            body = await _json(request)
            return await run_in_threadpool(handler, request, body)
        return endpoint

    def session_or_404(code: str):
        ws = store.session(code)
        if ws is None:
            raise Refused(_("no workshop session has the code {code}").format(code=code[:16]), 404)
        return ws

    def is_advisor(request: Request) -> bool:
        given = request.query_params.get("secret") or request.cookies.get(ADVISOR_COOKIE) or ""
        return hmac.compare_digest(given.encode(), secret.encode())

    def advisor_only(request: Request) -> None:
        if not is_advisor(request):
            raise Refused(_("this page needs the advisor's secret (printed when the workshop started)"), 403)

    def remember_advisor(request: Request, resp: Response) -> Response:
        if request.query_params.get("secret") and is_advisor(request):
            resp.set_cookie(ADVISOR_COOKIE, secret, httponly=True, samesite="lax")
        return resp

    def me(request: Request, ws, header_only: bool = False) -> object | None:
        """The participant making the request: their token from the JSON API's header, or (pages) their cookie."""
        token = request.headers.get("x-participant-token")
        if not token and not header_only:
            token = request.cookies.get(participant_cookie(ws.code))
        return store.participant_by_token(ws, token)

    def link_of(request: Request, ws) -> str:
        root = (base_url or str(request.base_url)).rstrip("/")
        return f"{root}/j/{ws.code}"

    def nodes_of(ws) -> list[analysis.Node]:
        return analysis.judged_nodes(pkg, ws.groups)

    def workshop_of(ws) -> analysis.Workshop:
        return analysis.analyse_workshop(pkg, ws.groups, store.members(ws), store.current(ws))

    def save(ws, who, judgments: list[JudgmentIn]) -> int:
        try:
            answers = to_answers(judgments, nodes_of(ws))
        except ValueError as exc:
            raise Refused(str(exc)) from None
        return store.record(ws, who, answers)

    # --- participants -------------------------------------------------------------------------------------
    def home(request: Request) -> Response:
        return render(request, "join.html", {"code": request.query_params.get("code", "")[:16], "error": None})

    def join_link(request: Request) -> Response:
        ws = session_or_404(request.path_params["code"])
        who = me(request, ws)
        if who is not None:
            return RedirectResponse(f"/s/{ws.code}/p", 303)
        return render(request, "join.html", {"code": ws.code, "error": None})

    def join(request: Request, data: dict[str, str], _form) -> Response:
        code = data.get("code", "").strip().upper()
        ws = store.session(code)
        if ws is None:
            return render(request, "join.html", {"code": code[:16], "error": _(
                "no workshop session has the code {code}; check it on the screen").format(code=code[:16])}, 404)
        try:
            person = JoinIn(name=data.get("name", ""), role=data.get("role", ""), jst=data.get("jst", ""))
        except ValidationError as exc:
            return render(request, "join.html", {"code": ws.code, "error": first_error(exc)}, 422)
        _participant, token = store.join(ws, person.name, person.role, person.jst)
        resp = RedirectResponse(f"/s/{ws.code}/p", 303)
        resp.set_cookie(participant_cookie(ws.code), token, httponly=True, samesite="lax", max_age=30 * 86400)
        return resp

    def participant_page(request: Request, ws, who, error: str | None = None, status: int = 200) -> Response:
        member, current = store.own(ws, who)
        views = [analysis.answers_of(node, member, current) for node in nodes_of(ws)]
        return render(request, "participant.html", {
            "ws": ws, "me": member, "views": views, "current": current, "error": error}, status)

    def need_me(request: Request, ws):
        who = me(request, ws)
        if who is None:
            raise Refused(_("join the session first: open the link or type the code {code}").format(code=ws.code),
                          403)
        return who

    def participant(request: Request) -> Response:
        ws = session_or_404(request.path_params["code"])
        who = me(request, ws)
        if who is None:
            return RedirectResponse(f"/j/{ws.code}", 303)
        return participant_page(request, ws, who)

    def _form_judgments(data: dict[str, str], node: analysis.Node) -> list[JudgmentIn]:
        out = []
        for row, col in node.pairs:
            raw = data.get(f"pair:{row}:{col}")
            if raw is None or raw == "":
                continue  # not touched: nothing changes
            try:
                out.append(JudgmentIn(group=node.id, row=row, column=col, value=None if raw == "skip" else raw))
            except ValidationError as exc:
                raise Refused(_("{first} – {second}: {problem}").format(
                    first=node.label_of(row), second=node.label_of(col),
                    problem=first_error(exc).split(": ", 1)[-1])) from None
        return out

    def _check_owner(data: dict[str, str], who) -> None:
        if data.get("participant_id", "") != who.public_id:
            raise Refused(_("you can only change your own answers"), 403)

    def save_group(request: Request, data: dict[str, str], _form) -> Response:
        ws = session_or_404(request.path_params["code"])
        who = need_me(request, ws)
        _check_owner(data, who)
        node = next((n for n in nodes_of(ws) if n.id == request.path_params["group"]), None)
        if node is None:
            raise Refused(_("group {group!r} is not judged in this session").format(
                group=request.path_params["group"][:40]), 404)
        try:
            save(ws, who, _form_judgments(data, node))
        except Refused as exc:
            return participant_page(request, ws, who, str(exc), exc.status)
        return RedirectResponse(f"/s/{ws.code}/p#g-{node.id}", 303)

    def pair_context(ws, group: str, k: int):
        node = next((n for n in nodes_of(ws) if n.id == group), None)
        if node is None or not 0 <= k < len(node.pairs):
            raise Refused(_("no such pair in this session"), 404)
        return node, node.pairs[k]

    def one_pair(request: Request) -> Response:
        ws = session_or_404(request.path_params["code"])
        who = me(request, ws)
        if who is None:
            return RedirectResponse(f"/j/{ws.code}", 303)
        k = int(request.path_params["k"])
        node, (row, col) = pair_context(ws, request.path_params["group"], k)
        member, current = store.own(ws, who)
        view = analysis.answers_of(node, member, current)
        return render(request, "pair.html", {"ws": ws, "me": member, "node": node, "k": k, "row": row, "col": col,
                                             "value": current.get((node.id, row, col), ""), "view": view,
                                             "answered": (node.id, row, col) in current})

    def save_pair(request: Request, data: dict[str, str], _form) -> Response:
        ws = session_or_404(request.path_params["code"])
        who = need_me(request, ws)
        _check_owner(data, who)
        k = int(request.path_params["k"])
        node, (row, col) = pair_context(ws, request.path_params["group"], k)
        raw = data.get("value", "")
        if raw == "":
            raise Refused(_("choose an answer, or skip the pair"))
        save(ws, who, _form_judgments({f"pair:{row}:{col}": raw}, node))
        if k + 1 < len(node.pairs):
            return RedirectResponse(f"/s/{ws.code}/p/{node.id}/pair/{k + 1}", 303)
        return RedirectResponse(f"/s/{ws.code}/p#g-{node.id}", 303)

    def preview(request: Request, body: dict) -> Response:
        """A participant's CR and weights for the answers on their screen (nothing is stored)."""
        ws = session_or_404(request.path_params["code"])
        who = need_me(request, ws)
        node = next((n for n in nodes_of(ws) if n.id == body.get("group")), None)
        if node is None:
            raise Refused(_("group {group!r} is not judged in this session").format(group=str(body.get("group"))[:40]))
        member, current = store.own(ws, who)
        try:
            js = [JudgmentIn.model_validate({"group": node.id, **j}) for j in body.get("judgments", [])]
            for a in to_answers(js, [node]):
                current[(a.group, a.row, a.column)] = a.value
        except ValidationError as exc:
            raise Refused(first_error(exc)) from None
        except ValueError as exc:
            raise Refused(str(exc)) from None
        with i18n.use(lang_of(request)):
            return JSONResponse(view_json(analysis.answers_of(node, member, current)))

    # --- JSON API (tests, load test, scripts) --------------------------------------------------------------
    async def _json(request: Request) -> dict:
        """The JSON body: only with ``Content-Type: application/json``, which a cross-site form cannot send."""
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            raise Refused(_("send the body as JSON (Content-Type: application/json)"), 415)
        try:
            body = await request.json()
        except ValueError:
            raise Refused(_("the body is not JSON")) from None
        if not isinstance(body, dict):
            raise Refused(_("the body must be a JSON object"))
        return body

    def api_join(request: Request, body: dict) -> Response:
        ws = session_or_404(request.path_params["code"])
        try:
            person = JoinIn.model_validate(body)
        except ValidationError as exc:
            raise Refused(first_error(exc)) from None
        p, token = store.join(ws, person.name, person.role, person.jst)
        return JSONResponse({"participant_id": p.public_id, "token": token})

    def api_judgments(request: Request, body: dict) -> Response:
        ws = session_or_404(request.path_params["code"])
        who = me(request, ws, header_only=True)
        if who is None:
            raise Refused(_("unknown participant token (the X-Participant-Token header); join the session first"),
                          403)
        try:
            sub = SubmissionIn.model_validate(body)
        except ValidationError as exc:
            raise Refused(first_error(exc)) from None
        if not hmac.compare_digest(sub.participant_id, who.public_id):
            raise Refused(_("you can only change your own answers"), 403)
        stored = save(ws, who, sub.judgments)
        return JSONResponse({"stored": stored})

    def api_me(request: Request) -> Response:
        """A participant's own answers (read only: the page's cookie is enough, as for the page itself)."""
        ws = session_or_404(request.path_params["code"])
        who = need_me(request, ws)
        member, current = store.own(ws, who)
        with i18n.use(lang_of(request)):
            views = [view_json(analysis.answers_of(node, member, current)) for node in nodes_of(ws)]
        return JSONResponse({"participant_id": who.public_id, "groups": views})

    # --- advisor ------------------------------------------------------------------------------------------
    def advisor(request: Request) -> Response:
        if not is_advisor(request):
            return render(request, "advisor_login.html", {"error": None})
        groups = analysis.judged_nodes(pkg)
        resp = render(request, "advisor.html", {"sessions": store.sessions(), "groups": groups,
                                                "package": pkg, "path": package_path.name})
        return remember_advisor(request, resp)

    def advisor_login(request: Request, data: dict[str, str], _form) -> Response:
        if not hmac.compare_digest(data.get("secret", "").encode(), secret.encode()):
            return render(request, "advisor_login.html", {"error": _("wrong secret")}, 403)
        resp = RedirectResponse("/advisor", 303)
        resp.set_cookie(ADVISOR_COOKIE, secret, httponly=True, samesite="lax")
        return resp

    def open_session(request: Request, data: dict[str, str], form) -> Response:
        advisor_only(request)
        all_ids = [n.id for n in analysis.judged_nodes(pkg)]
        chosen = [g for g in form.getlist("groups") if g in all_ids]
        unknown = [g for g in form.getlist("groups") if g not in all_ids]
        if unknown:
            raise Refused(_("group {group!r} is not in the criteria tree").format(group=str(unknown[0])[:40]))
        if not chosen:
            raise Refused(_("choose at least one group of criteria to judge"))
        title = (data.get("title") or pkg.partnership.name).strip()[:300]
        ws = store.open_session(title, package_hash, chosen)
        return RedirectResponse(f"/s/{ws.code}/dashboard", 303)

    def dashboard_context(request: Request, ws) -> dict:
        w = workshop_of(ws)
        link = link_of(request, ws)
        return {"ws": ws, "w": w, "link": link, "qr": export.qr_svg(link), "counts": w.answered(),
                "version": store.version(ws),
                "name": analysis.expert_name, "package_changed": ws.package_hash != package_hash}

    def dashboard_version(request: Request) -> Response:
        """What the dashboard's script polls (cheap): the page is fetched again only when this changes."""
        ws = session_or_404(request.path_params["code"])
        advisor_only(request)
        return JSONResponse({"version": store.version(ws)})

    def dashboard(request: Request) -> Response:
        ws = session_or_404(request.path_params["code"])
        advisor_only(request)
        resp = render(request, "dashboard.html", dashboard_context(request, ws))
        return remember_advisor(request, resp)

    def dashboard_json(request: Request) -> Response:
        ws = session_or_404(request.path_params["code"])
        advisor_only(request)
        with i18n.use(lang_of(request)):
            return JSONResponse(export.dashboard_json(workshop_of(ws), ws, store.version(ws),
                                                      full=request.query_params.get("full") == "1"))

    def set_weights(request: Request, data: dict[str, str], _form) -> Response:
        ws = session_or_404(request.path_params["code"])
        advisor_only(request)
        members = {m.public_id: m for m in store.members(ws)}
        changes = []
        for key, raw in data.items():
            if not key.startswith("weight:"):
                continue
            pid = key.split(":", 1)[1]
            if pid not in members:
                raise Refused(_("no participant {id} in this session").format(id=pid[:40]))
            try:
                value = WeightIn(weight=raw.replace(",", ".").strip()).weight
            except ValidationError:
                raise Refused(_("weight of {name}: {value!r} is not a number from 0 to 100").format(
                    name=members[pid].name, value=raw[:20])) from None
            changes.append((pid, value))
        for pid, value in changes:
            store.set_weight(store.participant(ws, pid), value)
        return RedirectResponse(f"/s/{ws.code}/dashboard#participants", 303)

    def qr(request: Request) -> Response:
        ws = session_or_404(request.path_params["code"])
        return Response(export.qr_svg(link_of(request, ws)), media_type="image/svg+xml")

    def audit(request: Request) -> Response:
        ws = session_or_404(request.path_params["code"])
        advisor_only(request)
        return render(request, "audit.html", {"ws": ws, "events": store.events(ws)})

    def download(data: bytes, filename: str, media: str) -> Response:
        return Response(data, media_type=media, headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}", "Cache-Control": "no-store"})

    def export_package(request: Request) -> Response:
        ws = session_or_404(request.path_params["code"])
        advisor_only(request)
        fmt = request.path_params["fmt"]
        if fmt not in export.PACKAGE_FORMATS:
            raise Refused(_("unknown format {fmt!r}; use toml, json or xlsx").format(fmt=fmt[:10]), 404)
        w = workshop_of(ws)
        if not any(p.members for p in w.panels):
            raise Refused(_("nobody has finished a group yet; there is no panel to export"), 409)
        with i18n.use(lang_of(request)):
            data = export.package_bytes(w, fmt, package_path, ws)
        return download(data, f"{package_path.stem}_warsztat_{ws.code}.{fmt}", export.PACKAGE_FORMATS[fmt])

    def export_participants(request: Request) -> Response:
        ws = session_or_404(request.path_params["code"])
        advisor_only(request)
        data = export.participants_zip(workshop_of(ws))
        return download(data, f"warsztat_{ws.code}_uczestnicy.zip", "application/zip")

    def export_audit(request: Request) -> Response:
        ws = session_or_404(request.path_params["code"])
        advisor_only(request)
        buf = io.StringIO()
        export.write_audit_csv(buf, store.events(ws))
        return download(buf.getvalue().encode("utf-8-sig"), f"warsztat_{ws.code}_dziennik.csv", "text/csv")

    # --- errors: a short page or one JSON line, never a stack trace -----------------------------------------
    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path.endswith(".json") \
            or "application/json" in request.headers.get("content-type", "")

    def problem(request: Request, message: str, status: int) -> Response:
        if wants_json(request):
            return JSONResponse({"error": message}, status_code=status)
        return render(request, "error.html", {"message": message, "status": status}, status)

    async def on_refused(request: Request, exc: Refused) -> Response:
        with i18n.use(lang_of(request)):
            return problem(request, str(exc), exc.status)

    async def on_http(request: Request, exc: HTTPException) -> Response:
        with i18n.use(lang_of(request)):
            message = _("no such page") if exc.status_code == 404 else _("the request was refused ({status})").format(
                status=exc.status_code)
            return problem(request, message, exc.status_code)

    async def on_input(request: Request, exc: InputError) -> Response:
        return problem(request, str(exc), 422)

    async def on_error(request: Request, exc: Exception) -> Response:
        log.exception("workshop: unexpected error on %s %s", request.method, request.url.path)
        with i18n.use(lang_of(request)):
            return problem(request, _("something went wrong on the server; the details are in the server's log. "
                                      "Your earlier answers are safe: reload the page."), 500)

    routes = [
        Route("/", home),
        Route("/join", with_form(join), methods=["POST"]),
        Route("/j/{code}", join_link),
        Route("/s/{code}/p", participant),
        Route("/s/{code}/p/{group}", with_form(save_group), methods=["POST"]),
        Route("/s/{code}/p/{group}/pair/{k:int}", one_pair),
        Route("/s/{code}/p/{group}/pair/{k:int}", with_form(save_pair), methods=["POST"]),
        Route("/s/{code}/preview", with_json(preview), methods=["POST"]),
        Route("/api/s/{code}/join", with_json(api_join), methods=["POST"]),
        Route("/api/s/{code}/judgments", with_json(api_judgments), methods=["POST"]),
        Route("/api/s/{code}/me", api_me),
        Route("/advisor", advisor),
        Route("/advisor/login", with_form(advisor_login), methods=["POST"]),
        Route("/advisor/sessions", with_form(open_session), methods=["POST"]),
        Route("/s/{code}/dashboard", dashboard),
        Route("/s/{code}/dashboard.json", dashboard_json),
        Route("/s/{code}/version.json", dashboard_version),
        Route("/s/{code}/weights", with_form(set_weights), methods=["POST"]),
        Route("/s/{code}/qr.svg", qr),
        Route("/s/{code}/audit", audit),
        Route("/s/{code}/export/package.{fmt}", export_package),
        Route("/s/{code}/export/participants.zip", export_participants),
        Route("/s/{code}/export/audit.csv", export_audit),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={
        Refused: on_refused, HTTPException: on_http, InputError: on_input, Exception: on_error})
    app.state.secret = secret
    app.state.store = store
    app.state.package = pkg
    return app


def view_json(view: analysis.Answers) -> dict:
    """A participant's answers to one group as JSON: status, weights, CR and the judgments to revisit."""
    node = view.node
    return {
        "group": node.id, "label": node.label, "status": view.status,
        "answered": len(view.given), "skipped": len(view.skipped), "pairs": len(node.pairs),
        "weights": view.weight_map(), "cr": view.cr, "consistent": view.consistent,
        "completed": [list(p) for p in view.completed],
        "revisit": [{"row": r.row, "column": r.column, "row_label": node.label_of(r.row),
                     "column_label": node.label_of(r.column), "given": value_text(r.given),
                     "suggested": value_text(r.nearest), "cr_if_changed": r.cr_if_changed,
                     "given_words": answer_words(node, r.row, r.column, r.given),
                     "suggested_words": answer_words(node, r.row, r.column, r.nearest)}
                    for r in view.revisit],
        "message": revisit_message(view),
    }


def answer_words(node: analysis.Node, row: str, column: str, value: float) -> str:
    """A judgment of the pair (row, column) in words: which item, how much more important, and the number."""
    words = dict(scale_words())
    strength = round(value) if value >= 1 else round(1 / value)
    if strength == 1:
        return f"{words[1]} (1)"
    item = node.label_of(row) if value > 1 else node.label_of(column)
    return f"{item} – {words[strength]} ({strength})"


def revisit_message(view: analysis.Answers) -> str:
    if view.status == "none":
        return _("not answered yet")
    if view.status == "incomplete":
        return _("answer more pairs: the ones given do not yet connect every criterion")
    if view.consistent:
        return _("consistent (CR {cr})").format(cr=numfmt.number(view.cr, 3))
    if view.revisit:
        r = view.revisit[0]
        return _("CR {cr} is above 0.10: look again at {first} – {second}. You said: {given}. {suggested} would fit "
                 "your other answers better (CR {after}).").format(
            cr=numfmt.number(view.cr, 3), first=view.node.label_of(r.row), second=view.node.label_of(r.column),
            given=answer_words(view.node, r.row, r.column, r.given),
            suggested=answer_words(view.node, r.row, r.column, r.nearest), after=numfmt.number(r.cr_if_changed, 3))
    return _("CR {cr} is above 0.10: look again at your answers").format(cr=numfmt.number(view.cr, 3))

