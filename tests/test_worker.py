"""The worker role: a real AsyncIOScheduler ticking, and delivering what is due."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.reminders.scheduler import Worker
from bot.sandbox.harness import Harness
from tests.reminder_helpers import engine_alone, notice, rows, seed


@pytest.fixture(autouse=True)
def _engine_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    engine_alone(monkeypatch)  # these tests count every row and post the engine makes


async def test_a_real_scheduler_ticks_and_delivers(harness: Harness, clock: FakeClock) -> None:
    await seed(harness, [notice("tick", clock.now() - timedelta(minutes=1), "C0BU00001")])
    harness.services.settings.tick_seconds = 0.1
    worker = Worker(harness.services)
    await worker.start()
    try:
        for _ in range(50):
            if [r.status for r in await rows(harness)] == ["sent"]:
                break
            await asyncio.sleep(0.1)
    finally:
        await worker.stop()
    assert [r.status for r in await rows(harness)] == ["sent"]
    assert [m.text for m in harness.fake.messages("C0BU00001")] == ["tick"]
