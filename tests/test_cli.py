"""The reviewbot command line: settings problems, db upgrade, version, demo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).parent.parent


def _run(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "REVIEWBOT_"))
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        check=False,
    )


def test_missing_and_invalid_settings_are_listed_together_without_a_traceback(tmp_path: Path) -> None:
    result = _run(
        ["serve"],
        {
            "SLACK_BOT_TOKEN": "not-a-token",
            "DATABASE_URL": "mysql://nope",
            "REVIEWBOT_CONFIG": str(tmp_path / "missing.yaml"),
        },
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    for variable in ("SLACK_BOT_TOKEN", "DATABASE_URL"):
        assert variable in result.stderr
    assert "Fix:" in result.stderr
    result = _run(["serve"], {"REVIEWBOT_CONFIG": str(tmp_path / "missing.yaml")})
    assert result.returncode == 2
    for variable in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "REVIEWBOT_CONFIG"):
        assert variable in result.stderr
    assert "Traceback" not in result.stderr


def test_db_upgrade_and_version(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}"
    result = _run(["db", "upgrade"], {"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert "Database at revision" in result.stdout
    assert _run(["version"], {}).stdout.startswith("reviewbot ")


def test_check_config_bad_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-config", str(ROOT / "tests" / "fixtures" / "config_three_mistakes.yaml")]) == 2
    err = capsys.readouterr().err
    import re

    assert re.findall(r"config_three_mistakes\.yaml:(\d+):", err) == ["11", "24", "31"]
    assert "3 problems found" in err


def test_demo_exits_0() -> None:
    result = _run(["demo"], {}, timeout=180)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Demo finished: every step behaved as expected." in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
