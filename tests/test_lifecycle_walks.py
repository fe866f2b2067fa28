"""Every rule set walked from notification to closure through the real HTTP endpoint (the local Slack
stand-in), every deadline's date checked against a value worked out by hand here, never by the code
under test. The working is written beside each date: day 0 is the anchor's day; working days skip
weekends and the nation's bank holidays (25 and 28 December 2026, 1 January 2027, 31 May 2027 in
England and Wales)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml

from bot.clock import FakeClock
from bot.sandbox.harness import Harness
from bot.sandbox.lifecycle_walk import Step, Walk
from bot.sandbox.nation_demo import NATIONS_CONFIG, plan

D = date
START = D(2026, 12, 18)  # Friday


def config_with(tmp_path: Path, pins: dict[str, str], **extra: dict[str, object]) -> Path:
    """The four synthetic partnerships, each pinned to a rule set where asked."""
    data = yaml.safe_load(NATIONS_CONFIG.read_text(encoding="utf-8"))
    for partnership in data["partnerships"]:
        if partnership["id"] in pins:
            partnership["ruleset"] = pins[partnership["id"]]
        partnership.update(extra.get(partnership["id"], {}))
    path = tmp_path / "partnerships.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 12, 18, 9, 0, tzinfo=UTC))


async def walk(
    database_url: str, clock: FakeClock, config: Path, partnership_id: str, steps: list[Step], **kw: bool
) -> dict[str, tuple[date | None, date | None, str | None]]:
    h = await Harness.start(
        database_url=database_url, clock=clock, run_migrations=False, config_path=config
    )
    try:
        w = Walk(h, h.services.config.partnership(partnership_id))
        await w.run(steps, **kw)
        case = await w.case()
        assert case.stage == "closed"
        return {
            rule: (row.due_on, row.met_on, row.not_applicable_reason)
            for rule, row in (await w.deadlines()).items()
        }
    finally:
        await h.close()


def due(rows: dict[str, tuple[date | None, date | None, str | None]]) -> dict[str, date | None]:
    return {rule: row[0] for rule, row in rows.items()}


ENGLAND_DUE = {
    # Aware Fri 18 Dec: 21-24 Dec (1-4), 25 and 28 Dec bank holidays, 29 Dec (5).
    "serious_incident_notification": D(2026, 12, 29),
    "tell_safeguarding_partners": D(2026, 12, 29),
    # Sent Fri 18 Dec: 21-24 (1-4), 29-31 (5-7), 1 Jan holiday, 4-8 Jan (8-12), 11-13 Jan (13-15).
    "rapid_review": D(2027, 1, 13),
    # Sent to the Panel Mon 11 Jan: 12-15 (1-4), 18-22 (5-9), 25 Jan (10).
    "panel_response_chase": D(2027, 1, 25),
    # Decision (last sign-off) Mon 11 Jan 2027 + 6 calendar months.
    "lcspr_publication": D(2027, 7, 11),
    # Intended publication Wed 2 Jun 2027, counted back: 1 Jun (1), Mon 31 May spring bank holiday,
    # 29-30 May weekend, 28 (2), 27 (3), 26 (4), 25 (5), 24 (6), Fri 21 May (7).
    "advance_copy_before_publication": D(2027, 5, 21),
    # Published Wed 2 Jun 2027 + 1 year.
    "keep_report_published": D(2028, 6, 2),
}


@pytest.mark.parametrize("ruleset", ["england-2023", "england-2018"])
async def test_england_lcspr_walk_every_date_by_hand(
    database_url: str, clock: FakeClock, tmp_path: Path, ruleset: str
) -> None:
    config = config_with(tmp_path, {"northshire": ruleset})
    ticks = ruleset == "england-2023"  # the worker runs every morning in one of the two
    rows = await walk(database_url, clock, config, "northshire", plan("england"), ticks=ticks)
    assert due(rows) == ENGLAND_DUE
    met = {rule: row[1] for rule, row in rows.items()}
    assert met["serious_incident_notification"] == START
    assert met["tell_safeguarding_partners"] == START
    assert met["rapid_review"] == D(2027, 1, 11)
    assert met["panel_response_chase"] == D(2027, 1, 20)
    assert met["advance_copy_before_publication"] == D(2027, 5, 20)
    assert met["lcspr_publication"] == D(2027, 6, 2)
    assert met["keep_report_published"] is None  # a minimum period: nothing to do but keep it up


async def test_england_legacy_scr_walk(database_url: str, clock: FakeClock, tmp_path: Path) -> None:
    config = config_with(tmp_path, {"northshire": "england-legacy-scr"})
    steps = [
        Step(START, "notify"),
        Step(D(2027, 1, 8), "decision"),
        Step(D(2027, 1, 11), "sign"),
        Step(D(2027, 1, 11), "sent"),  # the decision told to the national panel and Ofsted
        Step(D(2027, 1, 25), "record", "review_started"),
        Step(D(2027, 7, 1), "record", "final_report"),
        Step(D(2027, 7, 15), "record", "publication https://northshire.example.org/scr/1"),
        Step(D(2027, 7, 16), "stage", "actions"),
        Step(D(2027, 7, 20), "stage", "closed"),
    ]
    rows = await walk(database_url, clock, config, "northshire", steps, ticks=False)
    assert due(rows) == {
        "notifiable_incident_notification": D(2026, 12, 29),  # as the England notification above
        "scr_decision": D(2027, 1, 18),  # notified Fri 18 Dec 2026 + 1 month
        "scr_completion": D(2027, 7, 25),  # started Mon 25 Jan 2027 + 6 months
        "keep_scr_published": D(2028, 7, 15),  # published Thu 15 Jul 2027 + 12 months
    }
    assert rows["scr_decision"][1] == D(2027, 1, 11) and rows["scr_completion"][1] == D(2027, 7, 1)


async def test_wales_cpr_walk(database_url: str, clock: FakeClock, tmp_path: Path) -> None:
    config = config_with(tmp_path, {"cwm-teg": "wales-cpr-2016"})
    steps = [
        Step(START, "notify"),  # the referral
        Step(D(2027, 1, 8), "decision"),
        Step(D(2027, 1, 11), "sign"),
        Step(D(2027, 1, 11), "sent"),
        Step(D(2027, 6, 1), "record", "final_report"),
        Step(D(2027, 6, 20), "record", "action_plan"),
        Step(D(2027, 6, 25), "record", "publication https://cwmteg.example.org/cpr/1"),
        Step(D(2027, 6, 28), "stage", "actions"),
        Step(D(2027, 7, 1), "stage", "closed"),
    ]
    rows = await walk(database_url, clock, config, "cwm-teg", steps, ticks=False)
    assert due(rows) == {
        "cpr_completion": D(2027, 6, 18),  # referral Fri 18 Dec 2026 + 6 months
        "cpr_action_plan": D(2027, 6, 29),  # final report Tue 1 Jun 2027 + 28 days
        # Published Fri 25 Jun 2027 + 84 days: 5 more in June, 31 in July, 31 in August, 17 in September.
        "keep_cpr_published": D(2027, 9, 17),
    }


async def test_wales_susr_walk(database_url: str, clock: FakeClock, tmp_path: Path) -> None:
    rows = await walk(database_url, clock, NATIONS_CONFIG, "cwm-teg", plan("wales"), ticks=False)
    assert due(rows) == {
        "susr_case_review_group": D(2027, 1, 13),  # referral 18 Dec + 15 WD (as England's rapid review)
        "susr_chair_decision": D(2027, 1, 20),  # + 20 WD: 14, 15, 18, 19, 20 Jan (16-20)
        # Decision Tue 19 Jan: 20, 21, 22, 25, 26 Jan (1-5).
        "susr_welsh_government_notified": D(2027, 1, 26),
        # + 20 WD: 20-22 Jan (3), 25-29 (8), 1-5 Feb (13), 8-12 (18), 15-16 Feb (20).
        "susr_reviewers_appointed": D(2027, 2, 16),
        "susr_report": D(2027, 7, 19),  # decision + 6 months
        "susr_action_plan_signed_off": D(2027, 7, 29),  # final report Thu 1 Jul + 4 weeks
        # Final report Thu 1 Jul + 20 WD: 2 (1), 5-9 (6), 12-16 (11), 19-23 (16), 26-29 Jul (20).
        "susr_repository": D(2027, 7, 29),
    }
    assert all(met is not None for _due, met, _na in rows.values())


async def test_scotland_icr_scr_walk(database_url: str, clock: FakeClock, tmp_path: Path) -> None:
    config = config_with(tmp_path, {"glenmore": "scotland-scr-2015"})
    steps = [
        Step(START, "notify"),
        Step(D(2026, 12, 21), "record", "reports_requested"),
        Step(D(2027, 1, 4), "record", "reports_received"),
        Step(D(2027, 1, 14), "decision"),
        Step(D(2027, 1, 15), "sign"),
        Step(D(2027, 1, 15), "sent"),
        Step(D(2027, 6, 1), "record", "final_report"),
        Step(D(2027, 6, 10), "record", "publication https://glenmore.example.org/scr/1"),
        Step(D(2027, 6, 11), "stage", "actions"),
        Step(D(2027, 6, 18), "stage", "closed"),
    ]
    rows = await walk(database_url, clock, config, "glenmore", steps, ticks=False)
    assert due(rows) == {
        "icr_notification": D(2026, 12, 25),  # lead told Fri 18 Dec + 7 calendar days
        "icr_agency_reports": D(2027, 1, 4),  # requested Mon 21 Dec + 14 calendar days
    }
    assert rows["icr_notification"][1] == START and rows["icr_agency_reports"][1] == D(2027, 1, 4)


async def test_scotland_learning_review_walk(database_url: str, clock: FakeClock) -> None:
    rows = await walk(database_url, clock, NATIONS_CONFIG, "glenmore", plan("scotland"), ticks=False)
    assert due(rows) == {
        "lr_decision_notification": D(2027, 1, 15),  # at the decision (Fri 15 Jan 2027), day 0
        "lr_outcome_notification": D(2027, 6, 17),  # ratified Thu 10 Jun 2027 + 7 calendar days
    }
    assert rows["lr_decision_notification"][1] == D(2027, 1, 15)


async def test_northern_ireland_cmr_walk(database_url: str, clock: FakeClock) -> None:
    steps = plan("northern_ireland")
    rows = await walk(database_url, clock, NATIONS_CONFIG, "loughside", steps, ticks=False)
    assert due(rows) == {
        # Northern Ireland's bank holidays over Christmas are the same days: 21-24 Dec (1-4), 29 Dec (5).
        "cmr_notification": D(2026, 12, 29),
        # Sent Fri 18 Dec: 21-24 (4), 29-31 (7), 4-8 Jan (12), 11-15 (17), 18-20 Jan (20).
        "cmr_decision": D(2027, 1, 20),
        "cmr_department_notified": D(2027, 1, 25),  # decision Mon 18 Jan: 19-22 (4), 25 Jan (5)
        "cmr_report": D(2027, 7, 18),  # decision + 6 months
    }
