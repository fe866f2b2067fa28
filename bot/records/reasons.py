"""The reason a person gives for purging or redacting: free text, so it passes the identifier guard."""

from __future__ import annotations

from bot.privacy.guard import GuardMode, guard
from bot.runtime.services import Services


def reason_problem(services: Services, partnership_id: str, reason: str, limit: int) -> str | None:
    """Why a purge's or redaction's reason cannot be stored, or None. Always refused when it looks
    identifying, whatever the partnership's guard mode: a reason says why, never repeats the thing."""
    text = reason.strip()
    if not text:
        return "Give a reason."
    if len(text) > limit:
        return f"Keep the reason to {limit} characters."
    partnership = services.config.partnership(partnership_id)
    verdict = guard(text, mode=GuardMode.REFUSE, allowed_terms=partnership.allowed_terms())
    return None if verdict.ok else verdict.message
