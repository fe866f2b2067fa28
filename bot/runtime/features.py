"""Every feature's non-Slack provisions, listed explicitly: the one place a feature is switched on.

Both roles build the same :class:`~bot.runtime.wiring.Wiring` from this list: ``serve`` (alongside its
bolt listeners, see :mod:`bot.commands.app`) and ``worker`` (without bolt).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.actions import reminders as action_reminders
from bot.board import service as board
from bot.cases import slack_sync as case_setup
from bot.deadlines import overdue as overdue_deadlines
from bot.deadlines import reminders as deadline_reminders
from bot.digest import reminders as chair_digest
from bot.learning_together import home as learning_on_home
from bot.learning_together import reminders as family_reminders
from bot.meetings import reminders as meeting_reminders
from bot.meetings import service as meetings
from bot.people import store as people
from bot.rapid_review import home as checklist_on_home
from bot.rapid_review import reminders as return_reminders
from bot.reminders import dispatch as reminder_delivery
from bot.reminders import kinds as notices
from bot.runtime.wiring import Provisions, Wiring

PROVIDERS: tuple[Callable[[Provisions], None], ...] = (
    people.provide,
    notices.provide,
    deadline_reminders.provide,
    return_reminders.provide,
    meeting_reminders.provide,
    action_reminders.provide,
    chair_digest.provide,
    checklist_on_home.provide,
    meetings.provide,
    case_setup.provide,
    overdue_deadlines.provide,
    reminder_delivery.provide,
    board.provide,
    family_reminders.provide,
    learning_on_home.provide,
)


def build_wiring() -> Wiring:
    wiring = Wiring()
    for provide in PROVIDERS:
        provide(wiring)
    return wiring
