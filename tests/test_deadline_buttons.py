"""Done, Snooze and Not applicable on a reminder change the schedule; others are refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select

from bot.clock import FakeClock
from bot.deadlines.models import Deadline
from bot.reminders.models import Reminder
from bot.sandbox.harness import Harness, ephemeral_text
from bot.sandbox.signed_requests import text_value
from bot.slack.ids import ActionId, CallbackId
from tests.intake_helpers import BM, LA_LEAD, POLICE_LEAD, all_cases, notify
from tests.reminder_helpers import walk


async def _first_reminder_to(h: Harness, user: str) -> tuple[str, str, int]:
    dm = h.fake.dm_channel(user)
    message = h.fake.messages(dm)[0]
    deadline_id = next(
        e["value"]
        for b in message.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e.get("action_id") == ActionId.DEADLINE_DONE
    )
    return dm, message.ts, int(deadline_id)


async def _pending(h: Harness, deadline_id: int, recipient: str | None = None) -> list[Reminder]:
    async with h.services.db.session() as s:
        query = select(Reminder).where(Reminder.deadline_id == deadline_id, Reminder.status == "pending")
        if recipient:
            query = query.where(Reminder.recipient == recipient)
        return list((await s.execute(query)).scalars())


async def test_snooze_and_done_change_the_schedule_and_are_authorised(
    harness: Harness, clock: FakeClock
) -> None:
    await notify(harness)
    await walk(
        harness, clock, datetime(2026, 12, 23, 9, 30, tzinfo=UTC)
    )  # the 2-working-days reminder went out
    dm, ts, deadline_id = await _first_reminder_to(harness, LA_LEAD)
    before = await _pending(harness, deadline_id, LA_LEAD)
    assert before  # 24 Dec and 29 Dec still to come

    # Snooze to the next working day (Thu 24 Dec, 09:00): it replaces the reminder already due then
    snooze = harness.slack.block_action(
        ActionId.DEADLINE_SNOOZE,
        user_id=LA_LEAD,
        channel_id=dm,
        message_ts=ts,
        selected_option=f"{deadline_id}:next_working_day",
    )
    assert (await harness.send(snooze)).status_code == 200
    after = await _pending(harness, deadline_id, LA_LEAD)
    assert {r.rung for r in after} == {"due_day", "snoozed"}
    snoozed = next(r for r in after if r.rung == "snoozed")
    assert snoozed.due_at == datetime(2026, 12, 24, 9, 0, tzinfo=UTC)  # Thu 24 Dec is the next working day
    # The reminder was one entry of a listing: that entry's buttons are replaced by what was done.
    assert "snoozed until Thursday 24 December 2026 09:00" in json.dumps(harness.fake.responses[-1].body)

    # Someone without the role (the police lead: an LA deadline) is refused and nothing changes
    refused = harness.slack.block_action(
        ActionId.DEADLINE_DONE, user_id=POLICE_LEAD, value=str(deadline_id), channel_id=dm, message_ts=ts
    )
    await harness.send(refused)
    assert "belongs to" in harness.fake.responses[-1].text
    async with harness.services.db.session() as s:
        assert (await s.get(Deadline, deadline_id)).met_on is None  # type: ignore[union-attr]
    police_snooze = harness.slack.block_action(
        ActionId.DEADLINE_SNOOZE,
        user_id=POLICE_LEAD,
        channel_id=dm,
        message_ts=ts,
        selected_option=f"{deadline_id}:1h",
    )
    await harness.send(police_snooze)
    assert "belongs to" in harness.fake.responses[-1].text
    assert not [r for r in await _pending(harness, deadline_id) if r.recipient == POLICE_LEAD]

    # Done by the LA lead: the deadline is met, every pending reminder for it cancelled, the card updated
    done = harness.slack.block_action(
        ActionId.DEADLINE_DONE, user_id=LA_LEAD, value=str(deadline_id), channel_id=dm, message_ts=ts
    )
    await harness.send(done)
    assert await _pending(harness, deadline_id) == []
    [case] = await all_cases(harness)
    card = harness.fake.message(case.channel_id, case.card_ts)
    assert card is not None and card.edited
    async with harness.services.db.session() as s:
        row = await s.get(Deadline, deadline_id)
        assert row is not None and str(row.met_on) == "2026-12-23" and row.met_by == LA_LEAD
    # and nothing more is sent for it
    sent_before = len(harness.fake.calls("chat.postMessage"))
    await walk(harness, clock, datetime(2026, 12, 29, 10, 0, tzinfo=UTC))
    later = [
        c
        for c in harness.fake.calls("chat.postMessage")[sent_before:]
        if any(b.get("block_id") == f"deadline_{deadline_id}" for b in _blocks(c.params.get("blocks")))
    ]
    assert later == []
    assert len(harness.fake.calls("chat.postMessage")) > sent_before  # the other deadline's reminders did go


def _blocks(raw: object) -> list[dict[str, object]]:
    import json

    if isinstance(raw, str):
        raw = json.loads(raw)
    return list(raw) if isinstance(raw, list) else []


async def test_not_applicable_asks_for_a_reason(harness: Harness, clock: FakeClock) -> None:
    await notify(harness)
    await walk(harness, clock, datetime(2026, 12, 23, 9, 30, tzinfo=UTC))
    dm, ts, deadline_id = await _first_reminder_to(harness, LA_LEAD)
    await harness.send(
        harness.slack.block_action(
            ActionId.DEADLINE_NOT_APPLICABLE,
            user_id=LA_LEAD,
            value=str(deadline_id),
            channel_id=dm,
            message_ts=ts,
        )
    )
    modal = harness.fake.view_stack(LA_LEAD)[-1]
    assert modal["callback_id"] == CallbackId.DEADLINE_NOT_APPLICABLE_MODAL
    empty = harness.slack.view_submission(
        CallbackId.DEADLINE_NOT_APPLICABLE_MODAL,
        user_id=LA_LEAD,
        values={"reason": {"reason": text_value("")}},
    )
    assert "Say why" in (await harness.submit_view(empty, LA_LEAD)).json()["errors"]["reason"]
    named = harness.slack.view_submission(
        CallbackId.DEADLINE_NOT_APPLICABLE_MODAL,
        user_id=LA_LEAD,
        values={"reason": {"reason": text_value("Mrs Example-Testperson said so")}},
    )
    assert "name" in (await harness.submit_view(named, LA_LEAD)).json()["errors"]["reason"]
    ok = harness.slack.view_submission(
        CallbackId.DEADLINE_NOT_APPLICABLE_MODAL,
        user_id=LA_LEAD,
        values={"reason": {"reason": text_value("Found not to meet the criteria")}},
    )
    assert (await harness.submit_view(ok, LA_LEAD)).status_code == 200
    assert await _pending(harness, deadline_id) == []
    async with harness.services.db.session() as s:
        assert (await s.get(Deadline, deadline_id)).not_applicable_reason == "Found not to meet the criteria"  # type: ignore[union-attr]


async def test_revised_target_keeps_the_statutory_date(harness: Harness) -> None:
    await notify(harness, sent="2026-12-18")
    [case] = await all_cases(harness)
    reply = await harness.command(
        "revise rapid_review 03/02/2027 parallel criminal proceedings agreed by the Panel",
        user=BM,
        channel=case.channel_id,
    )
    assert "Revised target" in ephemeral_text(reply)
    card = harness.fake.message(case.channel_id, case.card_ts)
    assert card is not None
    text = card.rendered()
    assert "Wednesday 13 January 2027" in text and "revised target Wednesday 3 February 2027" in text
    async with harness.services.db.session() as s:
        row = (await s.execute(select(Deadline).where(Deadline.rule_id == "rapid_review"))).scalar_one()
        keys = set(
            (
                await s.execute(
                    select(Reminder.delivery_key).where(
                        Reminder.deadline_id == row.id, Reminder.status == "pending"
                    )
                )
            ).scalars()
        )
    assert str(row.due_on) == "2027-01-13" and str(row.revised_due_on) == "2027-02-03"
    assert keys and all(":2027-02-03:" in k for k in keys)
    refused = await harness.command(
        "revise rapid_review 03/02/2027 x agreed by y", user=LA_LEAD, channel=case.channel_id
    )
    assert "Only a business manager or the chair" in ephemeral_text(refused)
    bad = await harness.command(
        "revise rapid_review 31/02/2027 x agreed by y", user=BM, channel=case.channel_id
    )
    assert "not a real date" in ephemeral_text(bad)


async def test_revising_a_target_there_and_back_keeps_its_reminders(harness: Harness) -> None:
    await notify(harness, sent="2026-12-18")
    [case] = await all_cases(harness)
    counts = []
    for target in ("03/02/2027", "10/02/2027", "03/02/2027", "03/02/2027"):
        await harness.command(
            f"revise rapid_review {target} parallel proceedings agreed by the Panel",
            user=BM,
            channel=case.channel_id,
        )
        async with harness.services.db.session() as s:
            row = (await s.execute(select(Deadline).where(Deadline.rule_id == "rapid_review"))).scalar_one()
        counts.append(len(await _pending(harness, row.id)))
    assert counts[0] > 0 and len(set(counts)) == 1, counts


async def test_a_double_click_on_snooze_gives_one_snoozed_reminder(
    harness: Harness, clock: FakeClock
) -> None:
    await notify(harness)
    await walk(harness, clock, datetime(2026, 12, 23, 9, 30, tzinfo=UTC))
    dm, ts, deadline_id = await _first_reminder_to(harness, LA_LEAD)
    for _ in range(2):
        click = harness.slack.block_action(
            ActionId.DEADLINE_SNOOZE,
            user_id=LA_LEAD,
            channel_id=dm,
            message_ts=ts,
            selected_option=f"{deadline_id}:tomorrow",
        )
        assert (await harness.send(click)).status_code == 200
    snoozed = [r for r in await _pending(harness, deadline_id, LA_LEAD) if r.rung == "snoozed"]
    assert len(snoozed) == 1
    assert "went wrong" not in harness.fake.responses[-1].text
