"""`/review conversation` in a case channel: one-to-one conversations with practitioners, before the
follow-on case group meetings (review team, business unit).

    /review conversation list                                   (or alone) the conversations
    /review conversation add <agency> DD/MM/YYYY HH:MM <role>
                                     e.g. `add police 12/02/2027 10:00 response sergeant`
    /review conversation done <id>                              it took place (`not-done <id>` to undo)

The practitioner is recorded by agency and role, never by name. While police or the CPS ask for no
contact, `add` is held and says why; ending it with `anyway` goes ahead on purpose.
"""

from __future__ import annotations

from bot.access import Permission
from bot.commands.finders import CASE_HERE, admitted_case
from bot.commands.gate import Needs
from bot.commands.learning_words import guarded, moment, split_anyway
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput
from bot.learning_together.conversations import Held, conversations_of, mark_done, schedule_conversation
from bot.learning_together.terms import no_contact_warning
from bot.meetings.blocks import uk_time_text
from bot.meetings.kinds import ROLE_LIMIT
from bot.meetings.slack_sync import announce
from bot.slack.mrkdwn import escape

USAGE = (
    "`/review conversation add <agency> DD/MM/YYYY HH:MM <role>`, `/review conversation done <id>` or "
    "`/review conversation list`"
)


def register(features: Features) -> None:
    services = features.services

    async def conversation(ctx: CommandContext) -> CommandReply:
        case = await admitted_case(services, ctx.admitted)
        words, anyway = split_anyway(ctx.args)
        what = words[0].lower() if words else "list"
        if what == "list":
            rows = await conversations_of(services, case.id)
            if not rows:
                return CommandReply(text=f"No conversations arranged for {case.reference} yet. {USAGE}.")
            lines = [f"*{case.reference}: conversations with practitioners*"]
            for m in rows:
                state = "done" if m.done else "not done yet"
                held = " · arranged during a no-contact hold" if m.during_hold else ""
                lines.append(
                    f"• `{m.id}` {escape(m.practitioner_role or '')} ({m.practitioner_agency}), "
                    f"{uk_time_text(m.starts_at)}: {state}{held}"
                )
            return CommandReply(text="\n".join(lines))
        if what in ("done", "not-done"):
            if len(words) < 2 or not words[1].isdecimal():
                raise BadInput("Say which conversation, by its id (see `/review conversation list`).", USAGE)
            await mark_done(services, case.id, int(words[1]), user_id=ctx.user_id, done=what == "done")
            return CommandReply(
                text=f"Conversation {words[1]} marked {'done' if what == 'done' else 'not done'}."
            )
        if what != "add":
            raise BadInput(f"I don't know '{what[:20]}' here.", USAGE)
        if len(words) < 5:
            raise BadInput("Say the agency, the day, the time and the practitioner's role.", USAGE)
        agency = words[1].lower()
        agencies = {a.id for a in services.config.partnership(case.partnership_id).agencies}
        if agency not in agencies:
            raise BadInput(f"Give the agency by its id: {', '.join(sorted(agencies))}.", USAGE)
        starts_at = moment(words[2], words[3], USAGE)
        if starts_at <= services.clock.now():
            raise BadInput("A conversation is arranged for a time still to come.", USAGE)
        role = guarded(
            services,
            case.partnership_id,
            " ".join(words[4:]),
            limit=ROLE_LIMIT,
            what="the practitioner's role",
        )
        done = await schedule_conversation(
            services,
            case.id,
            user_id=ctx.user_id,
            agency=agency,
            role=role,
            starts_at=starts_at,
            anyway=anyway,
        )
        if isinstance(done, Held):
            retry = f"/review conversation {' '.join(words)}"
            return CommandReply(
                text=no_contact_warning("Every conversation with a practitioner", done.hold, retry)
            )
        services.tasks.spawn(
            announce(services, done.meeting_id, "scheduled", by=ctx.user_id), name="conversation-scheduled"
        )
        note = " It is marked as arranged during the no-contact hold." if anyway else ""
        return CommandReply(
            text=f"Conversation `{done.meeting_id}` arranged for {case.reference}: "
            f"{escape(role)} ({agency}), {uk_time_text(starts_at)}.{note}"
        )

    features.subcommand(
        "conversation",
        "conversation [add <agency> DD/MM/YYYY HH:MM <role> | done <id> | list]",
        "one-to-one conversations with practitioners, by agency and role (review team, business unit)",
        conversation,
        needs=Needs(Permission.MANAGE_LEARNING_REVIEW, CASE_HERE),
        order=57,
    )
