"""`/review away <from> <to> deputy @person`, `/review away off`, and the same from the Home tab.

While someone is away their reminders go to the deputy they named (who must be able to see each
case: if not, the business manager gets it and is told why); they come back by themselves the day
after the period ends, or at once with `/review away off` or the Home tab's "I'm back". A bare
`/review away` opens the form (dates and a people picker), which is also how it is done from the
Home tab: a typed "@name" reaches ReviewBot as plain text, so the form is the sure way to pick a
person.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.access import Actor, Permission
from bot.calendar.due_query import DueQueryError, read_date
from bot.calendar.working_days import format_day
from bot.clock import london_date
from bot.commands.gate import Allowed, Needs
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput
from bot.home.service import publish_home
from bot.reminders.away import Away, cases_deputy_cannot_see, current_or_next, end_away, set_away
from bot.runtime.services import Services
from bot.slack.ids import ActionId, CallbackId
from bot.slack.mrkdwn import echo
from bot.slack.payloads import view_values
from bot.slack.requester import Requester

SET_AWAY = Needs(Permission.SET_AWAY)
USAGE = "away <from DD/MM/YYYY> <to DD/MM/YYYY> deputy @person | away off"
EXAMPLE = "for example `/review away 21/12/2026 04/01/2027 deputy @U0123ABCD`, or `/review away` for the form"
_MENTION = re.compile(r"^<@([UW][A-Z0-9]{8,})(?:\|[^>]*)?>$|^@?([UW][A-Z0-9]{8,})$")


def _text(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def away_modal(today: date) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": CallbackId.AWAY_MODAL,
        "title": _text("I'm away"),
        "submit": _text("Save"),
        "close": _text("Cancel"),
        "blocks": [
            {
                "type": "input",
                "block_id": "from",
                "label": _text("First day away"),
                "element": {"type": "datepicker", "action_id": "from", "initial_date": today.isoformat()},
            },
            {
                "type": "input",
                "block_id": "to",
                "label": _text("Last day away"),
                "element": {"type": "datepicker", "action_id": "to"},
            },
            {
                "type": "input",
                "block_id": "deputy",
                "label": _text("Deputy"),
                "element": {"type": "users_select", "action_id": "deputy"},
                "hint": _text("Your reminders go to them meanwhile. They must be in your partnership."),
            },
        ],
    }


def parse_away(args: str) -> tuple[date, date, str]:
    """`<from> <to> deputy <who>`: the dates and the deputy's member id."""
    words = args.split()
    if len(words) != 4 or words[2].lower() != "deputy":
        raise BadInput("I need the first and last day away and your deputy,", EXAMPLE)
    try:
        first, last = read_date(words[0]), read_date(words[1])
    except DueQueryError as exc:
        raise BadInput(str(exc)) from None
    match = _MENTION.match(words[3])
    if match is None:
        raise BadInput(
            f"I can't tell who {echo(words[3])} is from a typed command.",
            "Run `/review away` on its own to pick your deputy in a form, or give their member ID "
            "(in their Slack profile: ⋮ > Copy member ID).",
        )
    return first, last, match.group(1) or match.group(2)


def _said(away: Away, not_seen: list[str]) -> str:
    back = format_day(away.ends_on)
    text = (
        f"You're away from {format_day(away.starts_on)} to {back}. Your reminders go to "
        f"<@{away.deputy_user_id}> meanwhile and come back to you after {back}. "
        "`/review away off` when you are back early."
    )
    if not_seen:
        shown = ", ".join(not_seen[:10]) + (f" and {len(not_seen) - 10} more" if len(not_seen) > 10 else "")
        text += (
            f"\n:warning: <@{away.deputy_user_id}> cannot see {shown}: reminders for "
            f"{'that case' if len(not_seen) == 1 else 'those cases'} go to the business manager instead."
        )
    return text


async def _set(services: Services, actors: list[Actor], first: date, last: date, deputy: str) -> str:
    """Set the period in each partnership the deputy is in too; what to tell the person."""
    shared = [
        a for a in actors if a.partnership_id and services.config.partnership(a.partnership_id).person(deputy)
    ]
    if not shared:
        raise BadInput(
            "Your deputy must be in your partnership.",
            "Name someone your business manager has added to ReviewBot.",
        )
    said: list[str] = []
    async with services.db.session() as session:
        for actor in shared:
            away = await set_away(
                services, session, actor, starts_on=first, ends_on=last, deputy_user_id=deputy
            )
            said.append(_said(away, await cases_deputy_cannot_see(services, session, actor, deputy)))
    return "\n".join(dict.fromkeys(said))


async def _status(services: Services, actors: list[Actor]) -> str:
    today = london_date(services.clock.now())
    async with services.db.read() as session:
        for actor in actors:
            assert actor.partnership_id is not None
            away = await current_or_next(session, actor.partnership_id, actor.user_id, today)
            if away is not None:
                return _said(away, [])
    return f"You're not set as away. `/review {USAGE}`."


async def _back(services: Services, actors: list[Actor]) -> str:
    ended = False
    async with services.db.session() as session:
        for actor in actors:
            ended = await end_away(services, session, actor) or ended
    return (
        "Welcome back: your reminders come to you again from the next delivery."
        if ended
        else "You weren't set as away, so nothing changed."
    )


def _picked(values: dict[str, Any], block: str, key: str) -> str | None:
    """What the person picked in one input of the form (None if missing or not what Slack sends)."""
    inner = values.get(block)
    state = inner.get(block) if isinstance(inner, dict) else None
    value = state.get(key) if isinstance(state, dict) else None
    return value if isinstance(value, str) and value else None


def _actors(allowed: Allowed) -> list[Actor]:
    return list(allowed.actors) or [allowed.actor]


def register(features: Features) -> None:
    services = features.services

    def _open_form(requester: Requester) -> None:
        if requester.trigger_id is None:
            raise BadInput("Slack did not send what is needed to open a form. Please try again.")

        async def _tell(text: str) -> None:
            await requester.tell(services.gateway, text)

        view = away_modal(london_date(services.clock.now()))
        services.tasks.spawn(
            services.gateway.open_view(requester.trigger_id, view),
            name="open-away-modal",
            urgent=True,
            tell=_tell,
        )

    async def away(ctx: CommandContext) -> CommandReply:
        args = ctx.args.strip()
        actors = _actors(ctx.admitted)
        if args.lower() in ("off", "back"):
            text = await _back(services, actors)
        elif args.lower() == "status":
            text = await _status(services, actors)
        elif not args:
            _open_form(ctx.requester)
            return CommandReply(text="")
        else:
            first, last, deputy = parse_away(args)
            text = await _set(services, actors, first, last, deputy)
        services.tasks.spawn(publish_home(services, ctx.user_id), name="publish-home")
        return CommandReply(text=text)

    features.subcommand(
        "away",
        USAGE,
        "while you are away, your reminders go to a deputy you name (`away` alone opens a form)",
        away,
        needs=SET_AWAY,
        order=35,
    )

    @features.action(ActionId.AWAY_OPEN, needs=SET_AWAY)
    async def open_from_home(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        _open_form(Requester.from_body(body))

    @features.action(ActionId.AWAY_BACK, needs=SET_AWAY)
    async def back_from_home(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        await _back(services, _actors(allowed))
        services.tasks.spawn(publish_home(services, allowed.user_id), name="publish-home")

    @features.view(CallbackId.AWAY_MODAL, needs=SET_AWAY)
    async def submitted(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        values = view_values(body)
        raw_first = _picked(values, "from", "selected_date")
        raw_last = _picked(values, "to", "selected_date")
        deputy = _picked(values, "deputy", "selected_user")
        errors: dict[str, str] = {}
        if not raw_first:
            errors["from"] = "Pick the first day away."
        if not raw_last:
            errors["to"] = "Pick the last day away."
        if not deputy:
            errors["deputy"] = "Pick your deputy."
        if errors or not (raw_first and raw_last and deputy):
            await ack(response_action="errors", errors=errors)
            return
        try:
            text = await _set(
                services,
                _actors(allowed),
                date.fromisoformat(raw_first),
                date.fromisoformat(raw_last),
                deputy,
            )
        except (BadInput, ValueError) as exc:
            message = exc.text if isinstance(exc, BadInput) else "That is not a real date."
            await ack(response_action="errors", errors={"to": message[:150]})
            return
        await ack()
        services.tasks.spawn(publish_home(services, allowed.user_id), name="publish-home")
        services.tasks.spawn(services.gateway.send_dm(allowed.user_id, text), name="away-set")
