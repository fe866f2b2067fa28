"""Continuity of attendance: who is new to a group since its last meeting.

The Learning Together pilots found that a case group whose membership keeps changing loses the
thread from one meeting to the next. So when most of the people invited to a meeting did not attend
the previous meeting of the same group (same case, same kind of meeting), the chair's reminder names
the newcomers and asks the chair to brief them.

"The previous meeting" is the latest earlier meeting of the same case and kind that was not cancelled
and whose attendance was recorded: a meeting with no attendance record says nothing about who was
there, so it is passed over rather than counted as "nobody came". bot.meetings.previous finds it;
the rule itself, here, is pure.

The case group meetings of a Learning Together plan (introductory, follow-ons, and the older undivided
kind) are one group. The pilots also found that people who missed a case group meeting could not check
the accuracy of the review team's record of it: so its absentees are sent what was agreed, and the
chair's reminder for the next meeting says who was absent, who was sent the record and who commented.
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
    absentees: tuple[str, ...] = ()  # invited to the previous meeting, did not attend
    record_sent: tuple[str, ...] = ()  # of those, sent what was agreed
    commented: tuple[str, ...] = ()  # of those, commented on its accuracy

    @property
    def needs_briefing(self) -> bool:
        return len(self.newcomers) * 2 > self.invited

    @property
    def record_not_sent(self) -> tuple[str, ...]:
        return tuple(u for u in self.absentees if u not in self.record_sent)


def newcomers(invitees: Sequence[str], attended_previous: Collection[str]) -> list[str]:
    """Invitees who did not attend the previous meeting, in invitation order."""
    return [user for user in invitees if user not in attended_previous]


def needs_briefing(invitees: Sequence[str], attended_previous: Collection[str]) -> bool:
    """True when most (more than half) of the invitees are new to the group."""
    return len(newcomers(invitees, attended_previous)) * 2 > len(invitees)
