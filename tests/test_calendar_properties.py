"""Properties of working-day arithmetic that must hold for every nation and every date."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.calendar.working_days import Direction, Nation, Unit, WorkingCalendar

CALENDARS = {nation: WorkingCalendar(nation) for nation in Nation}

nations = st.sampled_from(list(Nation))
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
amounts = st.integers(min_value=0, max_value=60)
positive_amounts = st.integers(min_value=1, max_value=60)


@given(nation=nations, start=days, n=positive_amounts)
def test_a_working_day_deadline_never_falls_on_a_non_working_day(nation: Nation, start: date, n: int) -> None:
    calendar = CALENDARS[nation]
    assert calendar.is_working_day(calendar.due(start, n, Unit.WORKING_DAYS))
    assert calendar.is_working_day(calendar.due(start, n, Unit.WORKING_DAYS, Direction.BEFORE))


@given(nation=nations, start=days, n=amounts)
def test_counting_back_from_a_deadline_returns_a_working_start(nation: Nation, start: date, n: int) -> None:
    calendar = CALENDARS[nation]
    start = calendar.on_or_after(start)
    assert calendar.subtract_working_days(calendar.add_working_days(start, n), n) == start


@given(nation=nations, start=days, n=amounts)
def test_deadlines_grow_with_the_amount(nation: Nation, start: date, n: int) -> None:
    calendar = CALENDARS[nation]
    assert calendar.add_working_days(start, n) <= calendar.add_working_days(start, n + 1)
    assert calendar.subtract_working_days(start, n) >= calendar.subtract_working_days(start, n + 1)


@given(nation=nations, start=days, n=amounts)
def test_the_deadline_is_n_working_days_after_the_trigger(nation: Nation, start: date, n: int) -> None:
    calendar = CALENDARS[nation]
    due = calendar.add_working_days(start, n)
    assert calendar.working_days_between(start, due) == n
    assert calendar.working_days_between(due, start) == -n


@given(nation=nations, start=days, n=positive_amounts)
@settings(max_examples=50)
def test_explain_agrees_with_due_and_counts_exactly_n_days(nation: Nation, start: date, n: int) -> None:
    calendar = CALENDARS[nation]
    explanation = calendar.explain(start, n, Unit.WORKING_DAYS)
    assert explanation.due == calendar.due(start, n, Unit.WORKING_DAYS)
    counted = [step for step in explanation.steps if step.counted]
    assert [step.count for step in counted] == list(range(1, n + 1))
    assert all(step.reason for step in explanation.skipped)
    assert all(not calendar.is_working_day(step.day) for step in explanation.skipped)


@given(start=days, n=positive_amounts)
def test_wales_and_england_always_agree(start: date, n: int) -> None:
    assert CALENDARS[Nation.WALES].add_working_days(start, n) == CALENDARS[Nation.ENGLAND].add_working_days(
        start, n
    )
