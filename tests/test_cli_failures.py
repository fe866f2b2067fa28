"""Settings problems come in one round, and every command that needs the database fails in one clean
line (no traceback) when the database is unreachable, missing or not migrated."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.db.engine import Database
from bot.reminders.models import Reminder
from bot.settings import SettingsError, load_settings
from tests.test_cli import _run


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_settings_problems_come_in_one_round_in_our_words(monkeypatch: pytest.MonkeyPatch) -> None:
    # A bad token and an empty signing secret: both at once, not the token now and the secret later.
    monkeypatch.setenv("SLACK_BOT_TOKEN", "not-a-token")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "")
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    with pytest.raises(SettingsError) as caught:
        load_settings(require_slack=True)
    text = caught.value.render()
    variables = [p.variable for p in caught.value.problems]
    assert variables == ["SLACK_BOT_TOKEN", "LOG_LEVEL", "SLACK_SIGNING_SECRET"]
    assert "SLACK_BOT_TOKEN: must start with xoxb-. Fix:" in text
    assert "Value error" not in text
    assert "missing" not in text.split("SLACK_BOT_TOKEN", 1)[1].split("\n", 1)[0]  # invalid, not missing


def test_the_worker_needs_no_signing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-only-this")
    settings = load_settings(require_slack=True, require_signing_secret=False)
    assert settings.slack_signing_secret == ""
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET"):
        load_settings(require_slack=True)  # serve over HTTP still needs it


def test_settings_and_partnership_file_problems_are_reported_together(tmp_path: Path) -> None:
    broken = tmp_path / "partnership.yaml"
    broken.write_text((Path(__file__).parent / "fixtures" / "config_three_mistakes.yaml").read_text())
    result = _run(["serve"], {"SLACK_BOT_TOKEN": "nope", "REVIEWBOT_CONFIG": str(broken)})
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN: must start with xoxb-" in result.stderr
    assert "SLACK_SIGNING_SECRET: missing" in result.stderr
    assert "The partnership file has 3 problems too" in result.stderr
    assert "Traceback" not in result.stderr and "Value error" not in result.stderr


def _unmigrated(tmp_path: Path) -> str:
    path = tmp_path / "empty.sqlite3"
    path.write_bytes(b"")  # a file, but no tables (as after a failed or skipped deploy step)
    return f"sqlite+aiosqlite:///{path}"


def _unreachable_postgres() -> str:
    return f"postgresql+asyncpg://reviewbot:secret-pw@127.0.0.1:{_closed_port()}/reviewbot"


def _id(value: object) -> str:
    return " ".join(value[:2]) if isinstance(value, list) else str(value)


READERS = [
    ["reminders", "status"],
    ["reminders", "preview", "--at", "2026-12-23 09:00"],
    ["cases", "export", "--all", "--format", "json"],
    ["records", "due"],
    ["records", "purge", "RR-2019-001", "--reason", "retention ended"],
    ["audit", "verify"],
    ["audit", "export", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv"],
]
UPGRADERS = [["tokens", "list"], ["db", "upgrade"], ["serve"], ["worker"]]  # these migrate it themselves
CASES = [(c, "unmigrated") for c in READERS] + [(c, "unreachable") for c in READERS + UPGRADERS]


@pytest.mark.parametrize(("command", "where"), CASES, ids=_id)
def test_every_command_fails_in_one_clean_line(
    command: list[str],
    where: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = _unmigrated(tmp_path) if where == "unmigrated" else _unreachable_postgres()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-not-used")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "not-used")
    monkeypatch.setenv("SLACK_API_URL", f"http://127.0.0.1:{_closed_port()}/api/")
    code = main(command)  # an exception escaping here would be the traceback a person sees
    err = capsys.readouterr().err
    assert code == 1, err
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith("20")]  # log lines
    assert len(lines) == 1, err
    assert "Traceback" not in err and "secret-pw" not in err
    if where == "unmigrated":
        assert "has no ReviewBot tables yet" in lines[0] and "db upgrade" in lines[0]
    else:
        assert "Could not reach the database" in lines[0] and "Fix: check DATABASE_URL" in lines[0]


def test_a_missing_sqlite_file_is_named_not_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "typo.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    assert main(["reminders", "status"]) == 1
    assert f"There is no database file at {path}" in capsys.readouterr().err
    assert not path.exists()


def test_reminders_status_on_an_unmigrated_database_as_a_process(tmp_path: Path) -> None:
    result = _run(["reminders", "status"], {"DATABASE_URL": _unmigrated(tmp_path)})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


async def test_preview_names_the_partnership_of_a_reminder_without_a_case(
    db: Database, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    at = datetime(2026, 12, 21, 8, 30, tzinfo=UTC)
    async with db.session() as session:
        session.add(
            Reminder(
                delivery_key="digest:northshire:2026-12-21",
                partnership_id="northshire",
                case_id=None,
                kind="digest",
                rung="weekly",
                recipient="U0CHAIR01",
                due_at=at,
                created_at=at,
            )
        )
    monkeypatch.setenv("DATABASE_URL", database_url)
    import asyncio

    code = await asyncio.to_thread(main, ["reminders", "preview", "--at", "2026-12-21 09:00"])
    out = capsys.readouterr().out
    assert code == 0
    assert "partnership northshire" in out and "case None" not in out
