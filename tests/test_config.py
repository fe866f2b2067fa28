"""The partnership file: the bundled example loads, and every mistake is named with its line and a fix.

All partnerships, agencies and Slack ids here are synthetic.
"""

from __future__ import annotations

import argparse
import copy
from collections.abc import Callable
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from bot.calendar.working_days import Nation
from bot.config.agencies import AgencyKind
from bot.config.loading import load_config, parse_config
from bot.config.partnership import Config
from bot.config.people import Role
from bot.config.problems import ConfigError, Problem, format_problems
from bot.config.schedules import Ladder
from bot.privacy.guard import GuardMode
from bot.settings import BUNDLED_EXAMPLE_CONFIG

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = BUNDLED_EXAMPLE_CONFIG
TWO = FIXTURES / "two_partnerships.yaml"
THREE_MISTAKES = FIXTURES / "config_three_mistakes.yaml"


def example_data() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))


def problems_after(change: Callable[[dict[str, Any]], None], tmp_path: Path) -> list[Problem]:
    """Problems reported for the example with one change applied (written out as YAML)."""
    data = example_data()
    change(data)
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value.problems


def problems_in(text: str) -> list[Problem]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, file="inline.yaml")
    return caught.value.problems


def first(data: dict[str, Any]) -> dict[str, Any]:
    partnership: dict[str, Any] = data["partnerships"][0]
    return partnership


def person(data: dict[str, Any], slack_user_id: str) -> dict[str, Any]:
    return next(p for p in first(data)["people"] if p["slack_user_id"] == slack_user_id)


# --- the example and the helpers ---------------------------------------------------------------------


def test_the_bundled_example_loads() -> None:
    config = load_config(EXAMPLE)
    (northshire,) = config.partnerships
    assert northshire.id == "northshire"
    assert northshire.nation is Nation.ENGLAND
    assert northshire.identifier_guard is GuardMode.REFUSE
    assert [a.id for a in northshire.agencies] == ["la", "police", "icb", "education", "probation"]
    assert {a.kind for a in northshire.agencies} == set(AgencyKind)
    assert northshire.digest.time == time(8, 30)
    assert northshire.reminders.delivery_time == time(9, 0)
    assert date(2027, 12, 24) in northshire.closure_days
    for role in Role:
        assert northshire.people_with_role(role), role


def test_the_example_is_loadable_as_a_string_path_too() -> None:
    assert load_config(str(EXAMPLE)).partnerships[0].id == "northshire"


def test_partnership_helpers() -> None:
    config = load_config(EXAMPLE)
    northshire = config.partnership("northshire")
    assert northshire.person("U0BM00001") is not None
    assert northshire.person("U0NOBODY01") is None
    police = northshire.agency("police")
    assert police is not None and police.kind is AgencyKind.POLICE
    assert northshire.agency(None) is None and northshire.agency("nope") is None
    assert [p.slack_user_id for p in northshire.people_with_role(Role.SIGNATORY)] == [
        "U0LALEAD1",
        "U0POSIGN1",
        "U0ICBLEAD1",
    ]
    assert [p.slack_user_id for p in northshire.people_with_role("signatory", agency="police")] == [
        "U0POSIGN1"
    ]
    assert [a.id for a in northshire.signatory_agencies()] == ["la", "police", "icb"]
    assert northshire.case_reference(2026, 7) == "RR-2026-007"
    assert "Northshire Council Children's Services" in northshire.allowed_terms()
    with pytest.raises(KeyError):
        config.partnership("elsewhere")


def test_default_ladder_is_supplied_and_used_for_unlisted_kinds() -> None:
    config = parse_config(
        EXAMPLE.read_text(encoding="utf-8").replace(
            "default: {before_working_days: [5, 2, 1], on_due_day: true, overdue_every_working_days: 1}",
            "chase: {before_working_days: [1, 3]}",
        )
    )
    reminders = config.partnerships[0].reminders
    assert set(reminders.ladders) == {"default", "chase"}
    assert reminders.ladder("chase").before_working_days == [3, 1]
    assert reminders.ladder("anything_else") == Ladder()


def test_sign_off_defaults_to_statutory_partners(tmp_path: Path) -> None:
    data = example_data()
    del data["partnerships"][0]["sign_off_agencies"]
    path = tmp_path / "default_sign_off.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    partnership = load_config(path).partnerships[0]
    assert partnership.sign_off_agencies is None
    assert [a.id for a in partnership.signatory_agencies()] == ["la", "police", "icb"]


def test_two_partnerships_and_a_person_in_both() -> None:
    config = load_config(TWO)
    assert [p.id for p in config.partnerships] == ["northshire", "glenmoor"]
    glenmoor = config.partnership("glenmoor")
    assert glenmoor.nation is Nation.SCOTLAND
    assert glenmoor.identifier_guard is GuardMode.WARN
    assert glenmoor.case_reference(2026, 3) == "GM/LR/2026/03"
    assert glenmoor.digest.weekday == "tuesday" and glenmoor.digest.time == time(9, 15)
    shared = config.memberships("U0SHARED01")
    assert [(p.id, set(person.roles)) for p, person in shared] == [
        ("northshire", {Role.REVIEWER}),
        ("glenmoor", {Role.REVIEWER, Role.MEMBER}),
    ]
    assert [p.id for p, _ in config.memberships("U0GMCH0001")] == ["glenmoor"]
    assert config.memberships("U0NOBODY01") == []


# --- mistakes, with their lines ----------------------------------------------------------------------


def test_three_planted_mistakes_give_exactly_three_problems_on_their_lines() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(THREE_MISTAKES)
    problems = caught.value.problems
    assert [p.line for p in problems] == [11, 24, 31]
    assert {p.file for p in problems} == {str(THREE_MISTAKES)}
    board, agency, role = problems
    assert "'#board-channel' is not a Slack channel id" in board.message
    assert "C0123ABCD" in board.fix
    assert "agency 'polce' is not one of this partnership's agencies" in agency.message
    assert "did you mean 'police'?" in agency.fix
    assert "'reveiwer'" in role.message
    assert "did you mean 'reviewer'?" in role.fix


def test_format_problems_gives_one_line_each() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(THREE_MISTAKES)
    lines = format_problems(caught.value.problems).splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"{THREE_MISTAKES}:11: partnerships[0].channels.board: ")
    assert all(". Fix: " in line for line in lines)
    assert str(caught.value) == format_problems(caught.value.problems)


def test_yaml_syntax_error_gives_its_line() -> None:
    (problem,) = problems_in("partnerships:\n  - id: northshire\n    name: [unclosed\n    nation: england\n")
    assert problem.line == 4
    assert "not valid YAML" in problem.message and "line 3" in problem.message
    (problem,) = problems_in("partnerships:\n  - id: northshire\n   name: bad indent\n")
    assert problem.line == 3


def test_unreadable_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "missing.yaml")
    (problem,) = caught.value.problems
    assert problem.line is None and "cannot read" in problem.message
    assert str(problem).startswith(f"{tmp_path / 'missing.yaml'}: cannot read")
    (problem,) = problems_in("# nothing but a comment\n")
    assert problem.line == 1 and "empty" in problem.message
    (problem,) = problems_in("- just a list\n")
    assert "partnerships:" in problem.fix


INLINE = """\
partnerships:
  - id: northshire
    name: Northshire (synthetic)
    nation: england
    chanels: {business_unit: C0BU00001, board: C0BOARD001}
    agencies:
      - {id: la, name: Council, kind: local_authority, statutory_partner: true}
      - {id: la, name: Council again, kind: local_authority}
    people:
      - {slack_user_id: U0BM00001, agency: la, roles: [business_manager, chair, signatory]}
      - {slack_user_id: U0BM00001, agency: la, roles: [member]}
    digest: {weekday: monday, time: "8.30"}
    digest: {weekday: monday}
"""


def test_every_problem_in_one_run_with_lines() -> None:
    found = [(p.line, p.message) for p in problems_in(INLINE)]
    assert found == [
        (2, "partnerships[0].channels: the required setting 'channels' is missing"),
        (5, "partnerships[0].chanels: 'chanels' is not a setting here"),
        (8, "partnerships[0].agencies[1].id: agency id 'la' is used twice in this partnership"),
        (
            11,
            "partnerships[0].people[1].slack_user_id: "
            "Slack user U0BM00001 is listed twice in this partnership",
        ),
        (13, "'digest' appears twice in the same section; the later one would silently replace the earlier"),
    ]
    fixes = {p.line: p.fix for p in problems_in(INLINE)}
    assert fixes[5].startswith("did you mean 'channels'?")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: person(d, "U0POLEAD1").update(agency="polce"),
            "agency 'polce' is not one of this partnership",
        ),
        (
            lambda d: first(d)["agencies"].append({"id": "la", "name": "Duplicate", "kind": "other"}),
            "agency id 'la' is used twice",
        ),
        (
            lambda d: first(d)["people"].append({"slack_user_id": "U0BM00001", "roles": ["member"]}),
            "Slack user U0BM00001 is listed twice",
        ),
        (lambda d: d["partnerships"].append(copy.deepcopy(first(d))), "partnership id 'northshire' is used"),
        (lambda d: first(d)["sign_off_agencies"].append("fire"), "sign-off agency 'fire' is not one of"),
        (
            lambda d: person(d, "U0POSIGN1").update(roles=["member"]),
            "no one can sign off for agency 'police'",
        ),
        (
            lambda d: person(d, "U0BM00001").update(roles=["member"]),
            "this partnership has no business_manager",
        ),
        (lambda d: person(d, "U0CHAIR01").update(roles=["member"]), "this partnership has no chair"),
        (lambda d: first(d)["digest"].update(time="25:00"), "'25:00' is not a time of day"),
        (lambda d: first(d)["digest"].update(time="half eight"), "'half eight' is not a time of day"),
        (lambda d: first(d)["digest"].update(idle_working_days=0), "0 must be a positive whole number"),
        (
            lambda d: first(d)["reminders"]["ladders"]["default"].update(before_working_days=[5, -1]),
            "-1 must be a positive whole number",
        ),
        (
            lambda d: first(d)["reminders"]["escalation"].update(chair_after_working_days=0),
            "0 must be a positive whole number",
        ),
        (lambda d: first(d).update(case_reference_pattern="RR-{year}"), "has no {seq} placeholder"),
        (lambda d: first(d).update(case_reference_pattern="RR-{yr}-{seq}"), "unknown placeholder {yr}"),
        (lambda d: first(d).update(case_reference_pattern="RR-{seq:q}"), "cannot be formatted"),
        (lambda d: first(d).update(case_reference_pattern="RR {seq"), "unmatched { or }"),
        (lambda d: first(d).update(case_reference_pattern="RR {seq}"), "gives 'RR 7'"),
        (lambda d: first(d).update(closure_days=["next tuesday"]), "'next tuesday' is not a date"),
        (lambda d: first(d).update(nation="england-and-wales"), "is not one of the choices here"),
        (lambda d: first(d).update(ruleset="england-2099"), "'england-2099' is not a rule set"),
        (lambda d: first(d).update(ruleset="scotland-lr-2021"), "is for scotland, but this partnership"),
        (lambda d: first(d).update(id="North Shire"), "'North Shire' is not a valid id"),
        (lambda d: first(d)["channels"].update(business_unit="c0bu00001"), "is not a Slack channel id"),
        (lambda d: person(d, "U0BM00001").update(slack_user_id="U123"), "'U123' is not a Slack member id"),
        (lambda d: person(d, "U0BM00001").update(role=["chair"]), "'role' is not a setting here"),
        (
            lambda d: first(d)["agencies"][0].update(statutory_partner="perhaps"),
            "'perhaps' must be true or false",
        ),
    ],
)
def test_each_mistake_is_its_own_problem(
    change: Callable[[dict[str, Any]], None], expected: str, tmp_path: Path
) -> None:
    problems = problems_after(change, tmp_path)
    assert len(problems) == 1, format_problems(problems)
    assert expected in problems[0].message
    assert problems[0].line is not None and problems[0].fix


def test_a_label_that_looks_like_a_name_is_refused_without_repeating_it(tmp_path: Path) -> None:
    problems = problems_after(lambda d: person(d, "U0BM00001").update(label="Jessica Testperson"), tmp_path)
    (problem,) = problems
    assert "looks like a person's name" in problem.message
    assert "Testperson" not in str(problem)


def test_unquoted_times_are_read_as_times_not_yaml_sexagesimal_numbers() -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace('time: "08:30"', "time: 12:30")
    assert "time: 12:30" in text
    assert parse_config(text).partnerships[0].digest.time == time(12, 30)


def test_impossible_yaml_dates_are_reported_in_place() -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("[2027-12-24]", "[2026-02-30]")
    (problem,) = problems_in(text)
    expected_line = 1 + text.splitlines().index(next(ln for ln in text.splitlines() if "2026-02-30" in ln))
    assert problem.line == expected_line
    assert "'2026-02-30' is not a date" in problem.message


def test_model_validate_enforces_the_cross_checks_too() -> None:
    data = example_data()
    person(data, "U0POLEAD1")["agency"] = "polce"
    with pytest.raises(ValidationError, match="agency 'polce' is not one of this partnership's agencies"):
        Config.model_validate(data)
    assert Config.model_validate(example_data()).partnerships[0].id == "northshire"


def test_models_are_read_only() -> None:
    partnership = load_config(EXAMPLE).partnerships[0]
    with pytest.raises(ValidationError):
        partnership.id = "elsewhere"  # type: ignore[misc]


# --- check-config ------------------------------------------------------------------------------------


def run_cli(*argv: str) -> int:
    from bot.cli import check_config

    parser = argparse.ArgumentParser(prog="reviewbot")
    check_config.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["check-config", *argv])
    return int(args.handler(args))


def test_cli_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(str(TWO)) == 0
    out = capsys.readouterr().out
    assert out == f"OK: {TWO}: 2 partnerships, 6 agencies, 11 people\n"


def test_cli_defaults_to_the_bundled_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli() == 0
    assert capsys.readouterr().out == f"OK: {EXAMPLE}: 1 partnership, 5 agencies, 9 people\n"


def test_cli_uses_reviewbot_config(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REVIEWBOT_CONFIG", str(TWO))
    assert run_cli() == 0
    assert capsys.readouterr().out.startswith(f"OK: {TWO}: 2 partnerships")


def test_cli_lists_every_problem_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(str(THREE_MISTAKES)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert [line.split(":")[1] for line in lines[:3]] == ["11", "24", "31"]
    assert lines[3] == f"{THREE_MISTAKES}: 3 problems found; the file was not loaded."
    assert "Traceback" not in captured.err


def test_cli_syntax_error_and_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("partnerships:\n  - id: x\n    name: [oops\n", encoding="utf-8")
    assert run_cli(str(broken)) == 2
    assert capsys.readouterr().err.startswith(f"{broken}:")
    assert run_cli(str(tmp_path / "absent.yaml")) == 2
    err = capsys.readouterr().err
    assert "cannot read the partnership file" in err and "Traceback" not in err


def test_rule_overrides_the_rules_refuse_are_reported_with_their_line(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "    rules: {}", "    rules:\n      amounts: {serious_incident_notification: 10}"
    )
    (problem,) = problems_in(text)
    assert problem.line == text.splitlines().index("    rules:") + 1
    assert "5 working days cannot be changed to 10" in problem.message
