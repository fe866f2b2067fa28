"""Rule sets as data: every file validates, every deadline is sourced and tagged, editions switch on
the right day, overrides cannot touch a verified statutory figure, and deadlines are planned right."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from bot.calendar.working_days import Nation, Unit, WorkingCalendar
from bot.clock import london_datetime
from bot.rules.compute import PlannedDeadline, calendar_for, local_calendar_for, plan_deadlines
from bot.rules.loader import (
    RuleSetError,
    all_rulesets,
    in_force_window,
    load_ruleset,
    ruleset_ids,
    select_ruleset,
)
from bot.rules.models import (
    ANCHOR_DESCRIPTIONS,
    Anchor,
    DeadlineKind,
    DeadlineRule,
    NotificationType,
    RuleSet,
    RuleStatus,
    VerificationTag,
)
from bot.rules.overrides import LocalMilestone, RuleOverrides, apply_overrides
from bot.rules.wales import wales_cpr_type

EXPECTED_IDS = {
    "england-2023",
    "england-2018",
    "england-legacy-scr",
    "wales-cpr-2016",
    "wales-susr-2024",
    "scotland-scr-2015",
    "scotland-lr-2021",
    "northern-ireland-cmr",
}
PROCESS_RULES = Path("/work/shared/domain/process-rules.md")
ENGLAND = WorkingCalendar(Nation.ENGLAND)


def _at(day: date, hour: int = 10) -> datetime:
    return london_datetime(day, hour)


def _planned(plan: list[PlannedDeadline]) -> dict[str, PlannedDeadline]:
    return {p.rule.id: p for p in plan}


# -- the files ------------------------------------------------------------------------------------


def test_every_rule_set_file_validates_and_matches_its_name() -> None:
    yaml_files = {
        p.name.removesuffix(".yaml")
        for p in resources.files("bot.rules").iterdir()
        if p.name.endswith(".yaml")
    }
    assert yaml_files == EXPECTED_IDS
    assert set(ruleset_ids()) == EXPECTED_IDS
    for ruleset_id in EXPECTED_IDS:
        ruleset = load_ruleset(ruleset_id)
        assert ruleset.id == ruleset_id
        text = resources.files("bot.rules").joinpath(f"{ruleset_id}.yaml").read_text(encoding="utf-8")
        assert RuleSet.model_validate(yaml.safe_load(text)) == ruleset


def test_rule_set_ids_are_unique_and_deadline_ids_unique_within_each() -> None:
    rulesets = all_rulesets()
    ids = [r.id for r in rulesets]
    assert len(ids) == len(set(ids)) == len(EXPECTED_IDS)
    for ruleset in rulesets:
        deadline_ids = [d.id for d in ruleset.deadlines]
        assert len(deadline_ids) == len(set(deadline_ids)), ruleset.id


def test_every_deadline_has_a_source_url_and_a_verification_tag() -> None:
    for ruleset in all_rulesets():
        assert ruleset.sources, ruleset.id
        for deadline in ruleset.deadlines:
            where = f"{ruleset.id}/{deadline.id}"
            assert deadline.source_urls, f"{where} has no source URL"
            for url in deadline.source_urls:
                assert re.match(r"^https?://\S+$", url), f"{where}: {url!r} is not a URL"
            assert deadline.verification.tag in set(VerificationTag), f"{where} has no verification tag"
            assert re.match(r"^[A-Z]{1,2}\d{1,3}$", deadline.verification.row), (
                f"{where} has no process-rules row"
            )


def test_unverified_figures_are_configurable() -> None:
    for ruleset in all_rulesets():
        for deadline in ruleset.deadlines:
            if deadline.verification.tag is not VerificationTag.V or deadline.status is RuleStatus.LOCAL:
                assert deadline.configurable, f"{ruleset.id}/{deadline.id}"


@pytest.mark.skipif(not PROCESS_RULES.exists(), reason="shared process-rules.md not available")
def test_every_verification_row_exists_in_process_rules() -> None:
    text = PROCESS_RULES.read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| ([A-Z]{1,2}\d{1,3}) \|", text, flags=re.MULTILINE))
    for ruleset in all_rulesets():
        for deadline in ruleset.deadlines:
            for row in [deadline.verification.row, *deadline.verification.related_rows]:
                assert row in rows, f"{ruleset.id}/{deadline.id} cites unknown row {row}"


def test_every_anchor_is_documented() -> None:
    assert set(ANCHOR_DESCRIPTIONS) == set(Anchor)
    assert all(ANCHOR_DESCRIPTIONS[a] for a in Anchor)


def test_calendar_nation_matches_each_rule_set() -> None:
    for ruleset in all_rulesets():
        assert ruleset.calendar_nation is ruleset.nation


def test_in_force_to_is_the_day_before_the_next_edition() -> None:
    for ruleset in all_rulesets():
        first, last = in_force_window(ruleset)
        assert first == ruleset.in_force_from
        assert last == ruleset.in_force_to, ruleset.id


def test_unknown_rule_set_names_the_known_ones() -> None:
    with pytest.raises(RuleSetError, match="england-2023"):
        load_ruleset("england-2099")


# -- the models refuse bad data -------------------------------------------------------------------


def _rule_data(**changes: object) -> dict[str, object]:
    data = load_ruleset("england-2023").deadline("serious_incident_notification").model_dump()
    data.update(changes)
    return data


def test_models_forbid_unknown_fields() -> None:
    with pytest.raises(ValidationError):
        DeadlineRule.model_validate(_rule_data(typo_field=1))


def test_models_refuse_an_unverified_figure_that_is_not_configurable() -> None:
    with pytest.raises(ValidationError, match="configurable"):
        DeadlineRule.model_validate(_rule_data(verification={"tag": "U", "row": "E1"}))


def test_models_refuse_working_days_off_the_nation_calendar() -> None:
    with pytest.raises(ValidationError, match="nation"):
        DeadlineRule.model_validate(_rule_data(calendar="calendar"))


def test_models_refuse_a_deadline_without_sources_or_with_an_unknown_anchor() -> None:
    with pytest.raises(ValidationError):
        DeadlineRule.model_validate(_rule_data(source_urls=[]))
    with pytest.raises(ValidationError):
        DeadlineRule.model_validate(_rule_data(source_urls=["see the guidance"]))
    with pytest.raises(ValidationError):
        DeadlineRule.model_validate(_rule_data(anchor="incident_happened"))


# -- which edition is in force --------------------------------------------------------------------


def test_wales_switches_from_cpr_to_susr_on_1_october_2024() -> None:
    assert select_ruleset("wales", date(2024, 9, 30)).id == "wales-cpr-2016"
    assert select_ruleset("wales", date(2024, 10, 1)).id == "wales-susr-2024"


def test_england_editions_by_date() -> None:
    assert select_ruleset(Nation.ENGLAND, date(2016, 5, 1)).id == "england-legacy-scr"
    assert select_ruleset(Nation.ENGLAND, date(2018, 6, 28)).id == "england-legacy-scr"
    assert select_ruleset(Nation.ENGLAND, date(2018, 6, 29)).id == "england-2018"
    assert select_ruleset(Nation.ENGLAND, date(2023, 12, 14)).id == "england-2018"
    assert select_ruleset(Nation.ENGLAND, date(2023, 12, 15)).id == "england-2023"
    assert select_ruleset(Nation.ENGLAND, date(2026, 12, 18)).id == "england-2023"


def test_england_2023_start_is_configurable() -> None:
    starts = {"england-2023": date(2024, 12, 12)}
    assert select_ruleset("england", date(2024, 6, 1), edition_starts=starts).id == "england-2018"
    assert select_ruleset("england", date(2024, 12, 11), edition_starts=starts).id == "england-2018"
    assert select_ruleset("england", date(2024, 12, 12), edition_starts=starts).id == "england-2023"
    with pytest.raises(ValueError, match="england-2030"):
        select_ruleset("england", date(2024, 6, 1), edition_starts={"england-2030": date(2030, 1, 1)})


def test_scotland_and_northern_ireland_editions() -> None:
    assert select_ruleset("scotland", date(2021, 8, 31)).id == "scotland-scr-2015"
    assert select_ruleset("scotland", date(2021, 9, 1)).id == "scotland-lr-2021"
    assert select_ruleset("northern_ireland", date(2026, 12, 18)).id == "northern-ireland-cmr"


def test_no_rule_set_before_the_earliest_edition() -> None:
    with pytest.raises(LookupError, match="England"):
        select_ruleset("england", date(2010, 1, 1))


# -- planning -------------------------------------------------------------------------------------


def test_serious_incident_notification_is_due_five_working_days_after_awareness() -> None:
    ruleset = load_ruleset("england-2023")
    plan = _planned(plan_deadlines(ruleset, {"la_aware": _at(date(2026, 12, 18))}, ENGLAND, "death"))
    assert plan["serious_incident_notification"].due == date(2026, 12, 29)
    assert plan["tell_safeguarding_partners"].due == date(2026, 12, 29)
    assert plan["serious_incident_notification"].anchor_at == _at(date(2026, 12, 18))
    # The rapid review waits for its anchor event rather than guessing a date.
    assert plan["rapid_review"].due is None
    assert plan["rapid_review"].anchor_at is None
    assert "looked_after_child_death_notification" not in plan
    assert "care_leaver_death_notification" not in plan


def test_rapid_review_counts_from_the_notification_being_sent() -> None:
    ruleset = load_ruleset("england-2023")
    anchors = {"la_aware": _at(date(2026, 12, 18)), "notification_sent": _at(date(2026, 12, 23))}
    plan = _planned(plan_deadlines(ruleset, anchors, ENGLAND, NotificationType.SERIOUS_HARM))
    assert plan["rapid_review"].due == date(2027, 1, 18)
    assert plan["rapid_review"].rule.anchor is Anchor.NOTIFICATION_SENT


def test_care_leaver_death_gets_the_notification_and_no_rapid_review() -> None:
    ruleset = load_ruleset("england-2023")
    anchors = {
        "la_aware": _at(date(2026, 12, 18)),
        "notification_sent": _at(date(2026, 12, 21)),
        "rapid_review_sent": _at(date(2027, 1, 8)),
        "decision": _at(date(2027, 1, 8)),
        "intended_publication": _at(date(2027, 6, 30)),
        "publication": _at(date(2027, 6, 30)),
    }
    plan = plan_deadlines(ruleset, anchors, ENGLAND, NotificationType.CARE_LEAVER_DEATH)
    assert [p.rule.id for p in plan] == ["care_leaver_death_notification"]
    assert plan[0].due == date(2026, 12, 29)
    for later in (
        "rapid_review",
        "panel_response_chase",
        "lcspr_publication",
        "advance_copy_before_publication",
    ):
        assert not ruleset.deadline(later).applies("care_leaver_death")


def test_care_leaver_death_before_wt2023_has_no_deadlines() -> None:
    ruleset = load_ruleset("england-2018")
    assert plan_deadlines(ruleset, {"la_aware": _at(date(2022, 5, 3))}, ENGLAND, "care_leaver_death") == []


def test_looked_after_child_death_is_notified_to_the_secretary_of_state_and_ofsted() -> None:
    ruleset = load_ruleset("england-2023")
    plan = _planned(
        plan_deadlines(ruleset, {"la_aware": _at(date(2026, 12, 18))}, ENGLAND, "looked_after_child_death")
    )
    rule = plan["looked_after_child_death_notification"].rule
    assert "Secretary of State" in rule.label and "Ofsted" in rule.label
    assert plan["looked_after_child_death_notification"].due == date(2026, 12, 29)
    assert rule.amount == 5 and rule.unit is Unit.WORKING_DAYS and rule.status is RuleStatus.STATUTORY


def test_lcspr_publication_advance_copy_and_minimum_period() -> None:
    ruleset = load_ruleset("england-2023")
    anchors = {
        "la_aware": _at(date(2026, 2, 2)),
        "decision": _at(date(2026, 8, 31)),
        "intended_publication": _at(date(2027, 1, 11)),
        "publication": _at(date(2027, 1, 11)),
        "rapid_review_sent": _at(date(2026, 2, 24)),
    }
    plan = _planned(plan_deadlines(ruleset, anchors, ENGLAND, "death"))
    assert plan["lcspr_publication"].due == date(2027, 2, 28)  # month end clamps
    assert plan["advance_copy_before_publication"].due == date(2026, 12, 30)
    assert plan["advance_copy_before_publication"].rule.direction.value == "before"
    assert plan["keep_report_published"].due == date(2028, 1, 11)
    assert plan["keep_report_published"].rule.kind is DeadlineKind.MINIMUM_PERIOD
    chase = plan["panel_response_chase"]
    assert chase.rule.kind is DeadlineKind.CHASE and chase.rule.status is RuleStatus.LOCAL
    assert chase.due == date(2026, 3, 10)


def test_legacy_scr_timescales() -> None:
    ruleset = load_ruleset("england-legacy-scr")
    anchors = {
        "notification_sent": _at(date(2016, 1, 31)),
        "review_started": _at(date(2016, 3, 1)),
        "publication": _at(date(2016, 10, 3)),
    }
    plan = _planned(plan_deadlines(ruleset, anchors, ENGLAND, "death"))
    assert plan["scr_decision"].due == date(2016, 2, 29)
    assert plan["scr_completion"].due == date(2016, 9, 1)
    assert plan["keep_scr_published"].due == date(2017, 10, 3)


def test_wales_cpr_type_and_timescales() -> None:
    assert wales_cpr_type(True) == "extended"
    assert wales_cpr_type(False) == "concise"
    ruleset = load_ruleset("wales-cpr-2016")
    anchors = {
        "referral": _at(date(2024, 3, 15)),
        "final_report": _at(date(2024, 9, 2)),
        "publication": _at(date(2024, 10, 1)),
    }
    plan = _planned(plan_deadlines(ruleset, anchors, WorkingCalendar("wales"), "death"))
    assert plan["cpr_completion"].due == date(2024, 9, 15)
    assert plan["cpr_action_plan"].due == date(2024, 9, 30)
    assert plan["keep_cpr_published"].due == date(2024, 12, 24)


def test_wales_susr_steps_are_local_configurable_defaults() -> None:
    ruleset = load_ruleset("wales-susr-2024")
    assert len(ruleset.deadlines) >= 5
    for deadline in ruleset.deadlines:
        assert deadline.status is RuleStatus.LOCAL
        assert deadline.configurable
        assert deadline.verification.row == "W8"


def test_scotland_timescales() -> None:
    legacy = load_ruleset("scotland-scr-2015")
    scotland = WorkingCalendar("scotland")
    anchors = {"lead_informed": _at(date(2019, 12, 23)), "reports_requested": _at(date(2019, 12, 24))}
    plan = _planned(plan_deadlines(legacy, anchors, scotland, "serious_harm"))
    assert plan["icr_notification"].due == date(2019, 12, 30)  # 7 calendar days, holidays included
    assert plan["icr_agency_reports"].due == date(2020, 1, 7)

    current = load_ruleset("scotland-lr-2021")
    anchors = {
        "decision": _at(date(2026, 11, 27)),
        "outcome_ratified": _at(date(2026, 12, 21)),
        "death_known": datetime(2026, 3, 28, 12, 0, tzinfo=UTC),
    }
    plan = _planned(plan_deadlines(current, anchors, scotland, "looked_after_child_death"))
    assert plan["lr_decision_notification"].due == date(2026, 11, 27)
    assert plan["lr_outcome_notification"].due == date(2026, 12, 28)
    assert plan["looked_after_child_death_care_inspectorate"].due == datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
    assert "looked_after_child_death_care_inspectorate" not in _planned(
        plan_deadlines(current, anchors, scotland, "death")
    )


def test_northern_ireland_cmr_uses_the_northern_ireland_calendar() -> None:
    ruleset = load_ruleset("northern-ireland-cmr")
    calendar = calendar_for(ruleset)
    assert calendar.nation is Nation.NORTHERN_IRELAND
    plan = _planned(plan_deadlines(ruleset, {"la_aware": _at(date(2026, 7, 8))}, calendar, "death"))
    # 9, 10 July; 13 July (Boyne substitute) skipped; 14, 15, 16 July.
    assert plan["cmr_notification"].due == date(2026, 7, 16)
    assert all(d.configurable and d.status is RuleStatus.LOCAL for d in ruleset.deadlines)


def test_anchor_instants_are_read_as_uk_dates() -> None:
    ruleset = load_ruleset("england-2023")
    # 23:30 UTC on 30 June 2026 is already 1 July in the UK.
    plan = _planned(
        plan_deadlines(ruleset, {"la_aware": datetime(2026, 6, 30, 23, 30, tzinfo=UTC)}, ENGLAND, "death")
    )
    assert plan["serious_incident_notification"].due == date(2026, 7, 8)


def test_plan_refuses_an_unknown_anchor() -> None:
    with pytest.raises(ValueError, match="la_awares"):
        plan_deadlines(load_ruleset("england-2023"), {"la_awares": _at(date(2026, 1, 5))}, ENGLAND, "death")


# -- overrides ------------------------------------------------------------------------------------

DEVON_STYLE = RuleOverrides(
    local_milestones=[
        LocalMilestone(
            id="agency_summaries", label="Agency summaries in", anchor="notification_sent", amount=10
        ),
        LocalMilestone(
            id="panel_meeting", label="Rapid review panel meeting", anchor="notification_sent", amount=12
        ),
        LocalMilestone(
            id="executive_sign_off",
            label="Executive sign-off",
            anchor="notification_sent",
            amount=14,
            responsible_role="signatory",
        ),
    ],
    anchors={"rapid_review": "referral_received"},
    amounts={"panel_response_chase": 8},
    extra_closure_days=[date(2027, 1, 4)],
)


def test_overrides_add_milestones_change_anchor_and_configurable_amounts() -> None:
    ruleset = apply_overrides(load_ruleset("england-2023"), DEVON_STYLE)
    rapid_review = ruleset.deadline("rapid_review")
    assert rapid_review.anchor is Anchor.REFERRAL_RECEIVED
    assert Anchor.NOTIFICATION_SENT in rapid_review.alternative_anchors
    assert rapid_review.override_note and "referral_received" in rapid_review.override_note
    chase = ruleset.deadline("panel_response_chase")
    assert chase.amount == 8 and chase.override_note
    sign_off = ruleset.deadline("executive_sign_off")
    assert sign_off.status is RuleStatus.LOCAL and sign_off.configurable
    assert sign_off.responsible_role.value == "signatory"
    # The national figures are untouched.
    assert ruleset.deadline("serious_incident_notification") == load_ruleset("england-2023").deadline(
        "serious_incident_notification"
    )

    calendar = calendar_for(ruleset, DEVON_STYLE)
    assert not calendar.extra_closures  # statutory and expected dates: the nation's bank holidays only
    local = local_calendar_for(ruleset, DEVON_STYLE)
    anchors = {
        "la_aware": _at(date(2026, 12, 16)),
        "notification_sent": _at(date(2026, 12, 23)),
        "referral_received": _at(date(2026, 12, 24)),
    }
    plan = _planned(plan_deadlines(ruleset, anchors, calendar, "death", local_calendar=local))
    # From Wednesday 23 December: 24 Dec (1), 29-31 Dec (2-4), Monday 4 January is the local closure,
    # 5-8 Jan (5-8), 11-15 Jan (9-13), 18 Jan (14).
    assert plan["agency_summaries"].due == date(2027, 1, 12)
    assert plan["panel_meeting"].due == date(2027, 1, 14)
    assert plan["executive_sign_off"].due == date(2027, 1, 18)
    # The rapid review is a national expectation: the local closure on 4 January does not move it.
    # From the referral on Thursday 24 December: 29-31 Dec (1-3), 4-8 Jan (4-8), 11-15 Jan (9-13),
    # 18-19 Jan (14-15).
    assert plan["rapid_review"].due == date(2027, 1, 19)


def test_overrides_refuse_changing_a_verified_statutory_amount() -> None:
    with pytest.raises(ValueError, match="serious_incident_notification"):
        apply_overrides(
            load_ruleset("england-2023"), RuleOverrides(amounts={"serious_incident_notification": 10})
        )


def test_overrides_allow_restating_the_same_amount() -> None:
    ruleset = apply_overrides(
        load_ruleset("england-2023"), RuleOverrides(amounts={"serious_incident_notification": 5})
    )
    assert ruleset.deadline("serious_incident_notification").override_note is None


def test_overrides_refuse_an_unknown_deadline() -> None:
    with pytest.raises(ValueError, match="rapid_reveiw"):
        apply_overrides(load_ruleset("england-2023"), RuleOverrides(amounts={"rapid_reveiw": 10}))
    with pytest.raises(ValueError, match="rapid_reveiw"):
        apply_overrides(
            load_ruleset("england-2023"), RuleOverrides(anchors={"rapid_reveiw": "referral_received"})
        )


def test_overrides_refuse_an_unknown_anchor() -> None:
    with pytest.raises(ValueError, match="referal_received"):
        apply_overrides(
            load_ruleset("england-2023"), RuleOverrides(anchors={"rapid_review": "referal_received"})
        )
    bad_milestone = LocalMilestone(id="summaries", label="Summaries", anchor="sin_day", amount=10)
    with pytest.raises(ValueError, match="summaries"):
        apply_overrides(load_ruleset("england-2023"), RuleOverrides(local_milestones=[bad_milestone]))


def test_overrides_refuse_moving_the_anchor_of_a_statutory_deadline() -> None:
    with pytest.raises(ValueError, match="serious_incident_notification"):
        apply_overrides(
            load_ruleset("england-2023"), RuleOverrides(anchors={"serious_incident_notification": "incident"})
        )


def test_overrides_refuse_a_milestone_reusing_a_deadline_id() -> None:
    clash = LocalMilestone(id="rapid_review", label="Rapid review", anchor="notification_sent", amount=12)
    with pytest.raises(ValueError, match="rapid_review"):
        apply_overrides(load_ruleset("england-2023"), RuleOverrides(local_milestones=[clash]))


def test_overrides_refuse_a_milestone_with_a_bad_role() -> None:
    milestone = LocalMilestone(
        id="summaries", label="Summaries", anchor="notification_sent", amount=10, responsible_role="boss"
    )
    with pytest.raises(ValueError, match="summaries"):
        apply_overrides(load_ruleset("england-2023"), RuleOverrides(local_milestones=[milestone]))


def test_local_milestone_unit_is_checked() -> None:
    with pytest.raises(ValidationError):
        LocalMilestone(id="x", label="X", anchor="notification_sent", amount=1, unit="fortnights")


def test_configurable_defaults_can_be_set_in_wales_susr() -> None:
    ruleset = apply_overrides(
        load_ruleset("wales-susr-2024"), RuleOverrides(amounts={"susr_chair_decision": 10})
    )
    assert ruleset.deadline("susr_chair_decision").amount == 10
