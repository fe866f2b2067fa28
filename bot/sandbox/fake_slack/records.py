"""The records FakeSlack keeps and hands back to tests: calls, messages, files, response_url posts, users.

Each is the fake's view of one thing Slack holds (a message, a channel, a seeded user) or of one exchange
with it (a Web API call, a POST to a response_url). Tests read them through the assertions API
(``fake.messages(...)``, ``fake.calls(...)``, ``fake.files``) and import them for type hints; several
also know how Slack would show them (``to_slack``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime

from bot.sandbox.fake_slack.wire import JsonDict, _truthy
from bot.sandbox.render import Names, render_blocks_as_text


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

    def rendered(self, names: Names | None = None) -> str:
        """Text plus blocks rendered as plain text (what a reader would see; people by ``names``)."""
        parts = [self.text] if self.text else []
        rendered_blocks = render_blocks_as_text(self.blocks, names)
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
