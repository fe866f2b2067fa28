"""OAuth scopes as Slack checks them: which bot scope each Web API method needs, by kind of conversation.

A token is granted a set of scopes when the app is installed; Slack lists them in the ``x-oauth-scopes``
header of its answers (auth.test included) and refuses a method whose scope is missing with
``{"ok": false, "error": "missing_scope", "needed": ..., "provided": ...}``. The conversation methods
need a scope per kind of conversation: ``groups:read`` to look at a private channel, ``channels:read``
for a public one, and so on (Slack's method pages list them).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.sandbox.fake_slack.records import Channel

# Every bot scope the fake knows; a FakeSlack made without ``scopes=`` was granted all of them.
ALL_BOT_SCOPES = frozenset(
    {
        "commands",
        "chat:write",
        "channels:read",
        "channels:manage",
        "groups:read",
        "groups:write",
        "im:read",
        "im:write",
        "mpim:read",
        "mpim:write",
        "pins:write",
        "files:write",
        "users:read",
        "conversations.connect:write",
    }
)

_READ = {"public": "channels:read", "private": "groups:read", "im": "im:read", "mpim": "mpim:read"}
_MANAGE = {"public": "channels:manage", "private": "groups:write", "im": "im:write", "mpim": "mpim:write"}

_BY_METHOD: dict[str, str] = {
    "chat.postMessage": "chat:write",
    "chat.update": "chat:write",
    "chat.delete": "chat:write",
    "chat.postEphemeral": "chat:write",
    "pins.add": "pins:write",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
    "users.info": "users:read",
    "conversations.inviteShared": "conversations.connect:write",
}
_BY_CONVERSATION: dict[str, dict[str, str]] = {
    "conversations.info": _READ,
    "conversations.members": _READ,
    "conversations.invite": _MANAGE,
    "conversations.setTopic": _MANAGE,
    "conversations.archive": _MANAGE,
}


def kind_of(channel: Channel) -> str:
    if channel.is_im:
        return "im"
    if channel.is_mpim:
        return "mpim"
    return "private" if channel.is_private else "public"


def needed_scope(
    method: str, params: dict[str, object], find_channel: Callable[[str], Channel | None]
) -> str | None:
    """The scope ``method`` needs with these arguments; None when none (or when the channel is unknown:
    the method answers channel_not_found itself)."""
    if method in _BY_METHOD:
        return _BY_METHOD[method]
    if method == "conversations.create":
        private = str(params.get("is_private", "")).lower() in ("1", "true")
        return "groups:write" if private else "channels:manage"
    if method == "conversations.open":
        users = [u for u in str(params.get("users", "")).split(",") if u.strip()]
        return "mpim:write" if len(users) > 1 else "im:write"
    table = _BY_CONVERSATION.get(method)
    if table is None:
        return None
    channel = find_channel(str(params.get("channel", "")))
    return table[kind_of(channel)] if channel is not None else None
