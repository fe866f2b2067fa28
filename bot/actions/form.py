"""What a person asked for in the action modal (pure: plain data, read by bot.actions.modal and
carried out by bot.actions.changes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.actions.kinds import ActionSource, ActionStatus


@dataclass(frozen=True)
class ActionForm:
    """What a person asked for; None means "leave as it is"."""

    description: str | None = None
    source: ActionSource | None = None
    owner_agency: str | None = None
    owner_user_id: str | None = None
    due_on: date | None = None
    success_measure: str | None = None
    status: ActionStatus | None = None
    not_doing_reason: str | None = None
    evidence_of_impact: str | None = None
    note: str | None = None
