"""Meetings in Slack: `/review meeting` and its modal, the invitation's buttons (Attending, Not
attending, Reschedule, Cancel, Record attendance) and `/review attendance`.

Every listener declares what it needs; the gate (bot.commands.gate) admits the person on the meeting
and its case as they are now. Listeners parse, call one service function and hand Slack work to the
background.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.access import Permission
from bot.commands.finders import CASE_HERE, CASE_IN_METADATA, admitted_case, facts_target
from bot.commands.gate import Allowed, Finder, Needs, NotThere, OutOfDate, Request, Target
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput, UserFacingError
from bot.meetings.kinds import Response
from bot.meetings.modals import (
    attendance_modal,
    read_attendance,
    read_record,
    read_reschedule,
    read_schedule,
    reschedule_modal,
    schedule_modal,
)
from bot.meetings.models import Meeting
from bot.meetings.record import comment_modal, read_comment, save_comment, send_record_to_absentees, tell_lead
from bot.meetings.service import (
    cancel,
    invitee_errors,
    load,
    meeting_to_record,
    meeting_view,
    record_attendance,
    reschedule,
    respond,
    schedule,
)
from bot.meetings.slack_sync import announce, refresh_invitation
from bot.privacy.guard import guard
from bot.runtime.services import Services
from bot.slack.blocks import section
from bot.slack.ids import ActionId, CallbackId
from bot.slack.payloads import MeetingMetadata, action_value, leading_id, read_metadata, view_values
from bot.slack.requester import Requester


def _text_check(services: Services, partnership_id: str) -> Any:
    partnership = services.config.partnership(partnership_id)

    def check(text: str) -> str | None:
        verdict = guard(text, mode=partnership.identifier_guard, allowed_terms=partnership.allowed_terms())
        return None if verdict.ok else verdict.message

    return check


def _refusal_view(message: str) -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": "ReviewBot"},
            "close": {"type": "plain_text", "text": "Close"},
            "blocks": [section(message)]}


async def _meeting_target(services: Services, meeting_id: int | None) -> Target:
    if meeting_id is None:
        raise OutOfDate()
    async with services.db.read() as session:
        meeting = await session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotThere()
    target = await facts_target(services, meeting.case_id, record_id=meeting_id)
    # Attendance: the business unit and the chair, or the meeting's organiser or its chair.
    owners = tuple(u for u in (meeting.organiser_user_id, meeting.chair_user_id) if u)
    return replace(target, assignee_user_ids=owners)


async def _on_button(services: Services, request: Request) -> Target:
    return await _meeting_target(services, leading_id(action_value(request.body)))


async def _in_metadata(services: Services, request: Request) -> Target:
    meta = read_metadata(MeetingMetadata, request.body)
    return await _meeting_target(services, meta.meeting if meta else None)


async def _latest_here(services: Services, request: Request) -> Target:
    here = await CASE_HERE.find(services, request)
    assert here.case is not None
    meeting_id = await meeting_to_record(services, here.case.case_id)
    if meeting_id is None:
        raise BadInput(
            f"No meeting of {here.case.reference} has started yet, so there is no attendance to record."
        )
    return await _meeting_target(services, meeting_id)


MEETING_ON_BUTTON = Finder("the meeting id on an invitation's button", _on_button)
MEETING_IN_METADATA = Finder("the meeting in a reschedule or attendance modal's metadata", _in_metadata)
LATEST_MEETING_HERE = Finder("the latest started meeting of this channel's case", _latest_here)
MANAGE = Needs(Permission.MANAGE_MEETING, MEETING_ON_BUTTON)
ANSWER = Needs(Permission.RESPOND_TO_MEETING, MEETING_ON_BUTTON)


def meeting_id_of(allowed: Allowed) -> int:
    assert allowed.target.record_id is not None  # every meeting finder names the meeting
    return allowed.target.record_id


def _open(services: Services, requester: Requester, view: dict[str, Any], name: str) -> None:
    if requester.trigger_id is None:
        raise BadInput("Slack did not send what is needed to open a form. Please try again.")

    async def _tell(text: str) -> None:
        await requester.tell(services.gateway, text)

    services.tasks.spawn(
        services.gateway.open_view(requester.trigger_id, view), name=name, tell=_tell, urgent=True
    )


async def open_attendance(services: Services, requester: Requester, meeting_id: int) -> None:
    async with services.db.session() as session:
        meeting, _case = await load(session, meeting_id)
        if meeting.cancelled:
            raise BadInput("This meeting was cancelled, so there is no attendance to record.")
        if services.clock.now() < meeting.starts_at:
            raise BadInput("Attendance can be recorded once the meeting has started.")
    modal = attendance_modal(await meeting_view(services, meeting_id))
    _open(services, requester, modal, "open-attendance")


def register(features: Features) -> None:
    services = features.services

    # -- scheduling ---------------------------------------------------------------------------

    async def meeting_command(ctx: CommandContext) -> CommandReply:
        case = ctx.admitted.case
        modal = schedule_modal(case.case_id, case.reference)
        _open(services, ctx.requester, modal, "open-meeting-modal")
        return CommandReply(text="")

    features.subcommand("meeting", "meeting",
                        "schedule a case group, review team, panel or learning event meeting here "
                        "(business unit, chair, reviewers)", meeting_command,
                        needs=Needs(Permission.MANAGE_MEETING, CASE_HERE), order=50)

    @features.view(CallbackId.MEETING_MODAL, needs=Needs(Permission.MANAGE_MEETING, CASE_IN_METADATA))
    async def schedule_submitted(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        view = body["view"]
        user = allowed.user_id
        case = await admitted_case(services, allowed)
        request, errors = read_schedule(view_values(body), now=services.clock.now(),
                                        check=_text_check(services, case.partnership_id))
        if request is not None:
            errors = invitee_errors(services, case, request)
        if errors or request is None:
            await ack(response_action="errors", errors=errors)
            return
        try:
            scheduled = await schedule(services, case.id, request, user_id=user,
                                       view_id=str(view.get("id") or "") or None)
        except UserFacingError as exc:
            await ack(response_action="update", view=_refusal_view(exc.text))
            return
        await ack()
        if scheduled.created:
            services.tasks.spawn(announce(services, scheduled.meeting_id, "scheduled", by=user),
                                 name="meeting-scheduled")

    # -- answers ------------------------------------------------------------------------------

    async def _answer(body: dict[str, Any], allowed: Allowed, response: Response) -> None:
        requester = Requester.from_body(body)
        meeting_id = meeting_id_of(allowed)
        changed = await respond(services, meeting_id, user_id=requester.user_id, response=response)
        if changed:
            services.tasks.spawn(refresh_invitation(services, meeting_id), name="meeting-invitation")
        view = await meeting_view(services, meeting_id)
        word = "attending" if response is Response.ATTENDING else "not attending"
        services.tasks.spawn(requester.tell(services.gateway, f"Noted: you are {word} the {view.title}."),
                             name="meeting-answer-noted")

    @features.action(ActionId.MEETING_ATTENDING, needs=ANSWER)
    async def attending(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        await _answer(body, allowed, Response.ATTENDING)

    @features.action(ActionId.MEETING_NOT_ATTENDING, needs=ANSWER)
    async def not_attending(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        await _answer(body, allowed, Response.NOT_ATTENDING)

    # -- reschedule and cancel ------------------------------------------------------------------

    @features.action(ActionId.MEETING_RESCHEDULE, needs=MANAGE)
    async def reschedule_pressed(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        modal = reschedule_modal(await meeting_view(services, meeting_id_of(allowed)))
        _open(services, Requester.from_body(body), modal, "open-reschedule")

    @features.view(
        CallbackId.MEETING_RESCHEDULE_MODAL, needs=Needs(Permission.MANAGE_MEETING, MEETING_IN_METADATA)
    )
    async def reschedule_submitted(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        user = allowed.user_id
        meeting_id = meeting_id_of(allowed)
        meta = read_metadata(MeetingMetadata, body)
        when, errors = read_reschedule(view_values(body), now=services.clock.now())
        if when is None:
            await ack(response_action="errors", errors=errors)
            return
        try:
            moved = await reschedule(services, meeting_id, user_id=user, starts_at=when[0],
                                     duration_minutes=when[1],
                                     seen_sequence=meta.sequence if meta else None)
        except UserFacingError as exc:
            await ack(response_action="update", view=_refusal_view(exc.text))
            return
        await ack()
        if moved:
            services.tasks.spawn(announce(services, meeting_id, "rescheduled", by=user),
                                 name="meeting-rescheduled")

    @features.action(ActionId.MEETING_CANCEL, needs=MANAGE)
    async def cancel_pressed(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        # Slack asked "Cancel this meeting?" (the button's confirm dialog) before sending this.
        await ack()
        meeting_id = meeting_id_of(allowed)
        await cancel(services, meeting_id, user_id=allowed.user_id)
        services.tasks.spawn(announce(services, meeting_id, "cancelled", by=allowed.user_id),
                             name="meeting-cancelled")

    # -- attendance ------------------------------------------------------------------------------

    @features.action(
        ActionId.MEETING_RECORD_ATTENDANCE, needs=Needs(Permission.RECORD_ATTENDANCE, MEETING_ON_BUTTON)
    )
    async def attendance_pressed(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        await open_attendance(services, Requester.from_body(body), meeting_id_of(allowed))

    @features.view(
        CallbackId.MEETING_ATTENDANCE_MODAL, needs=Needs(Permission.RECORD_ATTENDANCE, MEETING_IN_METADATA)
    )
    async def attendance_submitted(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        meeting_id = meeting_id_of(allowed)
        values = view_values(body)
        attended = read_attendance(values)
        record = read_record(values)
        if record is not None:
            problem = _text_check(services, allowed.case.partnership_id)(record)
            if problem:
                await ack(response_action="errors", errors={"record": problem})
                return
        try:
            await record_attendance(services, meeting_id, user_id=allowed.user_id, attended=attended,
                                    record=record)
        except UserFacingError as exc:
            await ack(response_action="update", view=_refusal_view(exc.text))
            return
        await ack()
        services.tasks.spawn(refresh_invitation(services, meeting_id), name="meeting-attendance")
        services.tasks.spawn(send_record_to_absentees(services, meeting_id), name="meeting-record-absentees")

    # -- the record of a case group meeting: an absentee comments on its accuracy ------------------

    @features.action(ActionId.MEETING_RECORD_COMMENT, needs=ANSWER)
    async def comment_pressed(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        view = await meeting_view(services, meeting_id_of(allowed))
        modal = comment_modal(view.meeting_id, view.title)
        _open(services, Requester.from_body(body), modal, "open-record-comment")

    @features.view(
        CallbackId.MEETING_RECORD_COMMENT_MODAL,
        needs=Needs(Permission.RESPOND_TO_MEETING, MEETING_IN_METADATA),
    )
    async def comment_submitted(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        comment = read_comment(view_values(body))
        check = _text_check(services, allowed.case.partnership_id)
        problem = "Write your comment." if not comment else check(comment)
        if problem:
            await ack(response_action="errors", errors={"comment": problem})
            return
        try:
            saved = await save_comment(services, meeting_id_of(allowed), user_id=allowed.user_id,
                                       comment=comment)
        except UserFacingError as exc:
            await ack(response_action="update", view=_refusal_view(exc.text))
            return
        await ack(response_action="update", view=_refusal_view(
            "Thank you: your comment is kept with the review and sent to the lead reviewer."))
        services.tasks.spawn(tell_lead(services, saved, by=allowed.user_id, comment=comment),
                             name="meeting-record-comment")
