"""Errors a person can act on.

Services raise :class:`UserFacingError` (or a subclass) with a plain-English message and the fix.
Anything else is unexpected: the person gets a short apology with a reference id, and the same id
goes to the log with the exception type (never message text or form values).
"""

from __future__ import annotations

from bot.access import Decision


class UserFacingError(Exception):
    """Something the person can fix; shown to them as it is."""

    def __init__(self, message: str, fix: str = "", *, field: str | None = None) -> None:
        self.message = message
        self.fix = fix
        self.field = field
        super().__init__(message)

    @property
    def text(self) -> str:
        return f"{self.message} {self.fix}".strip()


class NotAllowed(UserFacingError):
    @classmethod
    def from_decision(cls, decision: Decision) -> NotAllowed:
        return cls(decision.reason, decision.fix)


class BadInput(UserFacingError):
    pass


class NotFound(UserFacingError):
    pass


class Conflict(UserFacingError):
    pass


DATABASE_UNAVAILABLE = (
    "ReviewBot can't reach its database just now, so nothing was changed. "
    "Please try again in a minute; if it keeps happening, tell the business unit."
)


def unexpected_message(ref: str) -> str:
    return (
        f"Sorry, something went wrong on our side and nothing was changed. "
        f"If it happens again, give the business unit this reference: {ref}."
    )


def ensure_allowed(decision: Decision) -> None:
    if not decision.allowed:
        raise NotAllowed.from_decision(decision)
