"""How fresh a server's people are: a change made in this process at once; one made in another
process (another server, `reviewbot people import`) within REVIEWBOT_PEOPLE_RECHECK_SECONDS."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import bot.people.store as people_store
from bot.cli import main
from bot.clock import FakeClock
from bot.sandbox.harness import Harness, ephemeral_text
from bot.settings import BUNDLED_EXAMPLE_CONFIG, Settings
from tests.intake_helpers import BM

NEW = "U0NEWLEAD2"  # synthetic: a police lead the business manager adds in Slack
REVIEWER = "U0REVIEW1"


class Monotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def monotonic(monkeypatch: pytest.MonkeyPatch) -> Monotonic:
    fake = Monotonic()
    monkeypatch.setattr(people_store.time, "monotonic", fake)
    return fake


@pytest.fixture
async def server(database_url: str, clock: FakeClock, monotonic: Monotonic) -> AsyncIterator[Harness]:
    h = await Harness.start(
        database_url=database_url, clock=clock, run_migrations=False, people_recheck_seconds=5
    )
    yield h
    await h.close()


def test_the_default_window_is_a_second() -> None:
    assert Settings.model_fields["people_recheck_seconds"].default == 1.0


async def test_this_process_sees_its_own_change_at_once(server: Harness, monotonic: Monotonic) -> None:
    h = server
    h.fake.add_user(NEW)
    assert "not set up" in ephemeral_text(await h.command("cases", user=NEW))
    await h.command(f"people add <@{NEW}> police agency_lead", user=BM)
    # Same process, no time passed: the listener that made the change read the people again.
    assert "not set up" not in ephemeral_text(await h.command("cases", user=NEW))


async def test_another_processs_change_is_seen_within_the_window(
    server: Harness, monotonic: Monotonic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = server
    await h.command("cases", user=REVIEWER)  # the server has read the people just now
    edited = tmp_path / "partnership.yaml"
    text = BUNDLED_EXAMPLE_CONFIG.read_text("utf-8")
    edited.write_text(text.replace("roles: [reviewer]", "roles: [reviewer, business_manager]"), "utf-8")
    monkeypatch.setenv("DATABASE_URL", h.services.settings.database_url)
    assert await asyncio.to_thread(main, ["people", "import", "--config", str(edited)]) == 0

    # Within the window the server goes on with what it read (no read per request)...
    monotonic.now += 4.0
    refused = ephemeral_text(await h.command("people", user=REVIEWER))
    assert refused.startswith("Only"), refused
    # ...and past it, reads the revisions again and sees the new role.
    monotonic.now += 1.5
    answer = await h.command("people", user=REVIEWER)
    assert answer.json().get("blocks"), ephemeral_text(answer)
