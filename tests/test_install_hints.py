"""A new user is told where `reviewbot` is (.venv/bin, not on PATH), and the docs link only to files
that are in the repository."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.installed import where_installed

ROOT = Path(__file__).parent.parent


def test_make_install_says_where_the_command_is() -> None:
    # -o: treat the installed venv as up to date, so this only runs the recipe's messages.
    result = subprocess.run(
        ["make", "-s", "-o", ".venv/.installed", "install"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "The reviewbot command is .venv/bin/reviewbot (it is not on your PATH)" in result.stdout
    assert ". .venv/bin/activate" in result.stdout


def test_make_demo_ends_with_where_the_command_is() -> None:
    # --no-print-directory: run from `make test` (as CI does), a nested make would otherwise end with
    # "make[1]: Leaving directory ...".
    command = ["make", "--no-print-directory", "-n", "-o", ".venv/.installed", "demo"]
    dry = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    last = dry.stdout.strip().splitlines()[-1]
    assert last.startswith('echo "The reviewbot command is .venv/bin/reviewbot')


def test_help_says_where_the_command_is(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert " ".join(where_installed().split()) in out
    assert str(Path(sys.executable).parent / "activate") in where_installed()


_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


DOCS = ["README.md", *(str(p.relative_to(ROOT)) for p in sorted((ROOT / "docs").glob("*.md")))]


@pytest.mark.parametrize("doc", DOCS)
def test_relative_links_point_into_the_repository(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    for target in _LINK.findall(text):
        if re.match(r"^[a-z]+:", target):
            continue  # a web address
        resolved = ((ROOT / doc).parent / target).resolve()
        assert resolved.is_relative_to(ROOT), f"{doc} links outside the repository: {target}"
        assert resolved.exists(), f"{doc} links to a missing file: {target}"
