"""`/review record [<event> [DD/MM/YYYY] [link]]` in a case channel: the events of the case's review after
the decision (intended publication, report sent, publication with its link, final report, referral,
outcome ratified...), as its rule set names them. Alone, it lists them with what is recorded so far
(business unit, chair)."""

from __future__ import annotations

from datetime import date

from bot.access import Permission
from bot.calendar.due_query import read_date
from bot.calendar.working_days import format_day
from bot.cases.lifecycle import event_days, event_or_refuse, events_of, lifecycle_or_refuse, record_event
from bot.cases.models import Case
from bot.commands.finders import CASE_HERE
from bot.commands.gate import Needs, NotThere
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.commands.signoff import refresh_all
from bot.errors import BadInput
from bot.rapid_review.signoff import record_sent_to_panel
from bot.rules.models import AutoTrigger
from bot.runtime.services import Services

USAGE = "`/review record <event> [DD/MM/YYYY] [link]`, e.g. `/review record intended_publication 14/06/2027`"


def _day(text: str) -> date:
    """A day as typed (DD/MM/YYYY). Whether it may be in the future is the event's to say (an intended
    publication may be), so bot.cases.events checks it against the rule data."""
    try:
        return read_date(text.strip())
    except ValueError:
        raise BadInput("That is not a date.", "Write it as DD/MM/YYYY, e.g. 14/06/2027.") from None


def split_words(args: str) -> tuple[str, date | None, str | None]:
    """The event, the day (today when not given) and a link, in any order after the event."""
    words = args.split()
    if not words:
        raise BadInput("Say which event.", USAGE)
    on: date | None = None
    link: str | None = None
    for word in words[1:]:
        if word.strip("<>").startswith(("http://", "https://")):
            link = word.strip("<>").split("|")[0]
        elif on is None:
            on = _day(word)
        else:
            raise BadInput(f"I don't know what '{word[:20]}' is here.", USAGE)
    return words[0], on, link


async def events_text(services: Services, case_id: int) -> str:
    async with services.db.read() as session:
        case = await session.get(Case, case_id)
        if case is None:
            raise NotThere()
        lifecycle = lifecycle_or_refuse(case)
        days = event_days(case, await events_of(session, case.id))
    lines = [f"*{case.reference}: {lifecycle.review_name}*"]
    for event in lifecycle.events:
        if event.auto is AutoTrigger.OPENED:
            continue
        day = days.get(event.id)
        how = "recorded by ReviewBot" if event.auto is not None else f"`/review record {event.id}`"
        state = f"recorded {format_day(day)}" if day else f"not yet ({how})"
        lines.append(f"• {event.label}: {state}")
    return "\n".join(lines)


def register(features: Features) -> None:
    services = features.services

    async def record(ctx: CommandContext) -> CommandReply:
        case_id = ctx.admitted.case.case_id
        if not ctx.args.strip():
            return CommandReply(text=await events_text(services, case_id))
        word, on, link = split_words(ctx.args)
        async with services.db.read() as session:
            case = await session.get(Case, case_id)
            if case is None:
                raise NotThere()
            event = event_or_refuse(lifecycle_or_refuse(case), word)
        if event.auto is AutoTrigger.DECISION_SENT:
            # The same step as `/review panel sent`: every partner's sign-off is checked there.
            step = await record_sent_to_panel(services, case_id, ctx.user_id, on)
            refresh_all(services, case_id)
            return CommandReply(text=f"Recorded for {step.reference}: {event.label} ({step.on:%d/%m/%Y}).")
        done = await record_event(services, case_id, ctx.user_id, word, on, link)
        refresh_all(services, case_id)
        parts = [f"Recorded for {done.reference}: {done.label} ({done.on:%d/%m/%Y})."]
        if done.deadlines_dated:
            parts.append(f"{done.deadlines_dated} deadline(s) now have a date.")
        if done.deadlines_met:
            parts.append(f"Met: {', '.join(done.deadlines_met)}.")
        parts.append(f"Stage: {done.stage.replace('_', ' ')}.")
        return CommandReply(text=" ".join(parts))

    features.subcommand(
        "record",
        "record [<event> [DD/MM/YYYY] [link]]",
        "record a step of the review after the decision, e.g. the intended publication date (business "
        "unit, chair)",
        record,
        needs=Needs(Permission.EDIT_CASE, CASE_HERE),
        order=34,
    )
