"""The fake's HTTP server: listening on loopback, reading Web API calls and answering them in Slack's shape.

``/api/{method}`` accepts what slack_sdk sends (JSON bodies, form bodies, query-string parameters),
records every call, checks the token, consults the fault programme and dispatches to the method's
handler. ``go_down``/``come_back`` refuse connections for a while. The methods about the connection
itself (api.test, auth.test, apps.connections.open) are answered here too.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING, Self
from urllib.parse import parse_qsl

from aiohttp import web

from bot.sandbox.fake_slack.faults import FaultsMixin
from bot.sandbox.fake_slack.records import Call
from bot.sandbox.fake_slack.scopes import needed_scope
from bot.sandbox.fake_slack.wire import (
    _FORM_CT,
    _JSON_CT,
    _MULTIPART_CT,
    Handler,
    JsonDict,
    _ApiError,
    _Context,
    _metadata,
    _Params,
    _Reply,
)

if TYPE_CHECKING:
    from bot.sandbox.socket_mode import FakeSocketModeServer

log = logging.getLogger("bot.sandbox.fake_slack")  # the package's logger, the name it had before the split


class ServerMixin(FaultsMixin):
    """Start, stop, go down and come back; read, authenticate and dispatch ``/api/{method}`` calls."""

    def _web_api_methods(self) -> dict[str, Handler]:
        return {
            **super()._web_api_methods(),
            "api.test": self._m_api_test,
            "auth.test": self._m_auth_test,
            "apps.connections.open": self._m_apps_connections_open,
        }

    def _add_routes(self, router: web.UrlDispatcher) -> None:
        super()._add_routes(router)
        router.add_route("*", "/api/{method}", self._handle_api)

    # --- lifecycle -------------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on ``host:port`` (port 0 picks a free port; read it back from :attr:`url`)."""
        if self._runner is not None:
            raise RuntimeError("FakeSlack is already running")
        self._host = host
        await self._listen(port)

    async def stop(self) -> None:
        """Stop listening and drop open connections. State stays for assertions."""
        await self._shutdown()
        self._down = False

    async def go_down(self) -> None:
        """Simulate Slack being unreachable: close the port so connections are refused.

        Requests in flight (for example ones held by ``slow_next``) are cut off as well.
        """
        if self._runner is None:
            raise RuntimeError("FakeSlack is not running")
        await self._shutdown()
        self._down = True

    async def come_back(self) -> None:
        """Listen again on the same port after :meth:`go_down`."""
        if not self._down or self._port is None:
            raise RuntimeError("FakeSlack is not down")
        self._down = False
        await self._listen(self._port)

    @property
    def is_down(self) -> bool:
        return self._down

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def _listen(self, port: int) -> None:
        app = web.Application(client_max_size=100 * 1024 * 1024)
        self._add_routes(app.router)
        self._abort = asyncio.Event()
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, self._host, port)
        await site.start()
        self._runner = runner
        self._port = site.port

    async def _shutdown(self) -> None:
        self._abort.set()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    def attach_socket_mode(self, server: FakeSocketModeServer) -> None:
        """Make apps.connections.open hand out this Socket Mode server's URL."""
        self._socket_mode = server

    # --- HTTP handlers ---------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        call = Call(
            method=method,
            params={},
            headers=dict(request.headers),
            at=self.clock.now(),
            http_method=request.method,
        )
        self._calls.append(call)
        try:
            params = await self._read_params(request)
            call.params = params.values
            call.team_id = self._team_for_token(self._token(request, params))
            reply = await self._dispatch(method, params, request)
        except _ApiError as exc:
            reply = exc.reply()
        call.status = reply.status
        call.response = reply.body
        call.response_headers = dict(reply.headers)
        log.debug("FakeSlack %s -> %s %s", method, reply.status, reply.body.get("error", "ok"))
        return web.json_response(reply.body, status=reply.status, headers=reply.headers)

    async def _read_params(self, request: web.Request) -> _Params:
        values: JsonDict = dict(request.query)
        is_json = False
        if request.method == "POST" and request.body_exists:
            content_type = request.content_type
            if content_type == _JSON_CT:
                raw = await request.read()
                try:
                    body = json.loads(raw) if raw.strip() else {}
                except ValueError:
                    raise _ApiError("invalid_json") from None
                if not isinstance(body, dict):
                    raise _ApiError("json_not_object")
                values.update(body)
                is_json = True
            elif content_type == _FORM_CT:
                raw = await request.read()
                values.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
            elif content_type == _MULTIPART_CT:
                form = await request.post()
                values.update({k: v for k, v in form.items() if isinstance(v, str)})
            else:
                raw = await request.read()
                if raw.strip():
                    raise _ApiError("invalid_post_type")
        return _Params(values, is_json=is_json)

    def _token(self, request: web.Request, params: _Params) -> str | None:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            return header[len("Bearer ") :].strip() or None
        # Slack accepts a token form/query parameter, but never inside a JSON body.
        if not params.is_json:
            return params.get_str("token")
        token = request.query.get("token")
        return token or None

    async def _dispatch(self, method: str, params: _Params, request: web.Request) -> _Reply:
        handler = self._handlers.get(method)
        if handler is None:
            return _Reply(200, {"ok": False, "error": "unknown_method", "req_method": method})
        token = "" if method == "api.test" else self._token(request, params)
        if method != "api.test":
            magic = await self._magic_token_reply(token)
            if magic is not None:
                return magic
            self._check_token(method, token)
        scope_headers = self._check_scope(method, params, token)
        fault = self._take_fault(method)
        if fault is not None:
            if fault.delay:
                await self._sleep(fault.delay)
            if not fault.then_handle:
                headers = {"Retry-After": str(fault.retry_after)} if fault.status == 429 else {}
                return _Reply(fault.status, {"ok": False, "error": fault.error}, headers)
        if method == "chat.postMessage":
            self._check_rate_limit(params)
        body = await handler(params, _Context(token=token or "", request=request))
        return _Reply(200, {"ok": True, **body}, scope_headers)

    def _check_token(self, method: str, token: str | None) -> None:
        if not token:
            raise _ApiError("not_authed")
        if method == "apps.connections.open":
            if token == self.app_token:
                return
            if token == self.bot_token:
                raise _ApiError("not_allowed_token_type")
            raise _ApiError("invalid_auth")
        if token == self.bot_token:
            return
        if token == self.app_token:
            raise _ApiError("not_allowed_token_type")
        raise _ApiError("invalid_auth")

    def _check_scope(self, method: str, params: _Params, token: str | None) -> dict[str, str]:
        """The bot token's scopes in Slack's header; ``missing_scope`` when the method needs another."""
        if token != self.bot_token:
            return {}
        granted = ",".join(sorted(self.scopes))
        needed = needed_scope(method, params.values, self._channels.get)
        if needed is not None and needed not in self.scopes:
            raise _ApiError(
                "missing_scope",
                extra={"needed": needed, "provided": granted},
                headers={"x-oauth-scopes": granted},
            )
        return {"x-oauth-scopes": granted}

    # --- methods: auth ---------------------------------------------------------------------------

    async def _m_api_test(self, p: _Params, ctx: _Context) -> JsonDict:
        return {"args": {k: v for k, v in p.values.items() if k != "token"}}

    async def _m_auth_test(self, p: _Params, ctx: _Context) -> JsonDict:
        return {
            "url": f"{self.url}/",
            "team": self.team_name,
            "user": self.bot_name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    async def _m_apps_connections_open(self, p: _Params, ctx: _Context) -> JsonDict:
        if ctx.request.method != "POST":
            raise _ApiError("insecure_request")
        if self._socket_mode is None:
            # Slack's answer for an app with Socket Mode switched off is undocumented.
            raise _ApiError("internal_error", extra=_metadata("no FakeSocketModeServer attached"))
        return {"url": self._socket_mode.issue_url()}
