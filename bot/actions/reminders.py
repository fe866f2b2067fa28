"""Reminding action owners: on the due day at the delivery time, then every working day while overdue.

Rows are keyed ``action:<id>:<due>:<rung>:<user>``, so planning again never duplicates one. They are
planned by the worker's tick for every outstanding action, wherever it was created (this module, the
rapid review's immediate actions), and composed at send time from the action as it is then: a
reminder for an action that was done, moved to another date or given to someone else composes to
nothing and the engine cancels it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.blocks import action_buttons
from bot.actions.kinds import OPEN_ACTION_STATUSES
from bot.actions.models import Action
from bot.board.summary import agency_label
from bot.calendar.partnership_days import partnership_calendar
from bot.calendar.working_days import format_day
from bot.cases.models import Case
from bot.clock import london_date, london_datetime
from bot.config.partnership import Partnership
from bot.reminders.kinds import ComposeContext, Outgoing
from bot.reminders.ladders import rung_label
from bot.reminders.models import Reminder, ReminderStatus
from bot.runtime.services import Services
from bot.runtime.wiring import Provisions, ReminderKind
from bot.slack.mrkdwn import escape

KIND = "action"
BACKFILL_WORKING_DAYS = 5
PLAN_AHEAD_DAYS = 7
KEY_BATCH = 500


def key_prefix(action_id: int) -> str:
    return f"{KIND}:{action_id}:"


def recipients(partnership: Partnership, owner_user_id: str | None, owner_agency: str | None) -> list[str]:
    """The owner; with no owner, the owning agency's leads; failing those, the business managers."""
    if owner_user_id:
        return [owner_user_id]
    people = (
        [p.slack_user_id for p in partnership.people_with_role("agency_lead", agency=owner_agency)]
        if owner_agency
        else []
    )
    return people or [p.slack_user_id for p in partnership.people_with_role("business_manager")]


def planned_rows(partnership: Partnership, action: Any, now: datetime) -> list[dict[str, Any]]:
    """The reminder rows an outstanding action should have by ``now`` (pure)."""
    due: date = action.due_on
    calendar = partnership_calendar(partnership)
    delivery = partnership.reminders.delivery_time
    today = london_date(now)
    people = recipients(partnership, action.owner_user_id, action.owner_agency)
    rungs: list[tuple[str, datetime]] = []
    due_day = due if calendar.is_working_day(due) else calendar.previous_working_day(due)
    due_at = london_datetime(due_day, delivery.hour, delivery.minute)
    # The due-day reminder only for actions that existed before it (not one created at noon, due today).
    if today <= due and action.created_at < due_at:
        rungs.append(("due_day", due_at))
    if due < today:
        overdue = calendar.working_days_between(due, today)
        for number in range(max(1, overdue - BACKFILL_WORKING_DAYS + 1), overdue + 1):
            day = calendar.add_working_days(due, number)
            rungs.append((f"overdue_{number}", london_datetime(day, delivery.hour, delivery.minute)))
    return [
        {
            "delivery_key": f"{key_prefix(action.id)}{due.isoformat()}:{rung}:{person}",
            "partnership_id": action.partnership_id,
            "case_id": action.case_id,
            "deadline_id": None,
            "kind": KIND,
            "rung": rung,
            "recipient": person,
            "due_at": at,
            "status": ReminderStatus.PENDING.value,
            "attempts": 0,
            "late": False,
            "created_at": now,
            "payload": {"action_id": action.id},
        }
        for rung, at in rungs
        for person in people
    ]


async def sweep_action_reminders(services: Services) -> int:
    """Worker tick: add the due-day and overdue rows outstanding actions need. Returns rows added."""
    now = services.clock.now()
    horizon = london_date(now) + timedelta(days=PLAN_AHEAD_DAYS)
    async with services.db.session() as session:
        actions = (
            await session.execute(
                select(
                    Action.id,
                    Action.partnership_id,
                    Action.case_id,
                    Action.owner_agency,
                    Action.owner_user_id,
                    Action.due_on,
                    Action.created_at,
                ).where(
                    Action.status.in_(OPEN_ACTION_STATUSES),
                    Action.due_on.is_not(None),
                    Action.due_on <= horizon,
                )
            )
        ).all()
        wanted: list[dict[str, Any]] = []
        for action in actions:
            try:
                partnership = services.config.partnership(action.partnership_id)
            except KeyError:
                continue
            wanted += planned_rows(partnership, action, now)
        if not wanted:
            return 0
        keys = [w["delivery_key"] for w in wanted]
        existing: set[str] = set()
        for start in range(0, len(keys), KEY_BATCH):
            existing |= set(
                (
                    await session.execute(
                        select(Reminder.delivery_key).where(
                            Reminder.delivery_key.in_(keys[start : start + KEY_BATCH])
                        )
                    )
                ).scalars()
            )
        missing = [w for w in wanted if w["delivery_key"] not in existing]
        if missing:
            insert = services.db.insert
            await session.execute(insert(Reminder).on_conflict_do_nothing(), missing)
        return len(missing)


async def cancel_action_reminders(session: AsyncSession, action_id: int) -> None:
    """Done or not doing: nothing left to remind about."""
    await session.execute(
        update(Reminder)
        .where(
            Reminder.kind == KIND,
            Reminder.delivery_key.startswith(key_prefix(action_id)),
            Reminder.status == ReminderStatus.PENDING.value,
        )
        .values(status=ReminderStatus.CANCELLED.value)
        .execution_options(synchronize_session=False)
    )


async def revive_action_reminders(session: AsyncSession, action_id: int, now: datetime) -> None:
    """Reopened: reminders still ahead come back (their keys exist, so planning alone would skip them)."""
    await session.execute(
        update(Reminder)
        .where(
            Reminder.kind == KIND,
            Reminder.delivery_key.startswith(key_prefix(action_id)),
            Reminder.status == ReminderStatus.CANCELLED.value,
            Reminder.due_at > now,
        )
        .values(status=ReminderStatus.PENDING.value)
        .execution_options(synchronize_session=False)
    )


async def compose_action(ctx: ComposeContext) -> Outgoing | None:
    row = ctx.reminder
    action_id = (row.payload or {}).get("action_id")
    action = await ctx.session.get(Action, int(action_id)) if action_id is not None else None
    if action is None or action.status not in OPEN_ACTION_STATUSES or action.due_on is None:
        return None
    parts = row.delivery_key.split(":")
    if len(parts) < 5 or parts[2] != action.due_on.isoformat():
        return None  # planned for a date the action no longer has
    partnership = ctx.services.config.partnership(action.partnership_id)
    if row.recipient not in recipients(partnership, action.owner_user_id, action.owner_agency):
        return None  # the action has another owner now
    reference = "partnership"
    if action.case_id is not None:
        reference = (
            await ctx.session.execute(select(Case.reference).where(Case.id == action.case_id))
        ).scalar_one_or_none() or reference
    headline = f"Action {rung_label(row.rung)}"
    agency = agency_label(partnership, action.owner_agency)
    text = f"{reference}: an action for {agency} is {rung_label(row.rung)} (due {format_day(action.due_on)})."
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"*{headline}*\n{escape(action.description)[:2500]}"},
        },
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": f"Case *{escape(reference)}* · {escape(agency)} · "
                    f"due {format_day(action.due_on)}",
                }
            ],
        },
        action_buttons(action.id),
    ]
    return Outgoing(text=text, blocks=blocks)


def provide(features: Provisions) -> None:
    """What this module provides (called from bot.runtime.features)."""
    features.reminder_kind(ReminderKind(KIND, compose_action))
    features.tick(sweep_action_reminders, order=30)
