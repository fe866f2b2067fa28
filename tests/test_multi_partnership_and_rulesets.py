"""A deployment serving several partnerships asks which; a case keeps the rule set it started under."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.deadlines.models import Deadline
from bot.sandbox.harness import Harness
from bot.sandbox.signed_requests import static_select
from bot.slack.ids import CallbackId
from tests.intake_helpers import all_cases, modal_values

BOTH = "U0BOTH0001"
CONFIG = Path(__file__).parent / "fixtures" / "wales_and_england.yaml"


@pytest.fixture
async def multi(database_url: str, clock: FakeClock):  # type: ignore[no-untyped-def]
    clock.set(datetime(2024, 9, 25, 10, 0, tzinfo=UTC))
    h = await Harness.start(database_url=database_url, clock=clock, run_migrations=False, config_path=CONFIG)
    yield h
    await h.close()


async def _notify_in(h: Harness, partnership: str, aware: str) -> dict[str, object]:
    await h.command("notify", user=BOTH)
    modal = h.fake.view_stack(BOTH)[-1]
    assert modal["blocks"][1]["block_id"] == "partnership"  # asked which partnership first
    assert not any(b.get("block_id") == "type" for b in modal["blocks"])
    choose = h.slack.block_action(
        "partnership", user_id=BOTH, block_id="partnership", view=modal, selected_option=partnership
    )
    await h.send(choose)
    modal = h.fake.view_stack(BOTH)[-1]
    agencies = next(b for b in modal["blocks"] if b.get("block_id") == "agencies")
    values = modal_values(aware=aware, agencies=[o["value"] for o in agencies["element"]["options"]][:2])
    values["partnership"] = {"partnership": static_select(partnership)}
    request = h.slack.view_submission(CallbackId.NOTIFICATION_MODAL, user_id=BOTH, values=values)
    response = await h.submit_view(request, BOTH)
    return response.json()


async def test_several_partnerships_ask_which_and_wales_cpr_is_kept_after_1_october_2024(
    multi: Harness, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    ack = await _notify_in(multi, "cwm-teg", "2024-09-20")
    assert ack["response_action"] == "update", ack
    clock.set(datetime(2024, 10, 5, 10, 0, tzinfo=UTC))
    await _notify_in(multi, "cwm-teg", "2024-10-02")
    await _notify_in(multi, "northshire", "2024-10-02")
    cpr, susr, english = await all_cases(multi)
    assert (cpr.reference, cpr.ruleset_id) == ("CPR-2024-01", "wales-cpr-2016")
    assert (susr.reference, susr.ruleset_id) == ("CPR-2024-02", "wales-susr-2024")
    assert english.ruleset_id.startswith("england") and english.reference == "RR-2024-001"
    assert [a.agency_id for a in cpr.agencies] == ["council", "police"] or cpr.agencies

    # The rule set changes (here: the selector would now give a different edition). The CPR case keeps
    # its own frozen copy: later anchors are planned from it, not from the current rule set.
    import bot.cases.opening as case_opening
    from bot.rules.loader import load_ruleset

    monkeypatch.setattr(case_opening, "select_ruleset", lambda *a, **k: load_ruleset("wales-susr-2024"))
    from bot.cases.opening import record_notification_sent

    await record_notification_sent(multi.services, cpr.id, actor=BOTH, at=clock.now())
    async with multi.services.db.session() as s:
        rules = set((await s.execute(select(Deadline.rule_id).where(Deadline.case_id == cpr.id))).scalars())
    cpr_rules = {d.id for d in load_ruleset("wales-cpr-2016").deadlines}
    assert rules and rules <= cpr_rules
    [cpr_after, *_] = await all_cases(multi)
    assert cpr_after.ruleset_id == "wales-cpr-2016" and cpr_after.ruleset_snapshot["id"] == "wales-cpr-2016"
