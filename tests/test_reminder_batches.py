"""Reminders people can live with, through the real endpoints with the injected clock: missed rungs
collapse, one message per person per delivery, a late-opened case says so once, an outage of three
working days, forty items at once, away with a deputy."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.audit import AuditEvent
from bot.clock import FakeClock
from bot.reminders.blocks import LISTING_BLOCK_ID
from bot.reminders.models import Reminder, ReminderStatus
from bot.sandbox.harness import Harness
from bot.slack.blockkit import lint_message
from bot.slack.ids import ActionId
from bot.webhook.tokens import create_token
from tests.intake_helpers import BM, CHAIR, LA_LEAD, POLICE_LEAD, all_cases
from tests.reminder_helpers import engine_alone, rows, walk

# Thursday 3 December 2026: the Panel notification (and the report to the local partners) of a case
# the local authority learnt of on Thursday 19 November were due on Thursday 26 November, so they are
# 5 working days overdue.
THURSDAY = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
FRIDAY_NINE = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
LATE = {
    "notification_type": "serious_harm",
    "la_aware_at": "2026-11-19T09:30:00Z",
    "incident_on": "2026-11-18",
    "abuse_or_neglect": "suspected",
    "children": [{"pseudonym": "Child A", "age_band": "1_4", "legal_status": "child_protection_plan"}],
    "agencies": ["la", "police"],
    "police_investigation": "yes",
    "media_interest": False,
}


@pytest.fixture(autouse=True)
def _engine_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    engine_alone(monkeypatch)


async def open_late_cases(h: Harness, n: int, key: str = "late", **changes: Any) -> list[str]:
    token = (await create_token(h.services, "northshire", "case management system (synthetic)")).token
    references = []
    for i in range(n):
        response = await h.http.post(
            "/api/v1/notifications",
            json={**LATE, **changes},
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"{key}-{i}"},
        )
        assert response.status_code == 201, response.text
        references.append(response.json()["reference"])
        await h.services.tasks.drain()
    return references


def blocks_of(call: Any) -> list[dict[str, Any]]:
    raw = call.params.get("blocks")
    return list(json.loads(raw) if isinstance(raw, str) else raw or [])


def posts_since(h: Harness, start: int) -> list[Any]:
    return [c for c in h.fake.calls("chat.postMessage")[start:] if c.ok]


def dm_posts(h: Harness, posts: list[Any]) -> Counter[str]:
    """Direct messages per person among ``posts``."""
    by_channel = {h.fake.dm_channel(u): u for u in (BM, CHAIR, LA_LEAD, POLICE_LEAD)}
    return Counter(by_channel[str(c.params["channel"])] for c in posts if c.params["channel"] in by_channel)


def thread_posts_per_deadline(posts: list[Any], card_ts: dict[str, str]) -> Counter[tuple[str, str]]:
    """(case channel, deadline buttons block) -> posts in the case card's thread mentioning it."""
    seen: Counter[tuple[str, str]] = Counter()
    for c in posts:
        channel = str(c.params["channel"])
        if channel in card_ts and c.params.get("thread_ts") == card_ts[channel]:
            for block in blocks_of(c):
                if str(block.get("block_id", "")).startswith("deadline_"):
                    seen[(channel, str(block["block_id"]))] += 1
    return seen


async def unsent_due(h: Harness) -> list[Reminder]:
    now = h.services.clock.now()
    return [
        r
        for r in await rows(h)
        if r.due_at <= now and r.status in (ReminderStatus.PENDING.value, ReminderStatus.SENDING.value)
    ]


async def test_thirty_late_cases_through_the_webhook_then_fridays_nine_oclock_delivery(
    harness: Harness, clock: FakeClock
) -> None:
    """The check from outside: 30 late cases on Thursday, then Friday 09:00."""
    clock.set(THURSDAY)
    await open_late_cases(harness, 30)
    cases = await all_cases(harness)
    card_ts = {c.channel_id: c.card_ts for c in cases if c.channel_id and c.card_ts}
    assert len(card_ts) == 30
    # Each opening message (the card) says once that the notification was already overdue...
    card = harness.fake.message(cases[0].channel_id, cases[0].card_ts)  # type: ignore[arg-type]
    said = card.rendered() if card is not None else ""
    assert "passed on Thursday 26 November 2026" in said and "opened after 1 deadline had passed" in said
    # ...and nothing is back-filled on Thursday.
    start = len(harness.fake.calls("chat.postMessage"))
    await walk(harness, clock, datetime(2026, 12, 3, 23, 0, tzinfo=UTC))
    assert posts_since(harness, start) == []
    await walk(harness, clock, datetime(2026, 12, 4, 8, 0, tzinfo=UTC))
    assert posts_since(harness, start) == []
    # Friday 09:00: the delivery.
    await walk(harness, clock, FRIDAY_NINE + timedelta(minutes=15), step=timedelta(minutes=1))
    friday = posts_since(harness, start)
    per_deadline = thread_posts_per_deadline(friday, card_ts)
    assert len(per_deadline) == 60 and set(per_deadline.values()) == {1}  # two deadlines a case
    per_person = dm_posts(harness, friday)
    assert per_person[LA_LEAD] == 1 and per_person[BM] == 1 and per_person[CHAIR] == 1, per_person
    assert set(per_person.values()) == {1}
    lead_dm = next(c for c in friday if c.params["channel"] == harness.fake.dm_channel(LA_LEAD))
    assert lint_message(blocks_of(lead_dm), str(lead_dm.params["text"])) == []
    assert "60 reminders for you, 60 overdue" in json.dumps(blocks_of(lead_dm))  # two deadlines a case
    assert sum(1 for c in friday if c.params["channel"] in card_ts) == 30  # one thread post a case
    manager_dm = next(c for c in friday if c.params["channel"] == harness.fake.dm_channel(BM))
    assert json.dumps(blocks_of(manager_dm)).count("Escalation: ") >= 1
    assert await unsent_due(harness) == []
    stored = await rows(harness)
    assert {r.status for r in stored if r.due_at <= clock.now()} == {ReminderStatus.SENT.value}
    metrics = (await harness.http.get("/metrics")).text
    assert 'reviewbot_reminder_messages_per_person_bucket{le="1.0"} 3.0' in metrics
    assert "reviewbot_reminder_messages_per_person_count 3.0" in metrics


async def test_a_late_opened_case_says_so_once_and_catches_up_nothing(
    harness: Harness, clock: FakeClock
) -> None:
    clock.set(THURSDAY)
    [reference] = await open_late_cases(harness, 1)
    [case] = await all_cases(harness)
    assert case.reference == reference
    card = harness.fake.message(case.channel_id, case.card_ts)  # type: ignore[arg-type]
    assert card is not None
    text = card.rendered()
    assert text.count("opened after") == 1 and "5 working days overdue" in text
    assert "no catch-up reminders" in text
    await walk(harness, clock, THURSDAY + timedelta(minutes=15), step=timedelta(minutes=15))
    stored = await rows(harness)
    # No rows for the days before (or of) the opening; the escalations wait for Friday's delivery.
    assert not [r for r in stored if r.rung.startswith("overdue_")]
    escalations = [r for r in stored if r.kind == "escalation"]
    assert {r.recipient for r in escalations} == {BM, CHAIR}
    assert {r.due_at for r in escalations} == {FRIDAY_NINE}
    await walk(harness, clock, datetime(2026, 12, 4, 10, 0, tzinfo=UTC), step=timedelta(minutes=15))
    overdue = [r for r in await rows(harness) if r.rung.startswith("overdue_")]
    assert overdue and {r.rung for r in overdue} == {"overdue_6"}
    sent = [r for r in await rows(harness) if r.status == ReminderStatus.SENT.value]
    assert {LA_LEAD, BM, CHAIR, "case_channel"} <= {r.recipient for r in sent}
    assert all(r.due_at == FRIDAY_NINE and not r.late for r in sent)
    assert not [r for r in await rows(harness) if r.status == ReminderStatus.SUPERSEDED.value]


async def test_an_outage_of_three_working_days_sends_the_newest_rung_once(
    harness: Harness, clock: FakeClock
) -> None:
    clock.set(THURSDAY)
    await open_late_cases(harness, 2)
    cases = await all_cases(harness)
    card_ts = {c.channel_id: c.card_ts for c in cases if c.channel_id and c.card_ts}
    await walk(harness, clock, datetime(2026, 12, 4, 10, 0, tzinfo=UTC))  # Friday's delivery went
    start = len(harness.fake.calls("chat.postMessage"))
    # The worker is down from Monday 7 December 08:00 to Wednesday 9 December 11:00: Monday's,
    # Tuesday's and Wednesday's 09:00 deliveries are missed.
    down = (datetime(2026, 12, 7, 8, 0, tzinfo=UTC), datetime(2026, 12, 9, 11, 0, tzinfo=UTC))
    await walk(harness, clock, datetime(2026, 12, 9, 12, 0, tzinfo=UTC), down=down)
    back = posts_since(harness, start)
    people = dm_posts(harness, back)
    assert people[LA_LEAD] == 1 and set(people.values()) == {1}  # escalations went on Friday, once
    per_deadline = thread_posts_per_deadline(back, card_ts)
    assert len(per_deadline) == 4 and set(per_deadline.values()) == {1}
    stored = await rows(harness)
    after = [r for r in stored if r.due_at >= down[0]]
    sent = [r for r in after if r.status == ReminderStatus.SENT.value]
    superseded = [r for r in after if r.status == ReminderStatus.SUPERSEDED.value]
    # Three working days missed, per deadline and place: Wednesday's rung sent (late), the other two kept.
    assert {r.rung for r in sent} == {"overdue_9"} and all(r.late for r in sent)
    places = len({(r.deadline_id, r.recipient) for r in sent})
    assert places >= 6  # per case: each deadline's people and its thread
    assert Counter(r.rung for r in superseded) == Counter({"overdue_7": places, "overdue_8": places})
    by_id = {r.id: r for r in stored}
    assert all(by_id[r.superseded_by].rung == "overdue_9" for r in superseded if r.superseded_by)
    assert all(r.sent_at is None for r in superseded)
    lead_dm = next(c for c in back if c.params["channel"] == harness.fake.dm_channel(LA_LEAD))
    assert "Sent late" in json.dumps(blocks_of(lead_dm))
    async with harness.services.db.read() as session:
        audited = list(
            (
                await session.execute(select(AuditEvent).where(AuditEvent.action == "reminder.superseded"))
            ).scalars()
        )
    assert sorted(i for a in audited for i in (a.after or {})["reminders"]) == sorted(
        r.id for r in superseded
    )
    assert await unsent_due(harness) == []


async def test_forty_due_items_are_one_message_with_controls_and_a_pointer_to_home(
    harness: Harness, clock: FakeClock
) -> None:
    clock.set(THURSDAY)
    await open_late_cases(harness, 20)  # two overdue deadlines each: 40 items for the local authority lead
    start = len(harness.fake.calls("chat.postMessage"))
    await walk(harness, clock, FRIDAY_NINE + timedelta(minutes=5), step=timedelta(minutes=5))
    friday = posts_since(harness, start)
    assert dm_posts(harness, friday)[LA_LEAD] == 1
    dm = harness.fake.dm_channel(LA_LEAD)
    [message] = [m for m in harness.fake.messages(dm) if not m.is_reply]
    blocks = message.blocks
    assert len(blocks) <= 50 and lint_message(blocks, message.text) == []
    assert blocks[0]["block_id"] == LISTING_BLOCK_ID
    shown = message.rendered()
    with_buttons = [b for b in blocks if str(b.get("block_id", "")).startswith("deadline_")]
    assert "40 reminders for you, 40 overdue" in shown
    assert 10 <= len(with_buttons) < 40
    assert f"{40 - len(with_buttons)} more" in shown and "Home tab" in shown
    assert "not listed here" not in shown
    references = {c.reference for c in await all_cases(harness)}
    assert all(ref in shown for ref in references)  # every item listed, with or without its buttons
    assert "5 working days overdue" in shown or "6 working days overdue" in shown
    # Done on one entry settles that entry only; the others keep their buttons.
    first = with_buttons[0]
    deadline_id = first["block_id"].removeprefix("deadline_")
    click = harness.slack.block_action(
        ActionId.DEADLINE_DONE,
        user_id=LA_LEAD,
        value=deadline_id,
        block_id=first["block_id"],
        channel_id=dm,
        message_ts=message.ts,
    )
    assert (await harness.send(click)).status_code == 200
    await harness.services.tasks.drain()
    updated = harness.fake.message(dm, message.ts)
    assert updated is not None
    still = [b for b in updated.blocks if b.get("type") == "actions"]
    assert len(still) == len(with_buttons) - 1
    assert "marked done by" in updated.rendered()


async def test_an_away_person_s_reminders_go_to_their_deputy_or_the_business_manager(
    harness: Harness, clock: FakeClock
) -> None:
    clock.set(THURSDAY)
    # Two late cases: the police lead (the deputy) can see the first (police involved), not the second.
    await open_late_cases(harness, 1)
    await open_late_cases(harness, 1, key="other", agencies=["la", "icb"])
    seen, unseen = await all_cases(harness)
    reply = await harness.command(f"away 03/12/2026 07/12/2026 deputy <@{POLICE_LEAD}|pl>", user=LA_LEAD)
    said = reply.json()["text"]
    assert f"go to <@{POLICE_LEAD}>" in said and unseen.reference in said and "business manager" in said
    start = len(harness.fake.calls("chat.postMessage"))
    await walk(harness, clock, FRIDAY_NINE + timedelta(minutes=5), step=timedelta(minutes=5))
    friday = posts_since(harness, start)
    people = dm_posts(harness, friday)
    assert people[LA_LEAD] == 0 and people[POLICE_LEAD] == 1 and people[BM] == 1
    deputy = next(c for c in friday if c.params["channel"] == harness.fake.dm_channel(POLICE_LEAD))
    deputy_text = json.dumps(blocks_of(deputy))
    assert seen.reference in deputy_text and unseen.reference not in deputy_text
    assert f"for <@{LA_LEAD}>, who is away" in deputy_text
    manager = next(c for c in friday if c.params["channel"] == harness.fake.dm_channel(BM))
    assert "cannot see case" in json.dumps(blocks_of(manager))
    stored = await rows(harness)
    lead_rows = [r for r in stored if r.recipient == LA_LEAD and r.status == ReminderStatus.SENT.value]
    assert {r.delivered_to for r in lead_rows} == {POLICE_LEAD, BM}
    async with harness.services.db.read() as session:
        actions = Counter(
            (
                await session.execute(
                    select(AuditEvent.action).where(AuditEvent.actor.in_([LA_LEAD, "reviewbot"]))
                )
            )
            .scalars()
            .all()
        )
    assert actions["person.away_set"] == 1 and actions["reminder.redirected"] == 2
    # Back on Tuesday 8 December (the period ended on Monday): reminders come to the person again.
    start = len(harness.fake.calls("chat.postMessage"))
    await walk(harness, clock, datetime(2026, 12, 8, 9, 5, tzinfo=UTC), step=timedelta(minutes=30))
    tuesday = [c for c in posts_since(harness, start)]
    assert dm_posts(harness, tuesday)[LA_LEAD] >= 1
    # /review away off ends a period at once, and the Home tab shows the state
    await harness.command("away 10/12/2026 11/12/2026 deputy U0BM00001", user=LA_LEAD)
    assert "Welcome back" in (await harness.command("away off", user=LA_LEAD)).json()["text"]


async def test_away_is_refused_with_an_unknown_deputy_or_dates_the_wrong_way_round(
    harness: Harness, clock: FakeClock
) -> None:
    for args, expected in (
        ("07/12/2026 03/12/2026 deputy U0POLEAD1", "comes before"),
        ("18/12/2026 20/12/2026 deputy @someone", "form"),
        ("18/12/2026 20/12/2026 deputy U0NOTHERE1", "must be in your partnership"),
        ("18/12/2026 20/12/2026 deputy U0LALEAD1", "own deputy"),
    ):
        text = (await harness.command(f"away {args}", user=LA_LEAD)).json()["text"]
        assert expected in text, (args, text)
    assert "not set as away" in (await harness.command("away status", user=LA_LEAD)).json()["text"]


def test_listing_many_entries_keeps_to_slacks_limits() -> None:
    from bot.reminders.blocks import Delivery, Entry, compact_blocks, delivery_message

    entries = [
        Entry(
            f"*RR-2026-{i:03d}* · Notify the Panel · due Thursday 26 November 2026 · {i} days overdue",
            compact_blocks(
                f"*RR-2026-{i:03d}* · line",
                {
                    "type": "actions",
                    "block_id": f"deadline_{i}",
                    "elements": [
                        {
                            "type": "button",
                            "action_id": "deadline_done",
                            "value": str(i),
                            "text": {"type": "plain_text", "text": "Done"},
                        }
                    ],
                },
            ),
            overdue=True,
            rank=(-i,),
        )
        for i in range(1, 301)
    ]
    text, blocks = delivery_message(Delivery(entries))
    assert len(blocks) <= 50 and lint_message(blocks, text) == []
    assert "300 reminders for you, 300 overdue" in blocks[0]["text"]["text"]
    assert blocks[2]["block_id"] == "deadline_300"  # the most overdue first


def test_a_working_pattern_is_read_from_the_partnership_file() -> None:
    from bot.config import ConfigError, load_config, parse_config
    from bot.settings import BUNDLED_EXAMPLE_CONFIG

    text = BUNDLED_EXAMPLE_CONFIG.read_text().replace(
        "        roles: [agency_lead, signatory]\n",
        "        roles: [agency_lead, signatory]\n        working_days: [mon, tue, wed]\n",
        1,
    )
    person = parse_config(text).partnership("northshire").person(LA_LEAD)
    assert person is not None and person.working_days == ["mon", "tue", "wed"]
    assert person.works_on(date(2026, 12, 9)) and not person.works_on(date(2026, 12, 10))
    with pytest.raises(ConfigError):
        parse_config(text.replace("[mon, tue, wed]", "[monday]"))
    assert (
        load_config(BUNDLED_EXAMPLE_CONFIG)
        .partnership("northshire")
        .person(LA_LEAD)
        .works_on(  # type: ignore[union-attr]
            date(2026, 12, 10)
        )
    )

