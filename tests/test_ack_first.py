"""Slack gets its 200 before any database work: commands, buttons and events ack first.

The database is held shut (every unit of work waits on an event) while requests arrive; each must be
acked all the same, and answered once the database opens again.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.runtime.tasks import BackgroundWork
from bot.sandbox.harness import Harness, ephemeral_text
from bot.slack.ids import ActionId
from tests.intake_helpers import BM, all_cases, notify

ACK_WAIT = 10.0  # a liveness bound for a hung request, not a performance assertion


class HeldDatabase:
    """Every unit of work waits until ``open()``; counts how many started waiting."""

    def __init__(self, h: Harness) -> None:
        self.gate = asyncio.Event()
        self.waiting = 0
        real = h.services.db.session

        @asynccontextmanager
        async def held() -> AsyncIterator[AsyncSession]:
            self.waiting += 1
            await self.gate.wait()
            async with real() as session:
                yield session

        h.services.db.session = held  # type: ignore[method-assign]

    def open(self) -> None:
        self.gate.set()


def _refresh_click(h: Harness, case: Any, user_id: str) -> Any:
    """A click on the case card's refresh button, as Slack sends it."""
    return h.slack.block_action(
        ActionId.REFRESH_CARD.value,
        user_id=user_id,
        value=str(case.id),
        channel_id=case.channel_id,
        message_ts=case.card_ts,
    )


async def _send_undrained(h: Harness, request: Any) -> Any:
    return await asyncio.wait_for(h.send(request, drain=False), ACK_WAIT)


async def test_a_database_command_is_acked_empty_then_answered_through_response_url(
    harness: Harness,
) -> None:
    h = harness
    held = HeldDatabase(h)
    request = h.slack.slash_command("/review", "cases", user_id=BM)
    ack = await _send_undrained(h, request)
    assert ack.status_code == 200 and ack.content == b""
    assert h.fake.responses == []  # nothing answered yet: the database is still shut
    held.open()
    await h.services.tasks.drain()
    [answer] = h.fake.responses
    assert answer.ok and "Cases you can see" in answer.text
    assert answer.body.get("response_type") == "ephemeral"


async def test_help_needs_no_database_and_is_answered_in_the_ack(harness: Harness) -> None:
    h = harness
    held = HeldDatabase(h)
    ack = await _send_undrained(h, h.slack.slash_command("/review", "help", user_id=BM))
    assert "/review cases" in ephemeral_text(ack)
    assert held.waiting == 0


async def test_a_button_is_acked_before_the_database_is_reached(harness: Harness) -> None:
    h = harness
    await notify(h, sent="2026-12-18")
    [case] = await all_cases(h)
    updates_before = len(h.fake.calls("chat.update"))
    held = HeldDatabase(h)
    ack = await _send_undrained(h, _refresh_click(h, case, BM))
    assert ack.status_code == 200 and ack.content == b""
    held.open()
    await h.services.tasks.drain()
    assert held.waiting >= 1
    assert len(h.fake.calls("chat.update")) == updates_before + 1


async def test_a_refused_button_tells_the_person_after_the_ack(harness: Harness) -> None:
    h = harness
    click = h.slack.block_action(ActionId.REFRESH_CARD.value, user_id=BM, value="999999")
    ack = await h.send(click)
    assert ack.status_code == 200 and ack.content == b""
    assert any("I can't find that, or you don't have access to it" in r.text for r in h.fake.responses)


async def test_ten_quick_clicks_redraw_the_card_at_most_twice(harness: Harness) -> None:
    h = harness
    await notify(h, sent="2026-12-18")
    [case] = await all_cases(h)
    await h.services.tasks.drain()
    before = len(h.fake.calls("chat.update"))
    for _ in range(10):
        await h.send(_refresh_click(h, case, BM), drain=False)
    await h.services.tasks.drain()
    redraws = len(h.fake.calls("chat.update")) - before
    assert 1 <= redraws <= 2  # one for the clicks before it started, one for any during it


async def test_background_work_runs_at_most_its_limit_at_once() -> None:
    work = BackgroundWork(limit=2)
    running, most = 0, 0

    async def job() -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01)
        running -= 1

    for i in range(10):
        work.spawn(job(), name=f"job-{i}")
    await work.drain()
    assert most == 2


async def test_coalesced_work_runs_once_per_burst_and_again_for_requests_during_a_run() -> None:
    work = BackgroundWork()
    runs = 0
    started = asyncio.Event()
    release = asyncio.Event()

    async def redraw() -> None:
        nonlocal runs
        runs += 1
        started.set()
        await release.wait()

    for _ in range(5):  # before the first run starts: one run covers them all
        work.spawn_coalesced("card:1", redraw, name="redraw")
    await started.wait()
    for _ in range(5):  # while it runs: exactly one more run afterwards
        work.spawn_coalesced("card:1", redraw, name="redraw")
    release.set()
    await work.drain()
    assert runs == 2


async def test_coalesced_runs_for_one_key_keep_their_distance() -> None:
    now = [100.0]
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    work = BackgroundWork(monotonic=lambda: now[0], sleep=fake_sleep)
    runs = 0

    async def redraw() -> None:
        nonlocal runs
        runs += 1
        now[0] += 0.2  # the redraw itself takes 0.2 s

    work.spawn_coalesced("card:1", redraw, name="redraw", min_interval=1.0)
    await work.drain()
    work.spawn_coalesced("card:1", redraw, name="redraw", min_interval=1.0)
    work.spawn_coalesced("card:2", redraw, name="redraw", min_interval=1.0)  # another card: no wait
    await work.drain()
    assert runs == 3
    assert waits == [pytest.approx(0.8)]  # card 1 waits out the rest of its second; card 2 does not


async def test_a_refresh_click_from_someone_outside_the_case_is_refused_and_redraws_nothing(
    harness: Harness,
) -> None:
    from bot.sandbox.harness import OUTSIDER

    h = harness
    await notify(h, sent="2026-12-18")
    [case] = await all_cases(h)
    await h.services.tasks.drain()
    updates_before = len(h.fake.calls("chat.update"))
    ack = await h.send(_refresh_click(h, case, OUTSIDER))
    assert ack.status_code == 200 and ack.content == b""
    assert len(h.fake.calls("chat.update")) == updates_before
    told = [r.text for r in h.fake.responses]
    assert told and all(case.reference not in t for t in told)
