"""The demo after the Panel's reply: the case group meeting (invitation, answers, reminders,
attendance), a finding that becomes an action, the action done, the report published, the board
and the chair's digest, the case closed, and what the reminder engine did along the way."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from bot.clock import LONDON
from bot.deadlines.models import Deadline
from bot.reminders.models import Reminder
from bot.sandbox.demo_story import (
    BM,
    BOARD_CHANNEL,
    CHAIR,
    ICB_LEAD,
    LA_LEAD,
    POLICE_LEAD,
    DemoFailed,
    Story,
    day_text,
    element,
    elements,
    label_of,
)
from bot.sandbox.signed_requests import (
    checkboxes,
    datepicker,
    multi_users_select,
    radio_buttons,
    static_select,
    text_value,
    timepicker,
    users_select,
)
from bot.slack.ids import ActionId, CallbackId

INVITEES = (LA_LEAD, POLICE_LEAD, ICB_LEAD)
PUBLISHED_AT = "https://northshire.example.org/reviews/rr-2026-001"


def _values(states: dict[str, Any]) -> dict[str, Any]:
    return {block: {block: state} for block, state in states.items()}


async def afterwards(story: Story) -> None:
    await _meeting(story)
    await _finding_and_action(story)
    await _publication(story)
    await _board_and_digest(story)
    await _closure(story)
    await _reminder_tally(story)


async def _meeting(story: Story) -> None:
    h = story.h
    channel = await story.channel()
    story.step("The business manager schedules the first case group meeting:  /review meeting")
    await story.command("meeting", BM)
    story.expect(
        h.fake.view_stack(BM)[-1]["callback_id"] == CallbackId.MEETING_MODAL, "the meeting form opened"
    )
    values = _values(
        {
            "kind": static_select("case_group"),
            "date": datepicker("2027-02-03"),
            "time": timepicker("10:00"),
            "duration": text_value("90", type="number_text_input"),
            "place": text_value("Room 2.14, County Hall"),
            "invitees": multi_users_select(list(INVITEES)),
            "chair": users_select(CHAIR),
            "pre_reading": text_value("The agency summaries and the chronology"),
        }
    )
    reply = await h.submit_view(
        h.slack.view_submission(CallbackId.MEETING_MODAL, user_id=BM, values=values), BM
    )
    story.expect(not (reply.content and reply.json().get("errors")), "the meeting was scheduled")
    invitation = next(
        (
            m
            for m in reversed(story.posts(channel))
            if any(e.get("action_id") == ActionId.MEETING_ATTENDING for e in elements(m))
        ),
        None,
    )
    if invitation is None:
        raise DemoFailed("the invitation is posted in the case channel")
    calendars = [f.name for f in h.fake.files if f.name.endswith(".ics")]
    story.claim(bool(calendars), f"The invitation, with a calendar file ({calendars[-1]}) to add it:")
    story.say(story.shown(invitation), 8)
    story.step("The invitees answer with the buttons:")
    for user, action in (
        (LA_LEAD, ActionId.MEETING_ATTENDING),
        (POLICE_LEAD, ActionId.MEETING_NOT_ATTENDING),
    ):
        button = element(h.fake.message(channel, invitation.ts), action)
        await h.send(
            h.slack.block_action(
                action, user_id=user, value=str(button["value"]), channel_id=channel, message_ts=invitation.ts
            )
        )
        story.say(f"{story.who(user)} presses '{label_of(button)}'.")
    answers = story.shown(h.fake.message(channel, invitation.ts))
    story.expect(story.who(LA_LEAD) in answers, "the answers show on the invitation")
    story.say("The invitation now reads:")
    story.say(answers, 8)

    before = len(story.dms(ICB_LEAD))
    _first, last = await story.mornings(date(2027, 2, 3))
    reminders = story.dms(ICB_LEAD)[before:]
    story.step(f"The worker's mornings to {day_text(last)}: the ICB lead, who has not answered, is reminded:")
    story.claim(
        any("meeting" in m.rendered().lower() for m in reminders),
        f"{len(reminders)} reminder(s) to {story.who(ICB_LEAD)}; the latest:",
    )
    story.say(story.shown(reminders[-1]), 8)

    story.step("After the meeting the business manager records who came:  /review attendance")
    clock = h.services.clock
    clock.set(clock.now().replace(hour=13))  # type: ignore[attr-defined]
    await story.command("attendance", BM)
    modal = h.fake.view_stack(BM)[-1]
    story.expect(modal["callback_id"] == CallbackId.MEETING_ATTENDANCE_MODAL, "the attendance form opened")
    came = [LA_LEAD, ICB_LEAD]
    reply = await h.submit_view(
        h.slack.view_submission(
            CallbackId.MEETING_ATTENDANCE_MODAL,
            user_id=BM,
            values={"attended_0": {"attended_0": checkboxes(came)}},
        ),
        BM,
    )
    story.expect(not (reply.content and reply.json().get("errors")), "attendance was recorded")
    shown = story.shown(h.fake.message(channel, invitation.ts))
    story.claim(
        all(story.who(u) in shown for u in came),
        "Recorded: " + "; ".join(story.who(u) for u in came) + " attended.",
    )


async def _finding_and_action(story: Story) -> None:
    h = story.h
    story.step("The review's finding is recorded, with a recommendation:  /review finding")
    await story.command("finding", BM)
    story.expect(
        h.fake.view_stack(BM)[-1]["callback_id"] == CallbackId.FINDING_MODAL, "the finding form opened"
    )
    values = _values(
        {
            "typology": static_select("human_management_system"),
            "finding_kind": radio_buttons("recommendation"),
            "recommendation_kind": static_select("local"),
            "summary": text_value("Supervision did not test the plan against new information"),
        }
    )
    reply = await h.submit_view(
        h.slack.view_submission(CallbackId.FINDING_MODAL, user_id=BM, values=values), BM
    )
    body = reply.json() if reply.content else {}
    story.expect(body.get("response_action") == "update", "the finding was saved")
    story.say(story.blocks(body["view"]["blocks"]), 8)
    story.step("From it, the business manager adds an action for the police:")
    await h.send(
        h.slack.block_action(ActionId.FINDING_ADD_ACTION, user_id=BM, view=h.fake.view_stack(BM)[-1])
    )
    story.expect(
        h.fake.view_stack(BM)[-1]["callback_id"] == CallbackId.ACTION_MODAL, "the action form opened"
    )
    values = _values(
        {
            "description": text_value("Add plan-testing prompts to supervision records"),
            "source": static_select("review_recommendation"),
            "owner_agency": static_select("police"),
            "owner_person": users_select(POLICE_LEAD),
            "due_date": datepicker("2027-03-31"),
            "success_measure": text_value("Prompts in use in every supervision record sampled"),
        }
    )
    await h.submit_view(h.slack.view_submission(CallbackId.ACTION_MODAL, user_id=BM, values=values), BM)
    plan = await story.command(f"actions case {(await story.case()).reference}", BM)
    story.expect("Add plan-testing prompts" in plan, "the action is on the case's plan")
    story.say(f"The case's action plan:  /review actions case {(await story.case()).reference}")
    story.say(plan, 8)
    await _action_done(story)


async def _action_done(story: Story) -> None:
    h = story.h
    channel = await story.channel()
    await story.mornings(date(2027, 3, 10))
    holder = next(
        (
            m
            for m in reversed(h.fake.messages(channel) + story.dms(POLICE_LEAD))
            if any(e.get("action_id") == ActionId.ACTION_DONE for e in elements(m))
        ),
        None,
    )
    if holder is None:
        raise DemoFailed("the action has a 'Done' button for its owner")
    story.step("10 March 2027: the police lead marks the action done from its 'Done' button:")
    button = element(holder, ActionId.ACTION_DONE)
    await h.send(
        h.slack.block_action(
            ActionId.ACTION_DONE,
            user_id=POLICE_LEAD,
            value=str(button["value"]),
            channel_id=holder.channel,
            message_ts=holder.ts,
        )
    )
    plan = await story.command(f"actions case {(await story.case()).reference}", BM)
    story.expect("Add plan-testing prompts" in plan and "done" in plan.lower(), "the action shows as done")
    story.say("The case's action plan now:")
    story.say(plan, 8)


async def _publication(story: Story) -> None:
    steps = (
        (date(2027, 4, 20), "record final_report"),
        (date(2027, 4, 21), "record intended_publication 02/06/2027"),
        (date(2027, 5, 20), "record report_sent"),
        (date(2027, 6, 2), f"record publication {PUBLISHED_AT}"),
    )
    story.step("The report: finished, its publication date set, sent ahead, and published:")
    for day, command in steps:
        await story.mornings(day)
        answer = await story.command(command, BM)
        story.expect("Recorded" in answer, f"'{command}' was recorded")
        story.say(f"{day_text(day)}:  /review {command}")
        story.say(answer, 8)


async def _board_and_digest(story: Story) -> None:
    story.step("The chair posts the partnership summary to the board channel:  /review board")
    await story.command("board", CHAIR, "C0GENERAL")
    board = story.posts(BOARD_CHANNEL)
    story.expect(bool(board), "the board summary was posted")
    shown = story.shown(board[-1])
    story.expect(
        "Child A" not in story.h.fake.all_text_for_channel(BOARD_CHANNEL), "no pseudonym on the board"
    )
    now = story.now().astimezone(LONDON)
    story.expect(f"{now:%a} {now.day} {now:%b %Y} {now:%H:%M}" in shown, "the board's time is UK time")
    story.say(shown, 8)
    story.say("(case references only: no pseudonym or free text reaches the board channel)")
    story.step("The chair previews this week's digest:  /review digest preview")
    await story.command("digest preview", CHAIR, "C0GENERAL")
    preview = story.h.fake.responses[-1] if story.h.fake.responses else None
    story.expect(preview is not None and "digest" in preview.text.lower(), "the digest preview was shown")
    assert preview is not None
    story.say(story.blocks(preview.blocks) or story.text(preview.text), 8)


async def _closure(story: Story) -> None:
    story.step("The review's actions are under way, then the case is closed:")
    for day, stage in ((date(2027, 6, 3), "actions"), (date(2027, 6, 10), "closed")):
        await story.mornings(day)
        answer = await story.command(f"stage {stage}", BM)
        story.expect("moved to" in answer, f"the case moved to {stage}")
        story.say(f"{day_text(day)}:  /review stage {stage}")
        story.say(answer, 8)
    case = await story.case()
    async with story.h.services.db.read() as session:
        rows = list((await session.execute(select(Deadline).where(Deadline.case_id == case.id))).scalars())
    open_rows = [
        r
        for r in rows
        if r.met_on is None
        and not r.not_applicable_reason
        and r.due_on is not None
        and r.due_on <= date(2027, 6, 10)
    ]
    story.claim(
        case.stage == "closed" and not open_rows,
        f"{case.reference} is closed; every deadline that fell due was met or marked not applicable:",
    )
    for row in sorted(rows, key=lambda r: r.position):
        state = (
            f"not applicable ({row.not_applicable_reason})"
            if row.not_applicable_reason
            else f"met {day_text(row.met_on)}"
            if row.met_on
            else "still ahead"
        )
        story.say(f"• {row.label}: due {day_text(row.due_on) if row.due_on else 'no date'}; {state}", 6)


async def _reminder_tally(story: Story) -> None:
    async with story.h.services.db.read() as session:
        grouped = await session.execute(select(Reminder.status, func.count()).group_by(Reminder.status))
        counts = {str(status): int(n) for status, n in grouped}
        rows = await session.execute(
            select(Reminder.sent_channel, Reminder.sent_ts).where(Reminder.status == "sent")
        )
        sent = [(channel, ts) for channel, ts in rows]
        waiting = await session.execute(select(Reminder.kind).where(Reminder.status == "pending"))
        kinds = sorted({str(kind).replace("_", " ") for (kind,) in waiting})
    posted = {(m.channel, m.ts) for c in story.h.fake.channels for m in story.h.fake.messages(c)}
    delivered = [s for s in sent if s in posted]
    story.step("What the reminder engine did over these six months:")
    story.claim(
        len(delivered) == len(sent) and len(set(sent)) == len(sent),
        f"{counts.get('sent', 0)} reminders sent, each one message in Slack (none twice); "
        f"{counts.get('cancelled', 0)} cancelled because the step was done first; "
        f"{counts.get('superseded', 0)} folded into a newer one to the same person; "
        f"{counts.get('pending', 0)} still waiting for their day"
        + (f" ({', '.join(kinds)})." if kinds else "."),
    )
