"""Continuity of attendance: who is new to a group since its last meeting.

The Learning Together pilots found that a case group whose membership keeps changing loses the
thread from one meeting to the next. So when most of the people invited to a meeting did not attend
the previous meeting of the same group (same case, same kind of meeting), the chair's reminder names
the newcomers and asks the chair to brief them.

"The previous meeting" is the latest earlier meeting of the same case and kind that was not cancelled
and whose attendance was recorded: a meeting with no attendance record says nothing about who was
there, so it is passed over rather than counted as "nobody came".
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.meetings.kinds import MeetingStatus
from bot.meetings.models import Meeting


@dataclass(frozen=True)
class Continuity:
    previous_meeting_id: int
    previous_starts_at: datetime
    newcomers: tuple[str, ...]
    invited: int


def newcomers(invitees: Sequence[str], attended_previous: Collection[str]) -> list[str]:
    """Invitees who did not attend the previous meeting, in invitation order."""
    return [user for user in invitees if user not in attended_previous]


def needs_briefing(invitees: Sequence[str], attended_previous: Collection[str]) -> bool:
    """True when most (more than half) of the invitees are new to the group."""
    return len(newcomers(invitees, attended_previous)) * 2 > len(invitees)


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
