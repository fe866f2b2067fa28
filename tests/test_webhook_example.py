"""The README's webhook example (docs/examples/webhook-notify.sh) works on any day: it is dated today,
and run with curl against the bot on the real clock it opens a case."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.clock import SystemClock
from bot.sandbox.harness import Harness
from bot.webhook.tokens import create_token

EXAMPLE = Path(__file__).parent.parent / "docs" / "examples" / "webhook-notify.sh"


@pytest.mark.skipif(shutil.which("curl") is None, reason="the example uses curl")
async def test_the_webhook_example_opens_a_case_today(database_url: str) -> None:
    bot = await Harness.start(
        database_url=database_url, clock=SystemClock(), run_migrations=False, over_http=True
    )
    try:
        token = await create_token(bot.services, "northshire", "README example")
        env = {**os.environ, "REVIEWBOT_URL": bot.url.rstrip("/"), "REVIEWBOT_TOKEN": token.token}
        command = ["sh", str(EXAMPLE)]
        result = await asyncio.to_thread(
            subprocess.run, command, env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert result.returncode == 0, result.stderr
        answer = json.loads(result.stdout)
        assert answer["reference"].startswith("RR-") and answer["deadlines"], answer
    finally:
        await bot.close()
