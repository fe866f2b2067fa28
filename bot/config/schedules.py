"""When ReviewBot speaks up: the chair's weekly digest and the reminder ladders with escalation.

Days are counted in working days (the partnership's nation's bank holidays and its closure days
are skipped); times of day are UK times.
"""

from __future__ import annotations

from datetime import time
from typing import Literal

from pydantic import Field, PositiveInt, field_validator

from bot.config.fields import ClockTime, Section

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday"]


class DigestSchedule(Section):
    weekday: Weekday = "monday"
    time: ClockTime = time(8, 30)
    idle_working_days: PositiveInt = 10


class Ladder(Section):
    """When to remind about one kind of deadline, counted in working days."""

    before_working_days: list[PositiveInt] = Field(default_factory=lambda: [5, 2, 1])
    on_due_day: bool = True
    overdue_every_working_days: PositiveInt = 1

    @field_validator("before_working_days")
    @classmethod
    def _furthest_first(cls, days: list[int]) -> list[int]:
        # Order in the file carries no meaning; a fixed order keeps reminder keys stable.
        return sorted(set(days), reverse=True)


class Escalation(Section):
    business_manager_after_working_days: PositiveInt = 1
    chair_after_working_days: PositiveInt = 3


class ReminderSettings(Section):
    delivery_time: ClockTime = time(9, 0)
    ladders: dict[str, Ladder] = Field(default_factory=lambda: {"default": Ladder()})
    escalation: Escalation = Field(default_factory=Escalation)

    @field_validator("ladders")
    @classmethod
    def _with_default(cls, ladders: dict[str, Ladder]) -> dict[str, Ladder]:
        # Every deadline kind without its own ladder uses "default", so it must always exist.
        return ladders if "default" in ladders else {"default": Ladder(), **ladders}

    def ladder(self, kind: str) -> Ladder:
        """The ladder for one kind of deadline, falling back to the default ladder."""
        return self.ladders.get(kind, self.ladders["default"])
