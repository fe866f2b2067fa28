"""A meeting's reminder rows, and what each says when the engine sends it.

Rungs, per invitee:

- ``5wd``: 09:00 UK time on the working day five working days before the meeting's day (the case's
  working calendar: its nation's bank holidays and the partnership's closure days), with the
  pre-reading, so there is time to read it.
- ``1d``: 09:00 UK time on the working day before the meeting's day. "The day before" is taken as the
  previous *working* day, not the previous calendar day: a Monday meeting is recalled on the Friday,
  never at 09:00 on a Sunday or a bank holiday, like every other ReviewBot reminder.
- ``1h``: one hour before it starts.

And one ``attendance`` rung at the end time to the organiser and the chair: record who came.

Rungs already in the past when the meeting is (re)scheduled are skipped. Delivery keys are
``meeting:<id>:<sequence>:<rung>:<user>``, so rescheduling (a new sequence) makes new rows while the
old pending ones are cancelled in the same unit of work. The composer re-reads the meeting at send
time and returns None (the engine cancels the row) when the meeting was cancelled, moved on to a new
sequence, has started, or the person said they are not attending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.working_days import WorkingCalendar
from bot.cases.models import Case
from bot.cases.states import Stage
from bot.clock import london_date, london_datetime
from bot.config.partnership import Partnership
from bot.deadlines.planning import case_calendar
from bot.meetings.blocks import MeetingView, attendance_prompt, reminder_message
from bot.meetings.kinds import Response
from bot.meetings.models import Meeting
from bot.meetings.previous import continuity_for
from bot.reminders.kinds import ComposeContext, Outgoing
from bot.reminders.models import Reminder, ReminderStatus
from bot.runtime.services import Services
from bot.runtime.wiring import Provisions, ReminderKind

KIND = "meeting"
RUNG_5WD = "5wd"
RUNG_1D = "1d"
RUNG_1H = "1h"
RUNG_ATTENDANCE = "attendance"
BEFORE_RUNGS = (RUNG_5WD, RUNG_1D, RUNG_1H)
DELIVERY_HOUR = 9


@dataclass(frozen=True)
class PlannedRung:
    rung: str
    due_at: datetime


def plan_rungs(
    starts_at: datetime, duration_minutes: int, calendar: WorkingCalendar, now: datetime
) -> list[PlannedRung]:
    """The rungs still in the future for a meeting starting at ``starts_at`` (pure)."""
    day = london_date(starts_at)
    planned = [
        PlannedRung(RUNG_5WD, london_datetime(calendar.subtract_working_days(day, 5), DELIVERY_HOUR)),
        PlannedRung(RUNG_1D, london_datetime(calendar.previous_working_day(day), DELIVERY_HOUR)),
        PlannedRung(RUNG_1H, starts_at - timedelta(hours=1)),
        PlannedRung(RUNG_ATTENDANCE, starts_at + timedelta(minutes=duration_minutes)),
    ]
    return [p for p in planned if p.due_at > now]


def delivery_key(meeting_id: int, sequence: int, rung: str, user_id: str) -> str:
    return f"meeting:{meeting_id}:{sequence}:{rung}:{user_id}"


def recipients_for(meeting: Meeting, rung: str) -> list[str]:
    if rung == RUNG_ATTENDANCE:
        return list(dict.fromkeys([meeting.organiser_user_id, meeting.chair_user_id]))
    return meeting.invitee_ids


async def schedule_meeting_reminders(
    session: AsyncSession, services: Services, partnership: Partnership, case: Case, meeting: Meeting
) -> int:
    """Insert the meeting's future rows for its current sequence; existing keys are left alone."""
    now = services.clock.now()
    insert = services.db.insert
    count = 0
    calendar = case_calendar(partnership, case)
    for planned in plan_rungs(meeting.starts_at, meeting.duration_minutes, calendar, now):
        for user in recipients_for(meeting, planned.rung):
            stmt = insert(Reminder).values(
                delivery_key=delivery_key(meeting.id, meeting.sequence, planned.rung, user),
                partnership_id=meeting.partnership_id, case_id=meeting.case_id, deadline_id=None,
                kind=KIND, rung=planned.rung, recipient=user, due_at=planned.due_at,
                status=ReminderStatus.PENDING.value, attempts=0, late=False, created_at=now,
                payload={"meeting_id": meeting.id, "sequence": meeting.sequence},
            ).on_conflict_do_nothing()
            result = await session.execute(stmt)
            count += int(result.rowcount or 0)  # type: ignore[attr-defined]
    return count


async def cancel_meeting_reminders(
    session: AsyncSession, meeting: Meeting, *, rung: str | None = None
) -> int:
    """Cancel the meeting's pending rows (all of them, or one rung's)."""
    stmt = (
        update(Reminder)
        .where(
            Reminder.case_id == meeting.case_id,
            Reminder.kind == KIND,
            Reminder.delivery_key.startswith(f"meeting:{meeting.id}:", autoescape=True),
            Reminder.status == ReminderStatus.PENDING.value,
        )
        .values(status=ReminderStatus.CANCELLED.value)
        .execution_options(synchronize_session=False)
    )
    if rung is not None:
        stmt = stmt.where(Reminder.rung == rung)
    result = await session.execute(stmt)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def compose_meeting(ctx: ComposeContext) -> Outgoing | None:
    """What a meeting reminder says now, or None when it is no longer relevant."""
    row = ctx.reminder
    payload = row.payload or {}
    meeting_id, sequence = payload.get("meeting_id"), payload.get("sequence")
    if not isinstance(meeting_id, int) or not isinstance(sequence, int):
        return None
    meeting = await ctx.session.get(Meeting, meeting_id)
    if meeting is None or meeting.cancelled or meeting.sequence != sequence:
        return None
    case = await ctx.session.get(Case, meeting.case_id)
    if case is None or case.stage == Stage.CLOSED.value:
        return None
    view = MeetingView.of(meeting, case.reference)
    if row.rung == RUNG_ATTENDANCE:
        if meeting.attendance_recorded_at is not None:
            return None
        text, blocks = attendance_prompt(view)
        return Outgoing(text=text, blocks=blocks)
    if ctx.services.clock.now() >= meeting.starts_at:
        return None  # sent late past the start (an outage): a reminder now would only confuse
    invitee = meeting.invitee(row.recipient)
    if invitee is None or invitee.response == Response.NOT_ATTENDING.value:
        return None
    continuity = None
    if row.recipient == meeting.chair_user_id:
        continuity = await continuity_for(ctx.session, meeting)
    text, blocks = reminder_message(view, row.rung, row.recipient, continuity)
    return Outgoing(text=text, blocks=blocks)


def provide(features: Provisions) -> None:
    """What this module provides (called from bot.runtime.features)."""
    features.reminder_kind(ReminderKind(KIND, compose_meeting))
