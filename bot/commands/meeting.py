"""Meetings in Slack: `/review meeting` and its modal, the invitation's buttons (Attending, Not
attending, Reschedule, Cancel, Record attendance) and `/review attendance`.

Listeners parse and authorise, call one service function and hand Slack work to the background.
Every button and form is authorised again in the service, from the case as it is now.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.access import Permission, decide
from bot.cases.models import Case
from bot.cases.service import facts_of
from bot.commands.cases import case_in_context
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput, UserFacingError, ensure_allowed
from bot.meetings import reminders as _meeting_reminders  # noqa: F401  (registers the "meeting" reminder kind)
from bot.meetings.kinds import Response
from bot.meetings.modals import (
    attendance_modal,
    metadata,
    read_attendance,
    read_reschedule,
    read_schedule,
    reschedule_modal,
    schedule_modal,
)
from bot.meetings.service import (
    cancel,
    ensure_may_record_attendance,
    invitee_errors,
    load,
    manager,
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
from bot.slack.ids import ActionId, CallbackId
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
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": message[:2900]}}]}


def _meeting_id(body: dict[str, Any]) -> int:
    value = str(((body.get("actions") or [{}])[0]).get("value") or "")
    if not value.isdecimal():
        raise BadInput("That button is out of date.")
    return int(value)


def _open(services: Services, requester: Requester, view: dict[str, Any], name: str) -> None:
    if requester.trigger_id is None:
        raise BadInput("Slack did not send what is needed to open a form. Please try again.")

    async def _tell(text: str) -> None:
        await requester.tell(services.gateway, text)

    services.tasks.spawn(
        services.gateway.open_view(requester.trigger_id, view), name=name, tell=_tell, urgent=True
    )


def register(features: Features) -> None:
    services = features.services

    # -- scheduling ---------------------------------------------------------------------------

    async def meeting_command(ctx: CommandContext) -> CommandReply:
        case = await case_in_context(services, ctx.channel_id)
        if case is None:
            raise BadInput("`/review meeting` works in a case channel.", "Run it in the channel of the case.")
        manager(services, ctx.user_id, case)
        modal = schedule_modal(case.id, case.reference)
        _open(services, ctx.requester, modal, "open-meeting-modal")
        return CommandReply(text="")

    features.router.add("meeting", "meeting",
                        "schedule a case group, review team, panel or learning event meeting here "
                        "(business unit, chair, reviewers)", meeting_command, order=50)

    @features.view(CallbackId.MEETING_MODAL)
    async def schedule_submitted(ack: AsyncAck, body: dict[str, Any]) -> None:
        view = body["view"]
        user = Requester.from_body(body).user_id
        case_id = metadata(view).get("c")
        async with services.db.session() as session:
            case = await session.get(Case, case_id) if isinstance(case_id, int) else None
        if case is None:
            await ack(response_action="update", view=_refusal_view("That case no longer exists."))
            return
        actor = services.actor(user, case.partnership_id)
        decision = decide(actor, Permission.MANAGE_MEETING, facts_of(case))
        if not decision:
            await ack(response_action="update", view=_refusal_view(decision.message))
            return
        values = (view.get("state") or {}).get("values") or {}
        request, errors = read_schedule(values, now=services.clock.now(),
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

    async def _answer(body: dict[str, Any], response: Response) -> None:
        requester = Requester.from_body(body)
        meeting_id = _meeting_id(body)
        changed = await respond(services, meeting_id, user_id=requester.user_id, response=response)
        if changed:
            services.tasks.spawn(refresh_invitation(services, meeting_id), name="meeting-invitation")
        view = await meeting_view(services, meeting_id)
        word = "attending" if response is Response.ATTENDING else "not attending"
        services.tasks.spawn(requester.tell(services.gateway, f"Noted: you are {word} the {view.title}."),
                             name="meeting-answer-noted")

    @features.action(ActionId.MEETING_ATTENDING)
    async def attending(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        await _answer(body, Response.ATTENDING)

    @features.action(ActionId.MEETING_NOT_ATTENDING)
    async def not_attending(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        await _answer(body, Response.NOT_ATTENDING)

    # -- reschedule and cancel ------------------------------------------------------------------

    @features.action(ActionId.MEETING_RESCHEDULE)
    async def reschedule_pressed(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        requester = Requester.from_body(body)
        meeting_id = _meeting_id(body)
        async with services.db.session() as session:
            _meeting, case = await load(session, meeting_id)
        manager(services, requester.user_id, case)
        modal = reschedule_modal(await meeting_view(services, meeting_id))
        _open(services, requester, modal, "open-reschedule")

    @features.view(CallbackId.MEETING_RESCHEDULE_MODAL)
    async def reschedule_submitted(ack: AsyncAck, body: dict[str, Any]) -> None:
        view = body["view"]
        user = Requester.from_body(body).user_id
        meta = metadata(view)
        meeting_id, seen = meta.get("m"), meta.get("s")
        if not isinstance(meeting_id, int):
            await ack(response_action="update", view=_refusal_view("That form is out of date."))
            return
        try:
            async with services.db.session() as session:
                _meeting, case = await load(session, meeting_id)
            manager(services, user, case)
        except UserFacingError as exc:
            await ack(response_action="update", view=_refusal_view(exc.text))
            return
        values = (view.get("state") or {}).get("values") or {}
        when, errors = read_reschedule(values, now=services.clock.now())
        if when is None:
            await ack(response_action="errors", errors=errors)
            return
        try:
            moved = await reschedule(services, meeting_id, user_id=user, starts_at=when[0],
                                     duration_minutes=when[1],
                                     seen_sequence=seen if isinstance(seen, int) else None)
        except UserFacingError as exc:
            await ack(response_action="update", view=_refusal_view(exc.text))
            return
        await ack()
        if moved:
            services.tasks.spawn(announce(services, meeting_id, "rescheduled", by=user),
                                 name="meeting-rescheduled")

    @features.action(ActionId.MEETING_CANCEL)
    async def cancel_pressed(ack: AsyncAck, body: dict[str, Any]) -> None:
        # Slack asked "Cancel this meeting?" (the button's confirm dialog) before sending this.
        await ack()
        user = Requester.from_body(body).user_id
        meeting_id = _meeting_id(body)
        await cancel(services, meeting_id, user_id=user)
        services.tasks.spawn(announce(services, meeting_id, "cancelled", by=user), name="meeting-cancelled")

    # -- attendance ------------------------------------------------------------------------------

    async def _open_attendance(requester: Requester, meeting_id: int) -> None:
        async with services.db.session() as session:
            meeting, case = await load(session, meeting_id)
            ensure_may_record_attendance(services, requester.user_id, meeting, case)
            if meeting.cancelled:
                raise BadInput("This meeting was cancelled, so there is no attendance to record.")
            if services.clock.now() < meeting.starts_at:
                raise BadInput("Attendance can be recorded once the meeting has started.")
        modal = attendance_modal(await meeting_view(services, meeting_id))
        _open(services, requester, modal, "open-attendance")

    @features.action(ActionId.MEETING_RECORD_ATTENDANCE)
    async def attendance_pressed(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        await _open_attendance(Requester.from_body(body), _meeting_id(body))

    async def attendance_command(ctx: CommandContext) -> CommandReply:
        case = await case_in_context(services, ctx.channel_id)
        if case is None:
            raise BadInput("`/review attendance` works in a case channel.",
                           "Run it in the channel of the case.")
        actor = services.actor(ctx.user_id, case.partnership_id)
        ensure_allowed(decide(actor, Permission.VIEW_CASE, facts_of(case)))
        meeting_id = await meeting_to_record(services, case.id)
        if meeting_id is None:
            raise BadInput(f"No meeting of {case.reference} has started yet, "
                           "so there is no attendance to record.")
        await _open_attendance(ctx.requester, meeting_id)
        return CommandReply(text="")

    features.router.add("attendance", "attendance",
                        "record who attended this case's latest meeting (business unit, chair, organiser)",
                        attendance_command, order=51)

    @features.view(CallbackId.MEETING_ATTENDANCE_MODAL)
    async def attendance_submitted(ack: AsyncAck, body: dict[str, Any]) -> None:
        view = body["view"]
        user = Requester.from_body(body).user_id
        meeting_id = metadata(view).get("m")
        if not isinstance(meeting_id, int):
            await ack(response_action="update", view=_refusal_view("That form is out of date."))
            return
        attended = read_attendance((view.get("state") or {}).get("values") or {})
        try:
            await record_attendance(services, meeting_id, user_id=user, attended=attended)
        except UserFacingError as exc:
            await ack(response_action="update", view=_refusal_view(exc.text))
            return
        await ack()
        services.tasks.spawn(refresh_invitation(services, meeting_id), name="meeting-attendance")
