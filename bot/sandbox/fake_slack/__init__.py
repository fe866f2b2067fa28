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

The fake is one class, :class:`FakeSlack`, put together from one part per seam of Slack's surface:
:mod:`.workspace` (configuration, directory, messages, ids) underneath; :mod:`.server` (HTTP, tokens,
the auth methods) with :mod:`.faults`; the Web API families :mod:`.chat`, :mod:`.views`, :mod:`.home`,
:mod:`.conversations`, :mod:`.users` and :mod:`.files`; :mod:`.response_urls`; and :mod:`.assertions`
for what tests read back. :mod:`.records` holds the records tests see and :mod:`.wire` the Web API's
request and error shapes.
"""

from __future__ import annotations

from bot.sandbox.fake_slack.assertions import AssertionsMixin
from bot.sandbox.fake_slack.chat import MESSAGE_TEXT_MAX, ChatMixin
from bot.sandbox.fake_slack.conversations import (
    CHANNEL_NAME_MAX,
    MPIM_MAX_USERS,
    TOPIC_MAX,
    ConversationsMixin,
)
from bot.sandbox.fake_slack.files import FilesMixin
from bot.sandbox.fake_slack.home import HomeTabMixin
from bot.sandbox.fake_slack.records import (
    Call,
    Channel,
    Ephemeral,
    Message,
    ResponseUrlPost,
    UploadedFile,
    User,
)
from bot.sandbox.fake_slack.response_urls import RESPONSE_URL_MAX_USES, RESPONSE_URL_TTL, ResponseUrlMixin
from bot.sandbox.fake_slack.server import ServerMixin
from bot.sandbox.fake_slack.teams import InstallRequest, SharedInvite, Team, TeamsMixin
from bot.sandbox.fake_slack.users import UsersMixin
from bot.sandbox.fake_slack.views import TRIGGER_TTL, VIEW_STACK_MAX, ViewsMixin
from bot.sandbox.fake_slack.wire import JsonDict
from bot.sandbox.fake_slack.workspace import DEFAULT_RATE_LIMIT_BURST

__all__ = [
    "CHANNEL_NAME_MAX",
    "DEFAULT_RATE_LIMIT_BURST",
    "MESSAGE_TEXT_MAX",
    "MPIM_MAX_USERS",
    "RESPONSE_URL_MAX_USES",
    "RESPONSE_URL_TTL",
    "TOPIC_MAX",
    "TRIGGER_TTL",
    "VIEW_STACK_MAX",
    "Call",
    "Channel",
    "Ephemeral",
    "FakeSlack",
    "InstallRequest",
    "JsonDict",
    "Message",
    "ResponseUrlPost",
    "SharedInvite",
    "Team",
    "UploadedFile",
    "User",
]


class FakeSlack(
    TeamsMixin,
    ServerMixin,
    ChatMixin,
    HomeTabMixin,
    ViewsMixin,
    ConversationsMixin,
    UsersMixin,
    FilesMixin,
    ResponseUrlMixin,
    AssertionsMixin,
):
    """An in-process fake of Slack's Web API (plus response_url hooks and the file upload endpoint).

    Typical use::

        async with FakeSlack() as fake:
            fake.add_user("U0BM0001")
            fake.add_channel("C0BOARD01", "safeguarding-board", members=["U0BM0001"])
            client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
            await client.chat_postMessage(channel="C0BOARD01", text="Case ref 2026-001 opened")
            assert fake.messages("C0BOARD01")[0].text.startswith("Case ref")
    Its constructor is :class:`~bot.sandbox.fake_slack.workspace.Workspace`'s; each base class models one
    part of Slack (see the package docstring).
    """
