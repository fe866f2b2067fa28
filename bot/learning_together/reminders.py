"""What a family participation reminder says (kind ``family``): an update is due, or the family's
chance to comment before publication is coming up. Cancelled (None) when the plan changed since."""

from __future__ import annotations

from datetime import date

from bot.cases.models import Case
from bot.cases.states import Stage
from bot.learning_together.family import KIND, RUNG_COMMENT, RUNG_UPDATE, participation_of
from bot.reminders.kinds import ComposeContext, Outgoing
from bot.runtime.wiring import Provisions, ReminderKind
from bot.slack.blocks import context, section
from bot.slack.mrkdwn import escape


async def compose_family(ctx: ComposeContext) -> Outgoing | None:
    row = ctx.reminder
    try:
        day = date.fromisoformat(str((row.payload or {}).get("day")))
    except ValueError:
        return None
    case = await ctx.session.get(Case, row.case_id) if row.case_id else None
    if case is None or case.stage == Stage.CLOSED.value:
        return None
    plan = await participation_of(ctx.session, case.id)
    if plan is None:
        return None
    contact = f" (contact: {escape(plan.contact_role)})" if plan.contact_role else ""
    if row.rung == RUNG_UPDATE:
        if not plan.invited or plan.next_update_on != day:
            return None
        what = f"An update to the family on the review's progress is due {day:%d/%m/%Y}{contact}"
        how = "When it is given: `/review family update DD/MM/YYYY` in the case channel."
    elif row.rung == RUNG_COMMENT:
        if not plan.comment_offered or plan.comment_by != day:
            return None
        what = f"The family's chance to comment before publication closes {day:%d/%m/%Y}{contact}"
        how = "Make sure they have the findings or the draft report in time."
    else:
        return None
    text = f"{case.reference}: {what}"
    return Outgoing(
        text=text,
        blocks=[section(f":family: *{escape(case.reference)}*: {what}."), context(how)],
        line=f"*{escape(case.reference)}* · {what}",
        due_on=day,
        reference=case.reference,
    )


def provide(features: Provisions) -> None:
    """What this module provides (called from bot.runtime.features)."""
    features.reminder_kind(ReminderKind(KIND, compose_family))
