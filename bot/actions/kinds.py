"""What an action can be and how it is going, with the words shown for each (pure: no database).

The action table stores these as their string values (bot.actions.models); the modal, the blocks,
the board and the statistics name them from here.
"""

from __future__ import annotations

from enum import StrEnum


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_DOING = "not_doing"


class ActionSource(StrEnum):
    IMMEDIATE = "rapid_review_immediate"
    RECOMMENDATION = "review_recommendation"
    FINDING = "finding"


OPEN_ACTION_STATUSES = (ActionStatus.OPEN.value, ActionStatus.IN_PROGRESS.value)
CLOSED_STATUSES = (ActionStatus.DONE.value, ActionStatus.NOT_DOING.value)
STATUS_LABELS: dict[ActionStatus, str] = {
    ActionStatus.OPEN: "Open",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.DONE: "Done",
    ActionStatus.NOT_DOING: "Not doing",
}
SOURCE_LABELS: dict[ActionSource, str] = {
    ActionSource.IMMEDIATE: "Rapid review immediate action",
    ActionSource.RECOMMENDATION: "Review recommendation",
    ActionSource.FINDING: "Finding",
}
