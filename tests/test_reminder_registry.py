"""A worker process, which imports no Slack listeners, still knows every kind of reminder."""

from __future__ import annotations

import subprocess
import sys


def test_a_fresh_process_registers_every_kind_before_dispatching() -> None:
    code = (
        "from bot.reminders.registry import load_all_kinds\n"
        "from bot.reminders.kinds import registered_kinds\n"
        "load_all_kinds()\n"
        "print(sorted(registered_kinds()))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for kind in ("deadline", "escalation", "agency_return", "meeting", "action", "chair_digest", "notice"):
        assert f"'{kind}'" in out, (kind, out)
