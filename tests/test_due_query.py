"""The /review due command: reading the question and answering with the working shown."""

from __future__ import annotations

from datetime import date

import pytest

from bot.calendar.due_query import DueQuery, DueQueryError, answer_due_query, parse_due_query
from bot.calendar.working_days import Direction, Nation, Unit, WorkingCalendar

ENGLAND = WorkingCalendar(Nation.ENGLAND)
TODAY = date(2026, 12, 24)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "15 working days from 23/12/2026",
            DueQuery(amount=15, unit=Unit.WORKING_DAYS, direction=Direction.AFTER, start=date(2026, 12, 23)),
        ),
        (
            "due 15 working days from 23/12/2026",
            DueQuery(amount=15, unit=Unit.WORKING_DAYS, direction=Direction.AFTER, start=date(2026, 12, 23)),
        ),
        (
            "/review due 15 Working Days from 23/12/2026",
            DueQuery(amount=15, unit=Unit.WORKING_DAYS, direction=Direction.AFTER, start=date(2026, 12, 23)),
        ),
        (
            "15 working days from 23/12/2026 in scotland",
            DueQuery(
                amount=15,
                unit=Unit.WORKING_DAYS,
                direction=Direction.AFTER,
                start=date(2026, 12, 23),
                nation=Nation.SCOTLAND,
            ),
        ),
        (
            "5 working days from 2026-07-08 in Northern Ireland",
            DueQuery(
                amount=5,
                unit=Unit.WORKING_DAYS,
                direction=Direction.AFTER,
                start=date(2026, 7, 8),
                nation=Nation.NORTHERN_IRELAND,
            ),
        ),
        (
            "5 calendar days from today",
            DueQuery(
                amount=5, unit=Unit.CALENDAR_DAYS, direction=Direction.AFTER, start=TODAY, start_is_today=True
            ),
        ),
        (
            "7 working days before 10/01/2027",
            DueQuery(amount=7, unit=Unit.WORKING_DAYS, direction=Direction.BEFORE, start=date(2027, 1, 10)),
        ),
        (
            "6 months from 31/08/2026",
            DueQuery(amount=6, unit=Unit.MONTHS, direction=Direction.AFTER, start=date(2026, 8, 31)),
        ),
        (
            "2 weeks after 01/03/2027",
            DueQuery(amount=2, unit=Unit.WEEKS, direction=Direction.AFTER, start=date(2027, 3, 1)),
        ),
        (
            "1 year from 2027-01-11",
            DueQuery(amount=1, unit=Unit.YEARS, direction=Direction.AFTER, start=date(2027, 1, 11)),
        ),
        (
            "five wd from 1/2/2027",
            DueQuery(amount=5, unit=Unit.WORKING_DAYS, direction=Direction.AFTER, start=date(2027, 2, 1)),
        ),
    ],
)
def test_good_questions_parse(text: str, expected: DueQuery) -> None:
    assert parse_due_query(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("15 working days from 31/02/2026", "February 2026 has 28 days"),
        ("15 working days from 29/02/2027", "February 2027 has 28 days"),
        ("15 working days from 2026-04-31", "April 2026 has 30 days"),
        ("15 working days from 12/31/2026", "no month 31"),
        ("15 working days from 00/01/2026", "January 2026 has 31 days"),
        ("15 working days from 23-12-2026", "DD/MM/YYYY"),
        ("15 working days from 23/12/26", "DD/MM/YYYY"),
        ("15 days from 23/12/2026", "Working days or calendar days"),
        ("15 fortnights from 23/12/2026", "unit 'fortnights'"),
        ("24 hours from 23/12/2026", "Hours need a time of day"),
        ("lots of working days from 23/12/2026", "'lots' isn't a number"),
        ("x working days from 23/12/2026", "'x' isn't a number"),
        ("-3 working days from 23/12/2026", "'before' to count back"),
        ("15 working days until 23/12/2026", "I couldn't read that"),
        ("15 working days from 23/12/2026 in france", "nation 'france'"),
        ("15 working days from 23/12/2026 in scotland in wales", "one nation only"),
        ("5000 working days from 23/12/2026", "At most 1000 working days"),
        ("15 working days from 23/12/1850", "from 1990 to 2100"),
        ("", "how long and from when"),
        ("due", "how long and from when"),
    ],
)
def test_bad_questions_explain_what_is_wrong(text: str, reason: str) -> None:
    with pytest.raises(DueQueryError) as caught:
        parse_due_query(text, today=TODAY)
    assert reason in str(caught.value)


def test_errors_show_an_example_of_the_right_form() -> None:
    with pytest.raises(DueQueryError, match=r"/review due 15 working days from 23/12/2026"):
        parse_due_query("15 working days from 23-12-2026")


def test_today_needs_to_be_given() -> None:
    with pytest.raises(DueQueryError, match="today"):
        parse_due_query("5 calendar days from today")


def test_answer_shows_the_date_the_rule_and_every_holiday_skipped() -> None:
    answer = answer_due_query(parse_due_query("5 working days from 18/12/2026"), ENGLAND)
    assert answer.startswith("*Tuesday 29 December 2026* is 5 working days after Friday 18 December 2026.")
    assert "day 0" in answer
    assert "Friday 25 December 2026: Christmas Day (England and Wales bank holiday)" in answer
    assert "Saturday 26 December 2026: Boxing Day (falls on a Saturday)" in answer
    assert "Monday 28 December 2026: Boxing Day substitute day (England and Wales bank holiday)" in answer
    assert "Also skipped 3 other weekend days." in answer


def test_answer_in_another_nation_uses_its_holidays() -> None:
    answer = answer_due_query(parse_due_query("15 working days from 23/12/2026 in scotland"), ENGLAND)
    assert answer.startswith("*Tuesday 19 January 2027*")
    assert "Monday 4 January 2027: New Year Holiday substitute day (Scotland bank holiday)" in answer
    assert "Scotland bank holidays" in answer


def test_answer_names_local_closures() -> None:
    calendar = WorkingCalendar(Nation.ENGLAND, extra_closures=[date(2026, 12, 24)])
    answer = answer_due_query(parse_due_query("1 working day from 23/12/2026"), calendar)
    assert answer.startswith("*Tuesday 29 December 2026*")
    assert "Thursday 24 December 2026: local closure day" in answer
    assert "local closure days" in answer


def test_answer_counting_back() -> None:
    answer = answer_due_query(parse_due_query("7 working days before 11/01/2027"), ENGLAND)
    assert answer.startswith("*Wednesday 30 December 2026* is 7 working days before Monday 11 January 2027.")
    assert "New Year's Day" in answer


def test_answer_months_clamps_and_warns_of_a_weekend() -> None:
    answer = answer_due_query(parse_due_query("6 months from 31/08/2026"), ENGLAND)
    assert answer.startswith("*Sunday 28 February 2027* is 6 months after Monday 31 August 2026.")
    assert "28 February" in answer and "last day" in answer
    assert ":warning:" in answer and "not a working day" in answer
    assert "Christmas Day" in answer  # counted, and said so


def test_answer_today() -> None:
    answer = answer_due_query(parse_due_query("5 calendar days from today", today=TODAY), ENGLAND)
    assert answer.startswith(
        "*Tuesday 29 December 2026* is 5 calendar days after Thursday 24 December 2026 (today)."
    )
