"""`/review family` in a case channel: the family's participation in the review (review team,
business unit). Contacts are recorded by role only, never by name.

    /review family                                    the plan
    /review family invited yes|no <reason>            whether the family was invited to take part, and why
    /review family contact <role>                     e.g. `police family liaison officer`
    /review family update DD/MM/YYYY [note]           an update given (the next is then due in six weeks)
    /review family next DD/MM/YYYY                    arrange the next contact
    /review family comment yes DD/MM/YYYY | no        a chance to comment before publication, by that day

While police or the CPS ask for no contact, `update` and `next` are held and say why; ending the
command with `anyway` goes ahead on purpose.
"""

from __future__ import annotations

from bot.access import Permission
from bot.commands.finders import CASE_HERE, admitted_case
from bot.commands.gate import Needs
from bot.commands.learning_words import day_of, guarded, looks_like_day, split_anyway, yes_no
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput
from bot.learning_together.conversations import no_contact_hold
from bot.learning_together.family import FamilyChange, FamilyState, change_family, family_state
from bot.learning_together.models import NOTE_LIMIT, REASON_LIMIT, ROLE_LIMIT
from bot.learning_together.terms import no_contact_warning
from bot.slack.mrkdwn import escape

USAGE = (
    "`/review family invited yes|no <reason>`, `family contact <role>`, `family update DD/MM/YYYY [note]`, "
    "`family next DD/MM/YYYY`, `family comment yes DD/MM/YYYY` or `family comment no`"
)


def family_text(reference: str, state: FamilyState | None) -> str:
    if state is None:
        return f"*{reference}*: no family participation plan yet. {USAGE}."
    invited = {True: "invited to take part", False: "not invited", None: "not decided yet"}[state.invited]
    lines = [
        f"*{reference}: the family's participation*",
        f"• The family: {invited}" + (f" ({escape(state.reason)})" if state.reason else ""),
        "• Contact: "
        + (escape(state.contact_role) if state.contact_role else "not named yet (a role, never a name)"),
        f"• Updates given: {len(state.updates)}"
        + "".join(
            f"\n    – {day:%d/%m/%Y}" + (f": {escape(note)}" if note else "") for day, note in state.updates
        ),
        "• Next update: " + (f"{state.next_update_on:%d/%m/%Y}" if state.next_update_on else "not set"),
    ]
    if state.comment_offered is None:
        lines.append("• Chance to comment before publication: not decided yet")
    elif state.comment_offered:
        by = f" by {state.comment_by:%d/%m/%Y}" if state.comment_by else ""
        lines.append(f"• Chance to comment before publication: yes{by}")
    else:
        lines.append("• Chance to comment before publication: no")
    return "\n".join(lines)


def register(features: Features) -> None:
    services = features.services

    async def family(ctx: CommandContext) -> CommandReply:
        case = await admitted_case(services, ctx.admitted)
        words, anyway = split_anyway(ctx.args)
        if not words:
            return CommandReply(text=family_text(case.reference, await family_state(services, case.id)))
        what = words[0].lower()
        rest = words[1:]
        change = FamilyChange()
        if what == "invited":
            if not rest:
                raise BadInput("Say yes or no, and why.", USAGE)
            change.invited = yes_no(rest[0], USAGE)
            change.reason = (
                guarded(
                    services, case.partnership_id, " ".join(rest[1:]), limit=REASON_LIMIT, what="the reason"
                )
                or None
            )
        elif what == "contact":
            if not rest:
                raise BadInput("Give the contact's role, e.g. `police family liaison officer`.", USAGE)
            change.contact_role = guarded(
                services, case.partnership_id, " ".join(rest), limit=ROLE_LIMIT, what="the role"
            )
        elif what in ("update", "next"):
            if not rest or not looks_like_day(rest[0]):
                raise BadInput("Give the day (DD/MM/YYYY).", USAGE)
            day = day_of(rest[0], USAGE)
            hold = await no_contact_hold(services, case.id)
            if hold is not None and not anyway:
                retry = f"/review family {' '.join(words)}"
                return CommandReply(text=no_contact_warning("Contact with the family", hold, retry))
            change.during_hold = hold is not None
            if what == "update":
                change.update_on = day
                change.update_note = (
                    guarded(
                        services, case.partnership_id, " ".join(rest[1:]), limit=NOTE_LIMIT, what="the note"
                    )
                    or None
                )
            else:
                change.next_update_on = day
        elif what == "comment":
            if not rest:
                raise BadInput("Say yes (with the day) or no.", USAGE)
            change.comment_offered = yes_no(rest[0], USAGE)
            if change.comment_offered:
                if len(rest) < 2:
                    raise BadInput("Give the day the family's comments are due (DD/MM/YYYY).", USAGE)
                change.comment_by = day_of(rest[1], USAGE)
        else:
            raise BadInput(f"I don't know '{what[:20]}' here.", USAGE)
        state = await change_family(services, case.id, change, user_id=ctx.user_id)
        return CommandReply(text="Saved.\n" + family_text(case.reference, state))

    features.subcommand(
        "family",
        "family [invited yes|no <reason> | contact <role> | update DD/MM/YYYY [note] | next DD/MM/YYYY "
        "| comment yes DD/MM/YYYY | comment no]",
        "the family's participation: invited, contact by role, updates, comment before publication (review "
        "team, business unit)",
        family,
        needs=Needs(Permission.MANAGE_LEARNING_REVIEW, CASE_HERE),
        order=59,
    )
