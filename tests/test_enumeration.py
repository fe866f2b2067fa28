"""Nobody can tell a case that exists from one that does not unless they may see it.

For an outsider, a member of the partnership who cannot see the case, and someone from another
partnership, naming a real case reference (or clicking a button carrying a real id) gets exactly the
same answer as naming one that does not exist.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.sandbox.harness import OUTSIDER, Harness
from bot.slack.ids import ActionId
from tests.intake_helpers import all_cases, notify

CONFIG = Path(__file__).parent / "fixtures" / "two_partnerships.yaml"
BM = "U0NSBM0001"
NO_ACCESS = "U0NSIC0001"  # the ICB is not involved in the case below
OTHER = "U0GMBM0001"


@pytest.fixture
async def h(database_url: str, clock: FakeClock):  # type: ignore[no-untyped-def]
    harness = await Harness.start(
        database_url=database_url, clock=clock, run_migrations=False, config_path=CONFIG
    )
    yield harness
    await harness.close()


async def _said(h: Harness, text: str, user: str) -> str:
    return str((await h.command(text, user=user)).json().get("text", ""))


async def _clicked(h: Harness, value: str, user: str) -> list[str]:
    before = len(h.fake.responses)
    await h.send(h.slack.block_action(ActionId.REFRESH_CARD.value, user_id=user, value=value))
    return [r.text for r in h.fake.responses[before:]]


async def test_real_and_made_up_references_get_the_same_answer(h: Harness) -> None:
    await notify(h, user=BM, sent="2026-12-18", agencies=["la", "police"])
    [case] = await all_cases(h)
    made_up = case.reference[:-3] + ("999" if not case.reference.endswith("999") else "998")
    for user in (OUTSIDER, NO_ACCESS, OTHER):
        for form in ("status {}", "actions case {}"):
            real = await _said(h, form.format(case.reference), user)
            fake = await _said(h, form.format(made_up), user)
            assert real == fake, (user, form, real, fake)
            assert case.reference not in real
        assert await _clicked(h, str(case.id), user) == await _clicked(h, "987654", user), user
    # the business manager, who may see it, is told it is there
    assert case.reference in await _said(h, f"status {case.reference}", BM)
