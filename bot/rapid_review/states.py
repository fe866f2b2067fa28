"""Where a checklist item stands and what the Panel answered (pure: no database).

The rapid review tables store these as their string values (bot.rapid_review.models); the blocks,
the pack and the Home tab read them from here.
"""

from __future__ import annotations

from enum import StrEnum


class ItemStatus(StrEnum):
    TODO = "todo"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


class PanelResponse(StrEnum):
    AGREES = "agrees"
    DISAGREES = "disagrees"
    NATIONAL_REVIEW = "national_review"
