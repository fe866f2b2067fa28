"""`reviewbot calendar due|explain` and `reviewbot rules show`, driven through our own parser."""

from __future__ import annotations

import argparse

import pytest

from bot.cli import calendar as calendar_cli
from bot.cli import rules as rules_cli


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="reviewbot")
    sub = parser.add_subparsers(dest="command")
    calendar_cli.register(sub)
    rules_cli.register(sub)
    args = parser.parse_args(argv)
    return int(args.handler(args))


def due(*extra: str) -> list[str]:
    return ["calendar", "due", *extra]


def test_due_prints_the_date_alone(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(due("--nation", "england", "--from", "2026-12-18", "--amount", "5", "--unit", "working_days"))
    assert code == 0
    assert capsys.readouterr().out == "2026-12-29\n"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--nation", "scotland", "--from", "2026-12-23", "--amount", "15", "--unit", "working_days"],
            "2027-01-19",
        ),
        (
            [
                "--nation",
                "northern-ireland",
                "--from",
                "2026-07-08",
                "--amount",
                "5",
                "--unit",
                "working_days",
            ],
            "2026-07-16",
        ),
        (["--nation", "wales", "--from", "2026-08-31", "--amount", "6", "--unit", "months"], "2027-02-28"),
        (
            [
                "--nation",
                "england",
                "--from",
                "2027-01-11",
                "--amount",
                "7",
                "--unit",
                "working_days",
                "--before",
            ],
            "2026-12-30",
        ),
        (
            ["--nation", "scotland", "--from", "2026-12-23", "--amount", "7", "--unit", "calendar_days"],
            "2026-12-30",
        ),
        (["--nation", "england", "--from", "2027-03-01", "--amount", "2", "--unit", "weeks"], "2027-03-15"),
    ],
)
def test_due_for_each_unit_and_nation(
    args: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(due(*args)) == 0
    assert capsys.readouterr().out.strip() == expected


def test_explain_lists_each_day_and_why_it_was_skipped(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(
        [
            "calendar",
            "explain",
            "--nation",
            "england",
            "--from",
            "2026-12-18",
            "--amount",
            "5",
            "--unit",
            "working_days",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "2026-12-21 Mon  day 1" in out
    assert "2026-12-24 Thu  day 4" in out
    assert "2026-12-25 Fri  skipped: Christmas Day (England and Wales bank holiday)" in out
    assert "2026-12-28 Mon  skipped: Boxing Day substitute day (England and Wales bank holiday)" in out
    assert "2026-12-29 Tue  day 5" in out
    assert out.rstrip().splitlines()[-1] == "Due: 2026-12-29 (Tuesday 29 December 2026)"


def test_explain_months_gives_the_rule_and_a_weekend_note(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(
            [
                "calendar",
                "explain",
                "--nation",
                "england",
                "--from",
                "2026-08-31",
                "--amount",
                "6",
                "--unit",
                "months",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Due: 2027-02-28 (Sunday 28 February 2027)" in out
    assert "Note:" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--nation", "france", "--from", "2026-12-18", "--amount", "5", "--unit", "working_days"],
            "not a UK nation",
        ),
        (
            ["--nation", "england", "--from", "2026-02-31", "--amount", "5", "--unit", "working_days"],
            "February 2026 has 28 days",
        ),
        (
            ["--nation", "england", "--from", "18/12/2026", "--amount", "5", "--unit", "working_days"],
            "YYYY-MM-DD",
        ),
        (
            ["--nation", "england", "--from", "2026-12-18", "--amount", "five", "--unit", "working_days"],
            "whole number",
        ),
        (
            ["--nation", "england", "--from", "2026-12-18", "--amount", "-5", "--unit", "working_days"],
            "whole number",
        ),
        (
            ["--nation", "england", "--from", "2026-12-18", "--amount", "5", "--unit", "hours"],
            "--unit 'hours'",
        ),
        (["--from", "2026-12-18", "--amount", "5", "--unit", "working_days"], "missing --nation"),
        ([], "missing --nation, --from, --amount, --unit"),
    ],
)
def test_bad_arguments_give_one_plain_line_and_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("due", "explain"):
        assert run(["calendar", command, *args]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        lines = captured.err.splitlines()
        assert len(lines) == 1, captured.err
        assert message in lines[0]
        assert "Traceback" not in captured.err


def test_calendar_without_a_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["calendar"]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 1


def test_rules_show_lists_every_rule_set_with_dates(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["rules", "show"]) == 0
    out = capsys.readouterr().out
    assert "wales-cpr-2016        2016-04-06 to 2024-09-30" in out
    assert "wales-susr-2024       2024-10-01 to now" in out
    assert "england-2023" in out and "northern-ireland-cmr" in out
    assert len(out.splitlines()) == 8


def test_rules_show_one_rule_set_as_a_timeline(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["rules", "show", "england-2023"]) == 0
    out = capsys.readouterr().out
    assert "la_aware:" in out
    assert "-> serious_incident_notification:" in out
    assert "5 working days after la_aware | statutory | deadline | fixed | [V] E1" in out
    assert "at least 7 working days before intended_publication" in out
    assert "[U] E12" in out
    assert "may instead count from: referral_received" in out
    assert "source: https://gov.uk/guidance/report-a-serious-child-safeguarding-incident" in out
    # The timeline follows the anchor vocabulary's order: awareness before notification before publication.
    assert out.index("la_aware:") < out.index("notification_sent:") < out.index("intended_publication:")


def test_rules_show_unknown_rule_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["rules", "show", "england-2099"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "england-2099" in err
