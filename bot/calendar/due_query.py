"""The ``/review due`` question: "when is 15 working days from 23/12/2026?", parsed and answered.

Why its own parser: people type this in a hurry, so anything the bot cannot read exactly (an
impossible date, "days" without saying which kind) is refused with a plain-English reason and an
example of the right form, never guessed. The answer shows its working (every holiday skipped, by
name) so a business manager can check it against the statutory guidance.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import re
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.calendar.plausible import date_problem
from bot.calendar.working_days import Direction, Nation, Unit, WorkingCalendar, bank_holiday_names, format_day
from bot.slack.mrkdwn import echo
from bot.slack.mrkdwn import escape as _escape

EXAMPLE = "`/review due 15 working days from 23/12/2026` (or `... in scotland`, `... before 10/01/2027`)"

# The most ReviewBot will count in one question; beyond this a typo is likelier than a real need.
MAX_AMOUNT: dict[Unit, int] = {
    Unit.WORKING_DAYS: 1000,
    Unit.CALENDAR_DAYS: 3660,
    Unit.WEEKS: 520,
    Unit.MONTHS: 120,
    Unit.YEARS: 25,
}
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100

_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}

_UNIT_WORDS: list[tuple[re.Pattern[str], Unit | None]] = [
    (re.compile(r"^(working|business)[ -]days?$|^wds?$"), Unit.WORKING_DAYS),
    (re.compile(r"^calendar[ -]days?$|^cds?$"), Unit.CALENDAR_DAYS),
    (re.compile(r"^weeks?$"), Unit.WEEKS),
    (re.compile(r"^months?$"), Unit.MONTHS),
    (re.compile(r"^years?$"), Unit.YEARS),
    (re.compile(r"^days?$"), None),  # ambiguous: refused with a question
]

_NATIONS: dict[str, Nation] = {
    "england": Nation.ENGLAND,
    "wales": Nation.WALES,
    "scotland": Nation.SCOTLAND,
    "northern ireland": Nation.NORTHERN_IRELAND,
    "northern_ireland": Nation.NORTHERN_IRELAND,
    "northern-ireland": Nation.NORTHERN_IRELAND,
    "ni": Nation.NORTHERN_IRELAND,
}

_IN_NATION = re.compile(r"(?:^|\s)in\s+(northern[ _-]ireland|england|wales|scotland|ni)(?=\s|$)")
_SHAPE = re.compile(r"^(?P<amount>\S+)\s+(?P<unit>.+?)\s+(?P<direction>from|after|before)\s+(?P<start>\S+)$")
_DMY = re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$")
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")


class DueQueryError(ValueError):
    """The question could not be read; the message says why and shows the right form."""


class DueQuery(BaseModel):
    """A parsed ``/review due`` question."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    amount: int = Field(ge=0)
    unit: Unit
    direction: Direction
    start: date
    nation: Nation | None = None
    start_is_today: bool = False

    @model_validator(mode="after")
    def _within_limits(self) -> DueQuery:
        if self.unit is Unit.HOURS:
            raise ValueError("hours need a time of day; ask in working days, calendar days, weeks or months")
        limit = MAX_AMOUNT[self.unit]
        if self.amount > limit:
            raise ValueError(f"at most {self.unit.describe(limit)} can be counted in one question")
        return self


def parse_due_query(text: str, today: date | None = None) -> DueQuery:
    """Read the text after ``/review due``. ``today`` (the UK date) is needed only for "from today".

    Raises DueQueryError with a plain-English reason and an example when the text cannot be read.
    """
    cleaned = " ".join(text.strip().lower().replace(",", " ").split())
    cleaned = re.sub(r"^/review\s+", "", cleaned)
    cleaned = re.sub(r"^due(\s+|$)", "", cleaned)
    if not cleaned:
        raise DueQueryError(f"Tell me how long and from when, for example {EXAMPLE}.")

    nation: Nation | None = None
    found = _IN_NATION.findall(cleaned)
    if len(found) > 1:
        raise DueQueryError(
            f"Name one nation only (england, wales, scotland or northern ireland). Try {EXAMPLE}."
        )
    if found:
        nation = _NATIONS[re.sub(r"[ _-]+", " ", found[0])]
        cleaned = _IN_NATION.sub(" ", cleaned).strip()
        cleaned = " ".join(cleaned.split())
    elif re.search(r"(?:^|\s)in\s+\S+", cleaned):
        place = re.search(r"(?:^|\s)in\s+(.+)$", cleaned)
        named = place.group(1) if place else "that place"
        raise DueQueryError(
            f"I don't know the nation '{echo(named)}': use england, wales, scotland or northern ireland. "
            f"Try {EXAMPLE}."
        )

    shape = _SHAPE.match(cleaned)
    if not shape:
        raise DueQueryError(
            f"I couldn't read that. Say how long, the unit, from/before, and a date: {EXAMPLE}."
        )

    amount = _amount(shape.group("amount"))
    unit = _unit(shape.group("unit"))
    direction = Direction.BEFORE if shape.group("direction") == "before" else Direction.AFTER
    start_text = shape.group("start")
    if start_text == "today":
        if today is None:
            raise DueQueryError("I can't tell what today is here; give the date instead, e.g. 23/12/2026.")
        start, is_today = today, True
    else:
        start, is_today = read_date(start_text), False
        problem = date_problem(start, today=start, must_be_past=False, what="The start date")
        if problem:
            raise DueQueryError(problem)
    try:
        return DueQuery(
            amount=amount, unit=unit, direction=direction, start=start, nation=nation, start_is_today=is_today
        )
    except ValidationError as error:
        reasons = "; ".join(str(e.get("ctx", {}).get("error", e["msg"])) for e in error.errors())
        raise DueQueryError(f"{reasons[:1].upper()}{reasons[1:]}. Try {EXAMPLE}.") from None


def _amount(text: str) -> int:
    if text.isdecimal():
        return int(text)
    if text in _NUMBER_WORDS:
        return _NUMBER_WORDS[text]
    if text.startswith("-"):
        raise DueQueryError(
            "Use a positive number and 'before' to count back, e.g. `7 working days before 10/01/2027`."
        )
    raise DueQueryError(
        f"'{echo(text)}' isn't a number of days I can read: write it in digits, e.g. {EXAMPLE}."
    )


def _unit(text: str) -> Unit:
    for pattern, unit in _UNIT_WORDS:
        if pattern.match(text):
            if unit is None:
                raise DueQueryError(
                    "Working days or calendar days? Say which, e.g. `15 working days from 23/12/2026` "
                    "or `7 calendar days from 23/12/2026`."
                )
            return unit
    if re.match(r"^hours?$", text):
        raise DueQueryError(
            "Hours need a time of day, which this command doesn't take: ask in working days, calendar days, "
            "weeks or months."
        )
    raise DueQueryError(
        f"I don't know the unit '{text}': use working days, calendar days, weeks, months or years. "
        f"Try {EXAMPLE}."
    )


def read_date(text: str) -> date:
    """A date typed as DD/MM/YYYY or YYYY-MM-DD, in ReviewBot's range; DueQueryError says what is wrong."""
    match = _DMY.match(text) or _ISO.match(text)
    if not match:
        raise DueQueryError(
            f"I can't read the date '{echo(text, 20)}': write it as DD/MM/YYYY (23/12/2026), "
            "YYYY-MM-DD (2026-12-23) "
            f"or 'today'. Try {EXAMPLE}."
        )
    day, month, year = int(match.group("d")), int(match.group("m")), int(match.group("y"))
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise DueQueryError(
            f"{echo(text, 20)}: ReviewBot counts dates from {EARLIEST_YEAR} to {LATEST_YEAR} only."
        )
    if not 1 <= month <= 12:
        raise DueQueryError(
            f"{text} isn't a real date: there is no month {month}. Dates are day/month/year, e.g. 23/12/2026."
        )
    last = stdlib_calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DueQueryError(
            f"{text} isn't a real date: {stdlib_calendar.month_name[month]} {year} has {last} days."
        )
    return date(year, month, day)


def answer_due_query(q: DueQuery, calendar: WorkingCalendar) -> str:
    """The answer in Slack mrkdwn: the date, how it was counted, and every holiday or closure skipped.

    A question naming another nation uses that nation's bank holidays without the partnership's own
    closure days, which belong to its home calendar.
    """
    lines: list[str] = []
    other_nation_note: str | None = None
    if q.nation is not None and q.nation is not calendar.nation:
        calendar = WorkingCalendar(q.nation)
        other_nation_note = (
            f"Counted on the {q.nation.bank_holiday_label} bank holidays; "
            "your local closure days are not applied."
        )
    explanation = calendar.explain(q.start, q.amount, q.unit, q.direction)
    due = explanation.due
    assert isinstance(due, date)
    start_words = format_day(q.start) + (" (today)" if q.start_is_today else "")
    what = q.unit.describe(q.amount)
    if q.direction is Direction.BEFORE:
        headline = f"*{format_day(due)}* is {what} before {start_words}."
    else:
        headline = f"*{format_day(due)}* is {what} after {start_words}."
    lines.append(headline)
    place = f"{calendar.nation.label}: {calendar.nation.bank_holiday_label} bank holidays"
    if calendar.extra_closures:
        place += " and your local closure days"
    lines.append(f"_Calendar:_ {_escape(place)}.")
    if other_nation_note:
        lines.append(_escape(other_nation_note))
    start_is_working = calendar.is_working_day(q.start)
    lines.append(f"_How it's counted:_ {_escape(_counting_rule(q, start_words, start_is_working))}")

    if q.unit is Unit.WORKING_DAYS:
        named = [step for step in explanation.skipped if _is_named_closure(calendar, step.day)]
        weekend_only = [step for step in explanation.skipped if not _is_named_closure(calendar, step.day)]
        if named:
            lines.append("_Skipped:_")
            lines.extend(
                f"• {format_day(step.day)}: {_escape(_closure_words(calendar, step.day))}" for step in named
            )
        if weekend_only:
            days = len(weekend_only)
            other = " other" if named else ""
            lines.append(f"Also skipped {days}{other} weekend day{'s' if days != 1 else ''}.")
        if not named and not weekend_only:
            lines.append("No weekends or holidays fell in the count.")
    else:
        first, last = sorted((q.start, due))
        counted = [day for day, _ in calendar.closures_between(first, last) if day != q.start]
        if counted:
            lines.append("_Counted anyway (this timescale is not in working days):_")
            lines.extend(f"• {format_day(day)}: {_escape(_closure_words(calendar, day))}" for day in counted)
        if explanation.due_note:
            lines.append(f":warning: {_escape(explanation.due_note)}.")
    return "\n".join(lines)


def _counting_rule(q: DueQuery, start_words: str, start_is_working: bool) -> str:
    if q.unit is Unit.WORKING_DAYS:
        if q.direction is Direction.BEFORE:
            return (
                f"{start_words} is day 0; count back {q.amount} working days. Weekends and bank holidays "
                "don't count. This is the last day to act to be at least that many working days before."
            )
        rule = (
            f"{start_words} is day 0 and the next working day is day 1; the deadline is working day "
            f"{q.amount}. Weekends and bank holidays don't count."
        )
        if not start_is_working:
            rule += " The start is not a working day, so the first working day after it is day 1."
        return rule
    if q.unit in (Unit.CALENDAR_DAYS, Unit.WEEKS):
        return f"every day counts, weekends and bank holidays included; {start_words} is day 0."
    return (
        f"calendar {q.unit.value}: the same day of the month, or the month's last day when that day doesn't "
        "exist (31 August + 6 months = 28 February)."
    )


def _closure_words(calendar: WorkingCalendar, day: date) -> str:
    """'Christmas Day (England and Wales bank holiday)', or 'Boxing Day (falls on a Saturday)'."""
    names = bank_holiday_names(calendar.nation, day)
    if names and day.weekday() >= 5:
        return f"{'; '.join(names)} (falls on a {day.strftime('%A')})"
    return calendar.closure_reason(day) or ""


def _is_named_closure(calendar: WorkingCalendar, day: date) -> bool:
    """A bank holiday (even one falling on a weekend) or a local closure: worth naming."""
    reason = calendar.closure_reason(day)
    return reason is not None and reason not in ("Saturday", "Sunday")
