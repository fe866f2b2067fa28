"""The checks on a date a person gives for an event of a case's life (pure: no database, no clock).

Why here and not in each command: every event the rule data names is checked the same way, whichever
command or button records it. A date must be plausible (bot.calendar.plausible), not in the future
where the event must already have happened, and not before the events it follows (nor after an event
recorded later in the process that follows it). Each refusal says what to change, in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot.calendar.plausible import date_problem
from bot.rules.models import Lifecycle, LifecycleEvent

REVIEW_HELD = "lcspr"
NO_REVIEW = "no_further_review"
OTHER_REVIEW = "other_local_review"


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def event_named(lifecycle: Lifecycle, word: str) -> LifecycleEvent | None:
    """The event a person named (`publication`, `intended-publication`, `Intended publication`)."""
    wanted = word.strip().lower().replace("-", "_").replace(" ", "_")
    return lifecycle.event(wanted)


def recordable_words(lifecycle: Lifecycle) -> str:
    return ", ".join(f"`{e.id}`" for e in lifecycle.by_command())


def date_refusal(
    lifecycle: Lifecycle,
    event: LifecycleEvent,
    on: date,
    *,
    today: date,
    recorded: Mapping[str, date],
) -> str | None:
    """None when ``on`` may be recorded as the day ``event`` happened; otherwise what is wrong.

    ``recorded`` maps the case's events recorded so far to their UK dates.
    """
    what = f"The date of '{event.label}'"
    problem = date_problem(on, today=today, must_be_past=event.must_be_past, what=what)
    if problem:
        return problem
    for earlier_id in event.after:
        earlier = recorded.get(earlier_id)
        if earlier is not None and on < earlier:
            label = _label(lifecycle, earlier_id)
            return f"{what} ({_day(on)}) is before '{label}' ({_day(earlier)}). It can't come first."
    for later in lifecycle.events:
        later_on = recorded.get(later.id)
        if later_on is not None and event.id in later.after and on > later_on:
            return (
                f"{what} ({_day(on)}) is after '{later.label}' ({_day(later_on)}), which follows it. "
                "Check both dates."
            )
    return None


def review_refusal(event: LifecycleEvent, decision: str | None, review_name: str) -> str | None:
    """Why an event that belongs to the review can't be recorded yet (or at all) for this decision."""
    if not event.review_only:
        return None
    if decision is None:
        return f"'{event.label}' follows the decision: record the decision and send it first."
    if decision == NO_REVIEW:
        return f"The partners decided on no further review, so there is no {review_name} to record this for."
    return None


def _label(lifecycle: Lifecycle, event_id: str) -> str:
    found = lifecycle.event(event_id)
    return found.label if found is not None else event_id.replace("_", " ")
