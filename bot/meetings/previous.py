"""Finding a meeting's previous meeting and the newcomers to brief (the rule: bot.meetings.continuity)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.meetings.continuity import Continuity, needs_briefing, newcomers
from bot.meetings.kinds import CASE_GROUP_KINDS, MeetingStatus, is_case_group
from bot.meetings.models import Meeting, MeetingRecordComment


async def previous_meeting(session: AsyncSession, meeting: Meeting) -> Meeting | None:
    query = (
        select(Meeting)
        .where(
            Meeting.case_id == meeting.case_id,
            Meeting.kind.in_([k.value for k in CASE_GROUP_KINDS])
            if is_case_group(meeting.kind)
            else Meeting.kind == meeting.kind,
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
    """The newcomers to brief and (for a case group) the previous meeting's absentees, or None when there
    is no previous meeting, most people were there and (for a case group) nobody was absent."""
    previous = await previous_meeting(session, meeting)
    if previous is None:
        return None
    attended = {i.user_id for i in previous.invitees if i.attended}
    invited = meeting.invitee_ids
    absentees: tuple[str, ...] = ()
    sent: tuple[str, ...] = ()
    commented: tuple[str, ...] = ()
    if is_case_group(meeting.kind):
        absentees = tuple(i.user_id for i in previous.invitees if not i.attended)
        sent = tuple(i.user_id for i in previous.invitees if not i.attended and i.record_sent_at is not None)
        rows = await session.execute(
            select(MeetingRecordComment.user_id).where(MeetingRecordComment.meeting_id == previous.id)
        )
        commented = tuple(dict.fromkeys(u for u in rows.scalars() if u in absentees))
    briefing = bool(invited) and needs_briefing(invited, attended)
    if not briefing and not absentees:
        return None
    return Continuity(previous.id, previous.starts_at, tuple(newcomers(invited, attended)), len(invited),
                      absentees, sent, commented)
