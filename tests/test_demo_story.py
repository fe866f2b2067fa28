"""`reviewbot demo` tells the whole review, as a reader would see it, and checks what it claims."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.sandbox.demo import run_demo


async def _transcript() -> tuple[int, str]:
    lines: list[str] = []
    code = await run_demo(lines.append)
    return code, "\n".join(lines)


@pytest.fixture(scope="module")
def demo() -> tuple[int, str]:
    import asyncio

    return asyncio.run(_transcript())


def test_the_demo_runs_from_notification_to_closure(demo: tuple[int, str]) -> None:
    code, text = demo
    assert code == 0, text[-3000:]
    for step in (
        "/review notify",
        "/review returns",  # agency returns
        "/review decision",
        "Sign-off of version 1* · 3 of 3 partners",  # every partner's sign-off
        "/review export",
        "rapid-review-pack.docx",
        "/review panel sent",
        "/review panel reply agrees",
        "/review meeting",
        "/review attendance",
        "/review finding",
        "/review actions case",
        "/review record publication",
        "/review stage closed",
        "WEEKLY DIGEST",  # the digest itself, not only its summary line
    ):
        assert step in text, step


def test_people_are_named_by_label_and_times_are_uk_time(demo: tuple[int, str]) -> None:
    _code, text = demo
    assert not re.findall(r"\b[UW]0[A-Z0-9]{5,}\b", text), "a raw member id is shown"
    assert "Business manager, LA" in text and "Detective superintendent, Police" in text
    assert "UTC" not in text
    assert not re.findall(r"<[@#!][^>]*>", text), "an unrendered Slack token is shown"


def test_no_emoji_codes_or_python_structures_are_printed(demo: tuple[int, str]) -> None:
    _code, text = demo
    codes = [c for c in re.findall(r":[a-z][a-z0-9_+-]+:", text) if not c.startswith(("://", ":/"))]
    assert not codes, codes
    for python in ("{'", "['", "datetime.", "Decimal("):
        assert python not in text, python
    assert not re.findall(r"(?<![\w_])None(?![\w_])", text)


def test_the_checklist_and_digest_are_shown_whole(demo: tuple[int, str]) -> None:
    _code, text = demo
    assert "...\n" not in text.replace("[...]", "")  # nothing cut off with an ellipsis line
    assert "*Safeguarding partners*" in text  # the checklist's last section
    assert "*Actions by agency" in text  # the digest's last section


async def test_a_claim_that_is_not_true_fails_the_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    # If the board went back to showing its time in UTC, the demo's claim about UK time is false.
    import bot.board.blocks as board_blocks

    def utc_time(instant: Any, pattern: str = "") -> str:
        return f"{instant:%Y-%m-%d %H:%M} UTC"

    monkeypatch.setattr(board_blocks, "local_time", utc_time)
    code, text = await _transcript()
    assert code == 1
    assert "DEMO FAILED" in text and "the board's time is UK time" in text
