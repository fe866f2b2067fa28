"""`reviewbot tokens rotate-key`, `reviewbot installations list|bind`, and start-up refusing OAuth
settings without an encryption key."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.cli import main
from bot.clock import SystemClock
from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.tenants.crypto import TokenCipher, TokenCipherError
from bot.tenants.store import InstallationStore

TOKEN = "xoxb-cli-test-secret-token"
REFRESH = "xoxe-1-cli-test-refresh"


def _seed(url: str, key: str) -> None:
    async def work() -> None:
        db = Database(url)
        await upgrade(db)
        store = InstallationStore(db, TokenCipher(key), SystemClock())
        await store.save_installation(
            enterprise_id=None,
            enterprise_name=None,
            team_id="T0CLITEST1",
            team_name="CLI test (synthetic)",
            is_enterprise_install=False,
            app_id="A0TESTAPP",
            bot_user_id="U0BOTCLI01",
            bot_id="B0BOTCLI01",
            bot_scopes="chat:write",
            bot_token=TOKEN,
            bot_refresh_token=REFRESH,
            bot_token_expires_at=None,
            installer_user_id="U0INSTALL1",
        )
        await db.dispose()

    asyncio.run(work())


def _open_with(url: str, key: str) -> tuple[str, str | None] | None:
    async def work() -> tuple[str, str | None] | None:
        db = Database(url)
        try:
            found = await InstallationStore(db, TokenCipher(key), SystemClock()).find(None, "T0CLITEST1")
            return (found.bot_token, found.bot_refresh_token) if found else None
        finally:
            await db.dispose()

    return asyncio.run(work())


def test_rotate_key_reencrypts_with_the_first_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    _seed(url, old)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("REVIEWBOT_ENCRYPTION_KEY", f"{new},{old}")
    assert main(["tokens", "rotate-key"]) == 0
    assert "1 installation" in capsys.readouterr().out
    assert _open_with(url, new) == (TOKEN, REFRESH)  # the new key alone opens both
    with pytest.raises(TokenCipherError):
        _open_with(url, old)
    assert TOKEN.encode() not in (tmp_path / "cli.sqlite3").read_bytes()


def test_rotate_key_without_the_old_key_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    _seed(url, old)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("REVIEWBOT_ENCRYPTION_KEY", new)
    assert main(["tokens", "rotate-key"]) == 1
    assert "opens with none of the keys" in capsys.readouterr().err
    assert _open_with(url, old) == (TOKEN, REFRESH)


def test_installations_list_and_bind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    key = Fernet.generate_key().decode()
    _seed(url, key)
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["installations", "list"]) == 0
    listing = capsys.readouterr().out
    assert "team T0CLITEST1" in listing and "active" in listing and TOKEN not in listing
    assert main(["installations", "bind", "1", "northshire"]) == 0
    assert main(["installations", "bind", "1", "no-such-partnership"]) == 2
    assert main(["installations", "bind", "9", "northshire"]) == 1
    capsys.readouterr()
    assert main(["installations", "list"]) == 0
    assert "partnership northshire" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s"}, "REVIEWBOT_ENCRYPTION_KEY"),
        (
            {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s", "REVIEWBOT_ENCRYPTION_KEY": "short"},
            "not a Fernet key",
        ),
        ({"SLACK_CLIENT_ID": "1.2"}, "SLACK_CLIENT_SECRET"),
    ],
)
def test_oauth_settings_need_an_encryption_key_at_start_up(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    named: str,
) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "x")
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["serve", "--port", "0"]) != 0
    err = capsys.readouterr().err
    assert named in err and "short" not in err.replace("REVIEWBOT_ENCRYPTION_KEY", "")
