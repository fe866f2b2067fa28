"""The corrections and checks around the lifecycle, through the real endpoint: closure days never move
a statutory date, every date a person gives is checked, the decision is recorded either way, abuse or
neglect decides whether a rapid review starts, the safety of other children is reminded first, and the
case record export has exactly the documented fields."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bot.case_record.gather import FIELDS
from bot.cases.models import Case, CaseEvent
from bot.clock import FakeClock
from bot.reminders.models import Reminder
from bot.rules.loader import all_rulesets
from bot.rules.models import REVIEWBOT_DEFAULT_TEXT, RuleStatus, VerificationTag
from bot.sandbox.harness import Harness
from bot.sandbox.lifecycle_walk import Step, Walk, notification_values
from bot.sandbox.nation_demo import NATIONS_CONFIG
from bot.sandbox.signed_requests import radio_buttons, static_select
from bot.slack.ids import CallbackId

D = date


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 12, 23, 9, 0, tzinfo=UTC))


async def start(database_url: str, clock: FakeClock, config: Path = NATIONS_CONFIG) -> Harness:
    return await Harness.start(
        database_url=database_url, clock=clock, run_migrations=False, config_path=config
    )


async def test_closure_days_never_move_a_statutory_date(
    database_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    """Two English partnerships, one closed 29-31 December 2026. Aware Wed 23 Dec 2026: 24 Dec (1), 25
    and 28 Dec bank holidays, 29, 30, 31 Dec (2-4), 1 Jan bank holiday, Mon 4 Jan (5). Both get Monday 4
    January for the Panel notification (not Thursday 7 January); only the closed partnership's own local
    milestone moves: 24 Dec (1), closed 29-31, 4-7 Jan (2-5), Thursday 7 January."""
    milestone = {"id": "internal_check", "label": "Internal check", "anchor": "la_aware", "amount": 5}
    data = yaml.safe_load(NATIONS_CONFIG.read_text(encoding="utf-8"))
    open_one = next(p for p in data["partnerships"] if p["id"] == "northshire")
    closed = json.loads(json.dumps(open_one).replace("U0EN", "U0CL").replace("C0EN", "C0CL"))
    closed.update(
        id="closedshire",
        case_reference_pattern="CL-{year}-{seq:03d}",
        closure_days=["2026-12-29", "2026-12-30", "2026-12-31"],
    )
    for partnership in (open_one, closed):
        partnership["rules"] = {"local_milestones": [milestone]}
    data["partnerships"].append(closed)
    config = tmp_path / "partnerships.yaml"
    config.write_text(yaml.safe_dump(data), encoding="utf-8")
    h = await start(database_url, clock, config)
    try:
        rows = {}
        for partnership_id in ("northshire", "closedshire"):
            w = Walk(h, h.services.config.partnership(partnership_id))
            await w.run([Step(D(2026, 12, 23), "notify")], ticks=False)
            rows[partnership_id] = {k: v.due_on for k, v in (await w.deadlines()).items()}
    finally:
        await h.close()
    for partnership_id in ("northshire", "closedshire"):
        assert rows[partnership_id]["serious_incident_notification"] == D(2027, 1, 4)
        assert rows[partnership_id]["tell_safeguarding_partners"] == D(2027, 1, 4)
    # Sent the same day: 24 Dec (1), 29-31 (2-4), 4-8 Jan (5-9), 11-15 (10-14), Mon 18 Jan (15).
    assert rows["northshire"]["rapid_review"] == rows["closedshire"]["rapid_review"] == D(2027, 1, 18)
    assert rows["northshire"]["internal_check"] == D(2027, 1, 4)
    assert rows["closedshire"]["internal_check"] == D(2027, 1, 7)  # the partnership's own target moves


async def test_event_dates_are_checked(database_url: str, clock: FakeClock) -> None:
    h = await start(database_url, clock)
    try:
        w = Walk(h, h.services.config.partnership("northshire"))
        await w.run([Step(D(2026, 12, 18), "notify")], ticks=False)
        # Before the decision: events of the review are refused.
        answer = await w.command("record intended_publication 02/06/2027")
        assert "follows the decision" in answer
        await w.run(
            [Step(D(2027, 1, 8), "decision"), Step(D(2027, 1, 11), "sign"), Step(D(2027, 1, 11), "sent")],
            ticks=False,
        )
        # In the future, where it must have happened.
        assert "in the future" in await w.command("record final_report 01/02/2027")
        # Before the event it follows (the decision, 11/01/2027).
        assert "before 'The partners' decision" in await w.command("record final_report 05/01/2027")
        # An intended publication may be in the future.
        assert "Recorded" in await w.command("record intended_publication 02/06/2027")
        assert "already recorded" in await w.command("record intended_publication 03/06/2027")
        # Publication needs its link, and a link must be a web address.
        assert "Give the link" in await w.command("record publication 11/01/2027")
        assert "web address" in await w.command("record publication 11/01/2027 https://" + "x" * 300)
        assert "not an event" in await w.command("record party")
        assert "recorded by ReviewBot" in await w.command("record decision")
        # Listing shows what is recorded and what is not.
        listing = await w.command("record")
        assert "Intended publication date: recorded Wednesday 2 June 2027" in listing
    finally:
        await h.close()


async def test_decision_is_recorded_either_way_and_no_review_means_not_applicable(
    database_url: str, clock: FakeClock
) -> None:
    h = await start(database_url, clock)
    try:
        w = Walk(h, h.services.config.partnership("glenmore"))
        await w.run(
            [
                Step(D(2026, 12, 18), "notify"),
                Step(D(2027, 1, 14), "decision", "no_further_review"),
                Step(D(2027, 1, 15), "sign"),
                Step(D(2027, 1, 15), "sent"),
            ],
            ticks=False,
        )
        case = await w.case()
        rows = await w.deadlines()
        async with h.services.db.read() as session:
            events = {
                e.event: e
                for e in (
                    await session.execute(select(CaseEvent).where(CaseEvent.case_id == case.id))
                ).scalars()
            }
        assert case.stage == "no_further_review"  # no Panel reply awaited outside England
        assert events["decision"].detail == "no_further_review"
        # Scotland: the Care Inspectorate is told of the decision either way (S8).
        assert rows["lr_decision_notification"].met_on == D(2027, 1, 15)
        assert "no further review" in (rows["lr_outcome_notification"].not_applicable_reason or "")
        assert "no Learning review to record" in await w.command("record outcome_ratified 15/01/2027")
    finally:
        await h.close()


async def test_looked_after_death_without_abuse_or_neglect_starts_no_rapid_review(
    database_url: str, clock: FakeClock
) -> None:
    h = await start(database_url, clock)
    try:
        partnership = h.services.config.partnership("northshire")
        manager = "U0ENBM0001"
        await h.command("notify", user=manager)
        values = notification_values(partnership, D(2026, 12, 22), "looked_after_child_death")
        values["abuse"] = {"abuse": radio_buttons("not_suspected")}
        request = h.slack.view_submission(CallbackId.NOTIFICATION_MODAL, user_id=manager, values=values)
        assert (await h.submit_view(request, manager)).json()["response_action"] == "update"
        w = Walk(h, partnership)
        async with h.services.db.read() as session:
            case = (await session.execute(select(Case))).scalar_one()
        w.case_id = case.id
        rows = await w.deadlines()
        assert case.notification_only and case.stage == "notified"
        # Still notified to the Secretary of State and Ofsted (E3), met by the notification sent.
        assert rows["looked_after_child_death_notification"].met_on == D(2026, 12, 22)
        for rule in ("rapid_review", "lcspr_publication", "advance_copy_before_publication"):
            assert "No abuse or neglect" in (rows[rule].not_applicable_reason or ""), rule
    finally:
        await h.close()


async def test_safety_of_other_children_is_reminded_before_anything_else(
    database_url: str, clock: FakeClock
) -> None:
    h = await start(database_url, clock)
    try:
        w = Walk(h, h.services.config.partnership("northshire"))
        await w.run([Step(D(2026, 12, 23), "notify")], ticks=False)
        async with h.services.db.read() as session:
            query = select(Reminder).order_by(Reminder.due_at)
            reminders = list((await session.execute(query)).scalars())
        first = reminders[0]
        assert first.kind == "first_item" and first.rung == "now"
        assert {r.recipient for r in reminders if r.due_at == first.due_at and r.kind == "first_item"} == {
            "U0ENLA0001",  # the local authority's lead
            "case_channel",
        }
        # The next morning's tick delivers it.
        await w.run([Step(D(2026, 12, 24), "record", "partners_told")])
        dm = h.fake.messages(h.fake.dm_channel("U0ENLA0001"))
        assert dm and "immediate safety of siblings and other children" in dm[0].rendered()
    finally:
        await h.close()


def test_rule_data_labels_defaults_and_never_calls_an_unverified_amount_statutory() -> None:
    for ruleset in all_rulesets():
        assert ruleset.lifecycle is not None, ruleset.id
        for rule in ruleset.deadlines:
            if rule.status is RuleStatus.STATUTORY:
                assert rule.verification.tag is VerificationTag.V, (ruleset.id, rule.id)
            if ruleset.id in ("wales-susr-2024", "northern-ireland-cmr"):
                assert rule.source_text() == REVIEWBOT_DEFAULT_TEXT, (ruleset.id, rule.id)
            else:
                assert rule.source_text().startswith("http"), (ruleset.id, rule.id)
    legacy = next(r for r in all_rulesets() if r.id == "england-legacy-scr")
    decision = legacy.deadline("scr_decision")
    assert decision.status is RuleStatus.EXPECTED
    manual = "https://www.proceduresonline.com/pancheshire/warrington/p_ser_case_rev.html"
    assert decision.source_urls[0] == manual
    national = {r.id: r.lifecycle.national_review_question for r in all_rulesets() if r.lifecycle}
    assert {k for k, v in national.items() if v} == {"england-2023", "england-2018"}


async def test_welsh_case_begun_before_susr_is_labelled_a_child_practice_review(
    database_url: str, tmp_path: Path
) -> None:
    clock = FakeClock(datetime(2024, 9, 25, 9, 0, tzinfo=UTC))
    h = await start(database_url, clock)
    try:
        w = Walk(h, h.services.config.partnership("cwm-teg"))
        await w.run([Step(D(2024, 9, 20), "notify")], ticks=False)
        case = await w.case()
        assert case.ruleset_id == "wales-cpr-2016"
        clock.set(datetime(2024, 10, 8, 9, 0, tzinfo=UTC))
        await h.command("decision", user=w.manager, channel=case.channel_id or "")
        modal = h.fake.view_stack(w.manager)[-1]
        blocks = {b.get("block_id"): b for b in modal["blocks"]}
        labels = [o["text"]["text"] for o in blocks["recommendation"]["element"]["options"]]
        assert "Child practice review (concise or extended)" in labels
        assert "national_review" not in blocks  # the national review question is England's only
        assert "checklist's first item" in json.dumps(modal)
    finally:
        await h.close()


async def test_export_json_has_exactly_the_documented_fields(database_url: str, clock: FakeClock) -> None:
    clock.set(datetime(2026, 12, 18, 9, 0, tzinfo=UTC))
    h = await start(database_url, clock)
    try:
        w = Walk(h, h.services.config.partnership("northshire"))
        await w.run([Step(D(2026, 12, 18), "notify")], ticks=False)
    finally:
        await h.close()
    if not database_url.startswith("sqlite"):
        pytest.skip("the command line reads the same database; SQLite is enough to check the shape")
    command = [sys.executable, "-m", "bot.cli", "cases", "export", "RR-2026-001", "--format", "json"]
    result = await asyncio.to_thread(
        subprocess.run,
        [*command, "--database-url", database_url],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    record = json.loads(result.stdout)
    assert tuple(record) == FIELDS
    assert record["events"]["la_aware"] == "2026-12-18"
    deadline = record["deadlines"][0]
    keys = ("rule_id", "label", "due_on", "revised_target", "status", "met_on", "source", "tag", "held")
    assert tuple(deadline) == keys
    assert deadline["status"] in {"pending", "met", "missed", "not_applicable"}
    assert tuple(record["stage_history"][0]) == ("stage", "at", "by")
    assert tuple(record["audit"][0]) == ("at", "actor", "action", "summary")
    assert record["checklist"][0]["item"] == "other_children"
    _ = static_select  # the modal helpers stay importable for the walks
