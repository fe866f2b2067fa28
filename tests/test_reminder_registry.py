"""A worker process builds the same wiring as the server, without bolt: every reminder kind, every tick."""

from __future__ import annotations

import subprocess
import sys


def test_a_worker_process_knows_every_kind_and_tick_without_bolt() -> None:
    code = (
        "import sys\n"
        "from bot.runtime.features import build_wiring\n"
        "w = build_wiring()\n"
        "print(sorted(w.kinds))\n"
        "print([t.name for t in w.ticks])\n"
        "print(sorted(w.sections))\n"
        "print('bolt loaded' if 'slack_bolt' in sys.modules else 'no bolt')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    kinds, ticks, sections, bolt = out.strip().splitlines()
    kinds_wanted = (
        "deadline", "escalation", "agency_return", "meeting", "action", "chair_digest", "notice", "family"
    )
    for kind in kinds_wanted:
        assert f"'{kind}'" in kinds, (kind, out)
    assert ticks == str(
        [
            "refresh_people",  # first: the tick works with people as the store holds them now
            "resume_unfinished_setups",
            "sweep_overdue",
            "sweep_action_reminders",
            "ensure_weekly_digests",
            "dispatch_due",
            "refresh_board_messages",
        ]
    )
    assert sections == str(["checklist", "learning", "meetings"])
    assert bolt == "no bolt"


def test_nothing_registers_itself_on_import() -> None:
    """Importing every feature module provides nothing until the explicit list is run."""
    code = (
        "import bot.deadlines.reminders, bot.meetings.service, bot.actions.reminders\n"
        "from bot.runtime.wiring import Wiring\n"
        "w = Wiring()\n"
        "print(len(w.kinds), len(w.ticks), len(w.sections))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "0 0 0"


def test_a_renamed_home_provider_is_a_type_error_not_an_empty_section() -> None:
    """The Home tab asks the wiring for sections by key; providers are objects typed to a protocol."""
    from bot.meetings.service import MeetingsOnHome
    from bot.rapid_review.home import ChecklistOnHome
    from bot.runtime.wiring import HomeSection

    sections: list[HomeSection] = [MeetingsOnHome(), ChecklistOnHome()]
    assert [s.key for s in sections] == ["meetings", "checklist"]
