"""Database URLs as people write them (``postgresql://``, ``sqlite:///``) work wherever a URL is taken."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.db.urls import async_url


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgresql://u:p@db:5432/rb", "postgresql+asyncpg://u:p@db:5432/rb"),
        ("postgres://u:p@db/rb", "postgresql+asyncpg://u:p@db/rb"),
        ("postgresql+asyncpg://u:p@db/rb", "postgresql+asyncpg://u:p@db/rb"),
        ("sqlite:////tmp/x.sqlite3", "sqlite+aiosqlite:////tmp/x.sqlite3"),
        ("sqlite+aiosqlite:///x.sqlite3", "sqlite+aiosqlite:///x.sqlite3"),
    ],
)
def test_urls_get_the_async_driver(given: str, used: str) -> None:
    assert async_url(given) == used


def test_a_plain_sqlite_url_works_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'plain.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    assert main(["cases", "export", "--all", "--format", "json", "--database-url", url]) == 0
    assert capsys.readouterr().out.strip() == "[]"
