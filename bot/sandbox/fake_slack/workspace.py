"""The workspace FakeSlack models: who the bot is, who the people and channels are, what was said.

:class:`Workspace` is the base every part of :class:`~bot.sandbox.fake_slack.FakeSlack` builds on. It
holds the fake's configuration (team, bot identity, tokens, rate limits), the seeded directory of users
and channels, the messages in each conversation with everything ever said there (for privacy scans),
and it generates ids and timestamps the way Slack does. Each Web API family extends three hooks:
:meth:`~Workspace._init_activity` for its own state, :meth:`~Workspace._web_api_methods` for the methods
it answers and :meth:`~Workspace._add_routes` for any HTTP endpoint besides ``/api/{method}``.
"""

from __future__ import annotations

import asyncio
import copy
import random
import string
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.clock import Clock, SystemClock
from bot.sandbox.fake_slack.records import Call, Channel, Ephemeral, Message, User
from bot.sandbox.fake_slack.scopes import ALL_BOT_SCOPES
from bot.sandbox.fake_slack.wire import Handler, JsonDict, _ApiError

if TYPE_CHECKING:
    from bot.sandbox.socket_mode import FakeSocketModeServer

DEFAULT_RATE_LIMIT_BURST = 3


class Workspace:
    """Configuration, the directory of users and channels, the messages, and Slack-style ids and timestamps.

    Its constructor is FakeSlack's. Everything a run produces is (re)made by :meth:`_init_activity`, so
    :meth:`reset` can forget it while the directory stays.
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
        scopes: Iterable[str] | None = None,
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
        #: The bot token's granted scopes (every scope the fake knows unless given): reported in the
        #: ``x-oauth-scopes`` header, and a method whose scope is missing answers ``missing_scope``.
        self.scopes: frozenset[str] = frozenset(scopes) if scopes is not None else ALL_BOT_SCOPES

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

        self._handlers: dict[str, Handler] = self._web_api_methods()

    def _init_activity(self) -> None:
        """Everything a test run produces (as opposed to the directory of users and channels).

        This is what every family shares; each family extends it with its own state (views, files, ...).
        """
        self._calls: list[Call] = []
        self._messages: dict[str, dict[str, Message]] = {}
        self._deleted: list[Message] = []
        self._ephemerals: list[Ephemeral] = []
        self._channel_text: dict[str, list[str]] = {}

    def _acting_team(self) -> str:
        """The workspace the call being answered was made for (the teams family knows several)."""
        return self.team_id

    def _team_for_token(self, token: str | None) -> str | None:
        """The workspace a bot token belongs to (the teams family knows more than one)."""
        return self.team_id if token and token == self.bot_token else None

    # --- extension points for the families -------------------------------------------------------

    def _web_api_methods(self) -> dict[str, Handler]:
        """The Web API methods the fake answers, by name; each family adds its own."""
        return {}

    def _add_routes(self, router: web.UrlDispatcher) -> None:
        """Register HTTP endpoints on the fake's server; families with an endpoint of their own add it."""

    # --- address ---------------------------------------------------------------------------------

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

    @property
    def channels(self) -> dict[str, Channel]:
        return dict(self._channels)

    @property
    def users(self) -> dict[str, User]:
        return dict(self._users)

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

    # --- ids, timestamps, generated block ids ----------------------------------------------------

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

    # --- conversation lookups --------------------------------------------------------------------

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

    # --- messages and everything said ------------------------------------------------------------

    def _remember_text(self, channel_id: str, *items: Any) -> None:
        bucket = self._channel_text.setdefault(channel_id, [])
        for item in items:
            bucket.extend(_strings(item))

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
