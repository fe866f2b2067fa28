"""Continuity of attendance: who is new to a group since its last meeting.

The Learning Together pilots found that a case group whose membership keeps changing loses the
thread from one meeting to the next. So when most of the people invited to a meeting did not attend
the previous meeting of the same group (same case, same kind of meeting), the chair's reminder names
the newcomers and asks the chair to brief them.

"The previous meeting" is the latest earlier meeting of the same case and kind that was not cancelled
and whose attendance was recorded: a meeting with no attendance record says nothing about who was
there, so it is passed over rather than counted as "nobody came". bot.meetings.previous finds it;
the rule itself, here, is pure.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Continuity:
    previous_meeting_id: int
    previous_starts_at: datetime
    newcomers: tuple[str, ...]
    invited: int


def newcomers(invitees: Sequence[str], attended_previous: Collection[str]) -> list[str]:
    """Invitees who did not attend the previous meeting, in invitation order."""
    return [user for user in invitees if user not in attended_previous]


def needs_briefing(invitees: Sequence[str], attended_previous: Collection[str]) -> bool:
    """True when most (more than half) of the invitees are new to the group."""
    return len(newcomers(invitees, attended_previous)) * 2 > len(invitees)
