"""Every feature's reminder composers, loaded in one place.

The engine can only deliver kinds whose composer is registered, and registration happens when a
feature's reminders module is imported. A worker process imports no Slack listeners, so it must not
depend on them to have done it: the engine loads this list before its first claim.
"""

from __future__ import annotations

import importlib

REMINDER_MODULES = (
    "bot.reminders.kinds",
    "bot.deadlines.reminders",
    "bot.rapid_review.reminders",
    "bot.meetings.reminders",
    "bot.actions.reminders",
    "bot.digest.reminders",
)

_loaded = False


def load_all_kinds() -> None:
    global _loaded
    if not _loaded:
        for module in REMINDER_MODULES:
            importlib.import_module(module)
        _loaded = True
