"""Scheduling, answering, moving, cancelling and recording attendance at a meeting.

Each change is one unit of work: the meeting rows, its reminder rows (old sequence cancelled, new one
planned) and the audit entry commit together. Authorisation is decided here, inside the unit of
work, from the case as it is now, so a button or form that reaches us late cannot bypass it. What
Slack shows follows from the committed rows (:mod:`bot.meetings.slack_sync`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.access import can_view_case
from bot.cases.models import Case
from bot.cases.service import facts_of
from bot.cases.states import Stage
from bot.errors import BadInput, Conflict, NotAllowed, NotFound
from bot.meetings.blocks import MeetingView, kind_label, uk_time_text
from bot.meetings.kinds import MeetingKind, MeetingStatus, Response
from bot.meetings.modals import MeetingRequest, ordinal_list
from bot.meetings.models import Meeting, MeetingInvitee
from bot.meetings.reminders import RUNG_ATTENDANCE, cancel_meeting_reminders, schedule_meeting_reminders
from bot.rules.learning_together import learning_together
from bot.runtime.services import Services
from bot.runtime.wiring import Provisions


@dataclass(frozen=True)
class Scheduled:
    meeting_id: int
    created: bool  # False when a resubmitted form found the meeting it made before


@dataclass(frozen=True)
class UpcomingMeeting:
    """One line of someone's upcoming meetings (for the Home tab)."""

    meeting_id: int
    reference: str
    kind_label: str
    starts_at: datetime
    duration_minutes: int
    response: str | None
    channel_id: str | None
    is_chair: bool


# -- look-ups and checks -----------------------------------------------------------------------------


async def load(session: AsyncSession, meeting_id: int) -> tuple[Meeting, Case]:
    meeting = await session.get(Meeting, meeting_id)
    case = await session.get(Case, meeting.case_id) if meeting is not None else None
    if meeting is None or case is None:
        raise NotFound("That meeting no longer exists.")
    return meeting, case


def people_without_access(services: Services, case: Case, user_ids: list[str]) -> list[str]:
    facts = facts_of(case)
    return [u for u in user_ids if not can_view_case(services.actor(u, case.partnership_id), facts)]


def invitee_errors(services: Services, case: Case, request: MeetingRequest) -> dict[str, str]:
    """Errors beside the fields when someone chosen could not see the case (and so the invitation)."""
    errors: dict[str, str] = {}
    missing = people_without_access(services, case, list(request.invitees))
    if missing:
        positions = [request.invitees.index(u) + 1 for u in missing]
        who = "person" if len(missing) == 1 else "people"
        errors["invitees"] = (
            f"The {ordinal_list(positions)} {who} chosen can't see case {case.reference}, so could not see "
            "the invitation. Leave them out, or ask the business manager to add them to the case first."
        )
    if request.chair_user_id and people_without_access(services, case, [request.chair_user_id]):
        errors["chair"] = f"The chair must be someone who can see case {case.reference}."
    return errors


def _open_case(case: Case) -> None:
    if case.stage == Stage.CLOSED.value:
        raise Conflict(f"Case {case.reference} is closed, so its meetings can't be changed.")


def _standing(meeting: Meeting) -> None:
    if meeting.cancelled:
        raise Conflict("This meeting was cancelled.", "Schedule a new one with `/review meeting`.")


def _summary(meeting: Meeting) -> dict[str, object]:
    return {"meeting_id": meeting.id, "kind": meeting.kind, "starts_at": meeting.starts_at,
            "duration_minutes": meeting.duration_minutes, "sequence": meeting.sequence,
            "status": meeting.status}


# -- changes ---------------------------------------------------------------------------------------


async def purpose_of(session: AsyncSession, case_id: int, kind: MeetingKind) -> str | None:
    """A case group meeting's purpose from the review model's data: the introductory meeting's, or the
    n-th follow-on's (counting the follow-ons already scheduled and not cancelled)."""
    model = learning_together()
    if kind is MeetingKind.CASE_GROUP_INTRODUCTORY:
        return model.case_group.introductory.purpose
    if kind is not MeetingKind.CASE_GROUP_FOLLOW_ON:
        return None
    query = select(Meeting.id).where(
        Meeting.case_id == case_id, Meeting.kind == kind.value,
        Meeting.status == MeetingStatus.SCHEDULED.value,
    )
    earlier = len(list((await session.execute(query)).scalars()))
    return model.follow_on_purpose(earlier + 1)


async def _made_by_view(session: AsyncSession, view_id: str | None) -> int | None:
    if not view_id:
        return None
    query = select(Meeting.id).where(Meeting.created_from_view == view_id)
    return (await session.execute(query)).scalar()


async def schedule(
    services: Services, case_id: int, request: MeetingRequest, *, user_id: str, view_id: str | None
) -> Scheduled:
    """Create the meeting, its invitees and reminders. The chair (the organiser unless someone else is
    named) is always invited. A form submitted twice (Slack retry, double click) makes one meeting."""
    try:
        return await _schedule(services, case_id, request, user_id=user_id, view_id=view_id)
    except IntegrityError:
        # Two copies of the same submission raced; the unique view id let only one in.
        async with services.db.session() as session:
            earlier = await _made_by_view(session, view_id)
        if earlier is None:
            raise
        return Scheduled(earlier, created=False)


async def _schedule(
    services: Services, case_id: int, request: MeetingRequest, *, user_id: str, view_id: str | None
) -> Scheduled:
    now = services.clock.now()
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        if case is None:
            raise NotFound("That case no longer exists.")
        _open_case(case)
        earlier = await _made_by_view(session, view_id)
        if earlier is not None:
            return Scheduled(earlier, created=False)
        chair = request.chair_user_id or user_id
        invitees = list(dict.fromkeys([*request.invitees, chair]))
        if people_without_access(services, case, invitees):
            raise NotAllowed(f"Everyone invited must be able to see case {case.reference}.")
        meeting = Meeting(
            partnership_id=case.partnership_id, case_id=case.id, kind=request.kind.value,
            starts_at=request.starts_at, duration_minutes=request.duration_minutes, place=request.place,
            pre_reading=request.pre_reading, status=MeetingStatus.SCHEDULED.value, sequence=0,
            organiser_user_id=user_id, chair_user_id=chair, channel_id=case.channel_id,
            created_from_view=view_id, created_at=now, updated_at=now,
            purpose=await purpose_of(session, case.id, request.kind),
            practitioner_agency=request.practitioner_agency, practitioner_role=request.practitioner_role,
            during_hold=request.during_hold,
        )
        meeting.invitees = [MeetingInvitee(user_id=u, position=n) for n, u in enumerate(invitees)]
        session.add(meeting)
        await session.flush()
        partnership = services.config.partnership(case.partnership_id)
        reminders = await schedule_meeting_reminders(session, services, partnership, case, meeting)
        audit.record(session, services.clock, actor=user_id, action="meeting.scheduled",
                     partnership_id=case.partnership_id, case_id=case.id,
                     after={**_summary(meeting), "invitees": invitees, "chair": chair, "reminders": reminders,
                            "pre_reading_given": request.pre_reading is not None,
                            "practitioner_agency": request.practitioner_agency,
                            "during_hold": request.during_hold})
        return Scheduled(meeting.id, created=True)


async def respond(services: Services, meeting_id: int, *, user_id: str, response: Response) -> bool:
    """Record an invitee's answer; True when it changed (a double click changes nothing)."""
    async with services.db.session() as session:
        meeting, case = await load(session, meeting_id)
        invitee = meeting.invitee(user_id)
        if invitee is None:
            raise NotAllowed("Only people invited to this meeting can answer it.",
                             f"Ask the organiser, <@{meeting.organiser_user_id}>, if you should be there.")
        _standing(meeting)
        if services.clock.now() >= meeting.starts_at:
            raise Conflict("This meeting has already started, so answers are closed.",
                           "The organiser records who attended.")
        if invitee.response == response.value:
            return False
        before = invitee.response
        invitee.response, invitee.responded_at = response.value, services.clock.now()
        audit.record(session, services.clock, actor=user_id, action="meeting.answered",
                     partnership_id=case.partnership_id, case_id=case.id,
                     before={"meeting_id": meeting.id, "response": before},
                     after={"meeting_id": meeting.id, "response": response.value})
        return True


async def reschedule(
    services: Services, meeting_id: int, *, user_id: str, starts_at: datetime, duration_minutes: int,
    seen_sequence: int | None,
) -> bool:
    """Move the meeting: SEQUENCE+1, answers asked for again, old reminders cancelled, new ones planned.

    ``seen_sequence`` is the version the person's form showed; if someone else has moved the meeting
    since, the change is refused rather than silently undoing theirs (unless it asks for exactly what
    is now planned: a resubmitted form, which changes nothing). Returns True when it moved.
    """
    async with services.db.session() as session:
        meeting, case = await load(session, meeting_id)
        _open_case(case)
        _standing(meeting)
        if meeting.attendance_recorded_at is not None:
            raise Conflict("This meeting has taken place and its attendance is recorded.",
                           "Schedule the next one with `/review meeting`.")
        same = meeting.starts_at == starts_at and meeting.duration_minutes == duration_minutes
        if seen_sequence is not None and seen_sequence != meeting.sequence:
            if same:
                return False
            raise Conflict(f"Someone changed this meeting while your form was open: it is now "
                           f"{uk_time_text(meeting.starts_at)}.",
                           "Close the form and press Reschedule again.")
        if same:
            return False
        before = _summary(meeting)
        meeting.starts_at, meeting.duration_minutes = starts_at, duration_minutes
        meeting.sequence += 1
        meeting.updated_at = services.clock.now()
        for invitee in meeting.invitees:
            invitee.response, invitee.responded_at = None, None
        cancelled = await cancel_meeting_reminders(session, meeting)
        partnership = services.config.partnership(case.partnership_id)
        planned = await schedule_meeting_reminders(session, services, partnership, case, meeting)
        audit.record(session, services.clock, actor=user_id, action="meeting.rescheduled",
                     partnership_id=case.partnership_id, case_id=case.id, before=before,
                     after={**_summary(meeting), "reminders_cancelled": cancelled, "reminders": planned})
        return True


async def cancel(services: Services, meeting_id: int, *, user_id: str) -> None:
    """Call the meeting off: SEQUENCE+1 (the calendar file cancels it), pending reminders cancelled."""
    async with services.db.session() as session:
        meeting, case = await load(session, meeting_id)
        _open_case(case)
        _standing(meeting)
        if meeting.attendance_recorded_at is not None:
            raise Conflict("This meeting has taken place and its attendance is recorded, "
                           "so it can't be cancelled.")
        before = _summary(meeting)
        now = services.clock.now()
        meeting.status = MeetingStatus.CANCELLED.value
        meeting.sequence += 1
        meeting.cancelled_at, meeting.updated_at = now, now
        cancelled = await cancel_meeting_reminders(session, meeting)
        audit.record(session, services.clock, actor=user_id, action="meeting.cancelled",
                     partnership_id=case.partnership_id, case_id=case.id, before=before,
                     after={**_summary(meeting), "reminders_cancelled": cancelled})


async def record_attendance(
    services: Services, meeting_id: int, *, user_id: str, attended: set[str], record: str | None = None
) -> None:
    """Who came (from the invitees), once the meeting has started; recording again corrects it. A case
    group meeting may carry what was agreed (``record``, already guarded): its absentees are then sent
    it (bot.meetings.record)."""
    async with services.db.session() as session:
        meeting, case = await load(session, meeting_id)
        _standing(meeting)
        if services.clock.now() < meeting.starts_at:
            raise Conflict("Attendance can be recorded once the meeting has started "
                           f"({uk_time_text(meeting.starts_at)}).")
        strangers = attended - set(meeting.invitee_ids)
        if strangers:
            raise BadInput("Only people who were invited can be recorded as attending.")
        before = sorted(i.user_id for i in meeting.invitees if i.attended)
        now = services.clock.now()
        for invitee in meeting.invitees:
            invitee.attended = invitee.user_id in attended
        meeting.attendance_recorded_at, meeting.attendance_recorded_by = now, user_id
        meeting.updated_at = now
        record_changed = record is not None and record != meeting.record_text
        if record_changed:
            meeting.record_text, meeting.record_at = record, now
        await cancel_meeting_reminders(session, meeting, rung=RUNG_ATTENDANCE)
        audit.record(session, services.clock, actor=user_id, action="meeting.attendance_recorded",
                     partnership_id=case.partnership_id, case_id=case.id,
                     before={"meeting_id": meeting.id, "attended": before},
                     after={"meeting_id": meeting.id, "attended": sorted(attended),
                            "invited": len(meeting.invitees), "record_changed": record_changed})


# -- reading ------------------------------------------------------------------------------------------


async def meeting_view(services: Services, meeting_id: int) -> MeetingView:
    async with services.db.session() as session:
        meeting, case = await load(session, meeting_id)
        return MeetingView.of(meeting, case.reference)


async def meeting_to_record(services: Services, case_id: int) -> int | None:
    """For `/review attendance`: the latest meeting of the case that has started and was not cancelled,
    preferring one whose attendance is not recorded yet."""
    now = services.clock.now()
    async with services.db.session() as session:
        rows = list((await session.execute(
            select(Meeting)
            .where(Meeting.case_id == case_id, Meeting.status == MeetingStatus.SCHEDULED.value,
                   Meeting.starts_at <= now)
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        )).scalars())
    unrecorded = [m for m in rows if m.attendance_recorded_at is None]
    chosen = unrecorded[0] if unrecorded else (rows[0] if rows else None)
    return chosen.id if chosen else None


async def meetings_for(services: Services, user_id: str, *, limit: int = 10) -> list[UpcomingMeeting]:
    """The person's meetings that have not ended yet, soonest first, in cases they can still see.

    For the Home tab. One query; the access check is the same pure decision as everywhere else.
    """
    now = services.clock.now()
    async with services.db.session() as session:
        rows = (await session.execute(
            select(Meeting, MeetingInvitee, Case)
            .join(MeetingInvitee, MeetingInvitee.meeting_id == Meeting.id)
            .join(Case, Case.id == Meeting.case_id)
            .where(MeetingInvitee.user_id == user_id, Meeting.status == MeetingStatus.SCHEDULED.value,
                   Meeting.starts_at > now - timedelta(hours=8))
            .order_by(Meeting.starts_at, Meeting.id)
        )).all()
    out: list[UpcomingMeeting] = []
    for meeting, invitee, case in rows:
        if meeting.starts_at + timedelta(minutes=meeting.duration_minutes) <= now:
            continue
        if not can_view_case(services.actor(user_id, case.partnership_id), facts_of(case)):
            continue
        out.append(UpcomingMeeting(meeting.id, case.reference, kind_label(meeting.kind), meeting.starts_at,
                                   meeting.duration_minutes, invitee.response, meeting.channel_id,
                                   meeting.chair_user_id == user_id))
        if len(out) >= limit:
            break
    return out


@dataclass(frozen=True)
class MeetingsOnHome:
    """The Home tab's "meetings" section."""

    key: str = "meetings"

    async def items_for(self, services: Services, user_id: str) -> Sequence[Any]:
        return await meetings_for(services, user_id)


def provide(features: Provisions) -> None:
    """What this module provides (called from bot.runtime.features)."""
    features.home_section(MeetingsOnHome())
