"""How a deadline reads to a person: its dates, status and working days left (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.calendar.working_days import Unit, WorkingCalendar, format_day
from bot.clock import LONDON
from bot.deadlines.status import DeadlineStatus, deadline_status, working_days_left
from bot.learning_together.terms import held_deadline_text
from bot.rules.models import ANCHOR_DESCRIPTIONS, Anchor

STATUS_WORDS: dict[DeadlineStatus, str] = {
    DeadlineStatus.UPCOMING: "upcoming",
    DeadlineStatus.DUE_SOON: "due soon",
    DeadlineStatus.DUE_TODAY: "due today",
    DeadlineStatus.OVERDUE: "OVERDUE",
    DeadlineStatus.MET_ON_TIME: "met on time",
    DeadlineStatus.MET_LATE: "met late",
    DeadlineStatus.NOT_APPLICABLE: "not applicable",
    DeadlineStatus.AWAITING_ANCHOR: "not started",
}

STATUS_EMOJI: dict[DeadlineStatus, str] = {
    DeadlineStatus.UPCOMING: ":white_circle:",
    DeadlineStatus.DUE_SOON: ":large_orange_circle:",
    DeadlineStatus.DUE_TODAY: ":large_orange_circle:",
    DeadlineStatus.OVERDUE: ":red_circle:",
    DeadlineStatus.MET_ON_TIME: ":white_check_mark:",
    DeadlineStatus.MET_LATE: ":heavy_check_mark:",
    DeadlineStatus.NOT_APPLICABLE: ":heavy_minus_sign:",
    DeadlineStatus.AWAITING_ANCHOR: ":hourglass_flowing_sand:",
}


class DeadlineRecord(Protocol):
    """What a deadline's description reads (the row in bot.deadlines.models has these columns)."""

    @property
    def id(self) -> int: ...
    @property
    def rule_id(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def anchor(self) -> str: ...
    @property
    def amount(self) -> int: ...
    @property
    def unit(self) -> str: ...
    @property
    def direction(self) -> str: ...
    @property
    def status_kind(self) -> str: ...
    @property
    def due_on(self) -> date | None: ...
    @property
    def due_at(self) -> datetime | None: ...
    @property
    def revised_due_on(self) -> date | None: ...
    @property
    def revised_reason(self) -> str | None: ...
    @property
    def met_on(self) -> date | None: ...
    @property
    def not_applicable_reason(self) -> str | None: ...


@dataclass(frozen=True)
class DeadlineLine:
    deadline_id: int
    rule_id: str
    label: str
    status: DeadlineStatus
    status_kind: str  # statutory / expected / local
    due_text: str
    revised_text: str | None
    days_left: int | None
    anchor_text: str
    timescale: str
    held_text: str | None = None  # publication on hold: the date shows as held, with its reason

    @property
    def left_text(self) -> str:
        if self.days_left is None or self.status in (
            DeadlineStatus.MET_ON_TIME,
            DeadlineStatus.MET_LATE,
            DeadlineStatus.NOT_APPLICABLE,
        ):
            return ""
        if self.days_left > 0:
            return f"{self.days_left} working day{'s' if self.days_left != 1 else ''} left"
        if self.days_left == 0:
            return "due today"
        late = -self.days_left
        return f"{late} working day{'s' if late != 1 else ''} overdue"


def _due_text(row: DeadlineRecord) -> str:
    if row.due_at is not None:
        local = row.due_at.astimezone(LONDON)
        return f"{format_day(local.date())} at {local:%H:%M}"
    if row.due_on is not None:
        return format_day(row.due_on)
    return ""


def describe_deadline(
    row: DeadlineRecord, today: date, calendar: WorkingCalendar, held: str | None = None
) -> DeadlineLine:
    """``held``: the reason publication is on hold when this is the publication deadline; the line then
    says so (the statutory date itself never moves)."""
    due: date | datetime | None = row.due_at or row.due_on
    status = deadline_status(
        due, row.revised_due_on, row.met_on, bool(row.not_applicable_reason), today, calendar
    )
    target = row.revised_due_on or row.due_on
    days_left = working_days_left(target, today, calendar) if target is not None else None
    anchor = (
        ANCHOR_DESCRIPTIONS.get(Anchor(row.anchor), row.anchor)
        if row.anchor in Anchor._value2member_map_
        else row.anchor
    )
    timescale = f"{Unit(row.unit).describe(row.amount)} {'before' if row.direction == 'before' else 'after'}"
    due_text = _due_text(row) or f"{timescale} {_short_anchor(row.anchor)} (not yet happened)"
    revised = (
        f"revised target {format_day(row.revised_due_on)}"
        + (f" ({row.revised_reason})" if row.revised_reason else "")
        if row.revised_due_on
        else None
    )
    return DeadlineLine(
        row.id,
        row.rule_id,
        row.label,
        status,
        row.status_kind,
        due_text,
        revised,
        days_left,
        anchor,
        timescale,
        held_deadline_text(held) if held and row.met_on is None and not row.not_applicable_reason else None,
    )


_SHORT_ANCHORS = {
    "la_aware": "the local authority became aware",
    "notification_sent": "the notification is sent",
    "incident": "the incident",
    "decision": "the decision",
    "intended_publication": "the planned publication date",
    "publication": "publication",
    "referral_received": "the referral is received",
    "rapid_review_sent": "the rapid review is sent to the Panel",
    "final_report": "the final report",
    "referral": "the referral",
}


def _short_anchor(anchor: str) -> str:
    return _SHORT_ANCHORS.get(anchor, anchor.replace("_", " "))


def short_anchor(anchor: str) -> str:
    return _short_anchor(anchor)
