"""The deadline lifecycle: statuses on a given day, revised targets, and the statutory outcome."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.calendar.working_days import Nation, WorkingCalendar
from bot.deadlines import DeadlineStatus, deadline_status, met_against_statutory, working_days_left

ENGLAND = WorkingCalendar(Nation.ENGLAND)
DUE = date(2026, 12, 29)  # Tuesday, after Christmas and the Boxing Day substitute


def status(today: date, **kwargs: object) -> DeadlineStatus:
    arguments: dict[str, object] = {
        "due": DUE,
        "revised_due": None,
        "met_on": None,
        "not_applicable": False,
        "today": today,
        "calendar": ENGLAND,
    }
    arguments.update(kwargs)
    return deadline_status(**arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 12, 18), DeadlineStatus.UPCOMING),  # 5 working days left
        (date(2026, 12, 22), DeadlineStatus.UPCOMING),  # 3 working days left (23, 24, 29)
        (date(2026, 12, 23), DeadlineStatus.DUE_SOON),  # 2 left (24, 29)
        (date(2026, 12, 24), DeadlineStatus.DUE_SOON),  # 1 left, across the holidays
        (date(2026, 12, 27), DeadlineStatus.DUE_SOON),  # a Sunday: 1 left
        (date(2026, 12, 29), DeadlineStatus.DUE_TODAY),
        (date(2026, 12, 30), DeadlineStatus.OVERDUE),
    ],
)
def test_status_through_the_christmas_holidays(today: date, expected: DeadlineStatus) -> None:
    assert status(today) is expected


def test_due_soon_threshold_is_configurable() -> None:
    assert status(date(2026, 12, 22), due_soon_working_days=3) is DeadlineStatus.DUE_SOON
    assert status(date(2026, 12, 24), due_soon_working_days=0) is DeadlineStatus.UPCOMING


def test_not_applicable_wins() -> None:
    assert status(date(2027, 3, 1), not_applicable=True) is DeadlineStatus.NOT_APPLICABLE
    assert status(date(2027, 3, 1), not_applicable=True, due=None) is DeadlineStatus.NOT_APPLICABLE


def test_awaiting_anchor_until_the_event_happens() -> None:
    assert status(date(2026, 12, 1), due=None) is DeadlineStatus.AWAITING_ANCHOR
    assert status(date(2026, 12, 1), due=None, met_on=date(2026, 11, 30)) is DeadlineStatus.MET_ON_TIME


def test_met_on_time_or_late_against_the_statutory_date() -> None:
    assert status(date(2027, 1, 5), met_on=date(2026, 12, 29)) is DeadlineStatus.MET_ON_TIME
    assert status(date(2027, 1, 5), met_on=date(2026, 12, 21)) is DeadlineStatus.MET_ON_TIME
    assert status(date(2027, 1, 5), met_on=date(2026, 12, 30)) is DeadlineStatus.MET_LATE


def test_a_revised_target_is_judged_against_but_the_statutory_date_never_moves() -> None:
    revised = date(2027, 1, 8)
    assert status(date(2026, 12, 30), revised_due=revised) is DeadlineStatus.UPCOMING
    assert status(date(2027, 1, 8), revised_due=revised) is DeadlineStatus.DUE_TODAY
    assert status(date(2027, 1, 11), revised_due=revised) is DeadlineStatus.OVERDUE
    met = date(2027, 1, 7)
    assert status(date(2027, 1, 11), revised_due=revised, met_on=met) is DeadlineStatus.MET_ON_TIME
    assert not met_against_statutory(DUE, met)
    assert met_against_statutory(DUE, DUE)


def test_working_days_left_is_signed() -> None:
    assert working_days_left(DUE, date(2026, 12, 18), ENGLAND) == 5
    assert working_days_left(DUE, date(2026, 12, 24), ENGLAND) == 1
    assert working_days_left(DUE, DUE, ENGLAND) == 0
    assert working_days_left(DUE, date(2026, 12, 30), ENGLAND) == -1
    assert working_days_left(DUE, date(2027, 1, 4), ENGLAND) == -3  # 30, 31 Dec, (1 Jan), 4 Jan


def test_calendar_day_deadline_on_a_weekend() -> None:
    saturday = date(2027, 2, 27)
    assert status(date(2027, 2, 26), due=saturday) is DeadlineStatus.DUE_SOON
    assert status(date(2027, 2, 27), due=saturday) is DeadlineStatus.DUE_TODAY
    assert status(date(2027, 3, 1), due=saturday) is DeadlineStatus.OVERDUE


def test_hours_deadlines_are_judged_on_their_uk_date() -> None:
    # 23:30 UTC on 30 June is 00:30 on 1 July in the UK.
    due = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert status(date(2026, 7, 1), due=due) is DeadlineStatus.DUE_TODAY
    assert status(date(2026, 6, 30), due=due) is DeadlineStatus.DUE_SOON
    assert met_against_statutory(due, date(2026, 7, 1))
