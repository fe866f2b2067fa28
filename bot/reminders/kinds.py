"""What each kind of reminder says. Features register a composer per kind; the engine delivers.

A composer gets the claimed row (inside the engine's session) and returns what to post, or None
when the reminder is no longer relevant (the deadline was met, the meeting cancelled): the engine
then marks the row cancelled instead of sending it. Where it goes is the row's recipient (a user id:
direct message; "case_channel": the case card's thread) unless the composer names a channel.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.reminders.models import Reminder
from bot.runtime.services import Services
from bot.runtime.wiring import Provisions, ReminderKind
from bot.slack.blocks import section


@dataclass
class Outgoing:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    channel: str | None = None  # override the row's recipient (e.g. a partnership channel)
    thread_ts: str | None = None
    files: list[tuple[str, bytes, str]] = field(default_factory=list)  # (filename, content, title)


@dataclass(frozen=True)
class ComposeContext:
    services: Services
    session: AsyncSession
    reminder: Reminder
    late: bool


Composer = Callable[[ComposeContext], Awaitable[Outgoing | None]]



async def compose_notice(ctx: ComposeContext) -> Outgoing | None:
    """A plain notice whose words were fixed when it was scheduled (payload: text, channel)."""
    payload = ctx.reminder.payload or {}
    text = str(payload.get("text", ""))
    if not text:
        return None
    return Outgoing(
        text=text,
        blocks=[section(text)],
        channel=payload.get("channel"),
    )


def provide(features: Provisions) -> None:
    """What this module provides (called from bot.runtime.features)."""
    features.reminder_kind(ReminderKind("notice", compose_notice))
