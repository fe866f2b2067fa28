"""The words of a Learning Together review's holds and family participation (pure: no database).

Parallel proceedings act on the review: when the police or the Crown Prosecution Service ask for no
contact, the family's contact and the conversations with practitioners wait (with a reason and a day
to look at it again); when publication is on hold, the publication deadline is shown as held with its
reason. The statutory date itself never moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.slack.mrkdwn import escape


class HoldKind(StrEnum):
    NO_CONTACT = "no_contact"
    PUBLICATION = "publication"


class RequestedBy(StrEnum):
    POLICE = "police"
    CPS = "cps"


REQUESTED_BY_LABELS = {RequestedBy.POLICE: "the police", RequestedBy.CPS: "the Crown Prosecution Service"}
HOLD_LABELS = {
    HoldKind.NO_CONTACT: "No contact with the family or practitioners",
    HoldKind.PUBLICATION: "Publication on hold",
}
# The lifecycle event that lifts a publication hold (in each England rule set's lifecycle).
PUBLICATION_HOLD_LIFTED = "publication_hold_lifted"
# The deadline rule ids a publication hold shows as held: the lifecycle's timescale rule (publication).


@dataclass(frozen=True)
class HoldLine:
    """A hold in force, as shown."""

    kind: str
    requested_by: str | None
    reason: str
    review_on: date | None

    def text(self, *, mrkdwn: bool = True) -> str:
        """One line; ``mrkdwn`` escapes the reason (typed text) for a message, else plain."""
        who = REQUESTED_BY_LABELS.get(RequestedBy(self.requested_by), "") if self.requested_by else ""
        label = HOLD_LABELS.get(HoldKind(self.kind), self.kind)
        parts = [label + (f", asked by {who}" if who else "")]
        parts.append(f"reason: {escape(self.reason) if mrkdwn else self.reason}")
        if self.review_on is not None:
            parts.append(f"to be looked at again on {self.review_on:%d/%m/%Y}")
        return "; ".join(parts)


def held_deadline_text(reason: str) -> str:
    """How a publication deadline reads while publication is on hold (the date itself is unchanged)."""
    return f"HELD: publication on hold ({escape(reason)}); the statutory date does not move"


def no_contact_warning(what: str, hold: HoldLine, retry: str) -> str:
    who = (
        REQUESTED_BY_LABELS.get(RequestedBy(hold.requested_by), "the police")
        if hold.requested_by
        else "the police"
    )
    review = f" It is to be looked at again on {hold.review_on:%d/%m/%Y}." if hold.review_on else ""
    return (
        f":warning: Not scheduled: {who} asked for no contact while the parallel proceedings go on "
        f"(reason: {escape(hold.reason)}).{review} {what} is held. If {who} agreed to this one, run it again "
        f"with `anyway` at the end: `{retry} anyway`. It will be marked as arranged during the hold."
    )
