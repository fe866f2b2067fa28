"""Showing a committed meeting in Slack: the invitation (posted once, then edited in place), the
calendar file for each version, and a direct message to each invitee when it is scheduled, moved or
cancelled. Everything is read back from the database, so what Slack shows is what was committed.
"""

from __future__ import annotations

from typing import Literal

from bot.clock import london_date
from bot.meetings.blocks import MeetingView, invitation_message, invitee_note
from bot.meetings.ics import CalendarEntry, calendar_file, file_name
from bot.meetings.models import Meeting
from bot.meetings.service import meeting_view
from bot.observability import get_logger
from bot.runtime.services import Services
from bot.slack.errors import SlackError

log = get_logger(__name__)

Change = Literal["scheduled", "rescheduled", "cancelled"]


async def refresh_invitation(services: Services, meeting_id: int) -> None:
    """Post the invitation if it is not there yet, else edit it in place (same channel and ts)."""
    view = await meeting_view(services, meeting_id)
    if view.channel_id is None:
        log.warning("meeting.no_channel", meeting_id=meeting_id)
        return
    text, blocks = invitation_message(view)
    async with services.db.session() as session:
        meeting = await session.get(Meeting, meeting_id)
        ts = meeting.message_ts if meeting is not None else None
    if ts is not None:
        await services.gateway.update_message(view.channel_id, ts, text, blocks)
        return
    posted = await services.gateway.post_message(view.channel_id, text, blocks)
    async with services.db.session() as session:
        meeting = await session.get(Meeting, meeting_id)
        if meeting is not None:
            meeting.message_ts = posted.ts


def calendar_entry(view: MeetingView, services: Services) -> CalendarEntry:
    return CalendarEntry(
        meeting_id=view.meeting_id, reference=view.reference, kind_label=view.label, starts_at=view.starts_at,
        duration_minutes=view.duration_minutes, place=view.place, sequence=view.sequence,
        cancelled=view.cancelled, stamped_at=services.clock.now(),
    )


async def upload_calendar_file(services: Services, view: MeetingView) -> None:
    if view.channel_id is None:
        return
    name = file_name(view.reference, view.kind, london_date(view.starts_at), cancelled=view.cancelled)
    if view.cancelled:
        comment = "Calendar file: open it to remove the cancelled meeting from your calendar."
    elif view.sequence:
        comment = "Updated calendar file: open it to move the meeting in your calendar."
    else:
        comment = "Calendar file: open it to add the meeting to Outlook or Google Calendar."
    title = f"{view.title} ({'cancelled' if view.cancelled else 'invitation'})"
    content = calendar_file(calendar_entry(view, services))
    await services.gateway.upload_file(view.channel_id, name, content, title=title, comment=comment)


async def tell_invitees(services: Services, view: MeetingView, change: Change, *, except_user: str) -> None:
    """One direct message per invitee (not the person who made the change: they know)."""
    text, blocks = invitee_note(view, change)
    for invitee in view.invitees:
        if invitee.user_id == except_user:
            continue
        try:
            await services.gateway.send_dm(invitee.user_id, text, blocks)
        except SlackError as exc:  # one unreachable person must not stop the others being told
            log.warning("meeting.dm_failed", meeting_id=view.meeting_id, error=exc.code)


async def announce(services: Services, meeting_id: int, change: Change, *, by: str) -> None:
    """After a committed change: the invitation, then the calendar file, then the invitees."""
    await refresh_invitation(services, meeting_id)
    view = await meeting_view(services, meeting_id)
    await upload_calendar_file(services, view)
    await tell_invitees(services, view, change, except_user=by)
