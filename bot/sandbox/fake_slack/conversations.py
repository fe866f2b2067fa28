"""conversations.* and pins.add: creating channels, inviting people, DMs and group DMs, topics, pins.

Seeding channels (``add_channel``, ``dm_channel``) and resolving a channel argument are on
:class:`~bot.sandbox.fake_slack.workspace.Workspace`, as every family needs them; this module holds
the Web API methods, with Slack's limits and error codes.
"""

from __future__ import annotations

import re

from bot.sandbox.fake_slack.records import Channel
from bot.sandbox.fake_slack.wire import Handler, JsonDict, _ApiError, _Context, _Params
from bot.sandbox.fake_slack.workspace import Workspace

TOPIC_MAX = 250
CHANNEL_NAME_MAX = 80
MPIM_MAX_USERS = 8
DEFAULT_RATE_LIMIT_BURST = 3
_CHANNEL_NAME_RE = re.compile(r"^[a-z0-9_-]+$")


class ConversationsMixin(Workspace):
    """conversations.create/invite/info/members/open/setTopic/archive and pins.add."""

    def _web_api_methods(self) -> dict[str, Handler]:
        return {
            **super()._web_api_methods(),
            "conversations.create": self._m_conversations_create,
            "conversations.invite": self._m_conversations_invite,
            "conversations.info": self._m_conversations_info,
            "conversations.members": self._m_conversations_members,
            "conversations.open": self._m_conversations_open,
            "conversations.setTopic": self._m_conversations_set_topic,
            "conversations.archive": self._m_conversations_archive,
            "pins.add": self._m_pins_add,
        }

    # --- methods: conversations, pins ------------------------------------------------------------

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

    async def _m_conversations_archive(self, p: _Params, ctx: _Context) -> JsonDict:
        channel = self._conversation_by_id(p.get_str("channel", missing="channel_not_found"))
        if channel.is_im or channel.is_mpim:
            raise _ApiError("method_not_supported_for_channel_type")
        if self.bot_user_id not in channel.members:
            raise _ApiError("not_in_channel")
        if channel.is_archived:
            raise _ApiError("already_archived")
        channel.is_archived = True
        return {}

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
