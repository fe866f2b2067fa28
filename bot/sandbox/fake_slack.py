"""FakeSlack: a local stand-in for Slack's Web API, faithful to the wire protocol and strict where Slack is.

Development and CI machines cannot reach slack.com, yet the bot's behaviour is mostly about what it
sends to Slack and how it copes with Slack's answers (errors, 429s, expired triggers, used-up response
URLs). So the tests, the end-to-end suite and ``reviewbot demo`` all point the real
``slack_sdk.AsyncWebClient`` at this in-process aiohttp server (``SLACK_API_URL = fake.api_url``).

What it does (slack-notes §7.2):

* ``/api/{method}`` accepts what slack_sdk sends: JSON bodies (chat.*, views.*), form bodies, and
  query-string parameters (slack_sdk sends ``params=`` on POST as a query string, and GET for
  conversations.info/members and users.info). It checks the bearer token, records every call and answers
  in Slack's shape, with Slack's error codes.
* Blocks and views go through :mod:`bot.slack.blockkit`; invalid payloads get ``invalid_blocks`` (chat)
  or ``invalid_arguments`` (views), with our precise messages in ``errors`` and Slack-style JSON pointers
  in ``response_metadata.messages``.
* ``trigger_id`` values live 3 s of the injected clock and work once; ``response_url`` values allow 5
  posts within 30 minutes of the injected clock; modal stacks hold at most 3 views.
* Faults: per-channel rate limiting measured in real time (it is about throughput), ``fail_next`` /
  ``slow_next`` programmed faults, magic tokens (``xoxb-ratelimited``, ``xoxb-500``, ``xoxb-timeout``),
  and ``go_down``/``come_back`` to refuse connections for a while.

Where Slack's behaviour is unknown or undocumented, the choice made is noted next to the code and in the
module's public docstrings. Message text is kept in memory for assertions but never logged.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import math
import mimetypes
import random
import re
import secrets
import string
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

from aiohttp import web
from aiohttp.web_request import FileField

from bot.clock import Clock, SystemClock
from bot.sandbox.render import render_blocks_as_text
from bot.sandbox.socket_mode import FakeSocketModeServer
from bot.slack.blockkit import BlockKitIssue, lint_message, lint_view

log = logging.getLogger(__name__)

TRIGGER_TTL = timedelta(seconds=3)
RESPONSE_URL_TTL = timedelta(minutes=30)
RESPONSE_URL_MAX_USES = 5
VIEW_STACK_MAX = 3
MESSAGE_TEXT_MAX = 40_000
TOPIC_MAX = 250
CHANNEL_NAME_MAX = 80
MPIM_MAX_USERS = 8
DEFAULT_RATE_LIMIT_BURST = 3
_CHANNEL_NAME_RE = re.compile(r"^[a-z0-9_-]+$")
_TZ_LABELS = {"GMT": "Greenwich Mean Time", "BST": "British Summer Time", "UTC": "Coordinated Universal Time"}
_JSON_CT = "application/json"
_FORM_CT = "application/x-www-form-urlencoded"
_MULTIPART_CT = "multipart/form-data"

JsonDict = dict[str, Any]


# --- records exposed to tests --------------------------------------------------------------------


@dataclass
class Call:
    """One request to ``/api/{method}``, recorded when it arrives and completed when answered."""

    method: str
    params: JsonDict
    headers: dict[str, str]
    at: datetime
    http_method: str = "POST"
    status: int | None = None
    response: JsonDict = field(default_factory=dict)
    response_headers: dict[str, str] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        """True once the fake has answered (delayed answers are recorded before they complete)."""
        return self.status is not None

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))

    @property
    def error(self) -> str | None:
        error = self.response.get("error")
        return error if isinstance(error, str) else None


@dataclass
class Message:
    """The current state of one message in a conversation (top level or thread reply)."""

    channel: str
    ts: str
    text: str
    blocks: list[JsonDict]
    user: str
    thread_ts: str | None = None
    bot_id: str | None = None
    app_id: str | None = None
    subtype: str | None = None
    edited: int = 0
    pinned: bool = False
    reply_broadcast: bool = False
    attachments: list[JsonDict] = field(default_factory=list)
    files: list[JsonDict] = field(default_factory=list)
    metadata: JsonDict | None = None
    reply_count: int = 0
    reply_users: list[str] = field(default_factory=list)
    latest_reply: str | None = None
    last_edited_ts: str | None = None

    @property
    def is_reply(self) -> bool:
        return self.thread_ts is not None and self.thread_ts != self.ts

    def rendered(self) -> str:
        """Text plus blocks rendered as plain text (what a reader would see)."""
        parts = [self.text] if self.text else []
        rendered_blocks = render_blocks_as_text(self.blocks)
        if rendered_blocks:
            parts.append(rendered_blocks)
        return "\n".join(parts)

    def to_slack(self, team_id: str) -> JsonDict:
        """The message object Slack returns from chat.* and puts in interaction payloads."""
        out: JsonDict = {
            "type": "message",
            "text": self.text,
            "user": self.user,
            "ts": self.ts,
            "team": team_id,
        }
        if self.subtype:
            out["subtype"] = self.subtype
        if self.bot_id:
            out["bot_id"] = self.bot_id
            out["app_id"] = self.app_id
        if self.blocks:
            out["blocks"] = copy.deepcopy(self.blocks)
        if self.attachments:
            out["attachments"] = copy.deepcopy(self.attachments)
        if self.files:
            out["files"] = copy.deepcopy(self.files)
            out["upload"] = False
        if self.metadata is not None:
            out["metadata"] = copy.deepcopy(self.metadata)
        if self.thread_ts:
            out["thread_ts"] = self.thread_ts
        if self.reply_count:
            out["reply_count"] = self.reply_count
            out["reply_users"] = list(self.reply_users)
            out["reply_users_count"] = len(self.reply_users)
            out["latest_reply"] = self.latest_reply
        if self.edited and self.last_edited_ts:
            out["edited"] = {"user": self.user, "ts": self.last_edited_ts}
        if self.pinned:
            out["pinned_to"] = [self.channel]
        return out


@dataclass
class Ephemeral:
    """An ephemeral message: only ``user`` saw it. ``source`` is chat.postEphemeral or response_url."""

    channel: str
    user: str
    ts: str
    text: str
    blocks: list[JsonDict]
    thread_ts: str | None = None
    source: str = "chat.postEphemeral"


@dataclass
class UploadedFile:
    """A file uploaded through files.getUploadURLExternal + POST + files.completeUploadExternal."""

    id: str
    name: str
    length: int
    upload_token: str
    title: str | None = None
    content: bytes | None = None
    alt_txt: str | None = None
    channel_id: str | None = None
    thread_ts: str | None = None
    initial_comment: str | None = None
    completed: bool = False

    @property
    def size(self) -> int:
        return len(self.content or b"")


@dataclass
class ResponseUrlPost:
    """One POST to a response_url, accepted (``status == 200``) or refused."""

    hook_id: str
    at: datetime
    body: JsonDict
    status: int
    error: str | None = None
    channel_id: str | None = None
    user_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def text(self) -> str:
        value = self.body.get("text")
        return value if isinstance(value, str) else ""

    @property
    def blocks(self) -> list[JsonDict]:
        value = self.body.get("blocks")
        return value if isinstance(value, list) else []

    @property
    def response_type(self) -> str:
        value = self.body.get("response_type")
        return value if isinstance(value, str) else "ephemeral"

    @property
    def replace_original(self) -> bool:
        return _truthy(self.body.get("replace_original"))

    @property
    def delete_original(self) -> bool:
        return _truthy(self.body.get("delete_original"))


@dataclass
class Channel:
    """A conversation: public or private channel, DM (``is_im``) or group DM (``is_mpim``)."""

    id: str
    name: str
    is_private: bool
    members: list[str]
    created: int
    creator: str
    topic: str = ""
    purpose: str = ""
    topic_set_by: str = ""
    topic_last_set: int = 0
    is_im: bool = False
    is_mpim: bool = False
    user: str | None = None
    is_archived: bool = False

    def to_slack(self, viewer: str, *, include_num_members: bool = False) -> JsonDict:
        if self.is_im:
            return {
                "id": self.id,
                "created": self.created,
                "is_im": True,
                "is_org_shared": False,
                "user": self.user,
                "is_user_deleted": False,
                "priority": 0,
            }
        out: JsonDict = {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_mpim,
            "is_group": False,
            "is_im": False,
            "is_mpim": self.is_mpim,
            "is_private": self.is_private,
            "created": self.created,
            "creator": self.creator,
            "is_archived": self.is_archived,
            "is_general": False,
            "unlinked": 0,
            "name_normalized": self.name,
            "is_shared": False,
            "is_ext_shared": False,
            "is_org_shared": False,
            "pending_shared": [],
            "is_pending_ext_shared": False,
            "is_member": viewer in self.members,
            "topic": {"value": self.topic, "creator": self.topic_set_by, "last_set": self.topic_last_set},
            "purpose": {"value": self.purpose, "creator": "", "last_set": 0},
            "previous_names": [],
        }
        if include_num_members:
            out["num_members"] = len(self.members)
        return out


@dataclass
class User:
    """A seeded workspace member."""

    id: str
    name: str
    real_name: str
    tz: str = "Europe/London"
    locale: str = "en-GB"
    is_bot: bool = False
    deleted: bool = False


@dataclass
class _Trigger:
    id: str
    user_id: str | None
    issued_at: datetime
    used: bool = False


@dataclass
class _ResponseUrl:
    id: str
    issued_at: datetime
    channel_id: str | None
    user_id: str | None
    message_ts: str | None
    uses: int = 0


@dataclass
class _Fault:
    status: int
    retry_after: int
    error: str | None
    remaining: int
    delay: float
    then_handle: bool = False


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class _Reply:
    status: int
    body: JsonDict
    headers: dict[str, str] = field(default_factory=dict)


class _ApiError(Exception):
    """Raised inside a method handler to answer ``{"ok": false, "error": code, ...}``."""

    def __init__(
        self,
        code: str,
        *,
        status: int = 200,
        extra: JsonDict | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.status = status
        self.extra = extra or {}
        self.headers = headers or {}

    def reply(self) -> _Reply:
        return _Reply(self.status, {"ok": False, "error": self.code, **self.extra}, dict(self.headers))


class _Params:
    """Typed access to a merged parameter dict, turning bad input into Slack's error codes."""

    def __init__(self, values: JsonDict, *, is_json: bool) -> None:
        self.values = values
        self.is_json = is_json

    def __contains__(self, key: str) -> bool:
        return key in self.values and self.values[key] is not None

    def get_str(self, key: str, *, missing: str | None = None) -> str | None:
        """The value as a string; ``missing`` is the error code when absent or empty."""
        value = self.values.get(key)
        if value is None or value == "":
            if missing:
                raise _ApiError(missing)
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return str(value)
        if isinstance(value, str):
            return value
        raise _ApiError("invalid_arguments", extra=_metadata(f"{key} must be a string"))

    def get_bool(self, key: str) -> bool:
        return _truthy(self.values.get(key))

    def get_int(self, key: str, default: int) -> int:
        value = self.values.get(key)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise _ApiError("invalid_arguments", extra=_metadata(f"{key} must be an integer")) from None

    def get_json(self, key: str, *, bad: str) -> Any:
        """A structured argument (blocks, view, files) sent either as JSON or as a JSON string."""
        value = self.values.get(key)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise _ApiError(bad, extra=_metadata(f"{key} is not valid JSON")) from None
        return value


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def _metadata(*messages: str) -> JsonDict:
    return {"response_metadata": {"messages": [f"[ERROR] {m}" for m in messages]}}


Handler = Callable[[_Params, "_Context"], Awaitable[JsonDict]]


@dataclass
class _Context:
    token: str
    request: web.Request


class FakeSlack:
    """An in-process fake of Slack's Web API (plus response_url hooks and the file upload endpoint).

    Typical use::

        async with FakeSlack() as fake:
            fake.add_user("U0BM0001")
            fake.add_channel("C0BOARD01", "safeguarding-board", members=["U0BM0001"])
            client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
            await client.chat_postMessage(channel="C0BOARD01", text="Case ref 2026-001 opened")
            assert fake.messages("C0BOARD01")[0].text.startswith("Case ref")
    """

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-test-token",  # noqa: S107 - a fixture value, not a secret
        app_token: str = "xapp-test-token",  # noqa: S107
        clock: Clock | None = None,
        team_id: str = "T0TEST",
        bot_user_id: str = "U0BOT0001",
        rate_limit_per_channel: float | None = None,
        rate_limit_burst: int = DEFAULT_RATE_LIMIT_BURST,
        bot_id: str = "B0BOT0001",
        app_id: str = "A0TESTAPP",
        team_name: str = "ReviewBot Test",
        team_domain: str = "t0test",
        bot_name: str = "reviewbot",
        timeout_token_delay: float = 10.0,
    ) -> None:
        self.bot_token = bot_token
        self.app_token = app_token
        self.clock: Clock = clock or SystemClock()
        self.team_id = team_id
        self.team_name = team_name
        self.team_domain = team_domain
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = app_id
        self.bot_name = bot_name
        #: Sustained chat.postMessage rate per channel (messages/second), or None for no limit. Slack
        #: documents "about 1 message per second per channel, short bursts allowed".
        self.rate_limit_per_channel = rate_limit_per_channel
        #: Burst allowance of the per-channel token bucket: this many posts may go out back to back
        #: before the sustained rate applies (default 3; Slack does not document its figure).
        self.rate_limit_burst = rate_limit_burst
        #: How long a request with the ``xoxb-timeout`` token is held before any answer.
        self.timeout_token_delay = timeout_token_delay

        self._host = "127.0.0.1"
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        self._down = False
        self._abort = asyncio.Event()
        self._socket_mode: FakeSocketModeServer | None = None
        self._rng = random.Random(0x5EED)  # deterministic generated block/action ids
        self._counter = 0
        self._last_ts_us = 0

        self._users: dict[str, User] = {}
        self._channels: dict[str, Channel] = {}
        self._init_activity()
        self.add_user(bot_user_id, name=bot_name, real_name="ReviewBot", is_bot=True)

        self._handlers: dict[str, Handler] = {
            "api.test": self._m_api_test,
            "auth.test": self._m_auth_test,
            "chat.postMessage": self._m_chat_post_message,
            "chat.update": self._m_chat_update,
            "chat.postEphemeral": self._m_chat_post_ephemeral,
            "chat.delete": self._m_chat_delete,
            "chat.getPermalink": self._m_chat_get_permalink,
            "views.open": self._m_views_open,
            "views.push": self._m_views_push,
            "views.update": self._m_views_update,
            "views.publish": self._m_views_publish,
            "conversations.create": self._m_conversations_create,
            "conversations.invite": self._m_conversations_invite,
            "conversations.info": self._m_conversations_info,
            "conversations.members": self._m_conversations_members,
            "conversations.open": self._m_conversations_open,
            "conversations.setTopic": self._m_conversations_set_topic,
            "pins.add": self._m_pins_add,
            "users.info": self._m_users_info,
            "files.getUploadURLExternal": self._m_files_get_upload_url_external,
            "files.completeUploadExternal": self._m_files_complete_upload_external,
            "apps.connections.open": self._m_apps_connections_open,
        }

    def _init_activity(self) -> None:
        """Everything a test run produces (as opposed to the directory of users and channels)."""
        self._calls: list[Call] = []
        self._messages: dict[str, dict[str, Message]] = {}
        self._deleted: list[Message] = []
        self._ephemerals: list[Ephemeral] = []
        self._channel_text: dict[str, list[str]] = {}
        self._triggers: dict[str, _Trigger] = {}
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._responses: list[ResponseUrlPost] = []
        self._views: dict[str, JsonDict] = {}
        self._view_owner: dict[str, str] = {}
        self._stacks: dict[str, list[str]] = {}
        self._home: dict[str, str] = {}
        self._external_ids: dict[str, str] = {}
        self._files: dict[str, UploadedFile] = {}
        self._uploads: dict[str, str] = {}
        self._faults: dict[str, list[_Fault]] = {}
        self._buckets: dict[str, _Bucket] = {}

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

    async def __aenter__(self) -> FakeSlack:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def _listen(self, port: int) -> None:
        app = web.Application(client_max_size=100 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/hooks/{hook_id}", self._handle_hook)
        app.router.add_post("/upload/v1/{upload_token}", self._handle_upload)
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

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (the port stays the same across go_down/come_back)."""
        if self._port is None:
            raise RuntimeError("FakeSlack has not been started")
        return f"http://{self._host}:{self._port}"

    @property
    def api_url(self) -> str:
        """The value for SLACK_API_URL / ``AsyncWebClient(base_url=...)``."""
        return self.url + "/api/"

    def attach_socket_mode(self, server: FakeSocketModeServer) -> None:
        """Make apps.connections.open hand out this Socket Mode server's URL."""
        self._socket_mode = server

    # --- directory -------------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        *,
        tz: str = "Europe/London",
        is_bot: bool = False,
        name: str | None = None,
        real_name: str | None = None,
        locale: str = "en-GB",
    ) -> User:
        """Seed a workspace member (users.info, DMs and invitations only know seeded users)."""
        ZoneInfo(tz)  # fail fast on a typo
        user = User(
            id=user_id,
            name=name or user_id.lower(),
            real_name=real_name or f"Test User {user_id}",
            tz=tz,
            locale=locale,
            is_bot=is_bot,
        )
        self._users[user_id] = user
        return user

    def add_channel(
        self,
        channel_id: str,
        name: str,
        members: Iterable[str] = (),
        is_private: bool = False,
        *,
        bot_is_member: bool = True,
        topic: str = "",
    ) -> Channel:
        """Seed a channel. The bot is a member unless ``bot_is_member=False`` (to test not_in_channel).

        Members that are not seeded users are added as users automatically, so a test needs one line.
        """
        member_list = list(dict.fromkeys(members))
        for member in member_list:
            if member not in self._users:
                self.add_user(member)
        if bot_is_member and self.bot_user_id not in member_list:
            member_list.insert(0, self.bot_user_id)
        if not bot_is_member and self.bot_user_id in member_list:
            member_list.remove(self.bot_user_id)
        channel = Channel(
            id=channel_id,
            name=name,
            is_private=is_private,
            members=member_list,
            created=self._epoch(),
            creator=self.bot_user_id,
            topic=topic,
        )
        self._channels[channel_id] = channel
        return channel

    def dm_channel(self, user: str) -> str:
        """The id of the bot's DM with ``user`` (``D`` + the rest of the user id), opening it if needed."""
        if user not in self._users:
            raise KeyError(f"unknown user {user}; seed it with add_user()")
        return self._ensure_dm(user).id

    # --- tokens for interactions -----------------------------------------------------------------

    def issue_trigger_id(self, user_id: str | None = None) -> str:
        """A trigger_id as Slack puts in interaction payloads: valid 3 s of the fake's clock, once."""
        self._counter += 1
        trigger_id = f"{self._epoch()}.{self._counter}.{secrets.token_hex(16)}"
        self._triggers[trigger_id] = _Trigger(trigger_id, user_id, self.clock.now())
        return trigger_id

    def issue_response_url(
        self, *, channel_id: str | None = None, user_id: str | None = None, message_ts: str | None = None
    ) -> str:
        """A response_url (``{url}/hooks/{id}``): 5 posts within 30 minutes of the fake's clock.

        With ``channel_id``/``user_id``/``message_ts`` the fake applies the effects Slack would:
        ephemeral replies to the user, ``in_channel`` posts, ``replace_original`` and ``delete_original``.
        """
        hook_id = secrets.token_urlsafe(12)
        self._response_urls[hook_id] = _ResponseUrl(
            hook_id, self.clock.now(), channel_id, user_id, message_ts
        )
        return f"{self.url}/hooks/{hook_id}"

    # --- fault injection -------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 500,
        retry_after: int = 1,
        error: str | None = None,
        times: int = 1,
        delay: float = 0,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (``"*"`` for any) fail.

        ``status=429`` answers ``ratelimited`` with ``Retry-After: retry_after``; 500 answers
        ``fatal_error``; 503 answers ``service_unavailable``; ``status=200`` with ``error=...`` answers a
        Slack-level error such as ``channel_not_found``. ``delay`` holds the answer that many real
        seconds first (to exercise client timeouts). Calls with a bad token fail auth before any fault.
        """
        default_errors = {
            429: "ratelimited",
            500: "fatal_error",
            502: "bad_gateway",
            503: "service_unavailable",
        }
        code = error or default_errors.get(status, "fatal_error")
        self._faults.setdefault(method, []).append(
            _Fault(
                status=status, retry_after=max(1, int(retry_after)), error=code, remaining=times, delay=delay
            )
        )

    def slow_next(self, method: str, delay: float, *, times: int = 1) -> None:
        """Hold the next ``times`` calls of ``method`` for ``delay`` real seconds, then answer normally."""
        self._faults.setdefault(method, []).append(
            _Fault(status=200, retry_after=1, error=None, remaining=times, delay=delay, then_handle=True)
        )

    # --- assertions API --------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        """Every recorded call (in arrival order), optionally only those of ``method``."""
        return [c for c in self._calls if method is None or c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 2.0) -> list[Call]:  # noqa: ASYNC109
        """Wait until at least ``count`` calls of ``method`` have been answered; return them.

        Listener work carries on after Bolt's ack, so tests poll (as bolt's own tests do). Raises
        AssertionError naming what did arrive, so a missing side effect fails fast and legibly.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            answered = [c for c in self.calls(method) if c.done]
            if len(answered) >= count:
                return answered
            if loop.time() >= deadline:
                seen = ", ".join(
                    f"{c.method}({c.status}{' ' + c.error if c.error else ''})" for c in self._calls
                )
                raise AssertionError(
                    f"FakeSlack: expected at least {count} answered {method} call(s) within {timeout}s, "
                    f"got {len(answered)}. Calls so far: [{seen or 'none'}]"
                )
            await asyncio.sleep(0.01)

    def messages(self, channel: str) -> list[Message]:
        """Current messages in a conversation (id, name, or a user id for the bot's DM), oldest first."""
        resolved = self._resolve_channel(channel)
        if resolved is None:
            return []
        return list(self._messages.get(resolved.id, {}).values())

    def message(self, channel: str, ts: str) -> Message | None:
        resolved = self._resolve_channel(channel)
        if resolved is None:
            return None
        return self._messages.get(resolved.id, {}).get(ts)

    @property
    def deleted_messages(self) -> list[Message]:
        return list(self._deleted)

    def ephemerals(self, user: str | None = None) -> list[Ephemeral]:
        return [e for e in self._ephemerals if user is None or e.user == user]

    def home_view(self, user: str) -> JsonDict | None:
        view_id = self._home.get(user)
        return copy.deepcopy(self._views[view_id]) if view_id else None

    def view_stack(self, user: str) -> list[JsonDict]:
        """The user's open modal views, root first."""
        return [copy.deepcopy(self._views[v]) for v in self._stacks.get(user, [])]

    def view(self, view_id: str) -> JsonDict | None:
        view = self._views.get(view_id)
        return copy.deepcopy(view) if view else None

    @property
    def files(self) -> list[UploadedFile]:
        return list(self._files.values())

    @property
    def responses(self) -> list[ResponseUrlPost]:
        return list(self._responses)

    @property
    def channels(self) -> dict[str, Channel]:
        return dict(self._channels)

    @property
    def users(self) -> dict[str, User]:
        return dict(self._users)

    def all_text_for_channel(self, channel: str) -> str:
        """Everything ever sent to a conversation, one item per line, for privacy scans.

        Includes every posted and edited version of messages (text, blocks, attachments; deleted ones
        too), ephemeral messages, response_url posts, file names/titles/comments and the topic. Block
        content covers every string a reader could see or that travels to Slack (button values too).
        """
        resolved = self._resolve_channel(channel)
        key = resolved.id if resolved else channel
        return "\n".join(self._channel_text.get(key, []))

    def transcript(self, channel: str | None = None) -> str:
        """A readable dump of conversations (used by the demo and in failure messages)."""
        lines: list[str] = []
        for channel_id, messages in self._messages.items():
            if channel is not None and self._resolve_channel(channel) is not self._channels.get(channel_id):
                continue
            ch = self._channels.get(channel_id)
            title = (
                f"#{ch.name}" if ch and ch.name and not ch.is_im else f"DM {ch.user if ch else channel_id}"
            )
            lines.append(f"=== {title} ({channel_id}) ===")
            for msg in messages.values():
                indent = "    " if msg.is_reply else ""
                marks = (" (edited)" if msg.edited else "") + (" [pinned]" if msg.pinned else "")
                lines.append(f"{indent}[{msg.ts}] <{msg.user}>{marks}")
                lines.extend(indent + "  " + line for line in msg.rendered().splitlines())
        return "\n".join(lines)

    def reset(self, *, keep_directory: bool = True) -> None:
        """Forget calls, messages, views, files, faults and tokens.

        With ``keep_directory`` (default) seeded users and channels (with their members and topics)
        stay, so a test can reset between steps; otherwise only the bot user remains.
        """
        self._init_activity()
        if not keep_directory:
            self._users.clear()
            self._channels.clear()
            self.add_user(self.bot_user_id, name=self.bot_name, real_name="ReviewBot", is_bot=True)

    def post_user_message(
        self,
        channel: str,
        user: str,
        text: str,
        *,
        thread_ts: str | None = None,
        blocks: list[JsonDict] | None = None,
    ) -> Message:
        """Put a message from a person into a conversation (for message shortcuts, threads, events)."""
        resolved = self._resolve_channel(channel)
        if resolved is None:
            raise KeyError(f"unknown channel {channel}")
        if user not in self._users:
            self.add_user(user)
        msg = Message(channel=resolved.id, ts=self._next_ts(), text=text, blocks=blocks or [], user=user)
        self._store_message(msg, thread_ts)
        return msg

    def close_view(self, user: str, *, clear: bool = False) -> None:
        """Close the user's top modal (or all of them), as Slack does after a plain submission ack."""
        stack = self._stacks.get(user, [])
        if clear:
            stack.clear()
        elif stack:
            stack.pop()

    def apply_view_submission_ack(self, user: str, ack_body: Mapping[str, Any] | None) -> list[JsonDict]:
        """Apply a view_submission ack body to the user's modal stack as Slack would; return the stack.

        No ``response_action`` closes the current view; ``clear`` closes all; ``update`` replaces the
        current view; ``push`` pushes one; ``errors`` leaves the stack as it is. Invalid views raise
        ValueError (Slack would show the person an error instead of the modal).
        """
        action = (ack_body or {}).get("response_action")
        stack = self._stacks.setdefault(user, [])
        if action in (None, ""):
            self.close_view(user)
        elif action == "clear":
            self.close_view(user, clear=True)
        elif action == "errors":
            pass
        elif action in ("update", "push"):
            view = (ack_body or {}).get("view")
            issues = lint_view(view)
            if issues:
                raise ValueError("; ".join(str(i) for i in issues))
            assert isinstance(view, Mapping)
            if action == "update" and stack:
                current = self._views[stack[-1]]
                stored = self._build_view(
                    dict(view),
                    view_id=current["id"],
                    root=current["root_view_id"],
                    previous=current["previous_view_id"],
                )
                self._views[current["id"]] = stored
            else:
                if len(stack) >= VIEW_STACK_MAX:
                    raise ValueError("push_limit_reached: a modal stack holds at most 3 views")
                previous = stack[-1] if stack else None
                root = stack[0] if stack else None
                stored = self._build_view(dict(view), root=root, previous=previous)
                self._views[stored["id"]] = stored
                self._view_owner[stored["id"]] = user
                stack.append(stored["id"])
        else:
            raise ValueError(f"unknown response_action {action!r}")
        return self.view_stack(user)

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
        return _Reply(200, {"ok": True, **body})

    async def _magic_token_reply(self, token: str | None) -> _Reply | None:
        """Tokens that always fail, copied from the slack_sdk/bolt mock servers (slack-notes §1.1)."""
        if token == "xoxb-ratelimited":  # noqa: S105 - a test fixture name, not a secret
            return _Reply(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
        if token == "xoxb-500":  # noqa: S105
            return _Reply(500, {"ok": False, "error": "fatal_error"})
        if token == "xoxb-timeout":  # noqa: S105
            await self._sleep(self.timeout_token_delay)
            return _Reply(200, {"ok": False, "error": "request_timeout"})
        return None

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

    def _take_fault(self, method: str) -> _Fault | None:
        for key in (method, "*"):
            queue = self._faults.get(key)
            if queue:
                fault = queue[0]
                fault.remaining -= 1
                if fault.remaining <= 0:
                    queue.pop(0)
                return fault
        return None

    async def _sleep(self, seconds: float) -> None:
        """Real waiting that ends early if the server is stopped or goes down."""
        abort = self._abort
        try:
            await asyncio.wait_for(abort.wait(), timeout=seconds)
        except TimeoutError:
            return

    def _check_rate_limit(self, params: _Params) -> None:
        rate = self.rate_limit_per_channel
        if rate is None or rate <= 0:
            return
        raw = params.get_str("channel") or ""
        resolved = self._resolve_channel(raw)
        key = resolved.id if resolved else raw
        now = time.monotonic()
        burst = float(max(1, self.rate_limit_burst))
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(tokens=burst, updated=now)
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return
        wait = (1.0 - bucket.tokens) / rate
        raise _ApiError("ratelimited", status=429, headers={"Retry-After": str(max(1, math.ceil(wait)))})

    # --- helpers ---------------------------------------------------------------------------------

    def _epoch(self) -> int:
        return int(self.clock.now().timestamp())

    def _next_ts(self) -> str:
        """Unique, increasing message timestamps in Slack's ``seconds.micros`` form."""
        now_us = int(self.clock.now().timestamp() * 1_000_000)
        candidate = max(now_us, self._last_ts_us + 100)
        self._last_ts_us = candidate
        return f"{candidate // 1_000_000}.{candidate % 1_000_000:06d}"

    def _new_id(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}0F{self._counter:07d}"

    def _random_id(self, taken: set[str], length: int = 4) -> str:
        alphabet = string.ascii_letters + string.digits
        while True:
            candidate = "".join(self._rng.choice(alphabet) for _ in range(length))
            if candidate not in taken:
                taken.add(candidate)
                return candidate

    def _normalise_blocks(self, blocks: list[Any]) -> list[JsonDict]:
        """Copy blocks and fill in the block_id/action_id values Slack generates when they are missing."""
        out: list[JsonDict] = [copy.deepcopy(dict(b)) for b in blocks if isinstance(b, Mapping)]
        taken_blocks = {b["block_id"] for b in out if isinstance(b.get("block_id"), str)}
        taken_actions: set[str] = set()
        for block in out:
            for element in _interactive_elements(block):
                if isinstance(element.get("action_id"), str):
                    taken_actions.add(element["action_id"])
        for block in out:
            if "block_id" not in block:
                block["block_id"] = self._random_id(taken_blocks)
            for element in _interactive_elements(block):
                if "action_id" not in element and element.get("type") != "image":
                    element["action_id"] = self._random_id(taken_actions, 5)
        return out

    def _resolve_channel(self, value: str | None) -> Channel | None:
        if not value:
            return None
        if value in self._channels:
            return self._channels[value]
        if value[0] in "UW" and value in self._users:
            return self._ensure_dm(value)
        name = value.lstrip("#")
        for channel in self._channels.values():
            if channel.name == name and not channel.is_im:
                return channel
        return None

    def _ensure_dm(self, user: str) -> Channel:
        for channel in self._channels.values():
            if channel.is_im and channel.user == user:
                return channel
        dm_id = "D" + user[1:]
        if dm_id in self._channels:
            dm_id = self._new_id("D")
        channel = Channel(
            id=dm_id,
            name="",
            is_private=True,
            members=[self.bot_user_id, user],
            created=self._epoch(),
            creator=self.bot_user_id,
            is_im=True,
            user=user,
        )
        self._channels[dm_id] = channel
        return channel

    def _conversation_by_id(self, value: str | None) -> Channel:
        """Look a conversation up the way conversations.*/pins.* do: by id, hiding private ones."""
        channel = self._channels.get(value or "")
        if channel is None:
            raise _ApiError("channel_not_found")
        if channel.is_private and self.bot_user_id not in channel.members:
            raise _ApiError("channel_not_found")
        return channel

    def _postable_channel(self, value: str | None) -> Channel:
        channel = self._resolve_channel(value)
        if channel is None:
            raise _ApiError("channel_not_found")
        if channel.is_archived:
            raise _ApiError("is_archived")
        if self.bot_user_id not in channel.members:
            raise _ApiError("channel_not_found" if channel.is_private else "not_in_channel")
        return channel

    def _remember_text(self, channel_id: str, *items: Any) -> None:
        bucket = self._channel_text.setdefault(channel_id, [])
        for item in items:
            bucket.extend(_strings(item))

    def _message_payload(
        self, params: _Params, *, previous: Message | None = None
    ) -> tuple[str, list[Any], list[Any]]:
        """Text, blocks and attachments from chat.* params (chat.update keeps what it is not given)."""
        text = params.get_str("text") if "text" in params else (previous.text if previous else None)
        blocks = params.get_json("blocks", bad="invalid_blocks_format") if "blocks" in params else None
        if blocks is None:
            blocks = list(previous.blocks) if previous else []
        attachments = (
            params.get_json("attachments", bad="invalid_attachments") if "attachments" in params else None
        )
        if attachments is None:
            attachments = list(previous.attachments) if previous else []
        if not isinstance(blocks, list):
            raise _ApiError("invalid_blocks_format", extra=_metadata("blocks must be an array"))
        if not isinstance(attachments, list):
            raise _ApiError("invalid_attachments", extra=_metadata("attachments must be an array"))
        text = text or ""
        if not text and not blocks and not attachments:
            raise _ApiError("no_text")
        if len(text) > MESSAGE_TEXT_MAX:
            raise _ApiError("msg_too_long")
        if blocks:
            issues = lint_message(blocks, text if text else None)
            if issues:
                raise _blocks_error(issues)
        return text, blocks, attachments

    def _store_message(self, msg: Message, thread_ts: str | None) -> None:
        channel_messages = self._messages.setdefault(msg.channel, {})
        if thread_ts:
            parent = channel_messages.get(thread_ts)
            # Slack threads a reply-to-a-reply under the root; a ts it does not know is accepted as-is.
            if parent is not None and parent.is_reply and parent.thread_ts:
                thread_ts = parent.thread_ts
                parent = channel_messages.get(thread_ts)
            msg.thread_ts = thread_ts
            if parent is not None:
                parent.thread_ts = parent.ts
                parent.reply_count += 1
                parent.latest_reply = msg.ts
                if msg.user not in parent.reply_users:
                    parent.reply_users.append(msg.user)
        channel_messages[msg.ts] = msg
        self._remember_text(msg.channel, msg.text, msg.blocks, msg.attachments)

    def _bot_message(
        self,
        channel_id: str,
        text: str,
        blocks: list[Any],
        *,
        attachments: list[Any] | None = None,
        thread_ts: str | None = None,
        reply_broadcast: bool = False,
        metadata: JsonDict | None = None,
    ) -> Message:
        msg = Message(
            channel=channel_id,
            ts=self._next_ts(),
            text=text,
            blocks=self._normalise_blocks(blocks),
            user=self.bot_user_id,
            bot_id=self.bot_id,
            app_id=self.app_id,
            attachments=copy.deepcopy(attachments or []),
            reply_broadcast=reply_broadcast,
            metadata=copy.deepcopy(metadata),
        )
        self._store_message(msg, thread_ts)
        return msg

    def _find_message(self, channel: Channel, ts: str | None) -> Message:
        msg = self._messages.get(channel.id, {}).get(ts or "")
        if msg is None:
            raise _ApiError("message_not_found")
        return msg

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

    # --- methods: chat ---------------------------------------------------------------------------

    async def _m_chat_post_message(self, p: _Params, ctx: _Context) -> JsonDict:
        channel = self._postable_channel(p.get_str("channel", missing="channel_not_found"))
        text, blocks, attachments = self._message_payload(p)
        metadata = p.get_json("metadata", bad="invalid_metadata_format") if "metadata" in p else None
        msg = self._bot_message(
            channel.id,
            text,
            blocks,
            attachments=attachments,
            thread_ts=p.get_str("thread_ts"),
            reply_broadcast=p.get_bool("reply_broadcast"),
            metadata=metadata if isinstance(metadata, dict) else None,
        )
        return {"channel": channel.id, "ts": msg.ts, "message": msg.to_slack(self.team_id)}

    async def _m_chat_update(self, p: _Params, ctx: _Context) -> JsonDict:
        channel = self._resolve_channel(p.get_str("channel", missing="channel_not_found"))
        if channel is None:
            raise _ApiError("channel_not_found")
        msg = self._find_message(channel, p.get_str("ts", missing="message_not_found"))
        if msg.user != self.bot_user_id:
            raise _ApiError("cant_update_message")
        text, blocks, attachments = self._message_payload(p, previous=msg)
        msg.text = text
        msg.blocks = self._normalise_blocks(blocks)
        msg.attachments = copy.deepcopy(attachments)
        msg.edited += 1
        msg.last_edited_ts = self._next_ts()
        self._remember_text(channel.id, msg.text, msg.blocks, msg.attachments)
        return {"channel": channel.id, "ts": msg.ts, "text": msg.text, "message": msg.to_slack(self.team_id)}

    async def _m_chat_post_ephemeral(self, p: _Params, ctx: _Context) -> JsonDict:
        channel = self._postable_channel(p.get_str("channel", missing="channel_not_found"))
        user = p.get_str("user", missing="user_not_found") or ""
        if user not in self._users:
            raise _ApiError("user_not_found")
        if user not in channel.members:
            raise _ApiError("user_not_in_channel")
        text, blocks, _ = self._message_payload(p)
        ts = self._next_ts()
        self._ephemerals.append(
            Ephemeral(
                channel.id, user, ts, text, self._normalise_blocks(blocks), thread_ts=p.get_str("thread_ts")
            )
        )
        self._remember_text(channel.id, text, blocks)
        return {"message_ts": ts}

    async def _m_chat_delete(self, p: _Params, ctx: _Context) -> JsonDict:
        channel = self._resolve_channel(p.get_str("channel", missing="channel_not_found"))
        if channel is None:
            raise _ApiError("channel_not_found")
        msg = self._find_message(channel, p.get_str("ts", missing="message_not_found"))
        if msg.user != self.bot_user_id:
            raise _ApiError("cant_delete_message")
        del self._messages[channel.id][msg.ts]
        self._deleted.append(msg)
        if msg.is_reply and msg.thread_ts:
            parent = self._messages[channel.id].get(msg.thread_ts)
            if parent is not None and parent.reply_count:
                parent.reply_count -= 1
        return {"channel": channel.id, "ts": msg.ts}

    async def _m_chat_get_permalink(self, p: _Params, ctx: _Context) -> JsonDict:
        channel = self._conversation_by_id(p.get_str("channel", missing="channel_not_found"))
        msg = self._find_message(channel, p.get_str("message_ts", missing="message_not_found"))
        return {
            "channel": channel.id,
            "permalink": f"{self.url}/archives/{channel.id}/p{msg.ts.replace('.', '')}",
        }

    # --- methods: views --------------------------------------------------------------------------

    def _view_arg(self, p: _Params) -> JsonDict:
        view = p.get_json("view", bad="invalid_arguments")
        if view is None:
            raise _ApiError("invalid_arguments", extra=_metadata("missing required field: view"))
        if not isinstance(view, dict):
            raise _ApiError("invalid_arguments", extra=_metadata("view must be an object"))
        issues = lint_view(view)
        if issues:
            raise _view_error(issues)
        return view

    def _exchange_trigger(self, p: _Params) -> _Trigger:
        trigger_id = p.get_str("trigger_id") or p.get_str("interactivity_pointer")
        if not trigger_id:
            raise _ApiError("invalid_arguments", extra=_metadata("missing required field: trigger_id"))
        trigger = self._triggers.get(trigger_id)
        if trigger is None:
            raise _ApiError("invalid_trigger_id")
        if trigger.used:
            raise _ApiError("trigger_exchanged")
        if self.clock.now() - trigger.issued_at > TRIGGER_TTL:
            raise _ApiError("expired_trigger_id")
        trigger.used = True
        return trigger

    def _check_external_id(self, view: Mapping[str, Any], own_id: str | None = None) -> None:
        external_id = view.get("external_id")
        if external_id:
            existing = self._external_ids.get(external_id)
            if existing is not None and existing != own_id and existing in self._views:
                raise _ApiError("duplicate_external_id")

    def _build_view(
        self,
        view: JsonDict,
        *,
        view_id: str | None = None,
        root: str | None = None,
        previous: str | None = None,
    ) -> JsonDict:
        new_id = view_id or self._new_id("V")
        stored: JsonDict = {
            "id": new_id,
            "team_id": self.team_id,
            "type": view["type"],
            "blocks": self._normalise_blocks(view.get("blocks") or []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{self._epoch()}.{secrets.token_hex(4)}",
            "title": copy.deepcopy(view.get("title")),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "close": copy.deepcopy(view.get("close")),
            "submit": copy.deepcopy(view.get("submit")),
            "previous_view_id": previous,
            "root_view_id": root or new_id,
            "app_id": self.app_id,
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        if stored["external_id"]:
            self._external_ids[stored["external_id"]] = new_id
        return stored

    def _remember_view_text(self, user: str, view: JsonDict) -> None:
        # Views are private to one person; keep their text under the DM so privacy scans can reach it.
        if user in self._users:
            self._remember_text(self._ensure_dm(user).id, view.get("title"), view.get("blocks"))

    async def _m_views_open(self, p: _Params, ctx: _Context) -> JsonDict:
        view = self._view_arg(p)
        if view.get("type") != "modal":
            raise _ApiError("invalid_arguments", extra=_metadata("views.open only opens modal views"))
        self._check_external_id(view)
        trigger = self._exchange_trigger(p)
        user = trigger.user_id or ""
        stored = self._build_view(view)
        self._views[stored["id"]] = stored
        self._view_owner[stored["id"]] = user
        # A new views.open starts a new stack: Slack only lets a person see one modal stack at a time.
        self._stacks[user] = [stored["id"]]
        self._remember_view_text(user, stored)
        return {"view": copy.deepcopy(stored)}

    async def _m_views_push(self, p: _Params, ctx: _Context) -> JsonDict:
        view = self._view_arg(p)
        if view.get("type") != "modal":
            raise _ApiError("invalid_arguments", extra=_metadata("views.push only pushes modal views"))
        trigger_id = p.get_str("trigger_id") or p.get_str("interactivity_pointer") or ""
        pending = self._triggers.get(trigger_id)
        user = (pending.user_id or "") if pending else ""
        stack = self._stacks.get(user, [])
        if pending is not None and not pending.used and len(stack) >= VIEW_STACK_MAX:
            raise _ApiError("push_limit_reached")
        self._check_external_id(view)
        trigger = self._exchange_trigger(p)
        user = trigger.user_id or ""
        stack = self._stacks.setdefault(user, [])
        if not stack:
            # Undocumented in Slack; a push needs a trigger from inside an open modal.
            raise _ApiError(
                "invalid_arguments", extra=_metadata("no modal is open for this user; use views.open")
            )
        stored = self._build_view(view, root=stack[0], previous=stack[-1])
        self._views[stored["id"]] = stored
        self._view_owner[stored["id"]] = user
        stack.append(stored["id"])
        self._remember_view_text(user, stored)
        return {"view": copy.deepcopy(stored)}

    async def _m_views_update(self, p: _Params, ctx: _Context) -> JsonDict:
        view_id = p.get_str("view_id")
        external_id = p.get_str("external_id")
        if not view_id and not external_id:
            raise _ApiError("invalid_arguments", extra=_metadata("either view_id or external_id is required"))
        if not view_id and external_id:
            view_id = self._external_ids.get(external_id)
        current = self._views.get(view_id or "")
        if current is None:
            raise _ApiError("not_found")
        view = self._view_arg(p)
        view_hash = p.get_str("hash")
        if view_hash and view_hash != current["hash"]:
            raise _ApiError("hash_conflict")
        if view.get("type") != current["type"]:
            raise _ApiError("invalid_arguments", extra=_metadata("a view cannot change its type"))
        self._check_external_id(view, own_id=current["id"])
        if current.get("external_id") and not view.get("external_id"):
            view = {**view, "external_id": current["external_id"]}
        stored = self._build_view(
            view, view_id=current["id"], root=current["root_view_id"], previous=current["previous_view_id"]
        )
        self._views[current["id"]] = stored
        self._remember_view_text(self._view_owner.get(current["id"], ""), stored)
        return {"view": copy.deepcopy(stored)}

    async def _m_views_publish(self, p: _Params, ctx: _Context) -> JsonDict:
        user = p.get_str("user_id")
        if not user:
            raise _ApiError("invalid_arguments", extra=_metadata("missing required field: user_id"))
        if user not in self._users:
            raise _ApiError("user_not_found")
        view = self._view_arg(p)
        if view.get("type") != "home":
            raise _ApiError("invalid_arguments", extra=_metadata("views.publish only publishes home views"))
        existing_id = self._home.get(user)
        view_hash = p.get_str("hash")
        if view_hash and existing_id and view_hash != self._views[existing_id]["hash"]:
            raise _ApiError("hash_conflict")
        stored = self._build_view(view, view_id=existing_id)
        stored["title"] = stored["title"] or {"type": "plain_text", "text": "View Title", "emoji": True}
        self._views[stored["id"]] = stored
        self._view_owner[stored["id"]] = user
        self._home[user] = stored["id"]
        self._remember_view_text(user, stored)
        return {"view": copy.deepcopy(stored)}

    # --- methods: conversations, pins, users -----------------------------------------------------

    async def _m_conversations_create(self, p: _Params, ctx: _Context) -> JsonDict:
        name = p.get_str("name") or ""
        if not name:
            raise _ApiError("invalid_name_required")
        if len(name) > CHANNEL_NAME_MAX:
            raise _ApiError("invalid_name_maxlength")
        if not _CHANNEL_NAME_RE.match(name):
            raise _ApiError("invalid_name_specials")
        if not re.search(r"[a-z0-9]", name):
            raise _ApiError("invalid_name_punctuation")
        if any(c.name == name for c in self._channels.values() if not c.is_im):
            raise _ApiError("name_taken")
        channel = Channel(
            id=self._new_id("C"),
            name=name,
            is_private=p.get_bool("is_private"),
            members=[self.bot_user_id],
            created=self._epoch(),
            creator=self.bot_user_id,
        )
        self._channels[channel.id] = channel
        self._remember_text(channel.id, name)
        return {"channel": channel.to_slack(self.bot_user_id)}

    async def _m_conversations_invite(self, p: _Params, ctx: _Context) -> JsonDict:
        channel = self._conversation_by_id(p.get_str("channel", missing="channel_not_found"))
        if channel.is_im or channel.is_mpim:
            raise _ApiError("method_not_supported_for_channel_type")
        if self.bot_user_id not in channel.members:
            raise _ApiError("not_in_channel")
        if channel.is_archived:
            raise _ApiError("is_archived")
        users = [u.strip() for u in (p.get_str("users") or "").split(",") if u.strip()]
        if not users:
            raise _ApiError("no_user")
        for user in users:
            if user == self.bot_user_id:
                raise _ApiError("cant_invite_self")
            known = self._users.get(user)
            if known is None or known.deleted:
                raise _ApiError("user_not_found")
        # Without force=true Slack refuses the whole call when someone is already a member.
        for user in users:
            if user in channel.members:
                raise _ApiError("already_in_channel")
        channel.members.extend(dict.fromkeys(users))
        return {"channel": channel.to_slack(self.bot_user_id)}

    async def _m_conversations_info(self, p: _Params, ctx: _Context) -> JsonDict:
        channel = self._conversation_by_id(p.get_str("channel", missing="channel_not_found"))
        return {
            "channel": channel.to_slack(
                self.bot_user_id, include_num_members=p.get_bool("include_num_members")
            )
        }

    async def _m_conversations_members(self, p: _Params, ctx: _Context) -> JsonDict:
        channel = self._conversation_by_id(p.get_str("channel", missing="channel_not_found"))
        limit = max(1, min(1000, p.get_int("limit", 100)))
        cursor = p.get_str("cursor")
        start = 0
        if cursor:
            match = re.fullmatch(r"offset:(\d+)", cursor)
            if match is None:
                raise _ApiError("invalid_cursor")
            start = int(match.group(1))
        page = channel.members[start : start + limit]
        next_cursor = f"offset:{start + limit}" if start + limit < len(channel.members) else ""
        return {"members": list(page), "response_metadata": {"next_cursor": next_cursor}}

    async def _m_conversations_open(self, p: _Params, ctx: _Context) -> JsonDict:
        channel_id = p.get_str("channel")
        if channel_id:
            channel = self._channels.get(channel_id)
            if channel is None or not (channel.is_im or channel.is_mpim):
                raise _ApiError("channel_not_found")
            return {"no_op": True, "already_open": True, "channel": {"id": channel.id}}
        users = [
            u.strip()
            for u in (p.get_str("users") or "").split(",")
            if u.strip() and u.strip() != self.bot_user_id
        ]
        if not users:
            raise _ApiError("users_list_not_supplied")
        for user in users:
            if user not in self._users or self._users[user].deleted:
                raise _ApiError("user_not_found")
        if len(users) == 1:
            existed = any(c.is_im and c.user == users[0] for c in self._channels.values())
            channel = self._ensure_dm(users[0])
        else:
            if len(users) > MPIM_MAX_USERS:
                raise _ApiError("too_many_users")
            wanted = {self.bot_user_id, *users}
            match_ = next(
                (c for c in self._channels.values() if c.is_mpim and set(c.members) == wanted), None
            )
            existed = match_ is not None
            channel = match_ or Channel(
                id=self._new_id("G"),
                name="mpdm-" + "--".join(sorted(self._users[u].name for u in wanted)) + "-1",
                is_private=True,
                members=[self.bot_user_id, *users],
                created=self._epoch(),
                creator=self.bot_user_id,
                is_mpim=True,
            )
            self._channels[channel.id] = channel
        body: JsonDict = {
            "channel": channel.to_slack(self.bot_user_id) if p.get_bool("return_im") else {"id": channel.id}
        }
        if existed:
            body.update({"no_op": True, "already_open": True})
        return body

    async def _m_conversations_set_topic(self, p: _Params, ctx: _Context) -> JsonDict:
        channel = self._conversation_by_id(p.get_str("channel", missing="channel_not_found"))
        if self.bot_user_id not in channel.members:
            raise _ApiError("not_in_channel")
        if channel.is_archived:
            raise _ApiError("is_archived")
        topic = p.get_str("topic") or ""
        if len(topic) > TOPIC_MAX:
            raise _ApiError("too_long")
        channel.topic = topic
        channel.topic_set_by = self.bot_user_id
        channel.topic_last_set = self._epoch()
        self._remember_text(channel.id, topic)
        return {"channel": channel.to_slack(self.bot_user_id)}

    async def _m_pins_add(self, p: _Params, ctx: _Context) -> JsonDict:
        channel = self._conversation_by_id(p.get_str("channel", missing="channel_not_found"))
        if self.bot_user_id not in channel.members:
            raise _ApiError("not_in_channel")
        timestamp = p.get_str("timestamp")
        if not timestamp:
            raise _ApiError("no_item_specified")
        msg = self._find_message(channel, timestamp)
        if msg.pinned:
            raise _ApiError("already_pinned")
        msg.pinned = True
        return {}

    async def _m_users_info(self, p: _Params, ctx: _Context) -> JsonDict:
        user = self._users.get(p.get_str("user", missing="user_not_found") or "")
        if user is None:
            raise _ApiError("user_not_found")
        now = self.clock.now().astimezone(ZoneInfo(user.tz))
        offset = now.utcoffset()
        tz_abbrev = now.tzname() or ""
        profile: JsonDict = {
            "real_name": user.real_name,
            "display_name": user.name,
            "real_name_normalized": user.real_name,
            "display_name_normalized": user.name,
            "team": self.team_id,
        }
        body: JsonDict = {
            "id": user.id,
            "team_id": self.team_id,
            "name": user.name,
            "deleted": user.deleted,
            "real_name": user.real_name,
            "tz": user.tz,
            "tz_label": _TZ_LABELS.get(tz_abbrev, tz_abbrev),
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "profile": profile,
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": user.is_bot,
            "is_app_user": False,
            "updated": self._epoch(),
        }
        if user.is_bot and user.id == self.bot_user_id:
            profile["bot_id"] = self.bot_id
            profile["api_app_id"] = self.app_id
        # Like Slack, locale only comes back when asked for.
        if p.get_bool("include_locale"):
            body["locale"] = user.locale
        return {"user": body}

    # --- methods: files --------------------------------------------------------------------------

    async def _m_files_get_upload_url_external(self, p: _Params, ctx: _Context) -> JsonDict:
        filename = p.get_str("filename")
        if not filename:
            raise _ApiError("invalid_arguments", extra=_metadata("missing required field: filename"))
        length = p.get_int("length", -1)
        if length < 0:
            raise _ApiError("invalid_arguments", extra=_metadata("missing required field: length"))
        file_id = self._new_id("F")
        upload_token = secrets.token_urlsafe(16)
        self._files[file_id] = UploadedFile(
            id=file_id, name=filename, length=length, upload_token=upload_token, alt_txt=p.get_str("alt_txt")
        )
        self._uploads[upload_token] = file_id
        return {"upload_url": f"{self.url}/upload/v1/{upload_token}", "file_id": file_id}

    async def _handle_upload(self, request: web.Request) -> web.Response:
        file_id = self._uploads.get(request.match_info["upload_token"])
        if file_id is None:
            return web.Response(status=404, text="not found", content_type="text/plain")
        upload = self._files[file_id]
        if request.content_type == _MULTIPART_CT:
            form = await request.post()
            files = [v for v in form.values() if isinstance(v, FileField)]
            content = files[0].file.read() if files else b""
        else:
            content = await request.read()
        upload.content = content
        return web.Response(status=200, text=f"OK - {len(content)}", content_type="text/plain")

    async def _m_files_complete_upload_external(self, p: _Params, ctx: _Context) -> JsonDict:
        files_arg = p.get_json("files", bad="invalid_arguments")
        if not isinstance(files_arg, list) or not files_arg:
            raise _ApiError("invalid_arguments", extra=_metadata("files must be a non-empty array"))
        uploads: list[tuple[UploadedFile, str | None]] = []
        for item in files_arg:
            if not isinstance(item, dict):
                raise _ApiError("invalid_arguments", extra=_metadata("files items must be objects"))
            upload = self._files.get(str(item.get("id", "")))
            if upload is None or upload.content is None or upload.completed:
                raise _ApiError("file_not_found")
            title = item.get("title")
            uploads.append((upload, title if isinstance(title, str) else None))
        channel_id = p.get_str("channel_id") or (p.get_str("channels") or "").split(",")[0] or None
        channel: Channel | None = None
        if channel_id:
            channel = self._resolve_channel(channel_id)
            if channel is None:
                raise _ApiError("invalid_channel")
            if self.bot_user_id not in channel.members:
                raise _ApiError("not_in_channel")
        thread_ts = p.get_str("thread_ts")
        comment = p.get_str("initial_comment")
        results: list[JsonDict] = []
        for upload, title in uploads:
            upload.title = title or upload.name
            upload.completed = True
            upload.channel_id = channel.id if channel else None
            upload.thread_ts = thread_ts
            upload.initial_comment = comment
            results.append(self._file_object(upload))
        if channel is not None:
            msg = Message(
                channel=channel.id,
                ts=self._next_ts(),
                text=comment or "",
                blocks=[],
                user=self.bot_user_id,
                bot_id=self.bot_id,
                app_id=self.app_id,
                files=copy.deepcopy(results),
            )
            self._store_message(msg, thread_ts)
            self._remember_text(channel.id, *[(u.name, u.title) for u, _ in uploads])
        return {"files": results}

    def _file_object(self, upload: UploadedFile) -> JsonDict:
        mimetype = mimetypes.guess_type(upload.name)[0] or "application/octet-stream"
        return {
            "id": upload.id,
            "created": self._epoch(),
            "timestamp": self._epoch(),
            "name": upload.name,
            "title": upload.title,
            "mimetype": mimetype,
            "filetype": upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else "binary",
            "user": self.bot_user_id,
            "size": upload.size,
            "mode": "hosted",
            "is_external": False,
            "is_public": bool(upload.channel_id and not self._channels[upload.channel_id].is_private),
            "url_private": f"{self.url}/files/{upload.id}/{upload.name}",
            "permalink": f"{self.url}/files/{upload.id}",
            "channels": [upload.channel_id] if upload.channel_id else [],
        }

    # --- response_url ----------------------------------------------------------------------------

    async def _handle_hook(self, request: web.Request) -> web.Response:
        hook = self._response_urls.get(request.match_info["hook_id"])
        raw = await request.read()
        body: JsonDict = {}
        try:
            if request.content_type == _FORM_CT:
                form = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
                parsed = json.loads(form.get("payload", "{}"))
            else:
                parsed = json.loads(raw) if raw.strip() else {}
            if isinstance(parsed, dict):
                body = parsed
        except ValueError:
            return self._hook_reply(hook, request, {}, 400, "invalid_payload")
        if hook is None:
            return self._hook_reply(hook, request, body, 404, "no_such_url")
        if self.clock.now() - hook.issued_at > RESPONSE_URL_TTL:
            return self._hook_reply(hook, request, body, 404, "expired_url")
        if hook.uses >= RESPONSE_URL_MAX_USES:
            return self._hook_reply(hook, request, body, 404, "used_up")
        delete_original = _truthy(body.get("delete_original"))
        text = body.get("text") if isinstance(body.get("text"), str) else ""
        blocks = body.get("blocks")
        if blocks is not None and not isinstance(blocks, list):
            return self._hook_reply(hook, request, body, 400, "invalid_blocks")
        if not delete_original:
            if not text and not blocks:
                return self._hook_reply(hook, request, body, 400, "no_text")
            if blocks:
                issues = lint_message(blocks, text or None)
                if issues:
                    err = _blocks_error(issues)
                    return self._hook_reply(
                        hook, request, body, 400, err.code, errors=[str(i) for i in issues]
                    )
        hook.uses += 1
        self._apply_hook(hook, body, text or "", blocks or [])
        return self._hook_reply(hook, request, body, 200, None)

    def _hook_reply(
        self,
        hook: _ResponseUrl | None,
        request: web.Request,
        body: JsonDict,
        status: int,
        error: str | None,
        *,
        errors: list[str] | None = None,
    ) -> web.Response:
        self._responses.append(
            ResponseUrlPost(
                hook_id=request.match_info["hook_id"],
                at=self.clock.now(),
                body=body,
                status=status,
                error=error,
                channel_id=hook.channel_id if hook else None,
                user_id=hook.user_id if hook else None,
            )
        )
        payload: JsonDict = {"ok": error is None}
        if error:
            payload["error"] = error
        if errors:
            payload["errors"] = errors
        return web.json_response(payload, status=status)

    def _apply_hook(self, hook: _ResponseUrl, body: JsonDict, text: str, blocks: list[Any]) -> None:
        channel = self._channels.get(hook.channel_id or "")
        original = self._messages.get(channel.id, {}).get(hook.message_ts or "") if channel else None
        if channel is not None:
            self._remember_text(channel.id, text, blocks)
        if _truthy(body.get("delete_original")):
            if original is not None and channel is not None:
                del self._messages[channel.id][original.ts]
                self._deleted.append(original)
            return
        if _truthy(body.get("replace_original")) and original is not None:
            original.text = text
            original.blocks = self._normalise_blocks(blocks)
            original.edited += 1
            original.last_edited_ts = self._next_ts()
            return
        if channel is None:
            return
        if body.get("response_type") == "in_channel":
            thread_ts = body.get("thread_ts") if isinstance(body.get("thread_ts"), str) else None
            self._bot_message(channel.id, text, blocks, thread_ts=thread_ts)
        elif hook.user_id:
            self._ephemerals.append(
                Ephemeral(
                    channel.id,
                    hook.user_id,
                    self._next_ts(),
                    text,
                    self._normalise_blocks(blocks),
                    source="response_url",
                )
            )


# --- module helpers ------------------------------------------------------------------------------


def _interactive_elements(block: Mapping[str, Any]) -> list[JsonDict]:
    kind = block.get("type")
    if kind == "actions":
        return [e for e in block.get("elements", []) or [] if isinstance(e, dict)]
    if kind == "section" and isinstance(block.get("accessory"), dict):
        return [block["accessory"]]
    if kind == "input" and isinstance(block.get("element"), dict):
        return [block["element"]]
    return []


_STRUCTURAL_KEYS = frozenset(
    {"type", "block_id", "action_id", "style", "emoji", "verbatim", "dispatch_action", "optional", "color"}
)


def _strings(value: Any) -> list[str]:
    """Every human-meaningful string in a payload, for privacy scans (ids and style keys skipped)."""
    found: list[str] = []

    def walk(node: Any, key: str | None) -> None:
        if isinstance(node, str):
            if node and key not in _STRUCTURAL_KEYS:
                found.append(node)
        elif isinstance(node, Mapping):
            for child_key, child in node.items():
                walk(child, str(child_key))
        elif isinstance(node, (list, tuple)):
            for child in node:
                walk(child, key)

    walk(value, None)
    return found


def _blocks_error(issues: list[BlockKitIssue]) -> _ApiError:
    """chat.* answer for invalid blocks, shaped like Slack's (error + errors + response_metadata)."""
    only_size = all(i.code == "msg_blocks_too_long" for i in issues)
    code = "msg_blocks_too_long" if only_size else "invalid_blocks"
    return _ApiError(
        code,
        extra={
            "errors": [str(i) for i in issues],
            "response_metadata": {
                "messages": [f"[ERROR] {i.message} [json-pointer:{i.json_pointer}]" for i in issues]
            },
        },
    )


def _view_error(issues: list[BlockKitIssue]) -> _ApiError:
    """views.* answer for an invalid view: Slack says invalid_arguments (or view_too_large)."""
    only_size = all(i.code == "view_too_large" for i in issues)
    code = "view_too_large" if only_size else "invalid_arguments"
    return _ApiError(
        code,
        extra={
            "errors": [str(i) for i in issues],
            "response_metadata": {
                "messages": [f"[ERROR] {i.message} [json-pointer:/view{i.json_pointer}]" for i in issues]
            },
        },
    )
