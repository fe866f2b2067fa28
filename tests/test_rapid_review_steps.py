"""Rapid review steps one at a time: agency returns and their chases, item modals and the guard,
private pages, the decision form's errors, the Panel, and a checklist started before day 0."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from bot.clock import FakeClock
from bot.deadlines.models import Deadline
from bot.rapid_review.models import RapidReview
from bot.reminders.models import Reminder
from bot.reminders.scheduler import tick as worker_tick
from bot.sandbox.harness import OUTSIDER, Harness, ephemeral_text
from bot.sandbox.signed_requests import text_value, users_select
from bot.slack.ids import ActionId, CallbackId
from tests.intake_helpers import BM, EDU_LEAD, LA_LEAD, POLICE_LEAD, all_cases, notify
from tests.rapid_review_helpers import (
    ICB_LEAD,
    POLICE_SIGNATORY,
    decision_of,
    decision_values,
    item_menu,
    items,
    last_response,
    open_rapid_review,
    returns,
    review_of,
    sign,
    submit_decision,
    tick,
)


async def _reminders(h: Harness, kind: str = "agency_return") -> list[Reminder]:
    async with h.services.db.session() as s:
        rows = await s.execute(
            select(Reminder).where(Reminder.kind == kind).order_by(Reminder.due_at, Reminder.id)
        )
        return list(rows.scalars())


def _button(blocks: list[dict[str, Any]], prefix: str) -> dict[str, Any]:
    for block in blocks:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if str(element.get("action_id", "")).startswith(prefix):
                return element
    raise AssertionError(f"no {prefix} button")


async def test_agency_returns_received_nil_added_and_chased(harness: Harness, clock: FakeClock) -> None:
    case = await open_rapid_review(harness, agencies=["la", "police", "icb"])
    assert set(await returns(harness, case.id)) == {"la", "police", "icb"}
    chases = await _reminders(harness)
    # 09:00 on working day 10 (Wednesday 6 January 2027), then every working day to day 15
    assert chases[0].due_at == datetime(2027, 1, 6, 9, 0, tzinfo=UTC)
    assert {r.recipient for r in chases} == {LA_LEAD, POLICE_LEAD, ICB_LEAD}
    assert len(chases) == 3 * 6

    # the police lead records the police return; the LA's is not theirs to record
    reply = await harness.command("returns police received", user=POLICE_LEAD, channel=case.channel_id or "")
    assert "1 of 3 in" in ephemeral_text(reply)
    reply = await harness.command("returns la received", user=POLICE_LEAD, channel=case.channel_id or "")
    assert "belongs to Northshire Council Children's Services" in ephemeral_text(reply)
    reply = await harness.command(
        "returns la received 05/01/2027", user=LA_LEAD, channel=case.channel_id or ""
    )
    assert "future" in ephemeral_text(reply)
    rows = await returns(harness, case.id)
    assert rows["police"].received_on == date(2026, 12, 18) and rows["la"].received_on is None
    assert (await items(harness, case.id))["R11"].status == "done"  # the police summary item ticks itself
    police_chases = [r for r in await _reminders(harness) if r.recipient == POLICE_LEAD]
    assert police_chases and {r.status for r in police_chases} == {"cancelled"}

    # the ICB lead answers "nil return" from the list's button
    listing = await harness.command("returns", user=ICB_LEAD, channel=case.channel_id or "")
    nil = _button(listing.json()["blocks"], f"{ActionId.RETURN_NIL}:{rows['icb'].id}")
    await harness.send(
        harness.slack.block_action(
            nil["action_id"], user_id=ICB_LEAD, value=nil["value"], channel_id=case.channel_id
        )
    )
    assert "a nil return, recorded by" in str(harness.fake.responses[-1].blocks)
    assert (await returns(harness, case.id))["icb"].nil_return

    # an agency found later: the business manager adds education; its lead is invited and chased
    reply = await harness.command("returns add education", user=BM, channel=case.channel_id or "")
    assert "Northshire Education Safeguarding Team" in str(reply.json()["blocks"])
    education = (await returns(harness, case.id))["education"]
    assert education.added_later and education.due_on == date(2027, 1, 6)
    assert EDU_LEAD in harness.fake.channels[case.channel_id or ""].members
    assert any(r.recipient == EDU_LEAD for r in await _reminders(harness))
    reply = await harness.command("returns add education", user=LA_LEAD, channel=case.channel_id or "")
    assert "Only a business manager or the chair" in ephemeral_text(reply)

    # on working day 10 the engine chases the LA and education, not the police or the ICB
    clock.set(datetime(2027, 1, 6, 9, 0, 30, tzinfo=UTC))
    await worker_tick(harness.services)
    await harness.services.tasks.drain()
    la_dm = harness.fake.messages(harness.fake.dm_channel(LA_LEAD))
    chase = [
        m for m in la_dm if "agency summary from *Northshire Council Children's Services*" in m.rendered()
    ]
    assert chase, [m.text for m in la_dm]
    assert not any(
        "agency summary" in m.rendered() for m in harness.fake.messages(harness.fake.dm_channel(POLICE_LEAD))
    )
    # the LA lead answers from the reminder itself
    received = _button(chase[0].blocks, ActionId.RETURN_RECEIVED)
    await harness.send(
        harness.slack.block_action(
            received["action_id"],
            user_id=LA_LEAD,
            value=received["value"],
            channel_id=chase[0].channel,
            message_ts=chase[0].ts,
        )
    )
    assert (await returns(harness, case.id))["la"].received_on == date(2027, 1, 6)
    assert {
        r.status for r in await _reminders(harness) if r.recipient == LA_LEAD and r.due_at > clock.now()
    } == {"cancelled"}


async def test_item_modals_guard_free_text_and_assignees_may_tick(harness: Harness) -> None:
    case = await open_rapid_review(harness)
    listed = await items(harness, case.id)
    rr = await review_of(harness, case.id)
    assert rr.checklist_ts

    async def open_modal(code: str, op: str, user: str) -> dict[str, Any]:
        await harness.send(item_menu(harness, case, rr.checklist_ts or "", listed[code], op, user))
        return harness.fake.view_stack(user)[-1]

    # not applicable asks for the reason, and the reason goes through the identifier guard
    view = await open_modal("R3", "na", BM)
    assert view["callback_id"] == CallbackId.CHECKLIST_NOT_APPLICABLE_MODAL
    bad = {"reason": {"reason": text_value("Mrs Jane Smith said so at 12 Acacia Avenue")}}
    ack = await harness.submit_view(
        harness.slack.view_submission(
            CallbackId.CHECKLIST_NOT_APPLICABLE_MODAL, user_id=BM, values=bad, view_id=view["id"]
        ),
        BM,
    )
    assert ack.json()["response_action"] == "errors" and "name" in ack.json()["errors"]["reason"]
    assert (await items(harness, case.id))["R3"].status == "todo"
    good = {"reason": {"reason": text_value("Covered by the notification form itself")}}
    await harness.submit_view(
        harness.slack.view_submission(
            CallbackId.CHECKLIST_NOT_APPLICABLE_MODAL, user_id=BM, values=good, view_id=view["id"]
        ),
        BM,
    )
    r3 = (await items(harness, case.id))["R3"]
    assert r3.status == "not_applicable" and r3.na_reason == "Covered by the notification form itself"

    # assigning: only to someone in the partnership who can see the case; the assignee may then tick
    view = await open_modal("R7", "assign", BM)
    ack = await harness.submit_view(
        harness.slack.view_submission(
            CallbackId.CHECKLIST_ASSIGN_MODAL,
            user_id=BM,
            values={"assignee": {"assignee": users_select(OUTSIDER)}},
            view_id=view["id"],
        ),
        BM,
    )
    assert "not in the partnership file" in ack.json()["errors"]["assignee"]
    await harness.submit_view(
        harness.slack.view_submission(
            CallbackId.CHECKLIST_ASSIGN_MODAL,
            user_id=BM,
            values={"assignee": {"assignee": users_select(POLICE_LEAD)}},
            view_id=view["id"],
        ),
        BM,
    )
    assert (await items(harness, case.id))["R7"].assignee_user_id == POLICE_LEAD
    await tick(harness, case, listed["R7"], POLICE_LEAD)
    assert (await items(harness, case.id))["R7"].status == "done"

    # a note: refused with a date of birth in it, kept otherwise, and shown on the message
    view = await open_modal("R10", "note", LA_LEAD)
    ack = await harness.submit_view(
        harness.slack.view_submission(
            CallbackId.CHECKLIST_NOTE_MODAL,
            user_id=LA_LEAD,
            values={"note": {"note": text_value("DOB 01/02/2020")}},
            view_id=view["id"],
        ),
        LA_LEAD,
    )
    assert "date of birth" in ack.json()["errors"]["note"]
    await harness.submit_view(
        harness.slack.view_submission(
            CallbackId.CHECKLIST_NOTE_MODAL,
            user_id=LA_LEAD,
            values={"note": {"note": text_value("Draft with the service manager")}},
            view_id=view["id"],
        ),
        LA_LEAD,
    )
    assert (await items(harness, case.id))["R10"].note == "Draft with the service manager"
    message = harness.fake.message(case.channel_id or "", rr.checklist_ts)
    assert message is not None and "📝 Draft with the service manager" in message.rendered()
    # another agency can't even open the modal for it
    await harness.send(item_menu(harness, case, rr.checklist_ts, listed["R10"], "note", POLICE_LEAD))
    assert "belongs to Northshire Council Children's Services" in last_response(harness)

    # done, then reopened; a second Done is refused plainly
    await tick(harness, case, listed["R10"], LA_LEAD)
    await tick(harness, case, listed["R10"], LA_LEAD)
    assert "already done" in last_response(harness)
    await harness.send(item_menu(harness, case, rr.checklist_ts, listed["R10"], "reopen", LA_LEAD))
    assert (await items(harness, case.id))["R10"].status == "todo"


async def test_checklist_pages_and_agency_views(harness: Harness) -> None:
    case = await open_rapid_review(harness)
    channel = case.channel_id or ""
    reply = await harness.command("checklist police", user=POLICE_LEAD, channel=channel)
    shown = str(reply.json()["blocks"])
    assert "R11" in shown and "R10" not in shown
    reply = await harness.command("checklist health", user=ICB_LEAD, channel=channel)
    assert "R12" in str(reply.json()["blocks"])
    reply = await harness.command("checklist nonsense", user=BM, channel=channel)
    assert "no group called 'nonsense'" in ephemeral_text(reply)
    # every item, in private pages
    reply = await harness.command("checklist all", user=BM, channel=channel)
    blocks = reply.json()["blocks"]
    assert "page 1 of 1" not in str(blocks)
    # the checklist without arguments refreshes the one message, never a second
    before = len(harness.fake.messages(channel))
    reply = await harness.command("checklist", user=EDU_LEAD, channel=channel)
    assert "pinned in this channel" in ephemeral_text(reply)
    assert len(harness.fake.messages(channel)) == before
    # ticking from a private page redraws that page
    listed = await items(harness, case.id)
    page = await harness.command("checklist business", user=BM, channel=channel)
    menu = next(
        b["accessory"]
        for b in page.json()["blocks"]
        if b.get("accessory", {}).get("action_id") == f"{ActionId.CHECKLIST_ITEM}:{listed['R7'].id}"
    )
    value = next(o["value"] for o in menu["options"] if o["value"].startswith("done|"))
    await harness.send(
        harness.slack.block_action(menu["action_id"], user_id=BM, selected_option=value, channel_id=channel)
    )
    assert "R7" in str(harness.fake.responses[-1].blocks) and "white_check_mark" in str(
        harness.fake.responses[-1].blocks
    )


async def test_decision_form_shows_every_problem_and_changes_nothing(harness: Harness) -> None:
    case = await open_rapid_review(harness)
    values = decision_values(
        rationale=None, episodes="Contact with Jane Smith at home", action=("Visit the siblings", "", "")
    )
    ack = await submit_decision(harness, case, values)
    assert ack["response_action"] == "errors"
    assert set(ack["errors"]) >= {"rationale", "episodes", "action_0_owner", "action_0_due"}
    assert await decision_of(harness, case.id) is None
    # a double submission of the same decision makes one version
    await submit_decision(harness, case, decision_values())
    await submit_decision(harness, case, decision_values())
    decision = await decision_of(harness, case.id)
    assert decision is not None and decision.version == 1


async def test_panel_submission_and_reply_move_the_case_on(harness: Harness) -> None:
    case = await open_rapid_review(harness)
    channel = case.channel_id or ""
    await submit_decision(harness, case, decision_values())
    reply = await harness.command("panel sent", user=BM, channel=channel)
    assert "waiting for" in ephemeral_text(reply) and "Northshire Constabulary" in ephemeral_text(reply)
    for agency, user in (("la", LA_LEAD), ("police", POLICE_SIGNATORY), ("icb", ICB_LEAD)):
        await sign(harness, case, agency, user)
    rr = await review_of(harness, case.id)
    assert rr.decision_ts
    message = harness.fake.message(channel, rr.decision_ts)
    assert message is not None
    sent = _button(message.blocks, ActionId.PANEL_SENT)
    await harness.send(
        harness.slack.block_action(
            sent["action_id"], user_id=BM, value=sent["value"], channel_id=channel, message_ts=rr.decision_ts
        )
    )
    rr = await review_of(harness, case.id)
    assert rr.panel_sent_on == date(2026, 12, 18)
    async with harness.services.db.session() as s:
        deadlines = {
            d.rule_id: d
            for d in (await s.execute(select(Deadline).where(Deadline.case_id == case.id))).scalars()
        }
    assert deadlines["rapid_review"].met_on == date(2026, 12, 18)
    assert deadlines["panel_response_chase"].due_on is not None  # the Panel chase is now dated
    assert deadlines["lcspr_publication"].due_on is not None  # a decision to hold an LCSPR starts its clock
    assert (await items(harness, case.id))["R21"].status == "done"
    # the decision is final once it has gone to the Panel
    reply = await harness.command("decision", user=BM, channel=channel)
    assert "went to the Panel" in ephemeral_text(reply)
    # the Panel's reply: only the business unit or the chair records it
    reply = await harness.command("panel reply agrees", user=LA_LEAD, channel=channel)
    assert "Only a business manager or the chair" in ephemeral_text(reply)
    message = harness.fake.message(channel, rr.decision_ts)
    assert message is not None
    select_menu = _button(message.blocks, ActionId.PANEL_RESPONSE)
    await harness.send(
        harness.slack.block_action(
            select_menu["action_id"],
            user_id=BM,
            channel_id=channel,
            message_ts=rr.decision_ts,
            selected_option=f"{case.id}|agrees",
        )
    )
    [case] = await all_cases(harness)
    assert case.stage == "local_review_commissioned"
    assert (await review_of(harness, case.id)).panel_response == "agrees"
    assert (await items(harness, case.id))["R23"].status == "done"
    message = harness.fake.message(channel, rr.decision_ts)
    assert message is not None and "The Panel agrees with the decision" in message.rendered()


async def test_checklist_started_before_day_zero_is_dated_when_the_notification_goes(
    harness: Harness,
) -> None:
    await notify(harness)  # not yet sent: the case is at "notified"
    [case] = await all_cases(harness)
    async with harness.services.db.session() as s:
        assert await s.get(RapidReview, case.id) is None
    reply = await harness.command("checklist", user=BM, channel=case.channel_id or "")
    assert "pinned in this channel" in ephemeral_text(reply)
    listed = await items(harness, case.id)
    assert listed["R10"].target_on is None and listed["R2"].status == "todo"
    assert await _reminders(harness) == []
    await harness.send(
        harness.slack.block_action(
            ActionId.RECORD_NOTIFICATION_SENT,
            user_id=BM,
            value=str(case.id),
            channel_id=case.channel_id,
            message_ts=case.card_ts,
        )
    )
    listed = await items(harness, case.id)
    assert listed["R10"].target_on == date(2027, 1, 6) and listed["R2"].status == "done"
    assert (await returns(harness, case.id))["la"].due_on == date(2027, 1, 6)
    assert await _reminders(harness)
    rr = await review_of(harness, case.id)
    message = harness.fake.message(case.channel_id or "", rr.checklist_ts or "")
    assert message is not None and "day 0 Fri 18 Dec 2026" in message.rendered()


async def test_care_leaver_notification_has_no_checklist(harness: Harness) -> None:
    await notify(
        harness, kind="care_leaver_death", children=[("Child A", "18_24", "none")], sent="2026-12-18"
    )
    [case] = await all_cases(harness)
    reply = await harness.command("checklist", user=BM, channel=case.channel_id or "")
    assert "no checklist: it is a notification only" in ephemeral_text(reply)


async def test_open_items_reach_the_home_tab(harness: Harness) -> None:
    case = await open_rapid_review(harness)
    await submit_decision(harness, case, decision_values())
    await harness.send(harness.slack.app_home_opened(LA_LEAD))
    home = str(harness.fake.home_view(LA_LEAD))
    assert "R10 Children's social care agency summary" in home
    from bot.rapid_review.home import open_items_for

    mine = await open_items_for(harness.services, POLICE_SIGNATORY)
    assert [(i.kind, i.code) for i in mine] == [("sign_off", "police")]
    await sign(harness, case, "police", POLICE_SIGNATORY)
    assert await open_items_for(harness.services, POLICE_SIGNATORY) == []


async def test_open_items_take_the_same_statements_for_one_decision_or_several(harness: Harness) -> None:
    from bot.rapid_review.home import open_items_for

    async def statements() -> tuple[int, int]:
        before = harness.services.db.statement_count
        mine = await open_items_for(harness.services, POLICE_SIGNATORY)
        return harness.services.db.statement_count - before, len(mine)

    first = await open_rapid_review(harness)
    await submit_decision(harness, first, decision_values())
    one, items_one = await statements()
    await notify(harness, sent="2026-12-18", agencies=["la", "police", "icb", "education"])
    second = (await all_cases(harness))[-1]
    await submit_decision(harness, second, decision_values())
    several, items_several = await statements()
    assert (items_one, items_several) == (1, 2)  # a sign-off waiting on each decision
    assert several == one
