"""What one person sees, read from the stand-in's recorded state: their channels, a conversation with its
threads and ephemeral answers, their open modals, their Home tab and the files posted.

Nothing here asks the bot anything: the page shows only what the bot told Slack.
"""

from __future__ import annotations

from typing import Any

from bot.sandbox.fake_slack import Channel, FakeSlack, Message

GENERAL = "C0GENERAL"


def dm_id(fake: FakeSlack, user: str) -> str:
    """The bot's DM with ``user`` (opened in the stand-in if needed, as Slack's Messages tab would)."""
    return fake.dm_channel(user)


def channels_for(fake: FakeSlack, user: str) -> list[dict[str, Any]]:
    """The channels ``user`` is in (and #general), in the order they were created."""
    out = []
    for channel in fake.channels.values():
        if channel.is_im or channel.is_mpim:
            continue
        if user in channel.members or channel.id == GENERAL:
            out.append(_channel_json(channel, len(fake.messages(channel.id))))
    return out


def _channel_json(channel: Channel, count: int) -> dict[str, Any]:
    return {
        "id": channel.id,
        "name": channel.name,
        "private": channel.is_private,
        "archived": channel.is_archived,
        "topic": channel.topic,
        "count": count,
    }


def conversation(fake: FakeSlack, user: str, channel_id: str) -> dict[str, Any]:
    """Top-level messages oldest first, each with its thread replies, and ``user``'s ephemeral answers."""
    messages = fake.messages(channel_id)
    channel = fake.channels.get(channel_id)
    top: list[dict[str, Any]] = []
    replies: dict[str, list[dict[str, Any]]] = {}
    for message in messages:
        item = _message_json(message)
        if message.is_reply and message.thread_ts:
            replies.setdefault(message.thread_ts, []).append(item)
        else:
            top.append(item)
    for item in top:
        item["replies"] = replies.get(item["ts"], [])
    for ephemeral in fake.ephemerals(user):
        if ephemeral.channel == channel_id:
            top.append(
                {
                    "ts": ephemeral.ts,
                    "user": fake.bot_user_id,
                    "text": ephemeral.text,
                    "blocks": ephemeral.blocks,
                    "ephemeral": True,
                    "edited": 0,
                    "files": [],
                    "replies": [],
                    "pinned": False,
                }
            )
    top.sort(key=lambda m: float(m["ts"]))
    return {
        "id": channel_id,
        "name": channel.name if channel is not None else "",
        "topic": channel.topic if channel is not None else "",
        "private": bool(channel and channel.is_private),
        "is_dm": bool(channel and channel.is_im),
        "members": list(channel.members) if channel is not None else [],
        "messages": top,
    }


def _message_json(message: Message) -> dict[str, Any]:
    return {
        "ts": message.ts,
        "user": message.user,
        "text": message.text,
        "blocks": message.blocks,
        "ephemeral": False,
        "edited": message.edited,
        "pinned": message.pinned,
        "thread_ts": message.thread_ts,
        "files": [
            {"id": f.get("id"), "name": f.get("name"), "title": f.get("title"), "size": f.get("size")}
            for f in message.files
        ],
    }


def screen(fake: FakeSlack, user: str, channel_id: str | None) -> dict[str, Any]:
    """Everything the page draws for ``user`` looking at ``channel_id`` (a channel, the DM, or "home")."""
    dm = dm_id(fake, user)
    stack = fake.view_stack(user)
    out: dict[str, Any] = {
        "user": user,
        "dm": dm,
        "dm_count": len(fake.messages(dm)),
        "channels": channels_for(fake, user),
        "modal": stack[-1] if stack else None,
        "modal_depth": len(stack),
        "home": fake.home_view(user) if channel_id == "home" else None,
        "conversation": None,
    }
    if channel_id and channel_id != "home":
        out["conversation"] = conversation(fake, user, channel_id)
    return out


def file_content(fake: FakeSlack, file_id: str) -> tuple[str, bytes] | None:
    """The name and bytes of an uploaded file, for the page's download links."""
    for upload in fake.files:
        if upload.id == file_id and upload.content is not None:
            return upload.name, upload.content
    return None
