"""Free text typed into the rapid review (reasons, notes, rationale, key practice episodes).

One door for all of it: the identifier guard in the partnership's mode and a length limit. A refusal
is a :class:`bot.errors.BadInput` naming the field, so a modal shows it beside the field and a
command shows it as the reply; the text itself is never logged or repeated back.
"""

from __future__ import annotations

from bot.config.partnership import Partnership
from bot.errors import BadInput
from bot.privacy.guard import guard
from bot.privacy.pseudonyms import check_length


def checked(
    partnership: Partnership,
    text: str | None,
    *,
    limit: int,
    field: str,
    required: bool = False,
    what: str = "this",
) -> str | None:
    """The stripped text if it may be stored; None for empty optional text; BadInput otherwise."""
    value = (text or "").strip()
    if not value:
        if required:
            raise BadInput(f"Please fill in {what}.", field=field)
        return None
    too_long = check_length(value, limit)
    if too_long:
        raise BadInput(too_long, field=field)
    verdict = guard(value, mode=partnership.identifier_guard, allowed_terms=partnership.allowed_terms())
    if not verdict.ok:
        raise BadInput(verdict.message, field=field)
    return value


def agency_name(partnership: Partnership, agency_id: str | None) -> str:
    agency = partnership.agency(agency_id)
    return agency.name if agency is not None else (agency_id or "the partnership")
