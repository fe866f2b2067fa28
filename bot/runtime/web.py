"""The HTTP face of the bot: Slack's request URL, the webhook API, health and metrics.

``POST /slack/events`` checks the signature and the 5-minute timestamp window itself (401, nothing
processed), refuses bodies that are not what Slack sends (400), then hands the raw request to bolt.

An unexpected error becomes a JSON 500 with a reference id inside the app (:class:`CatchAll`), and
goes no further: Starlette would otherwise re-raise it after answering, and uvicorn would log it a
second time with its message and traceback, outside the redaction our own log lines get.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import __version__
from bot.commands.app import request_kind
from bot.db.unavailable import is_database_unavailable
from bot.errors import DATABASE_UNAVAILABLE, unexpected_message
from bot.observability import get_logger, new_error_ref, new_request_id, request_id_var
from bot.runtime.api_docs import render_api_docs
from bot.runtime.services import Services
from bot.slack.signature import is_valid_request
from bot.slack.status import SlackState
from bot.slack.tenant import current_tenant

log = get_logger(__name__)

MAX_BODY_BYTES = 1_000_000  # Slack payloads are far smaller; anything bigger is not from Slack

Lifespan = Callable[[FastAPI], Any]


def create_web_app(
    services: Services,
    bolt_app: AsyncApp,
    *,
    on_startup: list[Callable[[], Awaitable[None]]] | None = None,
    on_shutdown: list[Callable[[], Awaitable[None]]] | None = None,
    routers: list[Any] | None = None,
) -> FastAPI:
    secret = services.settings.slack_signing_secret

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        for start in on_startup or []:
            await start()
        try:
            yield
        finally:
            try:
                for stop in on_shutdown or []:
                    await stop()
                await services.tasks.drain(timeout=30)
            finally:  # even when work outlives the drain: close connections, say nothing more
                await services.gateway.close()
                await services.db.dispose()

    api = FastAPI(
        title="ReviewBot",
        version=__version__,
        lifespan=lifespan,
        description="Slack request URL, notification webhook, health and metrics.",
        docs_url=None,  # FastAPI's pages load Swagger UI and ReDoc from a CDN: /docs is ours, offline
        redoc_url=None,
    )

    @api.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(render_api_docs(api.openapi()))

    @api.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        started = time.perf_counter()
        raw = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        if len(raw) > MAX_BODY_BYTES:
            return _refuse(services, 413, "too_large", "request body too large")
        if not is_valid_request(
            secret, raw, headers.get("x-slack-request-timestamp"), headers.get("x-slack-signature")
        ):
            return _refuse(services, 401, "bad_signature", "invalid request")
        body = _parse_slack_body(raw, headers.get("content-type", ""))
        if body is None:
            return _refuse(services, 400, "malformed", "malformed request body")
        kind = request_kind(body)
        try:
            bolt_request = ParsedBoltRequest(raw.decode("utf-8"), body, {k: [v] for k, v in headers.items()})
        except (TypeError, AttributeError, KeyError, ValueError):
            # bolt reads user/team/channel ids out of the payload here and fails on wrong types
            return _refuse(services, 400, "malformed", "malformed request body")
        request_id_var.set(new_request_id())
        tenant_reset = None
        if services.tenancy is not None and body.get("type") not in ("url_verification", "ssl_check"):
            # Each request runs with its own team's installation; a team that never installed (or
            # uninstalled) gets nothing: no listener runs and no Web API call is made.
            tenant = await services.tenancy.for_request(body)
            if tenant is None:
                services.metrics.requests.labels("slack_events", kind, "not_installed").inc()
                return Response(status_code=200)
            tenant_reset = current_tenant.set(tenant)
        try:
            bolt_response = await bolt_app.async_dispatch(bolt_request)
        finally:
            if tenant_reset is not None:
                current_tenant.reset(tenant_reset)
        elapsed = time.perf_counter() - started
        outcome = "ok" if bolt_response.status < 400 else f"http_{bolt_response.status}"
        services.metrics.requests.labels("slack_events", kind, outcome).inc()
        services.metrics.ack_latency.labels(kind).observe(elapsed)
        response_headers = {
            k: v[0] for k, v in bolt_response.headers.items() if v and k.lower() != "content-length"
        }
        return Response(
            content=bolt_response.body, status_code=bolt_response.status, headers=response_headers
        )

    @api.get("/healthz")
    async def healthz() -> JSONResponse:
        # The database decides up or down (503); Slack only degraded or not, reported beside it. Never
        # waits for Socket Mode, and for Slack at most once (the first check; later answers are cached
        # and refreshed in the background).
        slack = await services.slack.current(services.gateway)
        body: dict[str, Any] = {"slack": services.slack.described}
        socket_connected = await services.slack.socket_mode_connected()
        if socket_connected is not None:
            body["socket_mode"] = "connected" if socket_connected else "connecting"
        try:
            await services.db.ping()
        except Exception as exc:
            log.warning("health.database_down", error=type(exc).__name__)
            return JSONResponse(
                {"status": "unhealthy", "database": "unreachable", **body, "version": __version__}, 503
            )
        degraded = slack is not SlackState.OK or socket_connected is False
        return JSONResponse(
            {
                "status": "degraded" if degraded else "ok",
                "database": "ok",
                **body,
                "version": __version__,
                "background_work": services.tasks.pending,
            }
        )

    @api.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(
            await services.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8"
        )

    @api.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        return unexpected_response(exc)

    api.add_middleware(CatchAll)
    for router in routers or []:
        api.include_router(router)
    return api


def unexpected_response(exc: BaseException) -> JSONResponse:
    """No stack trace ever leaves the process; the reference id ties the answer to the log line."""
    ref = new_error_ref()
    if is_database_unavailable(exc):
        log.warning("http.database_unavailable", ref=ref, error=type(exc).__name__)
        return JSONResponse({"error": "unavailable", "message": DATABASE_UNAVAILABLE, "reference": ref}, 503)
    log.error("http.failed", ref=ref, error=type(exc).__name__, exc_info=exc)
    return JSONResponse({"error": "internal", "message": unexpected_message(ref), "reference": ref}, 500)


class CatchAll:
    """ASGI middleware: an exception from a route is answered here and not raised any further.

    It sits inside Starlette's ServerErrorMiddleware, which answers too but then re-raises to the
    server. When the response had already started nothing more can be sent: the error is logged (our
    way) and the connection ends as the server sees fit, still without re-raising.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            response = unexpected_response(exc)
            if not started:
                await response(scope, receive, send)


class ParsedBoltRequest(AsyncBoltRequest):
    """The request as bolt sees it, made from the body already parsed and checked here.

    Bolt would otherwise parse it again: for a button that is the whole message it sits in, URL-
    and JSON-decoded a second time, which profiling showed was a quarter of a click's ack. Bolt still
    has the raw body (its own signature check, and copies of the request, use it).
    """

    def __init__(self, raw: str, body: dict[str, Any], headers: dict[str, list[str]]) -> None:
        super().__init__(body="", headers=dict(headers))
        self.raw_body = raw
        self.body = body
        self.context = build_async_context(AsyncBoltContext({}), body)


def _refuse(services: Services, status: int, outcome: str, message: str) -> JSONResponse:
    services.metrics.requests.labels("slack_events", "rejected", outcome).inc()
    return JSONResponse({"error": message}, status_code=status)


def _parse_slack_body(raw: bytes, content_type: str) -> dict[str, Any] | None:
    """The body as bolt will see it, or None when it is not a shape Slack sends."""
    try:
        text = raw.decode("utf-8")
        if content_type.startswith("application/json"):
            body = json.loads(text)
            ok = isinstance(body, dict) and isinstance(body.get("type"), str) and _slack_shaped(body)
            return body if ok else None
        form = {k: v[0] for k, v in parse_qs(text, keep_blank_values=True, strict_parsing=bool(text)).items()}
        if "payload" in form:
            payload = json.loads(form["payload"])
            ok = isinstance(payload, dict) and isinstance(payload.get("type"), str) and _slack_shaped(payload)
            return payload if ok else None
        if "command" in form and "user_id" in form:
            return form
        return None
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: JSON nested too deep
        return None


_OBJECT_FIELDS = ("user", "team", "channel", "container", "view", "message", "enterprise", "event", "state")
_STRING_FIELDS = ("response_url", "trigger_id", "callback_id", "event_id", "api_app_id", "team_id", "token")


def _slack_shaped(body: dict[str, Any]) -> bool:
    """Objects, lists and ids where Slack puts them. Bolt and the error handler read these before any
    listener runs and fail on other types, so anything else is refused as malformed (found by
    tests/test_hostile_input.py)."""
    for key in _OBJECT_FIELDS:
        value = body.get(key)
        if value is not None and not isinstance(value, dict):
            return False
        if isinstance(value, dict) and not isinstance(value.get("id", ""), str):
            return False
    for key in _STRING_FIELDS:
        if body.get(key) is not None and not isinstance(body[key], str):
            return False
    for key in ("actions", "response_urls"):
        if key in body and not (isinstance(body[key], list) and all(isinstance(a, dict) for a in body[key])):
            return False
    if body["type"] == "block_actions" and not body.get("actions"):
        return False
    if body["type"] == "event_callback" and not isinstance(body.get("event"), dict):
        return False  # "event": null reached bolt's event matchers and ended in a 500
    if not _view_shaped(body):
        return False
    return all(isinstance(a.get("action_id", ""), str) for a in body.get("actions") or [])


def _view_shaped(body: dict[str, Any]) -> bool:
    """A modal submission or close carries a view object as Slack sends it: a type, a callback id,
    state values as objects of objects, and private_metadata as text. Bolt's matchers read these
    before any listener runs ("view": null ended in a TypeError and a 500)."""
    view = body.get("view")
    if body["type"] in ("view_submission", "view_closed") and not (
        isinstance(view, dict)
        and isinstance(view.get("type"), str)
        and isinstance(view.get("callback_id"), str)
    ):
        return False
    if not isinstance(view, dict):
        return True
    if not isinstance(view.get("private_metadata", ""), str):
        return False
    state = view.get("state", {})
    if not isinstance(state, dict):
        return False
    values = state.get("values", {})
    if not isinstance(values, dict):
        return False
    return all(
        isinstance(block, dict) and all(isinstance(element, dict) for element in block.values())
        for block in values.values()
    )
