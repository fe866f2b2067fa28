"""One action as a listing, a Home tab or a reminder shows it (pure: plain data, no database).

bot.actions.queries finds them for a person; bot.actions.blocks shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ActionItem:
    id: int
    partnership_id: str
    case_id: int | None
    reference: str
    channel_id: str | None
    description: str
    owner_agency: str | None
    agency_name: str
    owner_user_id: str | None
    due_on: date | None
    status: str
    overdue: bool
    success_measure: str | None = None
