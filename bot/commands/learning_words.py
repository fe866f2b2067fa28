"""Reading the words of the Learning Together subcommands (`/review plan`, `episode`, `conversation`,
`family`, `hold`): days, times, people mentioned, yes/no, and free text through the identifier guard.
Every refusal says what to type instead and changes nothing."""

from __future__ import annotations

import re
from datetime import date, datetime

from bot.calendar.due_query import DueQueryError, read_date
from bot.clock import london_datetime
from bot.commands.deadlines import guarded_text
from bot.errors import BadInput
from bot.runtime.services import Services
from bot.slack.mrkdwn import echo

MENTION = re.compile(r"^<@([UW][A-Z0-9]{2,30})(?:\|[^>]*)?>$")
TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
YES = {"yes", "y", "invited", "true"}
NO = {"no", "n", "not", "false"}


def day_of(word: str, usage: str) -> date:
    try:
        return read_date(word.strip())
    except (DueQueryError, ValueError):
        raise BadInput(f"'{echo(word, 20)}' is not a date: write it as DD/MM/YYYY.", usage) from None


def looks_like_day(word: str) -> bool:
    return bool(re.match(r"^\d{1,2}/\d{1,2}/\d{4}$|^\d{4}-\d{2}-\d{2}$", word.strip()))


def moment(day_word: str, time_word: str, usage: str) -> datetime:
    day = day_of(day_word, usage)
    match = TIME.match(time_word.strip())
    if not match:
        raise BadInput(
            f"'{echo(time_word, 10)}' is not a time: write it as HH:MM (UK time), e.g. 14:00.", usage
        )
    return london_datetime(day, int(match.group(1)), int(match.group(2)))


def mentioned(word: str) -> str | None:
    match = MENTION.match(word.strip())
    return match.group(1) if match else None


def yes_no(word: str, usage: str) -> bool:
    value = word.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise BadInput(f"Say `yes` or `no`, not '{echo(word, 20)}'.", usage)


def guarded(services: Services, partnership_id: str, text: str, *, limit: int, what: str) -> str:
    value = " ".join(text.split())
    if len(value) > limit:
        raise BadInput(f"Keep {what} to {limit} characters.")
    problem = guarded_text(services, partnership_id, value) if value else None
    if problem:
        raise BadInput(problem)
    return value


def split_anyway(args: str) -> tuple[list[str], bool]:
    """The words, and whether the last one is `anyway` (going ahead, on purpose, despite a hold)."""
    words = args.split()
    if words and words[-1].lower() == "anyway":
        return words[:-1], True
    return words, False
