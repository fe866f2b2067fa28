"""`reviewbot doctor` against the Slack stand-in: every problem with its fix, exit 1 if any."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.cli import main
from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.harness import BOT_TOKEN, SIGNING_SECRET, Harness
from bot.slack.gateway import required_scopes

BUSINESS_UNIT, BOARD = "C0BU00001", "C0BOARD001"  # the example partnership's channels


def _environment(monkeypatch: pytest.MonkeyPatch, fake: FakeSlack, database_url: str) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("SLACK_API_URL", fake.api_url)
    monkeypatch.setenv("DATABASE_URL", database_url)


async def test_doctor_finds_nothing_wrong_with_the_harness(
    harness: Harness, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _environment(monkeypatch, harness.fake, database_url)
    code = await asyncio.to_thread(main, ["doctor"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "scopes: all" in out and f"northshire board channel {BOARD}: the bot is in it" in out
    assert out.rstrip().endswith("No problems found.")


async def test_doctor_names_a_missing_scope_and_a_channel_the_bot_is_not_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lacking = required_scopes() - {"pins:write"}
    async with FakeSlack(bot_token=BOT_TOKEN, scopes=lacking | {"users:read"}) as fake:
        fake.add_channel(BUSINESS_UNIT, "business-unit", members=["U0BM00001"], is_private=True)
        fake.add_channel(BOARD, "board", members=["U0BM00001"], bot_is_member=False)
        empty = tmp_path / "empty.sqlite3"
        empty.write_bytes(b"")
        _environment(monkeypatch, fake, f"sqlite+aiosqlite:///{empty}")
        code = await asyncio.to_thread(main, ["doctor"])
    out = capsys.readouterr().out
    assert code == 1
    lines = out.splitlines()

    def finding(text: str) -> tuple[str, str]:
        index = next(i for i, line in enumerate(lines) if text in line)
        return lines[index], lines[index + 1]

    scope, scope_fix = finding("lacks scope pins:write")
    assert scope.startswith("FAIL") and "Fix:" in scope_fix and "reinstall the app" in scope_fix
    board, board_fix = finding(f"board channel {BOARD}")
    assert board.startswith("FAIL") and "not a member" in board
    assert "/invite @ReviewBot" in board_fix
    database, database_fix = finding("no ReviewBot tables yet")
    assert database.startswith("FAIL") and "db upgrade" in database_fix
    assert any(line.startswith("warn") and "users:read" in line for line in lines)  # more than needed
    assert f"business unit channel {BUSINESS_UNIT}: the bot is in it" in out
    assert out.rstrip().endswith("3 problems found.")
    assert BOT_TOKEN not in out
