"""Action plans end to end: the modal, the buttons, the board message edited in place, reminders,
and who may do what. Board channels never see a pseudonym or anything a person typed."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.actions.changes import update_action
from bot.actions.findings import FindingForm, record_finding
from bot.actions.form import ActionForm
from bot.actions.kinds import ActionStatus
from bot.actions.models import ActionUpdate, Finding
from bot.actions.typology import FindingKind
from bot.audit import AuditEvent
from bot.board.models import BoardMessage
from bot.clock import FakeClock
from bot.errors import NotAllowed
from bot.reminders.models import Reminder, ReminderStatus
from bot.reminders.scheduler import tick
from bot.sandbox.harness import Harness
from bot.sandbox.signed_requests import radio_buttons, static_select, text_value
from bot.slack.blockkit import validate_view
from bot.slack.ids import ActionId, CallbackId
from tests.action_helpers import (
    BOARD,
    actions,
    add_action,
    board_traffic,
    open_add_modal,
    progress_values,
    submit_action_modal,
)
from tests.action_helpers import action_values as values_for
from tests.intake_helpers import BM, EDU_LEAD, POLICE_LEAD, PROBATION_MEMBER, all_cases, notify

PSEUDONYM = "Child Q"
SUMMARY = "Synthetic summary mentioning the zebrakite incident at the leisure centre"
DESCRIPTION = "Review the quokkalantern referral pathway with partner agencies"
MEASURE = "Audit shows the flamingoquill pathway used in every case"
NOTE = "Workshop held with the marmosetglow team"
EVIDENCE = "Referrals now reach the axolotlbeam panel within a day"
REASON = "parallel proceedings with the wombatveil team"
FINDING = "Handover notes omitted the pangolinwhisper risk history"
PLANTED = [
    PSEUDONYM,
    "zebrakite",
    "quokkalantern",
    "flamingoquill",
    "marmosetglow",
    "axolotlbeam",
    "wombatveil",
    "pangolinwhisper",
]


async def _case(h: Harness):  # type: ignore[no-untyped-def]
    await notify(h, sent="2026-12-18", children=[(PSEUDONYM, "5_9", "child_in_need")], summary=SUMMARY)
    [case] = await all_cases(h)
    return case


async def _board_message(h: Harness, case_id: int) -> BoardMessage:
    async with h.services.db.session() as session:
        return (
            await session.execute(select(BoardMessage).where(BoardMessage.case_id == case_id))
        ).scalar_one()


async def test_action_update_edits_the_board_message_in_place_and_the_board_never_sees_details(
    harness: Harness,
) -> None:
    h = harness
    case = await _case(h)
    view = await open_add_modal(h, case, BM)
    assert validate_view(view) == []
    ack = await submit_action_modal(
        h,
        BM,
        values_for(
            description=DESCRIPTION, agency="police", owner=POLICE_LEAD, due="2027-01-08", measure=MEASURE
        ),
    )
    assert ack.get("response_action") is None, ack
    [action] = await actions(h)
    assert (action.owner_agency, action.owner_user_id, action.due_on, action.status) == (
        "police",
        POLICE_LEAD,
        date(2027, 1, 8),
        "open",
    )

    first = await _board_message(h, case.id)
    posted = h.fake.message(BOARD, first.ts)
    assert posted is not None and posted.edited == 0
    assert (
        case.reference in posted.rendered() and "Northshire Constabulary: 1 outstanding" in posted.rendered()
    )

    # The owner records progress (evidence and a note), then presses Done on the listing.
    listing = await h.command("actions mine", user=POLICE_LEAD)
    assert DESCRIPTION in listing.json()["text"] + str(listing.json().get("blocks"))
    await h.send(h.slack.block_action(ActionId.ACTION_UPDATE, user_id=POLICE_LEAD, value=str(action.id)))
    update_view = h.fake.view_stack(POLICE_LEAD)[-1]
    assert update_view["callback_id"] == CallbackId.ACTION_MODAL and validate_view(update_view) == []
    ack = await submit_action_modal(
        h,
        POLICE_LEAD,
        progress_values(status="in_progress", evidence=EVIDENCE, note=NOTE)
        | values_for(
            description=DESCRIPTION, agency="police", owner=POLICE_LEAD, due="2027-01-08", measure=MEASURE
        ),
    )
    assert ack.get("response_action") is None, ack
    await h.send(h.slack.block_action(ActionId.ACTION_DONE, user_id=POLICE_LEAD, value=str(action.id)))
    [action] = await actions(h)
    assert action.status == ActionStatus.DONE.value and action.completed_on == date(2026, 12, 18)

    again = await _board_message(h, case.id)
    assert again.ts == first.ts and again.channel_id == BOARD
    edited = h.fake.message(BOARD, first.ts)
    assert edited is not None and edited.edited >= 1
    assert "No outstanding actions" in edited.rendered()
    assert [m.ts for m in h.fake.messages(BOARD) if case.reference in m.text] == [first.ts]  # one per case

    # A revised target (with a typed reason) and a finding: neither reaches the board either.
    revised = await h.command(
        f"revise rapid_review 20/01/2027 {REASON} agreed by the Panel", user=BM, channel=str(case.channel_id)
    )
    assert "Revised target" in revised.json()["text"]
    await record_finding(
        h.services,
        case.id,
        actor_user_id=BM,
        form=FindingForm("human_tool", FindingKind.BOARD_ISSUE, None, FINDING),
    )

    # The partnership summary too.
    reply = await h.command("board", user=BM)
    assert "Posting the partnership summary" in reply.json()["text"]
    assert any("Cases by stage" in m.rendered() for m in h.fake.messages(BOARD))

    traffic = board_traffic(h)
    assert case.reference in traffic
    for planted in PLANTED:
        assert planted not in traffic, planted

    # the update log and the audit trail hold what happened, the audit without free text
    async with h.services.db.session() as session:
        log = list(
            (
                await session.execute(
                    select(ActionUpdate).where(ActionUpdate.action_id == action.id).order_by(ActionUpdate.id)
                )
            ).scalars()
        )
        audits = list(
            (await session.execute(select(AuditEvent).where(AuditEvent.action.like("action.%")))).scalars()
        )
    assert [u.status for u in log] == ["open", "in_progress", "done"]
    assert log[1].note == NOTE
    assert [a.action for a in audits] == ["action.created", "action.updated", "action.updated"]
    assert all(p not in repr((a.before, a.after)) for a in audits for p in PLANTED)


async def test_a_stage_change_reaches_the_board_through_the_card(harness: Harness) -> None:
    h = harness
    case = await _case(h)
    await tick(h.services)  # the worker posts the board message of a new case
    first = await _board_message(h, case.id)
    await h.command("stage decision", user=BM, channel=str(case.channel_id))
    message = h.fake.message(BOARD, first.ts)
    assert message is not None and message.edited >= 1 and "Decision" in message.rendered()
    assert (await _board_message(h, case.id)).ts == first.ts


async def test_action_reminders_on_the_due_day_then_each_working_day_and_none_after_done(
    harness: Harness,
    clock: FakeClock,
) -> None:
    h = harness
    case = await _case(h)
    action = await add_action(h, case, BM, agency="police", owner=POLICE_LEAD, due="2027-01-08")
    clock.set(datetime(2027, 1, 8, 8, 0, tzinfo=UTC))
    await tick(h.services)
    clock.set(datetime(2027, 1, 8, 9, 1, tzinfo=UTC))
    await tick(h.services)
    await h.services.tasks.drain()
    # Friday 8th due; Monday 11th and Tuesday 12th overdue (the weekend is skipped)
    clock.set(datetime(2027, 1, 12, 9, 30, tzinfo=UTC))
    await tick(h.services)
    async with h.services.db.session() as session:
        rows = list(
            (
                await session.execute(
                    select(Reminder).where(Reminder.kind == "action").order_by(Reminder.due_at)
                )
            ).scalars()
        )
    # No tick on Monday (a worker down): Monday's and Tuesday's rungs fall due together on Tuesday,
    # so only the newest is sent and Monday's is kept as superseded (never sent).
    assert [(r.rung, r.recipient, r.status) for r in rows] == [
        ("due_day", POLICE_LEAD, "sent"),
        ("overdue_1", POLICE_LEAD, "superseded"),
        ("overdue_2", POLICE_LEAD, "sent"),
    ]
    assert rows[1].superseded_by == rows[2].id and rows[1].sent_at is None
    assert rows[0].delivery_key == f"action:{action.id}:2027-01-08:due_day:{POLICE_LEAD}"
    assert rows[0].due_at == datetime(2027, 1, 8, 9, 0, tzinfo=UTC)
    dms = [m for m in h.fake.messages(POLICE_LEAD) if "action" in m.rendered().lower()]
    assert any("due today" in m.rendered() for m in dms)
    assert any("overdue by 2 working days" in m.rendered() for m in dms)

    # Done: the next overdue reminder is never sent
    await h.send(h.slack.block_action(ActionId.ACTION_DONE, user_id=POLICE_LEAD, value=str(action.id)))
    clock.set(datetime(2027, 1, 13, 10, 0, tzinfo=UTC))
    await tick(h.services)
    async with h.services.db.session() as session:
        statuses = [
            r.status
            for r in (
                await session.execute(
                    select(Reminder).where(Reminder.kind == "action").order_by(Reminder.due_at)
                )
            ).scalars()
        ]
    assert statuses == ["sent", "superseded", "sent"]


async def test_who_may_add_and_update(harness: Harness) -> None:
    h = harness
    case = await _case(h)
    # a member of another agency cannot add actions
    reply = await h.command("actions add", user=PROBATION_MEMBER, channel=str(case.channel_id))
    assert "access" in reply.json()["text"] or "Only" in reply.json()["text"]
    # an owner from outside the case is given access, and sees progress fields only
    action = await add_action(h, case, BM, agency="probation", owner=PROBATION_MEMBER, due="2027-02-01")
    await h.send(h.slack.block_action(ActionId.ACTION_UPDATE, user_id=PROBATION_MEMBER, value=str(action.id)))
    view = h.fake.view_stack(PROBATION_MEMBER)[-1]
    ids = {b.get("block_id") for b in view["blocks"]}
    assert {"status", "evidence", "note"} <= ids and not {"due_date", "description", "owner_person"} & ids
    assert validate_view(view) == []
    ack = await submit_action_modal(h, PROBATION_MEMBER, progress_values(status="not_doing"))
    assert ack["response_action"] == "errors" and "not_doing_reason" in ack["errors"]
    try:
        await update_action(
            h.services, action.id, actor_user_id=PROBATION_MEMBER, form=ActionForm(due_on=date(2027, 3, 1))
        )
        raise AssertionError("a member changed the due date")
    except NotAllowed as exc:
        assert "progress" in exc.text
    # someone with no access to the case cannot press its buttons
    await h.send(h.slack.block_action(ActionId.ACTION_DONE, user_id=EDU_LEAD, value=str(action.id)))
    assert (await actions(h))[-1].status == "open"
    assert any("access" in r.text for r in h.fake.responses)


async def test_identifying_text_is_refused_beside_the_field_and_a_resubmitted_modal_adds_once(
    harness: Harness,
) -> None:
    h = harness
    case = await _case(h)
    await open_add_modal(h, case, BM)
    ack = await submit_action_modal(
        h, BM, values_for(description="Speak to Mrs Jane Exampleton at 14 Sample Street")
    )
    assert ack["response_action"] == "errors" and set(ack["errors"]) == {"description"}
    assert await actions(h) == []
    view = h.fake.view_stack(BM)[-1]
    request = h.slack.view_submission(
        CallbackId.ACTION_MODAL, user_id=BM, values=values_for(), view_id=view["id"]
    )
    await h.send(request)
    await h.send(
        h.slack.view_submission(
            CallbackId.ACTION_MODAL,
            user_id=BM,
            values=values_for(),
            view_id=view["id"],
            private_metadata=view["private_metadata"],
        )
    )
    assert len(await actions(h)) == 1


async def test_listings_by_agency_case_and_overdue(harness: Harness, clock: FakeClock) -> None:
    h = harness
    case = await _case(h)
    await add_action(h, case, BM, agency="police", owner=POLICE_LEAD, due="2026-12-21")
    await add_action(
        h, case, BM, description="Share the learning brief with schools", agency="education", due="2027-02-01"
    )
    clock.set(datetime(2026, 12, 22, 12, 0, tzinfo=UTC))
    overdue = (await h.command("actions overdue", user=BM)).json()
    assert "Overdue actions: 1 action(s), 1 overdue" in overdue["text"]
    agency = (await h.command("actions agency education", user=BM)).json()
    assert "1 action(s)" in agency["text"] and "learning brief" in str(agency["blocks"])
    in_channel = (await h.command("actions", user=BM, channel=str(case.channel_id))).json()
    assert f"Action plan for {case.reference}: 2 action(s)" in in_channel["text"]
    assert ActionId.ACTION_ADD in str(in_channel["blocks"])
    by_reference = (await h.command(f"actions case {case.reference}", user=EDU_LEAD)).json()
    assert "access" in by_reference["text"]
    unknown = (await h.command("actions agency nowhere", user=BM)).json()
    assert "no agency called" in unknown["text"] and "`police`" in unknown["text"]


async def test_a_recommendation_finding_becomes_an_action(harness: Harness) -> None:
    h = harness
    case = await _case(h)
    await h.command("finding", user=BM, channel=str(case.channel_id))
    modal = h.fake.view_stack(BM)[-1]
    assert modal["callback_id"] == CallbackId.FINDING_MODAL and validate_view(modal) == []
    values = {
        "typology": {"typology": static_select("human_management_system")},
        "finding_kind": {"finding_kind": radio_buttons("recommendation")},
        "recommendation_kind": {"recommendation_kind": static_select(None)},
        "summary": {"summary": text_value("Supervision did not test the plan against new information")},
    }
    ack = await h.submit_view(
        h.slack.view_submission(CallbackId.FINDING_MODAL, user_id=BM, values=values), BM
    )
    assert ack.json()["response_action"] == "errors" and "recommendation_kind" in ack.json()["errors"]
    values["recommendation_kind"] = {"recommendation_kind": static_select("local")}
    ack = await h.submit_view(
        h.slack.view_submission(CallbackId.FINDING_MODAL, user_id=BM, values=values), BM
    )
    assert ack.json()["response_action"] == "update"
    saved = h.fake.view_stack(BM)[-1]
    await h.send(h.slack.block_action(ActionId.FINDING_ADD_ACTION, user_id=BM, view=saved))
    pushed = h.fake.view_stack(BM)[-1]
    assert pushed["callback_id"] == CallbackId.ACTION_MODAL
    assert "Supervision did not test" in str(pushed["blocks"])
    await submit_action_modal(
        h, BM, values_for(description="Add plan-testing prompts to supervision records", agency="la")
    )
    [action] = await actions(h)
    async with h.services.db.session() as session:
        [finding] = list((await session.execute(select(Finding))).scalars())
    assert action.finding_id == finding.id and finding.typology == "human_management_system"
    assert finding.recommendation_kind == "local"
    # a reviewer may record findings, an agency lead may not
    reply = await h.command("finding", user=POLICE_LEAD, channel=str(case.channel_id))
    assert "Only" in reply.json()["text"]


async def test_reminder_rows_for_done_actions_are_cancelled(harness: Harness, clock: FakeClock) -> None:
    h = harness
    case = await _case(h)
    action = await add_action(h, case, BM, agency="police", owner=POLICE_LEAD, due="2027-01-08")
    await tick(h.services)  # plans nothing yet: the due day is more than a week ahead
    clock.set(datetime(2027, 1, 4, 12, 0, tzinfo=UTC))
    await tick(h.services)
    async with h.services.db.session() as session:
        pending = list((await session.execute(select(Reminder).where(Reminder.kind == "action"))).scalars())
    assert [(r.rung, r.status) for r in pending] == [("due_day", ReminderStatus.PENDING.value)]
    await h.send(h.slack.block_action(ActionId.ACTION_DONE, user_id=BM, value=str(action.id)))
    async with h.services.db.session() as session:
        rows = list((await session.execute(select(Reminder).where(Reminder.kind == "action"))).scalars())
    assert [r.status for r in rows] == [ReminderStatus.CANCELLED.value]
    # reopened: the reminder still ahead comes back
    await update_action(h.services, action.id, actor_user_id=BM, form=ActionForm(status=ActionStatus.OPEN))
    async with h.services.db.session() as session:
        rows = list((await session.execute(select(Reminder).where(Reminder.kind == "action"))).scalars())
    assert [r.status for r in rows] == [ReminderStatus.PENDING.value]
