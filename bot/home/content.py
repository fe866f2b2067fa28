"""What a person's Home tab holds, section by section (pure: plain data, no database).

bot.home.service gathers it; bot.home.blocks shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.access import Actor
from bot.actions.items import ActionItem

SECTION_KEYS = ("cases", "deadlines", "checklist", "actions", "meetings", "learning")


@dataclass(frozen=True)
class HomePage:
    """One section shown in full, a page at a time; the others stay collapsed."""

    section: str
    page: int = 0

    def dump(self) -> str:
        return f"{self.section}:{self.page}"

    @classmethod
    def parse(cls, raw: str | None) -> HomePage | None:
        section, _, page = (raw or "").partition(":")
        if section not in SECTION_KEYS:
            return None
        return cls(section, int(page) if page.isdecimal() else 0)


@dataclass(frozen=True)
class CaseLine:
    reference: str
    stage: str
    channel_id: str | None


@dataclass(frozen=True)
class DeadlineLine:
    deadline_id: int
    reference: str
    label: str
    target: date
    status_kind: str
    channel_id: str | None


@dataclass(frozen=True)
class ExternalLine:
    """A checklist item or meeting from another feature, reduced to what the Home tab shows."""

    reference: str
    label: str
    when: date | datetime | None = None
    channel_id: str | None = None
    note: str = ""
    item_id: int | None = None
    awaiting_answer: bool = False  # a meeting invitation not answered yet: show Attending / Not attending


@dataclass(frozen=True)
class AwayLine:
    """The person's current or next away period, and who gets their reminders then."""

    starts_on: date
    ends_on: date
    deputy_user_id: str


@dataclass
class HomeContent:
    actors: list[Actor]
    can_notify: bool
    today: date | None = None
    page: HomePage | None = None
    cases: list[CaseLine] = field(default_factory=list)
    deadlines: list[DeadlineLine] = field(default_factory=list)
    checklist: list[ExternalLine] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    meetings: list[ExternalLine] = field(default_factory=list)
    # The Learning Together work of a lead reviewer or review team member (bot.learning_together.home).
    learning: list[ExternalLine] = field(default_factory=list)
    away: AwayLine | None = None
