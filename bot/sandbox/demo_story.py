"""The demo's people, and how they act and what they see: shared by the chapters of `reviewbot demo`.

Who acts is a role from the bundled partnership file; what they do is a signed Slack request to the
real endpoint; what they see is what the Slack stand-in holds, rendered as text. (See bot.sandbox.demo.)

The story: the bot and the local Slack stand-in on loopback, one review told from start to end.

No Slack account and no settings: a temporary SQLite database, the bundled synthetic partnership
file, and signed HTTP requests to the real endpoint, sent the way Slack sends them. The story runs
from the notification to the case's closure (agency returns, the decision, every partner's sign-off,
the Panel, the pack, meetings, findings, actions, publication), with the worker ticking each morning
in between. It prints what each person saw, with Block Kit rendered as text, people named by their
role label and times in UK time, and checks every claim it prints against what happened: it exits 0
when every step behaved as expected, non-zero (saying which claim failed) otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from bot.calendar.working_days import format_day
from bot.cases.models import Case
from bot.clock import FakeClock, london_date, london_datetime
from bot.reminders.scheduler import tick
from bot.sandbox.fake_slack.records import Message
from bot.sandbox.harness import OUTSIDER, Harness
from bot.sandbox.render import render_blocks_as_text, render_text

BM = "U0BM00001"
CHAIR = "U0CHAIR01"
LA_LEAD = "U0LALEAD1"
POLICE_LEAD = "U0POLEAD1"
POLICE_SIGNATORY = "U0POSIGN1"
ICB_LEAD = "U0ICBLEAD1"
EDUCATION_LEAD = "U0EDLEAD1"
REVIEWER = "U0REVIEW1"
PARTNERSHIP = "northshire"
BOARD_CHANNEL = "C0BOARD001"
DEMO_START = london_datetime(date(2026, 12, 18), 10, 0)  # Friday 18 December 2026, 10:00 in London

Out = Callable[[str], None]


class DemoFailed(Exception):
    pass


def indent(text: str, by: int = 4) -> str:
    return "\n".join(" " * by + line for line in text.splitlines())


class Story:
    """What the demo's people do and see; every sentence it prints about the bot is checked first."""

    def __init__(self, h: Harness, out: Out) -> None:
        self.h = h
        self.out = out
        self.partnership = h.services.config.partnership(PARTNERSHIP)
        self.case_id: int | None = None
        self.step_number = 0

    # -- telling -------------------------------------------------------------------------------------

    def step(self, title: str) -> None:
        self.step_number += 1
        self.out(f"\n{self.step_number}. {title}")

    def say(self, text: str, by: int = 4) -> None:
        self.out(indent(text, by))

    def expect(self, condition: bool, claim: str) -> None:
        """Print ``claim`` only once it is known to be true; otherwise the demo fails on it."""
        if not condition:
            raise DemoFailed(claim)

    def claim(self, condition: bool, claim: str, by: int = 4) -> None:
        self.expect(condition, claim)
        self.say(claim, by)

    def names(self) -> dict[str, str]:
        """Who and where, as a reader would see them: people by role label, channels by name."""
        names = {p.slack_user_id: self.who(p.slack_user_id) for p in self.partnership.people}
        names[OUTSIDER] = "someone outside the partnership"
        names[self.h.fake.bot_user_id] = "ReviewBot"
        names |= {channel.id: channel.name for channel in self.h.fake.channels.values()}
        return names

    def who(self, user: str) -> str:
        if user == OUTSIDER:
            return "someone outside the partnership"
        return self.partnership.label_of(user) or user

    def shown(self, message: Message | None) -> str:
        return message.rendered(self.names()) if message is not None else ""

    def blocks(self, blocks: Sequence[Any] | None) -> str:
        return render_blocks_as_text(blocks, self.names())

    def text(self, mrkdwn: str) -> str:
        return render_text(mrkdwn, self.names())

    # -- acting as Slack would -----------------------------------------------------------------------

    async def command(self, text: str, user: str, channel: str | None = None) -> str:
        """``/review text`` typed by ``user`` (in the case channel unless told); the private answer."""
        where = channel if channel is not None else await self.channel()
        reply: httpx.Response = await self.h.command(text, user=user, channel=where)
        self.expect(reply.status_code == 200, f"/review {text.split(' ')[0]} was acknowledged")
        body = reply.json() if reply.content else {}
        if body.get("blocks"):  # what the person sees: the blocks, the text being their summary
            return self.blocks(body["blocks"])
        return self.text(str(body.get("text", "")))

    async def case(self) -> Case:
        async with self.h.services.db.read() as session:
            case = await session.get(Case, self.case_id) if self.case_id else None
        if case is None:
            raise DemoFailed("the case is open")
        return case

    async def channel(self) -> str:
        return str((await self.case()).channel_id or "C0GENERAL")

    def posts(self, channel: str) -> list[Message]:
        return [m for m in self.h.fake.messages(channel) if not m.is_reply]

    def dms(self, user: str) -> list[Message]:
        return self.h.fake.messages(self.h.fake.dm_channel(user))

    def now(self) -> datetime:
        clock = self.h.services.clock
        assert isinstance(clock, FakeClock)
        return clock.now()

    async def mornings(self, until: date) -> tuple[date, date]:
        """The worker's ticks each morning after today up to ``until`` (08:30 digests, 09:00
        reminders, UK time), then 10:00 on ``until``: the first and last mornings it ran."""
        clock = self.h.services.clock
        assert isinstance(clock, FakeClock)
        first = london_date(clock.now()) + timedelta(days=1)
        day = first
        while day <= until:
            for hour, minute in ((8, 30), (9, 0), (9, 5)):
                clock.set(london_datetime(day, hour, minute))
                await tick(self.h.services)
                await self.h.services.tasks.drain()
            day += timedelta(days=1)
        clock.set(london_datetime(until, 10, 0))
        return first, until


def sent_on(message: Message) -> date:
    """The UK day a message was posted (a message's ts is the time it was posted)."""
    return london_date(datetime.fromtimestamp(float(message.ts), UTC))


def day_text(day: date) -> str:
    return format_day(day)


async def case_reference(story: Story) -> str:
    return (await story.case()).reference


async def latest_case_id(story: Story) -> int | None:
    async with story.h.services.db.read() as session:
        found = await session.scalar(select(Case.id).order_by(Case.id.desc()))
    return int(found) if found is not None else None


def elements(message: Message | Mapping[str, Any] | None) -> Iterator[Mapping[str, Any]]:
    """Every interactive element a reader can click in a message or view, in reading order."""
    blocks = message.blocks if isinstance(message, Message) else (message or {}).get("blocks")
    for block in blocks or []:
        if block.get("type") == "actions":
            yield from block.get("elements", [])
        accessory = block.get("accessory")
        if isinstance(accessory, Mapping):
            yield accessory


def element(message: Message | Mapping[str, Any] | None, action_id: str) -> Mapping[str, Any]:
    """The button or menu whose action id is ``action_id`` or starts with ``action_id:``."""
    for found in elements(message):
        name = str(found.get("action_id", ""))
        if name == action_id or name.startswith(f"{action_id}:"):
            return found
    raise DemoFailed(f"the message shows a '{action_id}' control")


def label_of(button: Mapping[str, Any]) -> str:
    text = button.get("text")
    return str(text.get("text", "")) if isinstance(text, Mapping) else ""
