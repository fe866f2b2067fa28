"""Turn a rule set and the events that have happened into dated deadlines for one case.

Why separate from the calendar: the calendar knows how to count; this module knows which deadlines
apply to a notification type, which event each is counted from, and that a deadline whose anchor
event has not happened yet has no date (rather than a guessed one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from bot.calendar.working_days import Unit, WorkingCalendar
from bot.clock import ensure_utc, london_date
from bot.rules.models import ANCHOR_DESCRIPTIONS, Anchor, DeadlineRule, NotificationType, RuleSet
from bot.rules.overrides import RuleOverrides


@dataclass(frozen=True)
class PlannedDeadline:
    """One deadline of a case: its rule, when its anchor event happened and when it is due.

    ``due`` is a UK date, or an aware UTC datetime for an hours rule; None while the anchor event
    has not happened. It is the statutory (rule) date: revised targets are recorded elsewhere and
    never move it.
    """

    rule: DeadlineRule
    due: date | datetime | None
    anchor_at: datetime | None

    @property
    def anchor(self) -> Anchor:
        return self.rule.anchor


def calendar_for(ruleset: RuleSet, overrides: RuleOverrides | None = None) -> WorkingCalendar:
    """The calendar statutory and expected dates are counted on: the nation's own bank holidays only.

    A partnership's closure days never move such a date (``overrides`` is accepted and ignored so
    callers need not know); they move only local targets and reminders (:func:`local_calendar_for`).
    """
    return WorkingCalendar(ruleset.calendar_nation)


def local_calendar_for(ruleset: RuleSet, overrides: RuleOverrides | None = None) -> WorkingCalendar:
    """The calendar a partnership's local targets count on: the nation's bank holidays and its closures."""
    closures = overrides.extra_closure_days if overrides is not None else []
    return WorkingCalendar(ruleset.calendar_nation, closures)


def plan_deadlines(
    ruleset: RuleSet,
    anchors: Mapping[str, datetime],
    calendar: WorkingCalendar,
    notification_type: NotificationType | str,
    local_calendar: WorkingCalendar | None = None,
) -> list[PlannedDeadline]:
    """Every deadline of ``ruleset`` that applies to ``notification_type``, in rule-set order.

    ``anchors`` maps anchor ids (see bot.rules.models.ANCHOR_DESCRIPTIONS) to the aware instant the
    event happened. Day-based units count from the UK date of that instant (Europe/London), so an
    event at 23:30 UTC on a summer evening belongs to the next UK day. An unknown anchor id is an
    error rather than ignored, because a misspelt anchor would otherwise leave a deadline undated.
    """
    notification_type = NotificationType(notification_type)
    unknown = sorted(set(anchors) - {anchor.value for anchor in ANCHOR_DESCRIPTIONS})
    if unknown:
        known = ", ".join(anchor.value for anchor in ANCHOR_DESCRIPTIONS)
        raise ValueError(f"unknown anchor(s) {', '.join(unknown)}; known anchors: {known}")
    planned: list[PlannedDeadline] = []
    for rule in ruleset.deadlines_for(notification_type):
        anchor_at = anchors.get(rule.anchor.value)
        if anchor_at is None:
            planned.append(PlannedDeadline(rule=rule, due=None, anchor_at=None))
            continue
        anchor_at = ensure_utc(anchor_at)
        # Hours are elapsed time from the instant; every other unit counts from the UK date.
        start: date | datetime = anchor_at if rule.unit is Unit.HOURS else london_date(anchor_at)
        counting = local_calendar if (local_calendar is not None and rule.moves_with_closures) else calendar
        due = counting.due(start, rule.amount, rule.unit, rule.direction)
        planned.append(PlannedDeadline(rule=rule, due=due, anchor_at=anchor_at))
    return planned
