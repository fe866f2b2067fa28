"""Working-day calendars per nation, checked against the published GOV.UK bank-holiday lists.

The table below is KEPT BY HAND from https://www.gov.uk/bank-holidays (England and Wales, Scotland,
Northern Ireland). Do not generate it from the holidays library: it is the independent check on it.
GOV.UK lists only the substitute weekday when a holiday falls at a weekend (e.g. Boxing Day 2026 is
listed as Monday 28 December); the weekend date itself is non-working anyway.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import holidays
import pytest

from bot.calendar import working_days as calendar_module
from bot.calendar.working_days import Direction, Nation, Unit, WorkingCalendar, format_day
from bot.clock import LONDON

ENGLAND_AND_WALES = {
    # 2025
    date(2025, 1, 1),  # New Year's Day
    date(2025, 4, 18),  # Good Friday
    date(2025, 4, 21),  # Easter Monday
    date(2025, 5, 5),  # Early May bank holiday
    date(2025, 5, 26),  # Spring bank holiday
    date(2025, 8, 25),  # Summer bank holiday
    date(2025, 12, 25),  # Christmas Day
    date(2025, 12, 26),  # Boxing Day
    # 2026
    date(2026, 1, 1),  # New Year's Day
    date(2026, 4, 3),  # Good Friday
    date(2026, 4, 6),  # Easter Monday
    date(2026, 5, 4),  # Early May bank holiday
    date(2026, 5, 25),  # Spring bank holiday
    date(2026, 8, 31),  # Summer bank holiday
    date(2026, 12, 25),  # Christmas Day
    date(2026, 12, 28),  # Boxing Day (substitute day: 26 December is a Saturday)
    # 2027
    date(2027, 1, 1),  # New Year's Day
    date(2027, 3, 26),  # Good Friday
    date(2027, 3, 29),  # Easter Monday
    date(2027, 5, 3),  # Early May bank holiday
    date(2027, 5, 31),  # Spring bank holiday
    date(2027, 8, 30),  # Summer bank holiday
    date(2027, 12, 27),  # Christmas Day (substitute day: 25 December is a Saturday)
    date(2027, 12, 28),  # Boxing Day (substitute day: 26 December is a Sunday)
}

SCOTLAND = {
    # 2025
    date(2025, 1, 1),  # New Year's Day
    date(2025, 1, 2),  # 2nd January
    date(2025, 4, 18),  # Good Friday
    date(2025, 5, 5),  # Early May bank holiday
    date(2025, 5, 26),  # Spring bank holiday
    date(2025, 8, 4),  # Summer bank holiday (first Monday of August)
    date(2025, 12, 1),  # St Andrew's Day (substitute day: 30 November is a Sunday)
    date(2025, 12, 25),  # Christmas Day
    date(2025, 12, 26),  # Boxing Day
    # 2026
    date(2026, 1, 1),  # New Year's Day
    date(2026, 1, 2),  # 2nd January
    date(2026, 4, 3),  # Good Friday
    date(2026, 5, 4),  # Early May bank holiday
    date(2026, 5, 25),  # Spring bank holiday
    # Extra bank holiday proclaimed in February 2026 for Scotland at the FIFA World Cup; it is not in
    # older cached copies of the GOV.UK feed (govuk-bank-holidays 0.19).
    date(2026, 6, 15),
    date(2026, 8, 3),  # Summer bank holiday (first Monday of August)
    date(2026, 11, 30),  # St Andrew's Day
    date(2026, 12, 25),  # Christmas Day
    date(2026, 12, 28),  # Boxing Day (substitute day)
    # 2027
    date(2027, 1, 1),  # New Year's Day
    date(2027, 1, 4),  # 2nd January (substitute day: 2 January is a Saturday)
    date(2027, 3, 26),  # Good Friday
    date(2027, 5, 3),  # Early May bank holiday
    date(2027, 5, 31),  # Spring bank holiday
    date(2027, 8, 2),  # Summer bank holiday (first Monday of August)
    date(2027, 11, 30),  # St Andrew's Day
    date(2027, 12, 27),  # Christmas Day (substitute day)
    date(2027, 12, 28),  # Boxing Day (substitute day)
}

NORTHERN_IRELAND = {
    # 2025
    date(2025, 1, 1),  # New Year's Day
    date(2025, 3, 17),  # St Patrick's Day
    date(2025, 4, 18),  # Good Friday
    date(2025, 4, 21),  # Easter Monday
    date(2025, 5, 5),  # Early May bank holiday
    date(2025, 5, 26),  # Spring bank holiday
    date(2025, 7, 14),  # Battle of the Boyne (substitute day: 12 July is a Saturday)
    date(2025, 8, 25),  # Summer bank holiday
    date(2025, 12, 25),  # Christmas Day
    date(2025, 12, 26),  # Boxing Day
    # 2026
    date(2026, 1, 1),  # New Year's Day
    date(2026, 3, 17),  # St Patrick's Day
    date(2026, 4, 3),  # Good Friday
    date(2026, 4, 6),  # Easter Monday
    date(2026, 5, 4),  # Early May bank holiday
    date(2026, 5, 25),  # Spring bank holiday
    date(2026, 7, 13),  # Battle of the Boyne (substitute day: 12 July is a Sunday)
    date(2026, 8, 31),  # Summer bank holiday
    date(2026, 12, 25),  # Christmas Day
    date(2026, 12, 28),  # Boxing Day (substitute day)
    # 2027
    date(2027, 1, 1),  # New Year's Day
    date(2027, 3, 17),  # St Patrick's Day
    date(2027, 3, 26),  # Good Friday
    date(2027, 3, 29),  # Easter Monday
    date(2027, 5, 3),  # Early May bank holiday
    date(2027, 5, 31),  # Spring bank holiday
    date(2027, 7, 12),  # Battle of the Boyne
    date(2027, 8, 30),  # Summer bank holiday
    date(2027, 12, 27),  # Christmas Day (substitute day)
    date(2027, 12, 28),  # Boxing Day (substitute day)
}

# The actual dates of holidays that fell at a weekend in 2025-2027 (their substitutes are above).
WEEKEND_ACTUAL_DATES = {
    Nation.ENGLAND: [date(2026, 12, 26), date(2027, 12, 25), date(2027, 12, 26)],
    Nation.SCOTLAND: [date(2025, 11, 30), date(2026, 12, 26), date(2027, 1, 2), date(2027, 12, 25)],
    Nation.NORTHERN_IRELAND: [date(2025, 7, 12), date(2026, 7, 12), date(2026, 12, 26), date(2027, 12, 26)],
}

PUBLISHED = {
    Nation.ENGLAND: ENGLAND_AND_WALES,
    Nation.WALES: ENGLAND_AND_WALES,
    Nation.SCOTLAND: SCOTLAND,
    Nation.NORTHERN_IRELAND: NORTHERN_IRELAND,
}


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@pytest.mark.parametrize("nation", list(Nation))
def test_weekday_closures_match_the_published_list_exactly(nation: Nation) -> None:
    calendar = WorkingCalendar(nation)
    weekday_closures = {
        day
        for day in _days(date(2025, 1, 1), date(2027, 12, 31))
        if day.weekday() < 5 and not calendar.is_working_day(day)
    }
    assert weekday_closures == PUBLISHED[nation]


@pytest.mark.parametrize("nation", list(Nation))
def test_every_published_bank_holiday_is_a_non_working_day(nation: Nation) -> None:
    calendar = WorkingCalendar(nation)
    for day in PUBLISHED[nation]:
        assert not calendar.is_working_day(day), day
        assert calendar.closure_reason(day) is not None


@pytest.mark.parametrize("nation", [Nation.ENGLAND, Nation.SCOTLAND, Nation.NORTHERN_IRELAND])
def test_weekend_actual_dates_and_their_substitutes_are_both_non_working(nation: Nation) -> None:
    calendar = WorkingCalendar(nation)
    for day in WEEKEND_ACTUAL_DATES[nation]:
        assert not calendar.is_working_day(day)
        assert "also" in (calendar.closure_reason(day) or ""), day


def test_wales_uses_the_england_and_wales_list() -> None:
    wales, england = WorkingCalendar(Nation.WALES), WorkingCalendar(Nation.ENGLAND)
    for day in _days(date(2025, 1, 1), date(2027, 12, 31)):
        assert wales.is_working_day(day) == england.is_working_day(day), day
    assert wales.closure_reason(date(2026, 12, 25)) == "Christmas Day (England and Wales bank holiday)"


def test_the_undivided_uk_calendar_is_never_used() -> None:
    england = WorkingCalendar(Nation.ENGLAND)
    # Holidays of other nations are working days in England (the undivided calendar mixed these in).
    assert england.is_working_day(date(2027, 7, 12))  # Battle of the Boyne, NI only
    assert england.is_working_day(date(2026, 3, 17))  # St Patrick's Day, NI only
    assert england.is_working_day(date(2026, 1, 2))  # 2nd January, Scotland only
    assert england.is_working_day(date(2026, 11, 30))  # St Andrew's Day, Scotland only
    assert england.is_working_day(date(2026, 8, 3))  # Scotland's summer holiday
    # ...and England's own holidays that the subdiv=None calendar leaves out are kept.
    assert not england.is_working_day(date(2026, 4, 6))  # Easter Monday
    assert not england.is_working_day(date(2026, 8, 31))  # Summer bank holiday
    scotland = WorkingCalendar(Nation.SCOTLAND)
    assert scotland.is_working_day(date(2026, 4, 6))  # no Easter Monday in Scotland
    assert scotland.is_working_day(date(2026, 8, 31))


def test_holidays_are_always_built_with_a_subdivision(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, object]] = []
    real = holidays.country_holidays

    def recording(*args: object, **kwargs: object) -> holidays.HolidayBase:
        calls.append({"args": args, **kwargs})
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(calendar_module.holidays, "country_holidays", recording)
    calendar_module._bank_holidays.cache_clear()
    try:
        for nation in Nation:
            WorkingCalendar(nation).is_working_day(date(2026, 7, 13))
    finally:
        calendar_module._bank_holidays.cache_clear()
    assert calls, "the calendar should build holidays objects"
    assert {call["subdiv"] for call in calls} == {"ENG", "WLS", "SCT", "NIR"}


def test_holidays_objects_are_cached_per_nation() -> None:
    assert calendar_module._bank_holidays(Nation.SCOTLAND) is calendar_module._bank_holidays(Nation.SCOTLAND)
    assert calendar_module._bank_holidays(Nation.SCOTLAND) is not calendar_module._bank_holidays(
        Nation.ENGLAND
    )


def test_closure_reasons_name_the_day() -> None:
    england = WorkingCalendar(Nation.ENGLAND, extra_closures=[date(2026, 12, 24)])
    assert england.closure_reason(date(2026, 12, 19)) == "Saturday"
    assert england.closure_reason(date(2026, 12, 20)) == "Sunday"
    assert england.closure_reason(date(2026, 12, 25)) == "Christmas Day (England and Wales bank holiday)"
    assert england.closure_reason(date(2026, 12, 26)) == "Saturday (also Boxing Day)"
    assert (
        england.closure_reason(date(2026, 12, 28))
        == "Boxing Day substitute day (England and Wales bank holiday)"
    )
    assert england.closure_reason(date(2026, 12, 24)) == "local closure day"
    assert england.closure_reason(date(2026, 12, 23)) is None
    assert WorkingCalendar(Nation.NORTHERN_IRELAND).closure_reason(date(2026, 7, 13)) == (
        "Battle of the Boyne substitute day (Northern Ireland bank holiday)"
    )
    assert WorkingCalendar(Nation.SCOTLAND).closure_reason(date(2026, 11, 30)) == (
        "Saint Andrew's Day (Scotland bank holiday)"
    )


def test_extra_closures_belong_to_one_calendar_only() -> None:
    with_closure = WorkingCalendar(Nation.ENGLAND, extra_closures=[date(2026, 12, 24)])
    without = WorkingCalendar(Nation.ENGLAND)
    assert not with_closure.is_working_day(date(2026, 12, 24))
    assert without.is_working_day(date(2026, 12, 24))
    assert with_closure.add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 29)
    assert without.add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 24)


def test_extra_closures_must_be_dates() -> None:
    with pytest.raises(TypeError):
        WorkingCalendar(Nation.ENGLAND, extra_closures=[datetime(2026, 12, 24, tzinfo=UTC)])


# -- the counting convention (process-rules 5.3) --------------------------------------------------


def test_notification_made_on_friday_18_december_2026_is_due_tuesday_29_december() -> None:
    england = WorkingCalendar(Nation.ENGLAND)
    assert england.due(date(2026, 12, 18), 5, Unit.WORKING_DAYS) == date(2026, 12, 29)
    assert england.add_working_days(date(2026, 12, 18), 5) == date(2026, 12, 29)


def test_trigger_on_a_non_working_day_makes_the_next_working_day_day_one() -> None:
    england = WorkingCalendar(Nation.ENGLAND)
    assert england.add_working_days(date(2026, 12, 19), 1) == date(2026, 12, 21)  # Saturday trigger
    assert england.add_working_days(date(2026, 12, 25), 1) == date(2026, 12, 29)  # Christmas trigger
    # Same as counting N working days strictly after the trigger day.
    assert england.add_working_days(date(2026, 12, 19), 5) == england.add_working_days(date(2026, 12, 18), 5)


def test_zero_working_days_is_the_trigger_day() -> None:
    england = WorkingCalendar(Nation.ENGLAND)
    assert england.add_working_days(date(2026, 12, 23), 0) == date(2026, 12, 23)


def test_rapid_review_fifteen_working_days_across_new_year_per_nation() -> None:
    start = date(2026, 12, 23)
    # England: 24 Dec (1), 29-31 Dec (2-4), 4-8 Jan (5-9), 11-15 Jan (10-14), 18 Jan (15).
    assert WorkingCalendar(Nation.ENGLAND).add_working_days(start, 15) == date(2027, 1, 18)
    # Scotland also closes on Monday 4 January 2027 (2nd January substitute day).
    assert WorkingCalendar(Nation.SCOTLAND).add_working_days(start, 15) == date(2027, 1, 19)
    assert WorkingCalendar(Nation.NORTHERN_IRELAND).add_working_days(start, 15) == date(2027, 1, 18)


def test_at_least_n_working_days_before_counts_back_from_the_date() -> None:
    england = WorkingCalendar(Nation.ENGLAND)
    # Publication Monday 11 January 2027: 8,7,6,5,4 Jan, (1 Jan holiday), 31 Dec, 30 Dec.
    assert england.subtract_working_days(date(2027, 1, 11), 7) == date(2026, 12, 30)
    assert england.due(date(2027, 1, 11), 7, Unit.WORKING_DAYS, Direction.BEFORE) == date(2026, 12, 30)
    assert england.add_working_days(date(2026, 12, 30), 7) == date(2027, 1, 11)
    # From a Sunday, the Friday before is the first working day back.
    assert england.subtract_working_days(date(2027, 1, 10), 1) == date(2027, 1, 8)


def test_working_days_between_is_signed() -> None:
    england = WorkingCalendar(Nation.ENGLAND)
    assert england.working_days_between(date(2026, 12, 18), date(2026, 12, 29)) == 5
    assert england.working_days_between(date(2026, 12, 29), date(2026, 12, 18)) == -5
    assert england.working_days_between(date(2026, 12, 29), date(2026, 12, 29)) == 0
    assert england.working_days_between(date(2026, 12, 24), date(2026, 12, 28)) == 0  # only closures between


def test_next_working_day_is_strictly_after_and_on_or_after_may_be_the_day() -> None:
    england = WorkingCalendar(Nation.ENGLAND)
    assert england.next_working_day(date(2026, 12, 23)) == date(2026, 12, 24)
    assert england.next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)
    assert england.on_or_after(date(2026, 12, 24)) == date(2026, 12, 24)
    assert england.on_or_after(date(2026, 12, 25)) == date(2026, 12, 29)
    assert england.previous_working_day(date(2026, 12, 29)) == date(2026, 12, 24)


# -- other units -----------------------------------------------------------------------------------


def test_months_clamp_to_the_end_of_the_month() -> None:
    england = WorkingCalendar(Nation.ENGLAND)
    assert england.due(date(2026, 8, 31), 6, Unit.MONTHS) == date(2027, 2, 28)
    assert england.due(date(2027, 8, 31), 6, Unit.MONTHS) == date(2028, 2, 29)  # leap year
    assert england.due(date(2026, 1, 31), 1, Unit.MONTHS) == date(2026, 2, 28)
    assert england.due(date(2026, 8, 31), 6, Unit.MONTHS, Direction.BEFORE) == date(2026, 2, 28)


def test_calendar_days_weeks_and_years_count_every_day() -> None:
    scotland = WorkingCalendar(Nation.SCOTLAND)
    assert scotland.due(date(2026, 12, 23), 7, Unit.CALENDAR_DAYS) == date(2026, 12, 30)
    assert scotland.due(date(2026, 12, 23), 14, Unit.CALENDAR_DAYS) == date(2027, 1, 6)
    assert scotland.due(date(2027, 3, 1), 2, Unit.WEEKS) == date(2027, 3, 15)
    assert scotland.due(date(2028, 2, 29), 1, Unit.YEARS) == date(2029, 2, 28)
    # A calendar-day deadline on a weekend is not moved.
    assert scotland.due(date(2026, 12, 19), 7, Unit.CALENDAR_DAYS) == date(2026, 12, 26)


def test_hours_are_elapsed_time_across_the_spring_clock_change() -> None:
    scotland = WorkingCalendar(Nation.SCOTLAND)
    # Saturday 28 March 2026 12:00 GMT; clocks go forward at 01:00 on Sunday 29 March.
    start = datetime(2026, 3, 28, 12, 0, tzinfo=LONDON)
    due = scotland.due(start, 24, Unit.HOURS)
    assert isinstance(due, datetime)
    assert due == datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
    assert due.astimezone(LONDON).hour == 13  # 13:00 BST on the wall clock
    assert due - start == timedelta(hours=24)


def test_hours_are_elapsed_time_across_the_autumn_clock_change() -> None:
    scotland = WorkingCalendar(Nation.SCOTLAND)
    # Saturday 24 October 2026 12:00 BST; clocks go back at 02:00 on Sunday 25 October.
    start = datetime(2026, 10, 24, 12, 0, tzinfo=LONDON)
    due = scotland.due(start, 24, Unit.HOURS)
    assert isinstance(due, datetime)
    assert due.astimezone(LONDON).replace(tzinfo=None) == datetime(2026, 10, 25, 11, 0)
    assert due - start == timedelta(hours=24)


def test_hours_need_a_time_and_datetimes_must_be_aware() -> None:
    england = WorkingCalendar(Nation.ENGLAND)
    with pytest.raises(TypeError):
        england.due(date(2026, 3, 28), 24, Unit.HOURS)
    with pytest.raises(ValueError):
        england.due(datetime(2026, 3, 28, 12), 5, Unit.WORKING_DAYS)  # naive


def test_an_aware_instant_counts_from_its_uk_date() -> None:
    england = WorkingCalendar(Nation.ENGLAND)
    # 23:30 UTC on Tuesday 30 June 2026 is 00:30 BST on Wednesday 1 July.
    late_evening = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert england.due(late_evening, 1, Unit.WORKING_DAYS) == date(2026, 7, 2)


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(ValueError, match="before"):
        WorkingCalendar(Nation.ENGLAND).due(date(2026, 1, 5), -1, Unit.WORKING_DAYS)


def test_nation_and_unit_accept_their_string_values() -> None:
    calendar = WorkingCalendar("northern_ireland")
    assert calendar.nation is Nation.NORTHERN_IRELAND
    assert calendar.due(date(2026, 7, 10), 1, "working_days") == date(2026, 7, 14)


# -- explain --------------------------------------------------------------------------------------


def test_explain_lists_each_day_and_why_it_was_skipped() -> None:
    explanation = WorkingCalendar(Nation.ENGLAND).explain(date(2026, 12, 18), 5, Unit.WORKING_DAYS)
    assert explanation.due == date(2026, 12, 29)
    steps = [(s.day.day, s.counted, s.count, s.reason) for s in explanation.steps]
    assert steps == [
        (19, False, None, "Saturday"),
        (20, False, None, "Sunday"),
        (21, True, 1, None),
        (22, True, 2, None),
        (23, True, 3, None),
        (24, True, 4, None),
        (25, False, None, "Christmas Day (England and Wales bank holiday)"),
        (26, False, None, "Saturday (also Boxing Day)"),
        (27, False, None, "Sunday"),
        (28, False, None, "Boxing Day substitute day (England and Wales bank holiday)"),
        (29, True, 5, None),
    ]
    assert [s.day.day for s in explanation.skipped] == [19, 20, 25, 26, 27, 28]
    assert "day 0" in explanation.rule
    assert "England and Wales" in explanation.rule


def test_explain_before_steps_backwards() -> None:
    explanation = WorkingCalendar(Nation.ENGLAND).explain(
        date(2027, 1, 11), 7, Unit.WORKING_DAYS, Direction.BEFORE
    )
    assert explanation.due == date(2026, 12, 30)
    assert explanation.steps[0].day == date(2027, 1, 10)
    assert explanation.steps[-1] == calendar_module.SteppedDay(date(2026, 12, 30), True, 7, None)
    assert any(s.reason == "New Year's Day (England and Wales bank holiday)" for s in explanation.skipped)
    assert "before" in explanation.rule


def test_explain_calendar_days_counts_weekends_and_says_so() -> None:
    explanation = WorkingCalendar(Nation.SCOTLAND).explain(date(2026, 12, 23), 7, Unit.CALENDAR_DAYS)
    assert explanation.due == date(2026, 12, 30)
    assert len(explanation.steps) == 7
    assert all(step.counted for step in explanation.steps)
    christmas = next(s for s in explanation.steps if s.day == date(2026, 12, 25))
    assert christmas.reason is not None and "Christmas Day" in christmas.reason
    assert explanation.due_note is None


def test_explain_months_states_the_rule_and_warns_of_a_weekend_due_date() -> None:
    explanation = WorkingCalendar(Nation.ENGLAND).explain(date(2026, 8, 31), 6, Unit.MONTHS)
    assert explanation.due == date(2027, 2, 28)
    assert explanation.steps == ()
    assert "last day" in explanation.rule
    assert explanation.due_note is not None and "Sunday" in explanation.due_note


def test_format_day_is_the_long_uk_form() -> None:
    assert format_day(date(2026, 12, 29)) == "Tuesday 29 December 2026"
    assert format_day(date(2027, 1, 1)) == "Friday 1 January 2027"
