"""The HTTP adapter: Starlette routes over the room (``serve.room``) and the pages (``serve.pages``).

Every URL starts with a secret: ``/w/JOIN_TOKEN/…`` for participants, ``/p/PRESENTER_TOKEN/…`` for
the projector; a wrong or missing token gets the same 404 as an unknown path. The phone is
recognised by the HttpOnly, SameSite=Strict cookie holding its participant token. Every form
carries a CSRF token bound to that participant (or, before joining, to a cookie of its own).
No value from a request ever names a file: answer files are named from ``naming.slug`` of the
participant's name, and the two static files come from a fixed table.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from slp_assess.i18n import message
from slp_assess.serve import pages
from slp_assess.serve.room import SaveFailed, Workshop, new_token
from slp_assess.serve.security import (
    MAX_BODY,
    MAX_NAME,
    MAX_NOTE,
    MAX_TEXT,
    SECURITY_HEADERS,
    BodyTooLarge,
    FormRefused,
    Limits,
    RateLimiter,
    clean_line,
    clean_note,
    csrf_ok,
    csrf_token,
    parse_form,
    same_secret,
)
from slp_assess.serve.state import Refused, Seat
from slp_assess.sides import canonical_side

PARTICIPANT_COOKIE = "slp_p"
PRE_JOIN_COOKIE = "slp_j"
COOKIE_AGE = 12 * 3600


_HEADER_BYTES = [(name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]


class _Guard:
    """Plain ASGI middleware: a request limit per client address, and the security headers on every response."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter, refusal: bytes) -> None:
        self.app, self.limiter, self.refusal = app, limiter, refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        if not self.limiter.allow(client[0] if client else "unknown"):
            await PlainTextResponse(self.refusal.decode(), status_code=429, headers=SECURITY_HEADERS)(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *((n, v) for n, v in _HEADER_BYTES if n not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def create_app(workshop: Workshop, limits: Limits | None = None, poll_ms: int = 1500,
               report: Callable[[str], None] = _to_stderr) -> Starlette:
    """The web app of one workshop; pages ask for news every ``poll_ms`` milliseconds (with JavaScript).

    ``report`` shows the moderator one line when a save fails (the phone is asked to send again).
    """
    limits = limits or Limits()
    env = pages.environment()
    static = pages.static_files()
    lang = workshop.state.language
    t = pages.texts(lang)
    room = workshop.room
    join_limit, answer_limit, request_limit = (RateLimiter(*limits.joins), RateLimiter(*limits.answers), RateLimiter(*limits.requests))

    def render(name: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = env.get_template(name).render(t=t, lang=lang, poll_ms=poll_ms, **values)
        return HTMLResponse(html, status_code=status)

    def not_found() -> PlainTextResponse:
        return PlainTextResponse(message("serve.not_found", lang), status_code=404)

    def refused(reason: str, status: int, base: str) -> HTMLResponse:
        return render("message.html.j2", status=status, base=base, text=t(f"serve.refused.{reason}"))

    def client(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    async def form_of(request: Request) -> dict[str, list[str]]:
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
            raise BodyTooLarge
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                raise BodyTooLarge
        return parse_form(body)

    def first(form: dict[str, list[str]], key: str) -> str:
        return form.get(key, [""])[0]

    def cross_site(request: Request) -> bool:
        # Browsers name the page a form was sent from; another site's page never gets to post here.
        origin = request.headers.get("origin")
        return origin not in (None, "null") and origin.split("://", 1)[-1] != request.headers.get("host")

    def join_base(request: Request) -> str | None:
        token = request.path_params.get("token")
        return f"/w/{room.join_token}" if same_secret(token, room.join_token) else None

    def presenter_base(request: Request) -> str | None:
        token = request.path_params.get("token")
        return f"/p/{room.presenter_token}" if same_secret(token, room.presenter_token) else None

    def seat_of(request: Request) -> Seat | None:
        return workshop.state.seat(request.cookies.get(PARTICIPANT_COOKIE))

    # -- participants ---------------------------------------------------------------------------------
    async def start(request: Request) -> Response:
        base = join_base(request)
        if base is None:
            return not_found()
        if seat_of(request) is not None:
            return RedirectResponse(f"{base}/q", status_code=303)
        pre = request.cookies.get(PRE_JOIN_COOKIE) or new_token()
        response = join_page(base, pre)
        response.set_cookie(PRE_JOIN_COOKIE, pre, max_age=COOKIE_AGE, path=base, httponly=True, samesite="strict")
        return response

    def join_page(base: str, pre: str, status: int = 200, error: str | None = None, name: str = "", side: str | None = None) -> HTMLResponse:
        return render("join.html.j2", status=status, base=base, csrf=csrf_token(room.secret, "join", pre), sides=pages.side_options(lang),
                      max_name=MAX_NAME, error=error, entered_name=name, chosen=side)

    async def join(request: Request) -> Response:
        base = join_base(request)
        if base is None:
            return not_found()
        if not join_limit.allow(client(request)):
            return refused("rate", 429, base)
        try:
            form = await form_of(request)
        except FormRefused as bad:
            return refused(bad.reason, bad.status, base)
        if cross_site(request) or not csrf_ok(room.secret, "join", request.cookies.get(PRE_JOIN_COOKIE), first(form, "csrf")):
            return refused("form", 403, base)
        if seat_of(request) is not None:
            return RedirectResponse(f"{base}/q", status_code=303)
        side = canonical_side(first(form, "side"))
        if len(first(form, "name")) > 4 * MAX_NAME or side is None:
            return refused("value", 400, base)
        name = clean_line(first(form, "name"), MAX_NAME)
        try:
            # Saving fsyncs: off the event loop, so other phones are served meanwhile.
            seat = await run_in_threadpool(workshop.join, name, side, message("serve.anonymous", lang, n="{n}"))
        except SaveFailed as failure:
            report(failure.line(lang))
            pre = request.cookies.get(PRE_JOIN_COOKIE, "")
            return join_page(base, pre, 503, t("serve.unsaved.join"), name, side)
        response = RedirectResponse(f"{base}/q", status_code=303)
        response.set_cookie(PARTICIPANT_COOKIE, seat.token, max_age=COOKIE_AGE, path=base, httponly=True, samesite="strict")
        response.delete_cookie(PRE_JOIN_COOKIE, path=base)
        return response

    async def question(request: Request) -> Response:
        base = join_base(request)
        if base is None:
            return not_found()
        seat = seat_of(request)
        if seat is None:
            return RedirectResponse(f"{base}/", status_code=303)
        notice = request.query_params.get("r")
        return question_page(base, seat, t(f"serve.refused.{notice}") if notice in ("not_open", "value", "form") else None)

    def question_page(base: str, seat: Seat, notice: str | None, status: int = 200, form: dict[str, list[str]] | None = None) -> HTMLResponse:
        """The participant's open question; with ``form``, as that form sent it (its save failed)."""
        with workshop.guard:
            view = pages.question_view(workshop.state, seat)
            version = _version(workshop)
            mode = workshop.state.mode
        who = {"name": seat.participant.name, "side": pages.side_label_of(seat.participant.role, lang)}
        if view is None:
            if form is not None:  # the room ended meanwhile: still say that this was not saved
                return render("message.html.j2", status=status, base=base, text=notice)
            return render("done.html.j2", base=base, who=who, version=version)
        if form is not None and view["step"] == first(form, "step"):
            view = pages.with_entered(view, form.get("value", []), clean_note(first(form, "text"), MAX_TEXT),
                                      clean_note(first(form, "note"), MAX_NOTE))
        return render("question.html.j2", status=status, base=base, q=view, who=who, mode=mode, version=version, notice=notice,
                      csrf=csrf_token(room.secret, "answer", seat.token), max_note=MAX_NOTE, max_text=MAX_TEXT)

    async def answer(request: Request) -> Response:
        base = join_base(request)
        if base is None:
            return not_found()
        seat = seat_of(request)
        if seat is None:
            return RedirectResponse(f"{base}/", status_code=303)
        if not answer_limit.allow(seat.token):
            return refused("rate", 429, base)
        try:
            form = await form_of(request)
        except FormRefused as bad:
            return refused(bad.reason, bad.status, base)
        if cross_site(request) or not csrf_ok(room.secret, "answer", seat.token, first(form, "csrf")):
            return refused("form", 403, base)
        action, step_id = first(form, "action") or "answer", first(form, "step")
        note = clean_note(first(form, "note"), MAX_NOTE)
        try:
            if action == "back":
                await run_in_threadpool(workshop.back, seat, step_id, note)
            elif action == "skip":
                await run_in_threadpool(workshop.skip, seat, step_id, note)
            else:
                values = form.get("value", [])
                step = workshop.state.step_by_id(step_id)
                if step is not None and step.question is not None and step.question.type == "text":
                    value: str | list[str] = clean_note(first(form, "text"), MAX_TEXT)
                elif step is not None and step.question is not None and step.question.type == "multiple_choice":
                    value = values
                else:
                    value = values[0] if len(values) == 1 else ""
                await run_in_threadpool(workshop.answer, seat, step_id, value, note)
        except Refused as refusal:
            return RedirectResponse(f"{base}/q?r={refusal.reason}", status_code=303)
        except SaveFailed as failure:
            report(failure.line(lang))
            return question_page(base, seat, t("serve.unsaved.answer"), 503, form)
        return RedirectResponse(f"{base}/q", status_code=303)

    async def version(request: Request) -> Response:
        base = join_base(request)
        if base is None:
            return not_found()
        with workshop.guard:
            return PlainTextResponse(_version(workshop))

    async def static_file(request: Request) -> Response:
        if join_base(request) is None and presenter_base(request) is None:
            return not_found()
        name = request.path_params.get("name", "")
        if name not in static:
            return not_found()
        # The two files never change while the server runs: a phone need not fetch them for every question.
        return Response(static[name], media_type=pages.STATIC_TYPES[name], headers={"Cache-Control": "private, max-age=3600"})

    # -- the projector ----------------------------------------------------------------------------------
    def panel_values(base: str) -> dict[str, Any]:
        with workshop.guard:
            state = workshop.state
            done = state.finished or (bool(state.seats) and all(s.session.done for s in state.seats))
            return {
                "base": base, "people": pages.people_view(state), "mode": state.mode, "finished": state.finished,
                "current": pages.distribution_view(state, state.moderator_step.id) if state.mode == "moderated" and not state.finished else None,
                "items": [pages.distribution_view(state, s.id) for s in state.steps if s.item is not None]
                if state.mode == "self" and not state.finished else [],
                "report": pages.group_report(state) if done else None,
                "score": lambda v: pages.score_text(v, lang),
                "short_side": lambda side: message(f"role_short.{side}", lang),
            }

    async def presenter(request: Request) -> Response:
        base = presenter_base(request)
        if base is None:
            return not_found()
        join_url = f"{request.url.scheme}://{request.headers.get('host', '')}/w/{room.join_token}/"
        return render("presenter.html.j2", join_url=join_url, qr=pages.qr_svg(join_url), partnership=workshop.state.partnership,
                      csrf=csrf_token(room.secret, "moderate", room.presenter_token), **panel_values(base))

    async def panel(request: Request) -> Response:
        base = presenter_base(request)
        if base is None:
            return not_found()
        return render("panel.html.j2", **panel_values(base))

    async def moderate(request: Request) -> Response:
        base = presenter_base(request)
        if base is None:
            return not_found()
        try:
            form = await form_of(request)
        except FormRefused as bad:
            return refused(bad.reason, bad.status, base)
        if cross_site(request) or not csrf_ok(room.secret, "moderate", room.presenter_token, first(form, "csrf")):
            return refused("form", 403, base)
        try:
            await run_in_threadpool(workshop.moderate, first(form, "action"))
        except Refused:
            return refused("value", 400, base)
        except SaveFailed as failure:
            report(failure.line(lang))
            return render("message.html.j2", status=503, base=base, text=t("serve.unsaved.moderate"))
        return RedirectResponse(f"{base}/", status_code=303)

    async def fallback(request: Request) -> Response:
        return not_found()

    routes = [
        Route("/w/{token}/", start, methods=["GET"]),
        Route("/w/{token}/join", join, methods=["POST"]),
        Route("/w/{token}/q", question, methods=["GET"]),
        Route("/w/{token}/answer", answer, methods=["POST"]),
        Route("/w/{token}/version", version, methods=["GET"]),
        Route("/w/{token}/static/{name}", static_file, methods=["GET"]),
        Route("/p/{token}/", presenter, methods=["GET"]),
        Route("/p/{token}/panel", panel, methods=["GET"]),
        Route("/p/{token}/moderate", moderate, methods=["POST"]),
        Route("/p/{token}/static/{name}", static_file, methods=["GET"]),
        Route("/{rest:path}", fallback, methods=["GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"]),
    ]
    refusal = message("serve.refused.rate", lang).encode()
    return Starlette(routes=routes, middleware=[Middleware(_Guard, limiter=request_limit, refusal=refusal)])


def _version(workshop: Workshop) -> str:
    """What a phone compares to know that the room has moved (a new question, the end)."""
    state = workshop.state
    return f"{state.mode}-{state.position if state.mode == 'moderated' else 0}-{int(state.finished)}"
