"""What a deadline reminder says, composed at send time from the current state of the deadline.

A reminder that is no longer true (the deadline was met or marked not applicable, or its target
moved so this row belongs to an old date) composes to None and the engine cancels it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.calendar.working_days import Unit, format_day
from bot.cases.models import Case
from bot.clock import london_date
from bot.deadlines.models import Deadline
from bot.deadlines.planning import case_calendar
from bot.deadlines.view import STATUS_WORDS, describe_deadline, short_anchor
from bot.learning_together.holds import held_deadlines
from bot.reminders.kinds import ComposeContext, Outgoing
from bot.reminders.ladders import rung_label
from bot.runtime.wiring import Provisions, ReminderKind
from bot.slack.ids import ActionId
from bot.slack.mrkdwn import escape

SNOOZE_OPTIONS = (("1h", "1 hour"), ("tomorrow", "Tomorrow 09:00"), ("next_working_day", "Next working day"))


def _key_due(delivery_key: str) -> str | None:
    """The due date a row was planned for (deadline:<id>:<due>:<rung>:<recipient>)."""
    parts = delivery_key.split(":")
    return parts[2] if parts[0] == "deadline" and len(parts) >= 5 else None


def deadline_controls(deadline_id: int) -> dict[str, Any]:
    """Done, Snooze and Not applicable for one deadline (the value leads with its id)."""
    value = str(deadline_id)
    return {
        "type": "actions",
        "block_id": f"deadline_{deadline_id}",
        "elements": [
            {
                "type": "button",
                "action_id": ActionId.DEADLINE_DONE,
                "style": "primary",
                "value": value,
                "text": {"type": "plain_text", "text": "Done"},
            },
            {
                "type": "static_select",
                "action_id": ActionId.DEADLINE_SNOOZE,
                "placeholder": {"type": "plain_text", "text": "Snooze"},
                "options": [
                    {"text": {"type": "plain_text", "text": label}, "value": f"{value}:{key}"}
                    for key, label in SNOOZE_OPTIONS
                ],
            },
            {
                "type": "button",
                "action_id": ActionId.DEADLINE_NOT_APPLICABLE,
                "value": value,
                "text": {"type": "plain_text", "text": "Not applicable"},
            },
        ],
    }


def reminder_blocks(
    case: Case, deadline: Deadline, line_text: str, headline: str, *, buttons: bool
) -> list[dict[str, Any]]:
    anchor_at = deadline.anchor_at
    anchor = short_anchor(deadline.anchor)
    anchor_text = f"{anchor} on {format_day(london_date(anchor_at))}" if anchor_at else anchor
    direction = "before" if deadline.direction == "before" else "after"
    timescale = f"{Unit(deadline.unit).describe(deadline.amount)} {direction}"
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{headline}*\n{line_text}"}},
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": f"Case *{case.reference}* · {deadline.status_kind} · {timescale} {anchor_text}",
                }
            ],
        },
    ]
    if buttons:
        blocks.append(deadline_controls(deadline.id))
    return blocks


async def compose_deadline(ctx: ComposeContext) -> Outgoing | None:
    row = ctx.reminder
    if row.deadline_id is None or row.case_id is None:
        return None
    deadline = await ctx.session.get(Deadline, row.deadline_id)
    case = await ctx.session.get(Case, row.case_id)
    if deadline is None or case is None or case.stage == "closed":
        return None
    if deadline.met_on is not None or deadline.not_applicable_reason:
        return None
    target: date | None = deadline.revised_due_on or deadline.due_on
    planned_for = _key_due(row.delivery_key)
    if target is None or (
        planned_for is not None
        and planned_for not in {target.isoformat(), (deadline.due_at.isoformat() if deadline.due_at else "")}
    ):
        return None
    partnership = ctx.services.config.partnership(case.partnership_id)
    today = london_date(ctx.services.clock.now())
    held = await held_deadlines(ctx.session, case)
    line = describe_deadline(deadline, today, case_calendar(partnership, case), held.get(deadline.rule_id))
    detail = " · ".join(p for p in [f"due {line.due_text}", STATUS_WORDS[line.status], line.left_text] if p)
    if line.revised_text:
        detail += (
            f"\n_{escape(line.revised_text)}; statutory date {format_day(deadline.due_on)}_"
            if deadline.due_on
            else ""
        )
    if line.held_text:
        detail += f"\n_{line.held_text}_"
    if row.kind == "escalation":
        headline = f"Escalation: {deadline.label} is overdue"
    else:
        headline = f"Reminder ({rung_label(row.rung)}): {deadline.label}"
    text = f"{case.reference}: {deadline.label}: {detail.splitlines()[0]}"
    overdue = -line.days_left if line.days_left is not None and line.days_left < 0 else 0
    what = "Escalation: " if row.kind == "escalation" else ""
    late = line.left_text or STATUS_WORDS[line.status]
    entry = f"*{escape(case.reference)}* · {what}{escape(deadline.label)} · due {line.due_text} · {late}"
    label = deadline.label if len(deadline.label) <= 48 else deadline.label[:47].rstrip() + "…"
    short = f"*{escape(case.reference)}* · {what}{escape(label)} · {late}"
    return Outgoing(
        text=text,
        blocks=reminder_blocks(case, deadline, detail, headline, buttons=True),
        line=entry,
        short_line=short,
        controls=deadline_controls(deadline.id),
        overdue_days=overdue,
        due_on=deadline.due_on,
        statutory=deadline.status_kind == "statutory",
        reference=case.reference,
    )


def provide(features: Provisions) -> None:
    """What this module provides (called from bot.runtime.features)."""
    features.reminder_kind(ReminderKind("deadline", compose_deadline))
    features.reminder_kind(ReminderKind("escalation", compose_deadline))
