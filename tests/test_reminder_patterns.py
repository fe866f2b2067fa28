"""Working patterns through the real endpoints with the injected clock: a part-time local authority
lead (Monday to Wednesday) around a statutory date that falls on a Friday."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.audit import AuditEvent
from bot.clock import LONDON, FakeClock
from bot.deadlines.models import Deadline
from bot.reminders.models import ReminderStatus
from bot.sandbox.harness import Harness
from bot.settings import BUNDLED_EXAMPLE_CONFIG
from bot.webhook.tokens import create_token
from tests.intake_helpers import BM, LA_LEAD, all_cases
from tests.reminder_helpers import engine_alone, rows, walk

# Opened on Friday 8 January 2027: the notification to the Panel (statutory) and the report to the
# local partners (expected) are both due on Friday 15 January, a day the lead does not work.
OPENED = datetime(2027, 1, 8, 10, 0, tzinfo=UTC)
CASE = {
    "notification_type": "serious_harm",
    "la_aware_at": "2027-01-08T09:30:00Z",
    "abuse_or_neglect": "suspected",
    "children": [{"pseudonym": "Child A", "age_band": "1_4", "legal_status": "child_protection_plan"}],
    "agencies": ["la", "police"],
    "police_investigation": "yes",
    "media_interest": False,
}


@pytest.fixture(autouse=True)
def _engine_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    engine_alone(monkeypatch)


@pytest.fixture
async def part_time(database_url: str, clock: FakeClock, tmp_path: Path) -> AsyncIterator[Harness]:
    text = BUNDLED_EXAMPLE_CONFIG.read_text().replace(
        "        roles: [agency_lead, signatory]\n",
        "        roles: [agency_lead, signatory]\n        working_days: [mon, tue, wed]\n",
        1,
    )
    path = tmp_path / "partnership.yaml"
    path.write_text(text)
    h = await Harness.start(database_url=database_url, config_path=path, clock=clock, run_migrations=False)
    yield h
    await h.close()


def _day(call_at: datetime) -> date:
    return call_at.astimezone(LONDON).date()


async def test_a_part_timers_messages_wait_for_their_day_but_never_past_a_statutory_date(
    part_time: Harness, clock: FakeClock
) -> None:
    h = part_time
    clock.set(OPENED)
    token = (await create_token(h.services, "northshire", "case management system (synthetic)")).token
    response = await h.http.post(
        "/api/v1/notifications", json=CASE, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201, response.text
    await h.services.tasks.drain()
    [case] = await all_cases(h)
    async with h.services.db.read() as session:
        deadlines = {d.rule_id: d for d in (await session.execute(select(Deadline))).scalars()}
    statutory = deadlines["serious_incident_notification"]
    expected = next(d for d in deadlines.values() if d.due_on == date(2027, 1, 15) and d is not statutory)
    assert statutory.status_kind == "statutory" and expected.status_kind != "statutory"
    assert statutory.due_on == date(2027, 1, 15)  # a Friday

    dm = h.fake.dm_channel(LA_LEAD)
    sent_on: dict[date, list[str]] = {}
    thread_on: dict[date, int] = {}
    for day in (13, 14, 15, 18):  # Wednesday, Thursday, Friday, Monday
        before_dm = len(h.fake.messages(dm))
        before_calls = len(h.fake.calls("chat.postMessage"))
        await walk(h, clock, datetime(2027, 1, day, 10, 0, tzinfo=UTC))
        new = h.fake.messages(dm)[before_dm:]
        sent_on[date(2027, 1, day)] = [json.dumps(m.blocks) for m in new]
        thread_on[date(2027, 1, day)] = sum(
            1
            for c in h.fake.calls("chat.postMessage")[before_calls:]
            if c.ok
            and c.params.get("channel") == case.channel_id
            and c.params.get("thread_ts") == case.card_ts
        )
    wednesday, thursday, friday, monday = (sent_on[date(2027, 1, d)] for d in (13, 14, 15, 18))
    # Wednesday is a working day: both deadlines, in one message.
    assert (
        len(wednesday) == 1
        and f"deadline_{statutory.id}" in wednesday[0]
        and f"deadline_{expected.id}" in wednesday[0]
    )
    # Thursday is not: nothing by direct message...
    assert thursday == []
    # ...but the statutory deadline falls due on Friday, so its reminder comes then, not on Monday;
    assert (
        len(friday) == 1
        and f"deadline_{statutory.id}" in friday[0]
        and f"deadline_{expected.id}" not in friday[0]
    )
    # the other one waits for Monday, the lead's next working day (with Monday's overdue reminder).
    assert len(monday) == 1 and f"deadline_{expected.id}" in monday[0]
    # The case thread and the escalation are not held.
    assert all(thread_on[date(2027, 1, d)] == 1 for d in (13, 14, 15, 18)), thread_on
    escalation = [r for r in await rows(h) if r.kind == "escalation"]
    assert escalation and all(r.recipient == BM and r.deferred_from is None for r in escalation)

    stored = await rows(h)
    held = [r for r in stored if r.recipient == LA_LEAD and r.deferred_from is not None]
    assert held, "nothing was held"
    assert all(r.deferred_from.astimezone(LONDON).date().weekday() in (3, 4) for r in held)  # type: ignore[union-attr]
    thursday_statutory = next(
        r
        for r in held
        if r.deadline_id == statutory.id and r.deferred_from.astimezone(LONDON).date() == date(2027, 1, 14)  # type: ignore[union-attr]
    )
    assert thursday_statutory.due_at.astimezone(LONDON).time() == time(9, 0)
    assert thursday_statutory.due_at.astimezone(LONDON).date() == date(
        2027, 1, 15
    )  # held to the statutory date
    assert (
        thursday_statutory.status == ReminderStatus.SUPERSEDED.value
    )  # Friday's due-day reminder went instead
    for_expected = [r for r in held if r.deadline_id == expected.id]
    assert for_expected and all(r.due_at.astimezone(LONDON).date() == date(2027, 1, 18) for r in for_expected)
    assert not [r for r in stored if r.due_at <= clock.now() and r.status in ("pending", "sending")]
    async with h.services.db.read() as session:
        audited = (
            (
                await session.execute(
                    select(AuditEvent).where(AuditEvent.action == "reminder.held_for_working_days")
                )
            )
            .scalars()
            .all()
        )
    assert audited and all((a.after or {}).get("recipient") == LA_LEAD for a in audited)
