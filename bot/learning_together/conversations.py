"""One-to-one conversations with practitioners, before the follow-on case group meetings: meetings of
their own kind (``conversation``) that record the practitioner's agency and role (a role only, never a
name) and whether the conversation took place.

While police or the CPS ask for no contact, scheduling one is held: the scheduler is told why and until
when, and may go ahead only by saying so (``anyway``); the meeting then says it was arranged during the
hold, and the audit row records it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot import audit
from bot.errors import BadInput, NotFound
from bot.learning_together.holds import hold_of, line_of
from bot.learning_together.terms import HoldKind, HoldLine
from bot.meetings.kinds import MeetingKind, MeetingStatus
from bot.meetings.modals import MeetingRequest
from bot.meetings.models import Meeting
from bot.meetings.service import Scheduled, load, schedule
from bot.runtime.services import Services

CONVERSATION_MINUTES = 60
PLACE = "One-to-one conversation, arranged by the review team"


@dataclass(frozen=True)
class Held:
    """Not scheduled: a no-contact hold is in force."""

    hold: HoldLine


async def no_contact_hold(services: Services, case_id: int) -> HoldLine | None:
    async with services.db.read() as session:
        hold = await hold_of(session, case_id, HoldKind.NO_CONTACT)
        return line_of(hold) if hold is not None else None


async def schedule_conversation(
    services: Services,
    case_id: int,
    *,
    user_id: str,
    agency: str,
    role: str,
    starts_at: datetime,
    anyway: bool,
) -> Scheduled | Held:
    hold = await no_contact_hold(services, case_id)
    if hold is not None and not anyway:
        return Held(hold)
    request = MeetingRequest(
        kind=MeetingKind.CONVERSATION,
        starts_at=starts_at,
        duration_minutes=CONVERSATION_MINUTES,
        place=PLACE,
        invitees=(user_id,),
        chair_user_id=user_id,
        pre_reading=None,
        practitioner_agency=agency,
        practitioner_role=role,
        during_hold=hold is not None,
    )
    return await schedule(services, case_id, request, user_id=user_id, view_id=None)


async def mark_done(services: Services, case_id: int, meeting_id: int, *, user_id: str, done: bool) -> None:
    async with services.db.session() as session:
        meeting, case = await load(session, meeting_id)
        if meeting.case_id != case_id or meeting.kind != MeetingKind.CONVERSATION.value:
            raise NotFound(
                f"There is no conversation {meeting_id} in {case.reference}.",
                "See them with `/review conversation list`.",
            )
        if meeting.cancelled:
            raise BadInput("That conversation was cancelled.")
        before = meeting.done
        meeting.done = done
        meeting.updated_at = services.clock.now()
        audit.record(
            session,
            services.clock,
            actor=user_id,
            action="conversation.marked",
            partnership_id=case.partnership_id,
            case_id=case.id,
            before={"meeting_id": meeting.id, "done": before},
            after={"meeting_id": meeting.id, "done": done},
        )


async def conversations_of(services: Services, case_id: int) -> list[Meeting]:
    async with services.db.read() as session:
        return list(
            (
                await session.execute(
                    select(Meeting)
                    .where(
                        Meeting.case_id == case_id,
                        Meeting.kind == MeetingKind.CONVERSATION.value,
                        Meeting.status == MeetingStatus.SCHEDULED.value,
                    )
                    .order_by(Meeting.starts_at, Meeting.id)
                )
            ).scalars()
        )
