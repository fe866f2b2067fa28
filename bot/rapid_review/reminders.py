"""What an outstanding agency return's reminder says, composed when it is sent.

A return received (or a nil return) since the row was planned, a case closed, or a rapid review
already sent to the Panel composes to None, and the engine cancels the row instead of sending it.
"""

from __future__ import annotations

from bot.cases.models import Case
from bot.cases.states import Stage
from bot.clock import london_date
from bot.rapid_review.blocks import short_day
from bot.rapid_review.free_text import agency_name
from bot.rapid_review.models import AgencyReturn, ChecklistItem, RapidReview
from bot.rapid_review.returns import RETURN_KIND
from bot.rapid_review.start import FIRST_ITEM_KIND
from bot.rapid_review.states import ItemStatus
from bot.reminders.kinds import ComposeContext, Outgoing
from bot.runtime.wiring import Provisions, ReminderKind
from bot.slack.blocks import button, context, section
from bot.slack.ids import ActionId


async def compose_agency_return(ctx: ComposeContext) -> Outgoing | None:
    row = ctx.reminder
    return_id = (row.payload or {}).get("return_id")
    if row.case_id is None or not isinstance(return_id, int):
        return None
    ret = await ctx.session.get(AgencyReturn, return_id)
    case = await ctx.session.get(Case, row.case_id)
    rr = await ctx.session.get(RapidReview, row.case_id)
    if ret is None or case is None or not ret.outstanding or Stage(case.stage) is Stage.CLOSED:
        return None
    if rr is not None and rr.panel_sent_on is not None:
        return None
    partnership = ctx.services.config.partnership(case.partnership_id)
    name = agency_name(partnership, ret.agency_id)
    today = london_date(ctx.services.clock.now())
    due = ret.due_on
    when = (
        ""
        if due is None
        else (f", due {short_day(due)}" if due >= today else f", due {short_day(due)}: *overdue*")
    )
    headline = f"The rapid review needs the agency summary from *{name}* for *{case.reference}*{when}."
    text = f"{case.reference}: agency summary from {name} outstanding"
    controls = {
        "type": "actions",
        "block_id": f"rr_return_{ret.id}",
        "elements": [
            button("Received today", f"{ActionId.RETURN_RECEIVED}:{ret.id}", str(ret.id), style="primary"),
            button("Nil return", f"{ActionId.RETURN_NIL}:{ret.id}", str(ret.id)),
        ],
    }
    blocks = [
        section(headline),
        context(
            f"Requested {short_day(ret.requested_on)}. Send it to the business unit (not in Slack), "
            "then press Received, or Nil return if your agency had no involvement."
        ),
        controls,
    ]
    overdue = due is not None and due < today
    line = (
        f"*{case.reference}* · agency summary from *{name}*"
        + ("" if due is None else f" · due {short_day(due)}" + (" · *overdue*" if overdue else ""))
    )
    return Outgoing(
        text=text,
        blocks=blocks,
        line=line,
        controls=controls,
        overdue_days=1 if overdue else 0,
        due_on=due,
        reference=case.reference,
    )


async def compose_first_item(ctx: ComposeContext) -> Outgoing | None:
    """The immediate safety of siblings and other children: said first, and until it is done."""
    row = ctx.reminder
    item_id = (row.payload or {}).get("item_id")
    if row.case_id is None or not isinstance(item_id, int):
        return None
    item = await ctx.session.get(ChecklistItem, item_id)
    case = await ctx.session.get(Case, row.case_id)
    if item is None or case is None or item.status != ItemStatus.TODO.value:
        return None
    if Stage(case.stage) is Stage.CLOSED:
        return None
    partnership = ctx.services.config.partnership(case.partnership_id)
    owner = agency_name(partnership, item.owner_agency) if item.owner_agency else "the local authority"
    due = f" by {short_day(item.target_on)}" if item.target_on else ""
    text = f"{case.reference}: first, the immediate safety of siblings and other children"
    blocks = [
        section(
            f"*First, before anything else on {case.reference}:* check and act on the immediate safety of "
            f"siblings and other children in the household or setting{due} ({owner})."
        ),
        context(
            "Then tick the first item of the checklist (`/review checklist`). The decision form's immediate "
            "actions record what was agreed."
        ),
    ]
    return Outgoing(text=text, blocks=blocks)


def provide(features: Provisions) -> None:
    """What this module provides (called from bot.runtime.features)."""
    features.reminder_kind(ReminderKind(RETURN_KIND, compose_agency_return))
    features.reminder_kind(ReminderKind(FIRST_ITEM_KIND, compose_first_item))
