"""`/review hold` in a case channel: the holds parallel proceedings put on the review (review team,
business unit).

    /review hold                                        the holds in force
    /review hold no-contact police|cps DD/MM/YYYY <reason>   family contact and conversations wait
    /review hold publication <reason>                   the publication deadline shows as held
    /review hold lift no-contact                        when the police or CPS agree

A publication hold is lifted by the review's own event, `/review record publication_hold_lifted`.
"""

from __future__ import annotations

from bot.access import Permission
from bot.cases.lifecycle import lifecycle_or_refuse
from bot.cases.models import Case
from bot.cases.slack_sync import request_card_refresh
from bot.commands.finders import CASE_HERE, admitted_case
from bot.commands.gate import Needs
from bot.commands.learning_words import day_of, guarded, looks_like_day
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput
from bot.learning_together.holds import holds_in_force, lift_no_contact, line_of, place_hold
from bot.learning_together.models import REASON_LIMIT
from bot.learning_together.terms import PUBLICATION_HOLD_LIFTED, HoldKind, RequestedBy
from bot.runtime.services import Services

USAGE = (
    "`/review hold no-contact police|cps DD/MM/YYYY <reason>` (the date: when to look at it again), "
    "`/review hold publication <reason>`, `/review hold lift no-contact`, or `/review hold` to see them."
)


async def holds_text(services: Services, case: Case) -> str:
    async with services.db.read() as session:
        holds = [line_of(h) for h in await holds_in_force(session, case.id)]
    if not holds:
        return f"*{case.reference}*: no holds in force."
    return "\n".join([f"*{case.reference}: holds in force*", *(f"• {h.text()}" for h in holds)])


def register(features: Features) -> None:
    services = features.services

    async def hold(ctx: CommandContext) -> CommandReply:
        case = await admitted_case(services, ctx.admitted)
        words = ctx.args.split()
        if not words:
            return CommandReply(text=await holds_text(services, case))
        what = words[0].lower().replace("_", "-")
        if what == "lift":
            if len(words) < 2 or words[1].lower().replace("_", "-") not in ("no-contact", "publication"):
                raise BadInput("Say which hold to lift.", USAGE)
            if words[1].lower().startswith("publication"):
                raise BadInput(
                    "Publication is released by the review's own event.",
                    f"`/review record {PUBLICATION_HOLD_LIFTED}` (the day is today unless you give one).",
                )
            await lift_no_contact(services, case.id, user_id=ctx.user_id)
            return CommandReply(
                text=f"No-contact hold lifted for {case.reference}: family contact and "
                "conversations with practitioners can be arranged again."
            )
        if what == "no-contact":
            if len(words) < 4:
                raise BadInput("Say who asked, when to look at it again, and why.", USAGE)
            try:
                who = RequestedBy(words[1].lower())
            except ValueError:
                raise BadInput("Say who asked for no contact: `police` or `cps`.", USAGE) from None
            if not looks_like_day(words[2]):
                raise BadInput("Give the day to look at the hold again (DD/MM/YYYY).", USAGE)
            review_on = day_of(words[2], USAGE)
            reason = guarded(
                services, case.partnership_id, " ".join(words[3:]), limit=REASON_LIMIT, what="the reason"
            )
            placed = await place_hold(
                services,
                case.id,
                user_id=ctx.user_id,
                kind=HoldKind.NO_CONTACT,
                reason=reason,
                requested_by=who,
                review_on=review_on,
            )
            return CommandReply(
                text=f"Held for {case.reference}: {line_of(placed).text()}. Scheduling a "
                "conversation or contact with the family now warns whoever does it."
            )
        if what == "publication":
            if len(words) < 2:
                raise BadInput("Say why publication is on hold.", USAGE)
            lifecycle = lifecycle_or_refuse(case)
            if lifecycle.event(PUBLICATION_HOLD_LIFTED) is None:
                raise BadInput(f"{case.reference}'s rule set has no publication hold to record.")
            reason = guarded(
                services, case.partnership_id, " ".join(words[1:]), limit=REASON_LIMIT, what="the reason"
            )
            placed = await place_hold(
                services,
                case.id,
                user_id=ctx.user_id,
                kind=HoldKind.PUBLICATION,
                reason=reason,
                requested_by=None,
                review_on=None,
            )
            request_card_refresh(services, case.id)
            return CommandReply(
                text=f"Held for {case.reference}: {line_of(placed).text()}. The publication "
                "deadline now shows as held; its statutory date does not move. Lift it with "
                f"`/review record {PUBLICATION_HOLD_LIFTED}`."
            )
        raise BadInput(f"I don't know the hold '{what[:20]}'.", USAGE)

    features.subcommand(
        "hold",
        "hold [no-contact police|cps DD/MM/YYYY <reason> | publication <reason> | lift no-contact]",
        "parallel proceedings: hold family contact and conversations, or publication (review team, "
        "business unit)",
        hold,
        needs=Needs(Permission.MANAGE_LEARNING_REVIEW, CASE_HERE),
        order=58,
    )
