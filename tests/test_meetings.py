"""Meetings end to end: `/review meeting`, the invitation with its calendar file and buttons, the
reminder rows and what they say, rescheduling, cancelling, attendance and the continuity prompt."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from icalendar import Calendar
from sqlalchemy import select

from bot.audit import AuditEvent
from bot.cases.models import Case
from bot.clock import FakeClock
from bot.meetings.models import Meeting
from bot.meetings.reminders import compose_meeting
from bot.meetings.service import meetings_for
from bot.reminders.kinds import ComposeContext
from bot.reminders.models import Reminder, ReminderStatus
from bot.reminders.scheduler import tick
from bot.sandbox.fake_slack import Message, UploadedFile
from bot.sandbox.harness import Harness, ephemeral_text
from bot.sandbox.signed_requests import (
    checkboxes,
    datepicker,
    multi_users_select,
    static_select,
    text_value,
    timepicker,
    users_select,
)
from bot.slack.blockkit import validate_message, validate_view
from bot.slack.ids import ActionId, CallbackId
from tests.intake_helpers import BM, CHAIR, EDU_LEAD, LA_LEAD, POLICE_LEAD, all_cases, notify

ICB_LEAD = "U0ICBLEAD1"
POLICE_SIGNATORY = "U0POSIGN1"
REVIEWER = "U0REVIEW1"


def said(response: Any) -> str:
    """The command's private answer; empty for a silent ack (a modal is opening)."""
    return ephemeral_text(response) if response.content else ""


def meeting_values(
    *, kind: str = "case_group", day: str = "2027-01-13", at: str = "10:00", minutes: str = "90",
    place: str = "Room 2.14, County Hall", invitees: tuple[str, ...] = (LA_LEAD, POLICE_LEAD),
    chair: str | None = CHAIR, pre_reading: str | None = "The agency summaries and the chronology",
) -> dict[str, Any]:
    states = {
        "kind": static_select(kind), "date": datepicker(day), "time": timepicker(at),
        "duration": text_value(minutes, type="number_text_input"), "place": text_value(place),
        "invitees": multi_users_select(list(invitees)), "chair": users_select(chair),
        "pre_reading": text_value(pre_reading),
    }
    return {block: {block: state} for block, state in states.items()}


async def open_case(h: Harness) -> Case:
    await notify(h, sent="2026-12-18")  # Friday 18 December 2026, 10:00
    [case] = await all_cases(h)
    assert case.channel_id
    return case


async def schedule(h: Harness, case: Case, user: str = BM, **kwargs: Any) -> dict[str, Any]:
    response = await h.command("meeting", user=user, channel=str(case.channel_id))
    assert response.status_code == 200 and said(response) == "", said(response)
    [modal] = [v for v in h.fake.view_stack(user) if v.get("callback_id") == CallbackId.MEETING_MODAL][-1:]
    assert validate_view(modal) == []
    request = h.slack.view_submission(CallbackId.MEETING_MODAL, user_id=user, values=meeting_values(**kwargs))
    reply = await h.submit_view(request, user)
    assert reply.status_code == 200
    return reply.json() if reply.content else {}


async def meetings(h: Harness) -> list[Meeting]:
    async with h.services.db.session() as s:
        return list((await s.execute(select(Meeting).order_by(Meeting.id))).scalars())


async def meeting_rows(h: Harness, meeting_id: int) -> list[Reminder]:
    async with h.services.db.session() as s:
        query = select(Reminder).where(Reminder.kind == "meeting").order_by(Reminder.id)
        rows = (await s.execute(query)).scalars()
        return [r for r in rows if (r.payload or {}).get("meeting_id") == meeting_id]


def invitation(h: Harness, meeting: Meeting) -> Message:
    assert meeting.channel_id and meeting.message_ts
    message = h.fake.message(meeting.channel_id, meeting.message_ts)
    assert message is not None
    return message


def ics_files(h: Harness) -> list[UploadedFile]:
    return [f for f in h.fake.files if f.name.endswith(".ics")]


def parse(upload: UploadedFile) -> Calendar:
    assert upload.content
    return Calendar.from_ical(upload.content)


async def press(h: Harness, action: str, user: str, meeting: Meeting) -> None:
    request = h.slack.block_action(action, user_id=user, channel_id=meeting.channel_id,
                                   message_ts=meeting.message_ts, value=str(meeting.id))
    assert (await h.send(request)).status_code == 200


def dm_texts(h: Harness, user: str) -> list[str]:
    return [m.rendered() for m in h.fake.messages(h.fake.dm_channel(user))]


async def deliver_at(h: Harness, clock: FakeClock, when: datetime) -> None:
    clock.set(when)
    await tick(h.services)
    await h.services.tasks.drain()


# -- scheduling ------------------------------------------------------------------------------------


async def test_schedule_posts_invitation_calendar_file_notes_and_reminder_rows(harness: Harness) -> None:
    case = await open_case(harness)
    ack = await schedule(harness, case)
    assert ack == {}  # the modal closes
    [meeting] = await meetings(harness)
    assert meeting.invitee_ids == [LA_LEAD, POLICE_LEAD, CHAIR]  # the chair is invited too
    assert meeting.organiser_user_id == BM and meeting.sequence == 0
    assert meeting.starts_at == datetime(2027, 1, 13, 10, 0, tzinfo=UTC)  # 10:00 GMT

    message = invitation(harness, meeting)
    assert validate_message(message.blocks, message.text) == []
    shown = message.rendered()
    assert "Case group meeting for RR-2026-001" in shown
    assert "Wednesday 13 January 2027 at 10:00 UK time" in shown and "Room 2.14, County Hall" in shown
    assert "0 attending · 0 not attending · 3 no answer yet" in shown
    assert "<!date^1799834400^{date_long_pretty} at {time}|" in str(message.blocks)
    buttons = {e["action_id"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]}
    assert buttons == {
        ActionId.MEETING_ATTENDING, ActionId.MEETING_NOT_ATTENDING, ActionId.MEETING_RESCHEDULE,
        ActionId.MEETING_CANCEL, ActionId.MEETING_RECORD_ATTENDANCE,
    }

    [upload] = ics_files(harness)
    assert upload.name == "RR-2026-001-case-group-2027-01-13.ics" and upload.channel_id == case.channel_id
    cal = parse(upload)
    assert cal["METHOD"] == "REQUEST" and cal.timezones[0]["TZID"] == "Europe/London"
    [event] = cal.events
    assert event["UID"] == f"meeting-{meeting.id}@reviewbot" and event["SEQUENCE"] == 0
    assert event.decoded("dtstart").astimezone(UTC) == datetime(2027, 1, 13, 10, 0, tzinfo=UTC)
    assert event.decoded("dtstamp") == datetime(2026, 12, 18, 10, 0, tzinfo=UTC)
    assert b"Child A" not in (upload.content or b"")

    for person in (LA_LEAD, POLICE_LEAD, CHAIR):
        [note] = dm_texts(harness, person)
        assert note.startswith("Invitation: Case group meeting for RR-2026-001, Wednesday 13 January 2027")
        assert "[Attending] [Not attending]" in note
    assert dm_texts(harness, BM) == []  # the organiser made it: no note to them

    rows = await meeting_rows(harness, meeting.id)
    assert len({r.delivery_key for r in rows}) == len(rows)
    due = {(r.rung, r.recipient): r.due_at for r in rows}
    for person in (LA_LEAD, POLICE_LEAD, CHAIR):
        assert due[("5wd", person)] == datetime(2027, 1, 6, 9, 0, tzinfo=UTC)  # 5 working days before, 09:00
        assert due[("1d", person)] == datetime(2027, 1, 12, 9, 0, tzinfo=UTC)  # the working day before, 09:00
        assert due[("1h", person)] == datetime(2027, 1, 13, 9, 0, tzinfo=UTC)
    assert due[("attendance", BM)] == due[("attendance", CHAIR)] == datetime(2027, 1, 13, 11, 30, tzinfo=UTC)
    assert len(rows) == 11
    assert all(r.delivery_key.startswith(f"meeting:{meeting.id}:0:") for r in rows)
    async with harness.services.db.session() as s:
        query = select(AuditEvent).where(AuditEvent.action == "meeting.scheduled")
        [event_row] = (await s.execute(query)).scalars()
    assert event_row.actor == BM and event_row.after and event_row.after["reminders"] == 11


async def test_reminders_say_the_right_thing_and_skip_people_not_coming(
    harness: Harness, clock: FakeClock
) -> None:
    case = await open_case(harness)
    await schedule(harness, case)
    [meeting] = await meetings(harness)
    await press(harness, ActionId.MEETING_NOT_ATTENDING, POLICE_LEAD, meeting)
    await deliver_at(harness, clock, datetime(2027, 1, 6, 9, 0, tzinfo=UTC))
    # (listed with the person's other reminders of that delivery, with its own blocks)
    [five_day] = [t for t in dm_texts(harness, LA_LEAD) if "Reminder: Case group meeting" in t]
    assert "Please read before the meeting:* The agency summaries and the chronology" in five_day
    assert "Sent 5 working days before" in five_day
    assert not [t for t in dm_texts(harness, POLICE_LEAD) if "Reminder: Case group meeting" in t]
    await deliver_at(harness, clock, datetime(2027, 1, 12, 9, 0, tzinfo=UTC))
    one_day = [t for t in dm_texts(harness, LA_LEAD) if "Reminder: Case group meeting" in t][-1]
    assert "the working day before" in one_day and "Please read" not in one_day
    await deliver_at(harness, clock, datetime(2027, 1, 13, 9, 0, tzinfo=UTC))
    assert any(t.startswith("Starting in an hour") for t in dm_texts(harness, CHAIR))
    rows = {(r.rung, r.recipient): r.status for r in await meeting_rows(harness, meeting.id)}
    assert rows[("5wd", POLICE_LEAD)] == rows[("1h", POLICE_LEAD)] == ReminderStatus.CANCELLED.value
    assert rows[("1h", LA_LEAD)] == ReminderStatus.SENT.value
    await deliver_at(harness, clock, datetime(2027, 1, 13, 11, 30, tzinfo=UTC))
    assert any(t.startswith("Record attendance: Case group meeting") for t in dm_texts(harness, BM))


async def test_schedule_form_refuses_bad_input_beside_the_fields(harness: Harness) -> None:
    case = await open_case(harness)
    ack = await schedule(harness, case, day="2026-12-17", place="Conference room, 12 Acacia Avenue, NS1 2AB",
                         invitees=(LA_LEAD, EDU_LEAD), minutes="5")
    assert ack["response_action"] == "errors"
    errors = ack["errors"]
    assert "in the past" in errors["date"]
    assert "street address" in errors["place"]
    assert "from 15 to 480" in errors["duration"]
    ack = await schedule(harness, case, invitees=(LA_LEAD, EDU_LEAD))
    assert ack["errors"] == {"invitees": ack["errors"]["invitees"]}
    assert "The 2nd person chosen can't see case RR-2026-001" in ack["errors"]["invitees"]
    assert await meetings(harness) == []


async def test_resubmitted_form_makes_one_meeting(harness: Harness) -> None:
    case = await open_case(harness)
    await harness.command("meeting", user=BM, channel=str(case.channel_id))
    modal = harness.fake.view_stack(BM)[-1]
    for _ in range(2):
        request = harness.slack.view_submission(CallbackId.MEETING_MODAL, user_id=BM, values=meeting_values(),
                                                view=modal, view_id=modal["id"])
        assert (await harness.send(request)).status_code == 200
    assert len(await meetings(harness)) == 1
    assert len(ics_files(harness)) == 1


# -- answers ----------------------------------------------------------------------------------------


async def test_answers_are_recorded_for_invitees_only_and_shown_in_place(harness: Harness) -> None:
    case = await open_case(harness)
    await schedule(harness, case)
    [meeting] = await meetings(harness)
    ts = meeting.message_ts
    await press(harness, ActionId.MEETING_ATTENDING, LA_LEAD, meeting)
    await press(harness, ActionId.MEETING_NOT_ATTENDING, POLICE_LEAD, meeting)
    message = invitation(harness, meeting)
    assert message.ts == ts and message.edited == 2
    shown = message.rendered()
    assert f"@{LA_LEAD} ✅ attending" in shown
    assert f"@{POLICE_LEAD} ❌ not attending" in shown
    assert "1 attending · 1 not attending · 1 no answer yet" in shown
    assert any("Noted: you are attending" in r.text for r in harness.fake.responses)

    await press(harness, ActionId.MEETING_ATTENDING, LA_LEAD, meeting)  # a double click changes nothing
    assert invitation(harness, meeting).edited == 2

    # A case member who was not invited is refused, and nothing changes.
    await press(harness, ActionId.MEETING_ATTENDING, ICB_LEAD, meeting)
    assert "Only people invited to this meeting can answer it." in harness.fake.responses[-1].text
    assert invitation(harness, meeting).edited == 2
    [fresh] = await meetings(harness)
    assert {i.user_id: i.response for i in fresh.invitees} == {
        LA_LEAD: "attending", POLICE_LEAD: "not_attending", CHAIR: None}

    # The invitee can answer from the note in their direct messages too.
    dm = harness.fake.dm_channel(CHAIR)
    note = harness.fake.messages(dm)[0]
    request = harness.slack.block_action(ActionId.MEETING_ATTENDING, user_id=CHAIR, channel_id=dm,
                                         message_ts=note.ts)
    await harness.send(request)
    assert "2 attending" in invitation(harness, meeting).rendered()


# -- reschedule and cancel --------------------------------------------------------------------------


async def test_reschedule_then_cancel_update_the_invitation_calendar_and_reminders(harness: Harness) -> None:
    case = await open_case(harness)
    await schedule(harness, case)
    [meeting] = await meetings(harness)
    await press(harness, ActionId.MEETING_ATTENDING, LA_LEAD, meeting)
    old_rows = await meeting_rows(harness, meeting.id)

    await press(harness, ActionId.MEETING_RESCHEDULE, BM, meeting)
    modal = harness.fake.view_stack(BM)[-1]
    assert modal["callback_id"] == CallbackId.MEETING_RESCHEDULE_MODAL and validate_view(modal) == []
    values = {b: {b: s} for b, s in {"date": datepicker("2027-01-14"), "time": timepicker("14:00"),
                                     "duration": text_value("60", type="number_text_input")}.items()}
    request = harness.slack.view_submission(CallbackId.MEETING_RESCHEDULE_MODAL, user_id=BM, values=values)
    assert (await harness.submit_view(request, BM)).status_code == 200

    [moved] = await meetings(harness)
    assert moved.sequence == 1 and moved.starts_at == datetime(2027, 1, 14, 14, 0, tzinfo=UTC)
    assert all(i.response is None for i in moved.invitees)  # answers are asked for again
    message = invitation(harness, moved)
    assert message.ts == meeting.message_ts
    assert "Thursday 14 January 2027 at 14:00 UK time" in message.rendered()
    assert "(rescheduled)" in message.rendered()
    first, second = ics_files(harness)
    assert second.name == "RR-2026-001-case-group-2027-01-14.ics"
    event = parse(second).events[0]
    assert parse(second)["METHOD"] == "REQUEST"
    assert event["UID"] == parse(first).events[0]["UID"] and event["SEQUENCE"] == 1
    assert event.decoded("dtstart").astimezone(UTC) == datetime(2027, 1, 14, 14, 0, tzinfo=UTC)
    assert any("has moved to" in t for t in dm_texts(harness, LA_LEAD))

    rows = await meeting_rows(harness, meeting.id)
    old_keys = {r.delivery_key for r in old_rows}
    assert all(r.status == ReminderStatus.CANCELLED.value for r in rows if r.delivery_key in old_keys)
    new = [r for r in rows if r.delivery_key not in old_keys]
    assert len(new) == 11 and all(r.status == ReminderStatus.PENDING.value for r in new)
    assert all(r.delivery_key.startswith(f"meeting:{meeting.id}:1:") for r in new)
    # An old row composes to nothing even if it had escaped cancellation: the sequence moved on.
    async with harness.services.db.session() as s:
        stale = await s.get(Reminder, old_rows[0].id)
        assert stale is not None
        assert await compose_meeting(ComposeContext(harness.services, s, stale, late=False)) is None
        current = await s.get(Reminder, new[0].id)
        assert current is not None
        assert await compose_meeting(ComposeContext(harness.services, s, current, late=False)) is not None

    await press(harness, ActionId.MEETING_CANCEL, BM, moved)
    [cancelled] = await meetings(harness)
    assert cancelled.cancelled and cancelled.sequence == 2
    message = invitation(harness, cancelled)
    assert message.ts == meeting.message_ts and message.rendered().startswith("Cancelled: Case group meeting")
    assert not [b for b in message.blocks if b["type"] == "actions"]
    third = ics_files(harness)[-1]
    assert third.name == "RR-2026-001-case-group-2027-01-14-cancelled.ics"
    cal = parse(third)
    assert cal["METHOD"] == "CANCEL"
    assert cal.events[0]["STATUS"] == "CANCELLED" and cal.events[0]["SEQUENCE"] == 2
    assert cal.events[0]["UID"] == f"meeting-{meeting.id}@reviewbot"
    assert any("has been cancelled" in t for t in dm_texts(harness, POLICE_LEAD))
    rows = await meeting_rows(harness, meeting.id)
    assert all(r.status == ReminderStatus.CANCELLED.value for r in rows)
    async with harness.services.db.session() as s:
        row = await s.get(Reminder, new[0].id)
        assert row is not None
        assert await compose_meeting(ComposeContext(harness.services, s, row, late=False)) is None

    await press(harness, ActionId.MEETING_CANCEL, BM, cancelled)  # pressed again: told, nothing changes
    assert "This meeting was cancelled." in harness.fake.responses[-1].text
    assert len(ics_files(harness)) == 3


async def test_people_without_the_role_are_refused_everywhere(harness: Harness) -> None:
    case = await open_case(harness)
    # The command: an agency lead (in the case, without the role) and a reviewer (role, not in the case).
    refused = await harness.command("meeting", user=LA_LEAD, channel=str(case.channel_id))
    assert said(refused).startswith("Only a business manager, the chair or a reviewer can schedule meetings.")
    refused = await harness.command("meeting", user=REVIEWER, channel=str(case.channel_id))
    assert said(refused).startswith("I can't find that, or you don't have access to it.")  # one answer
    assert not harness.fake.view_stack(LA_LEAD)
    # A forged modal submission.
    request = harness.slack.view_submission(CallbackId.MEETING_MODAL, user_id=LA_LEAD,
                                            values=meeting_values(),
                                            private_metadata=json.dumps({"v": 1, "c": case.id}))
    reply = (await harness.send(request)).json()
    assert reply["response_action"] == "update"
    assert "Only a business manager, the chair or a reviewer can schedule meetings." in str(reply["view"])
    assert await meetings(harness) == []
    # Reschedule and cancel buttons on a real meeting.
    await schedule(harness, case)
    [meeting] = await meetings(harness)
    for action in (ActionId.MEETING_RESCHEDULE, ActionId.MEETING_CANCEL):
        await press(harness, action, LA_LEAD, meeting)
        assert "can schedule meetings" in harness.fake.responses[-1].text
    assert not [v for v in harness.fake.view_stack(LA_LEAD) if v.get("callback_id") ==
                CallbackId.MEETING_RESCHEDULE_MODAL]
    # A forged reschedule submission.
    values = {b: {b: s} for b, s in {"date": datepicker("2027-01-20"), "time": timepicker("10:00"),
                                     "duration": text_value("60", type="number_text_input")}.items()}
    request = harness.slack.view_submission(CallbackId.MEETING_RESCHEDULE_MODAL, user_id=LA_LEAD,
                                            values=values,
                                            private_metadata=json.dumps({"v": 1, "m": meeting.id, "s": 0}))
    reply = (await harness.send(request)).json()
    assert "can schedule meetings" in str(reply["view"])
    [unchanged] = await meetings(harness)
    assert unchanged.sequence == 0 and not unchanged.cancelled and len(ics_files(harness)) == 1


# -- attendance and continuity ------------------------------------------------------------------------


async def record(h: Harness, user: str, meeting: Meeting, attended: list[str]) -> dict[str, Any]:
    values = {"attended_0": {"attended_0": checkboxes(attended)}}
    request = h.slack.view_submission(CallbackId.MEETING_ATTENDANCE_MODAL, user_id=user, values=values,
                                      private_metadata=json.dumps({"v": 1, "m": meeting.id}))
    reply = await h.submit_view(request, user)
    return reply.json() if reply.content else {}


async def test_attendance_then_continuity_prompt_for_the_chair(harness: Harness, clock: FakeClock) -> None:
    case = await open_case(harness)
    await schedule(harness, case, day="2027-01-06", invitees=(LA_LEAD, POLICE_LEAD, ICB_LEAD))
    [first] = await meetings(harness)

    await press(harness, ActionId.MEETING_RECORD_ATTENDANCE, BM, first)  # before it starts: not yet
    assert "once the meeting has started" in harness.fake.responses[-1].text

    clock.set(datetime(2027, 1, 6, 12, 0, tzinfo=UTC))
    await press(harness, ActionId.MEETING_RECORD_ATTENDANCE, LA_LEAD, first)  # an invitee, not the organiser
    refusal = harness.fake.responses[-1].text
    assert refusal.startswith("Only a business manager, the chair or a reviewer can record attendance")
    reply = await record(harness, LA_LEAD, first, [LA_LEAD])
    assert "can record attendance" in str(reply["view"])

    response = await harness.command("attendance", user=BM, channel=str(case.channel_id))
    assert response.status_code == 200 and said(response) == ""
    modal = harness.fake.view_stack(BM)[-1]
    assert modal["callback_id"] == CallbackId.MEETING_ATTENDANCE_MODAL and validate_view(modal) == []
    assert await record(harness, BM, first, [CHAIR, LA_LEAD]) == {}
    [first] = await meetings(harness)
    assert {i.user_id: i.attended for i in first.invitees} == {
        LA_LEAD: True, POLICE_LEAD: False, ICB_LEAD: False, CHAIR: True}
    shown = invitation(harness, first).rendered()
    assert "Attendance* (2 of 4 attended)" in shown and f"@{POLICE_LEAD} did not attend" in shown
    reply = await record(harness, BM, first, [CHAIR, "U0NOTINVITED"])
    assert "Only people who were invited" in str(reply["view"])

    # The next case group meeting: 3 of the 4 invited did not attend the last one.
    await schedule(harness, case, day="2027-01-20", invitees=(POLICE_LEAD, ICB_LEAD, POLICE_SIGNATORY))
    # A review team meeting with the same people has no previous meeting of its kind: no prompt.
    await schedule(harness, case, kind="review_team", day="2027-01-20", at="14:00",
                   invitees=(POLICE_LEAD, ICB_LEAD, POLICE_SIGNATORY))
    await deliver_at(harness, clock, datetime(2027, 1, 13, 9, 0, tzinfo=UTC))
    # Both meetings' reminders reach the chair in one message, one entry each (case group first).
    [listing] = [t for t in dm_texts(harness, CHAIR) if "Reminder: Case group meeting" in t]
    case_group, review_team = listing.split("Reminder: Review team meeting")
    assert "Most of the people invited are new to this group." in case_group
    assert f"@{POLICE_LEAD}, @{ICB_LEAD}, @{POLICE_SIGNATORY}" in case_group
    assert f"@{LA_LEAD}" not in case_group.split("new to this group")[1]
    assert "please brief them" in case_group
    assert "new to this group" not in review_team
    others = [t for t in dm_texts(harness, POLICE_LEAD) if "Reminder: Case group" in t]
    assert others and all("new to this group" not in t for t in others)


async def test_no_prompt_when_most_people_were_there(harness: Harness, clock: FakeClock) -> None:
    case = await open_case(harness)
    await schedule(harness, case, day="2027-01-06", invitees=(LA_LEAD, POLICE_LEAD, ICB_LEAD))
    [first] = await meetings(harness)
    clock.set(datetime(2027, 1, 6, 12, 0, tzinfo=UTC))
    await record(harness, BM, first, [CHAIR, LA_LEAD, POLICE_LEAD])
    await schedule(harness, case, day="2027-01-20", invitees=(LA_LEAD, POLICE_LEAD, POLICE_SIGNATORY))
    await deliver_at(harness, clock, datetime(2027, 1, 13, 9, 0, tzinfo=UTC))
    [reminder] = [t for t in dm_texts(harness, CHAIR) if t.startswith("Reminder")]
    assert "new to this group" not in reminder


async def test_meetings_for_lists_upcoming_meetings_for_the_home_tab(
    harness: Harness, clock: FakeClock
) -> None:
    case = await open_case(harness)
    await schedule(harness, case, day="2027-01-13")
    await schedule(harness, case, kind="review_team", day="2027-01-06", invitees=(LA_LEAD,))
    listed = await meetings_for(harness.services, LA_LEAD)
    assert [(m.reference, m.kind_label, m.starts_at.day) for m in listed] == [
        ("RR-2026-001", "Review team meeting", 6), ("RR-2026-001", "Case group meeting", 13)]
    assert [m.is_chair for m in await meetings_for(harness.services, CHAIR)] == [True, True]
    assert await meetings_for(harness.services, EDU_LEAD) == []
    clock.set(datetime(2027, 1, 7, 9, 0, tzinfo=UTC))
    assert [m.kind_label for m in await meetings_for(harness.services, LA_LEAD)] == ["Case group meeting"]
