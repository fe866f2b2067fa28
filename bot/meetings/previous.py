"""Finding a meeting's previous meeting and the newcomers to brief (the rule: bot.meetings.continuity)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.meetings.continuity import Continuity, needs_briefing, newcomers
from bot.meetings.kinds import MeetingStatus
from bot.meetings.models import Meeting


async def previous_meeting(session: AsyncSession, meeting: Meeting) -> Meeting | None:
    query = (
        select(Meeting)
        .where(
            Meeting.case_id == meeting.case_id,
            Meeting.kind == meeting.kind,
            Meeting.id != meeting.id,
            Meeting.status == MeetingStatus.SCHEDULED.value,
            Meeting.attendance_recorded_at.is_not(None),
            Meeting.starts_at < meeting.starts_at,
        )
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def continuity_for(session: AsyncSession, meeting: Meeting) -> Continuity | None:
    """The newcomers to brief, or None when there is no previous meeting or most people were there."""
    previous = await previous_meeting(session, meeting)
    if previous is None:
        return None
    attended = {i.user_id for i in previous.invitees if i.attended}
    invited = meeting.invitee_ids
    if not invited or not needs_briefing(invited, attended):
        return None
    return Continuity(previous.id, previous.starts_at, tuple(newcomers(invited, attended)), len(invited))
