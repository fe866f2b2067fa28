"""The sandbox's HTTP API: the page's actions become signed Slack requests to the bot's real endpoint.

The browser never talks to the bot. It tells this API what the person did (typed ``/review ...``,
pressed a button, picked from a menu, submitted or closed a modal, opened the Home tab, moved the
clock); the API builds the request Slack would send (:class:`SlackRequestFactory`), POSTs it to the
bot's ``/slack/events`` over loopback and applies the ack to the stand-in as Slack would (a modal's
``response_action``). What the page shows is read from the stand-in (:mod:`.screen`).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Any

import httpx
from aiohttp import web

from bot.sandbox.browser.clock_control import ClockControl, ClockError
from bot.sandbox.browser.people import PersonEntry
from bot.sandbox.browser.screen import file_content, screen
from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.signed_requests import SignedRequest, SlackRequestFactory

STATIC_FILES = {
    "app.js": "text/javascript",
    "blocks.js": "text/javascript",
    "modal.js": "text/javascript",
    "style.css": "text/css",
}
MAX_TEXT = 4000


@dataclass
class SandboxApi:
    fake: FakeSlack
    slack: SlackRequestFactory
    bot_url: str
    clock: ClockControl
    #: Who one can be, as of now: the partnership's people (as `/review people` left them) and the outsider.
    people: Callable[[], Sequence[PersonEntry]]
    partnerships: Sequence[str]
    subcommands: Sequence[dict[str, str]]
    #: Waits until the bot's after-ack work is done, so an answer is on screen when a call returns.
    settle: Callable[[], Awaitable[None]]
    _http: httpx.AsyncClient | None = field(default=None, init=False)

    def routes(self) -> web.Application:
        app = web.Application(client_max_size=256 * 1024)
        app.router.add_get("/", self.index)
        app.router.add_get("/favicon.ico", self.no_icon)
        app.router.add_get("/static/{name}", self.static)
        app.router.add_get("/api/workspace", self.workspace)
        app.router.add_get("/api/state", self.state)
        app.router.add_post("/api/command", self.command)
        app.router.add_post("/api/action", self.action)
        app.router.add_post("/api/submit", self.submit)
        app.router.add_post("/api/close", self.close)
        app.router.add_post("/api/home", self.home)
        app.router.add_post("/api/clock", self.move_clock)
        app.router.add_get("/files/{file_id}", self.download)
        return app

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()

    # --- the page --------------------------------------------------------------------------------

    async def index(self, request: web.Request) -> web.Response:
        return web.Response(text=_static_text("index.html"), content_type="text/html")

    async def no_icon(self, request: web.Request) -> web.Response:
        return web.Response(status=204)

    async def static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in STATIC_FILES:
            raise web.HTTPNotFound()
        return web.Response(text=_static_text(name), content_type=STATIC_FILES[name])

    async def workspace(self, request: web.Request) -> web.Response:
        labels = {p.user_id: p.label for p in self.people()}
        labels[self.fake.bot_user_id] = "ReviewBot"
        return web.json_response(
            {
                "partnerships": list(self.partnerships),
                "people": [p.to_json() for p in self.people()],
                "labels": labels,
                "bot": self.fake.bot_user_id,
                "subcommands": list(self.subcommands),
                "timezone": "Europe/London",
            }
        )

    async def state(self, request: web.Request) -> web.Response:
        user = self._user(request.query.get("user"))
        channel = request.query.get("channel") or None
        body = screen(self.fake, user, channel)
        body["clock"] = self.clock.describe()
        return web.json_response(body)

    async def download(self, request: web.Request) -> web.Response:
        found = file_content(self.fake, request.match_info["file_id"])
        if found is None:
            raise web.HTTPNotFound()
        name, content = found
        return web.Response(
            body=content,
            content_type="application/octet-stream",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    # --- what a person does ----------------------------------------------------------------------

    async def command(self, request: web.Request) -> web.Response:
        data = await _json(request)
        user = self._user(data.get("user"))
        channel = str(data.get("channel") or "")
        text = str(data.get("text") or "").strip()[:MAX_TEXT]
        if channel not in self.fake.channels:
            return _refuse("Pick a channel first.")
        if not text.startswith("/"):
            self.fake.post_user_message(channel, user, text)
            return web.json_response({"ok": True})
        command, _, rest = text.partition(" ")
        if command != "/review":
            return _refuse(f"{command} is not a command in this workspace: try /review.")
        name = self.fake.channels[channel].name
        signed = self.slack.slash_command(
            "/review", rest.strip(), user_id=user, channel_id=channel, channel_name=name or "directmessage"
        )
        response = await self._send(signed)
        if response.status_code == 200 and response.content:
            await self._show_ack(signed, response)
        return web.json_response({"ok": True})

    async def _show_ack(self, signed: SignedRequest, response: httpx.Response) -> None:
        """Slack shows a command's ack body as a message (to the person only, unless in_channel); the
        stand-in is told it through the command's response_url, which shows a message the same way."""
        try:
            body = response.json()
        except ValueError:
            return
        url = signed.payload.get("response_url")
        if isinstance(body, dict) and (body.get("text") or body.get("blocks")) and isinstance(url, str):
            assert self._http is not None
            await self._http.post(url, json=body)

    async def action(self, request: web.Request) -> web.Response:
        data = await _json(request)
        user = self._user(data.get("user"))
        action_id = str(data.get("action_id") or "")
        if not action_id:
            return _refuse("No action.")
        choice: dict[str, Any] = {}
        if isinstance(data.get("selected_option"), dict):
            choice["selected_option"] = data["selected_option"]
        if isinstance(data.get("selected_options"), list):
            choice["selected_options"] = data["selected_options"]
        if isinstance(data.get("selected_date"), str):
            choice["selected_date"] = data["selected_date"]
        value = data.get("value") if isinstance(data.get("value"), str) else None
        view_id = data.get("view_id")
        if isinstance(view_id, str) and view_id:
            view = self.fake.view(view_id)
            if view is None:
                return _refuse("That window has closed.")
            state = data.get("state") if isinstance(data.get("state"), dict) else {}
            signed = self.slack.block_action(
                action_id, user_id=user, view=view, value=value, state_values=state, **choice
            )
        else:
            message_ts = data.get("message_ts") if isinstance(data.get("message_ts"), str) else None
            signed = self.slack.block_action(
                action_id,
                user_id=user,
                channel_id=str(data.get("channel") or ""),
                message_ts=message_ts,
                value=value,
                **choice,
            )
        await self._send(signed)
        return web.json_response({"ok": True})

    async def submit(self, request: web.Request) -> web.Response:
        data = await _json(request)
        user = self._user(data.get("user"))
        view = self.fake.view(str(data.get("view_id") or ""))
        if view is None:
            return _refuse("That window has closed.")
        state = data.get("state")
        values: dict[str, Any] = state if isinstance(state, dict) else {}
        signed = self.slack.view_submission(
            str(view.get("callback_id") or ""), user_id=user, values=values, view_id=str(view["id"])
        )
        response = await self._send(signed)
        if response.status_code != 200:
            return _refuse(f"The app did not answer (HTTP {response.status_code}).")
        ack = response.json() if response.content else None
        try:
            self.fake.apply_view_submission_ack(user, ack)
        except ValueError as exc:
            return _refuse(f"Slack would not show the app's answer: {exc}")
        errors = (ack or {}).get("errors") if (ack or {}).get("response_action") == "errors" else None
        return web.json_response({"ok": True, "errors": errors or {}})

    async def close(self, request: web.Request) -> web.Response:
        data = await _json(request)
        user = self._user(data.get("user"))
        view = self.fake.view(str(data.get("view_id") or ""))
        if view is not None and view.get("notify_on_close"):
            await self._send(
                self.slack.view_closed(
                    str(view.get("callback_id") or ""), user_id=user, view_id=str(view["id"])
                )
            )
        self.fake.close_view(user, clear=bool(data.get("clear")))
        return web.json_response({"ok": True})

    async def home(self, request: web.Request) -> web.Response:
        data = await _json(request)
        await self._send(self.slack.app_home_opened(self._user(data.get("user"))))
        return web.json_response({"ok": True})

    async def move_clock(self, request: web.Request) -> web.Response:
        data = await _json(request)
        try:
            if data.get("to") == "next_working_day":
                await self.clock.next_working_day_9()
            elif data.get("to") == "date":
                await self.clock.jump_to(date.fromisoformat(str(data.get("date") or "")))
            else:
                await self.clock.tick()
        except (ClockError, ValueError) as exc:
            return _refuse(str(exc) if isinstance(exc, ClockError) else "Give the date as YYYY-MM-DD.")
        return web.json_response({"ok": True, "clock": self.clock.describe()})

    # --- plumbing --------------------------------------------------------------------------------

    def _user(self, value: object) -> str:
        if not isinstance(value, str) or value not in {p.user_id for p in self.people()}:
            raise web.HTTPBadRequest(text="unknown person")
        return value

    async def _send(self, signed: SignedRequest) -> httpx.Response:
        if self._http is None:
            self._http = httpx.AsyncClient(base_url=self.bot_url, trust_env=False, timeout=30)
        response = await self._http.post("/slack/events", content=signed.body, headers=signed.headers)
        await self.settle()
        return response


async def _json(request: web.Request) -> dict[str, Any]:
    try:
        data = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise web.HTTPBadRequest(text="expected JSON") from exc
    if not isinstance(data, dict):
        raise web.HTTPBadRequest(text="expected a JSON object")
    return data


def _refuse(message: str) -> web.Response:
    return web.json_response({"ok": False, "error": message}, status=400)


def _static_text(name: str) -> str:
    return resources.files("bot.sandbox.browser").joinpath("static", name).read_text(encoding="utf-8")
