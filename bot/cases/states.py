"""The stages of a case, their names and the moves allowed between them (pure: no database).

The case table stores the stage as its string value (bot.cases.models); renderers and summaries name
it with :data:`STAGE_LABELS`, and bot.cases.service checks a move against the transition tables.
"""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    NOTIFIED = "notified"
    RAPID_REVIEW = "rapid_review"
    DECISION = "decision"
    LOCAL_REVIEW_COMMISSIONED = "local_review_commissioned"
    NO_FURTHER_REVIEW = "no_further_review"
    PUBLISHED = "published"
    ACTIONS = "actions"
    CLOSED = "closed"


ALLOWED_TRANSITIONS: dict[Stage, set[Stage]] = {
    Stage.NOTIFIED: {Stage.RAPID_REVIEW, Stage.CLOSED},
    Stage.RAPID_REVIEW: {Stage.DECISION},
    Stage.DECISION: {Stage.LOCAL_REVIEW_COMMISSIONED, Stage.NO_FURTHER_REVIEW, Stage.RAPID_REVIEW},
    Stage.LOCAL_REVIEW_COMMISSIONED: {Stage.PUBLISHED},
    Stage.NO_FURTHER_REVIEW: {Stage.ACTIONS, Stage.CLOSED},
    Stage.PUBLISHED: {Stage.ACTIONS, Stage.CLOSED},
    Stage.ACTIONS: {Stage.CLOSED},
    Stage.CLOSED: set(),
}
NOTIFICATION_ONLY_TRANSITIONS: dict[Stage, set[Stage]] = {Stage.NOTIFIED: {Stage.CLOSED}, Stage.CLOSED: set()}

STAGE_LABELS: dict[Stage, str] = {
    Stage.NOTIFIED: "Notified",
    Stage.RAPID_REVIEW: "Rapid review",
    Stage.DECISION: "Decision",
    Stage.LOCAL_REVIEW_COMMISSIONED: "Local review commissioned",
    Stage.NO_FURTHER_REVIEW: "No further review",
    Stage.PUBLISHED: "Published",
    Stage.ACTIONS: "Actions",
    Stage.CLOSED: "Closed",
}
