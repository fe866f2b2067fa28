"""chat.*: the bot's messages (post, update, delete, permalink) and ephemeral messages.

Text and blocks are checked as Slack checks them (:mod:`bot.slack.blockkit`); invalid blocks answer
``invalid_blocks`` with our precise messages. :meth:`ChatMixin.post_user_message` puts a person's
message into a conversation for tests, as a Slack client would.
"""

from __future__ import annotations

import copy
from typing import Any

from bot.sandbox.fake_slack.records import Ephemeral, Message
from bot.sandbox.fake_slack.wire import (
    Handler,
    JsonDict,
    _ApiError,
    _blocks_error,
    _Context,
    _metadata,
    _Params,
)
from bot.sandbox.fake_slack.workspace import Workspace
from bot.slack.blockkit import lint_message

MESSAGE_TEXT_MAX = 40_000


class ChatMixin(Workspace):
    """chat.postMessage, chat.update, chat.postEphemeral, chat.delete and chat.getPermalink."""

    def _web_api_methods(self) -> dict[str, Handler]:
        return {
            **super()._web_api_methods(),
            "chat.postMessage": self._m_chat_post_message,
            "chat.update": self._m_chat_update,
            "chat.postEphemeral": self._m_chat_post_ephemeral,
            "chat.delete": self._m_chat_delete,
            "chat.getPermalink": self._m_chat_get_permalink,
        }

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
