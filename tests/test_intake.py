"""Incident notification intake end to end: signed requests in, the stand-in's record out."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.cases.models import Case
from bot.deadlines.models import Deadline
from bot.reminders.models import Reminder
from bot.sandbox.harness import OUTSIDER, Harness, ephemeral_text
from bot.slack.ids import ActionId, CallbackId
from tests.intake_helpers import (
    BM,
    LA_LEAD,
    POLICE_LEAD,
    PROBATION_MEMBER,
    all_cases,
    modal_values,
    notify,
    open_modal,
    submit,
)


def card_of(h: Harness, case: Case) -> str:
    assert case.channel_id and case.card_ts
    message = h.fake.message(case.channel_id, case.card_ts)
    assert message is not None and message.pinned
    return message.rendered()


async def test_friday_18_december_notification_end_to_end(harness: Harness) -> None:
    ack = await notify(harness, sent="2026-12-18")
    assert ack["response_action"] == "update"
    assert "RR-2026-001" in str(ack["view"])
    [case] = await all_cases(harness)
    assert case.reference == "RR-2026-001"
    channel = harness.fake.channels[case.channel_id]
    assert channel.name == "rr-2026-001" and channel.is_private
    assert {BM, LA_LEAD, POLICE_LEAD} <= set(channel.members)
    card = card_of(harness, case)
    # 5 working days from Friday 18 Dec 2026: 21, 22, 23, 24, (25 Christmas, 28 Boxing Day substitute) 29.
    assert re.search(r"Notify the Panel.*\n.*Tuesday 29 December 2026 · statutory · met on time", card)
    # 15 working days after the notification was sent on 18 December 2026: Wednesday 13 January 2027.
    assert re.search(r"Complete the rapid review.*\n.*Wednesday 13 January 2027 · expected", card)
    async with harness.services.db.session() as s:
        rapid = (await s.execute(select(Deadline).where(Deadline.rule_id == "rapid_review"))).scalar_one()
        reminders = list(
            (await s.execute(select(Reminder).where(Reminder.deadline_id == rapid.id))).scalars()
        )
    assert {r.rung for r in reminders} == {"5_wd_before", "2_wd_before", "1_wd_before", "due_day"}
    # the rapid review is the partnership's to deliver: the business manager, and the case channel
    assert {r.recipient for r in reminders} == {BM, "case_channel"}
    # 09:00 London in January is 09:00 UTC
    assert all(r.due_at.hour == 9 and r.due_at.minute == 0 for r in reminders)


async def test_notification_not_yet_sent_shows_what_starts_the_clock(harness: Harness) -> None:
    await notify(harness)
    [case] = await all_cases(harness)
    card = card_of(harness, case)
    assert "Tuesday 29 December 2026 · statutory · upcoming · 5 working days left" in card
    assert "15 working days after the notification is sent (not yet happened)" in card
    # pressing the card's button records it and edits the same card
    ts = case.card_ts
    press = harness.slack.block_action(
        ActionId.RECORD_NOTIFICATION_SENT,
        user_id=BM,
        value=str(case.id),
        channel_id=case.channel_id,
        message_ts=ts,
    )
    assert (await harness.send(press)).status_code == 200
    [case] = await all_cases(harness)
    assert case.card_ts == ts and case.stage == "rapid_review"
    assert "Wednesday 13 January 2027" in card_of(harness, case)


async def test_notification_deadline_already_passed_is_said_plainly(harness: Harness, clock) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    clock.set(datetime(2027, 1, 6, 10, 0, tzinfo=UTC))
    await notify(harness, aware="2026-12-18")
    [case] = await all_cases(harness)
    card = card_of(harness, case)
    assert "passed on Tuesday 29 December 2026" in card
    assert "OVERDUE" in card


async def test_modal_submitted_twice_gives_one_case(harness: Harness) -> None:
    view = await open_modal(harness)
    values = modal_values()
    request = harness.slack.view_submission(
        CallbackId.NOTIFICATION_MODAL, user_id=BM, values=values, view_id=view["id"]
    )
    first = await harness.send(request)
    again = await harness.send(request)  # Slack's retry: the very same request
    double = harness.slack.view_submission(
        CallbackId.NOTIFICATION_MODAL, user_id=BM, values=values, view_id=view["id"]
    )  # a double click: same view, new request
    third = await harness.send(double)
    assert first.status_code == again.status_code == third.status_code == 200
    assert len(await all_cases(harness)) == 1
    assert len([c for c in harness.fake.calls("conversations.create")]) == 1


async def test_care_leaver_death_is_notification_only(harness: Harness) -> None:
    await notify(harness, kind="care_leaver_death", children=[("Child A", "18_24", "none")])
    [case] = await all_cases(harness)
    assert case.notification_only
    async with harness.services.db.session() as s:
        rules = set((await s.execute(select(Deadline.rule_id).where(Deadline.case_id == case.id))).scalars())
    assert "care_leaver_death_notification" in rules
    assert "rapid_review" not in rules
    assert "notification only" in card_of(harness, case)


async def test_modal_field_errors_are_shown_beside_fields(harness: Harness) -> None:
    await open_modal(harness)
    ack = await submit(
        harness, modal_values(aware="2027-02-01", children=[("Jane", "5_9", "none")], sent="2026-12-01")
    )
    errors = ack["errors"]
    assert "future" in errors["aware_date"]
    assert "pseudonym" in errors["child_0_pseudonym"]
    ack = await submit(harness, modal_values(aware="2026-12-10", incident="2026-12-12", sent="2026-12-05"))
    assert "before the incident" in ack["errors"]["aware_date"]
    ack = await submit(harness, modal_values(aware="2026-12-10", sent="2026-12-05"))
    assert "before the local authority was aware" in ack["errors"]["sent_date"]
    values = modal_values()
    for key in [k for k in values if k.startswith("child_")]:
        del values[key]
    ack = await submit(harness, values)
    assert "at least one child" in ack["errors"]["child_0_pseudonym"]
    assert await all_cases(harness) == []


async def test_outsider_can_neither_see_nor_change_the_case(harness: Harness) -> None:
    await notify(harness)
    [case] = await all_cases(harness)
    text = ephemeral_text(await harness.command("status", user=OUTSIDER, channel=case.channel_id))
    assert "not set up in a safeguarding partnership" in text
    assert "RR-2026-001" not in text
    listing = ephemeral_text(await harness.command("cases", user=OUTSIDER))
    assert "RR-2026-001" not in listing
    press = harness.slack.block_action(
        ActionId.RECORD_NOTIFICATION_SENT,
        user_id=OUTSIDER,
        value=str(case.id),
        channel_id=case.channel_id,
        message_ts=case.card_ts,
    )
    await harness.send(press)
    [after] = await all_cases(harness)
    assert after.notification_sent_at is None and after.stage == "notified"
    assert "not set up in a safeguarding partnership" in harness.fake.responses[-1].text


async def test_person_without_the_role_is_refused_on_command_button_and_view(harness: Harness) -> None:
    # command: a probation 'member' may not open a notification
    text = ephemeral_text(await harness.command("notify", user=PROBATION_MEMBER))
    assert text.startswith("Only a business manager, the chair or an agency lead can open a notification.")
    assert harness.fake.calls("views.open") == []
    # view submission: the same person submitting a (forged) notification modal
    await notify(harness)  # the business manager's case, so there is a card with a button
    ack = await submit(harness, modal_values(), user=PROBATION_MEMBER)
    assert ack["response_action"] == "update"
    assert "Only a business manager, the chair or an agency lead" in str(ack["view"])
    assert len(await all_cases(harness)) == 1
    # button: the police lead may see the case but not change it
    [case] = await all_cases(harness)
    press = harness.slack.block_action(
        ActionId.RECORD_NOTIFICATION_SENT,
        user_id=POLICE_LEAD,
        value=str(case.id),
        channel_id=case.channel_id,
        message_ts=case.card_ts,
    )
    await harness.send(press)
    assert "Only a business manager or the chair can change the case." in harness.fake.responses[-1].text
    [case] = await all_cases(harness)
    assert case.notification_sent_at is None


async def test_shortcuts_and_home_button_open_the_same_modal(harness: Harness) -> None:
    await harness.send(harness.slack.global_shortcut(CallbackId.START_NOTIFICATION, user_id=BM))
    await harness.send(harness.slack.block_action(ActionId.HOME_NEW_NOTIFICATION, user_id=BM))
    secret = "Synthetic message text that must never be copied"
    await harness.send(
        harness.slack.message_shortcut(
            CallbackId.NOTIFY_FROM_MESSAGE,
            user_id=BM,
            channel_id="C0BU00001",
            message_ts="1797580000.000100",
            message_text=secret,
        )
    )
    opened = harness.fake.calls("views.open")
    assert len(opened) == 3
    assert all(c.ok for c in opened)
    stack = harness.fake.view_stack(BM)
    assert stack[-1]["callback_id"] == CallbackId.NOTIFICATION_MODAL
    assert "C0BU00001" in stack[-1]["private_metadata"] and secret not in str(stack[-1])
    ack = await submit(harness, modal_values())
    assert ack["response_action"] == "update"
    [case] = await all_cases(harness)
    assert (case.source_channel_id, case.source_message_ts) == ("C0BU00001", "1797580000.000100")
    assert "Started from a message in #C0BU00001 (its text was not copied)" in card_of(harness, case)


async def test_stage_transitions_are_validated_and_audited(harness: Harness) -> None:
    from bot.audit import AuditEvent

    await notify(harness)
    [case] = await all_cases(harness)
    text = ephemeral_text(await harness.command("stage published", user=BM, channel=case.channel_id))
    assert "can't move from Notified to Published" in text
    text = ephemeral_text(await harness.command("stage rapid_review", user=BM, channel=case.channel_id))
    assert "moved to Rapid review" in text
    text = ephemeral_text(await harness.command("stage decision", user=POLICE_LEAD, channel=case.channel_id))
    assert "Only a business manager or the chair" in text
    async with harness.services.db.session() as s:
        actions = list((await s.execute(select(AuditEvent.action).order_by(AuditEvent.id))).scalars())
    # the first is the file's people, imported on first start (bot.people.store)
    assert actions == ["people.imported", "case.opened", "case.stage_changed"]
