"""How the bot names a person: by the label of their role ("Business manager, LA"), never their id.

Pure: reads the partnership as configured (with its people as the database holds them), through
``Partnership.label_of`` (the label, or the roles, and the agency), so every screen names people alike.
"""

from __future__ import annotations

from bot.config.partnership import Config, Partnership
from bot.config.people import Person, Role

ROLE_TITLES: dict[str, str] = {
    Role.BUSINESS_MANAGER: "Business manager",
    Role.CHAIR: "Chair",
    Role.AGENCY_LEAD: "Agency lead",
    Role.SIGNATORY: "Signatory",
    Role.REVIEWER: "Reviewer",
    Role.MEMBER: "Member",
}
ROLE_ORDER: tuple[str, ...] = tuple(ROLE_TITLES)
NOT_KNOWN = "someone not in the partnership"


def ordered_roles(roles: list[str] | list[Role] | frozenset[str]) -> list[str]:
    wanted = {str(r) for r in roles}
    return [r for r in ROLE_ORDER if r in wanted]


def person_label(partnership: Partnership, person: Person) -> str:
    """The person's role label as every screen of ReviewBot shows it (``Partnership.label_of``)."""
    return partnership.label_of(person.slack_user_id) or NOT_KNOWN


def label_of(config: Config, partnership_id: str, user_id: str) -> str:
    """The label of ``user_id`` in ``partnership_id``; a person not (or no longer) in it is said so."""
    try:
        partnership = config.partnership(partnership_id)
    except KeyError:
        return NOT_KNOWN
    return partnership.label_of(user_id) or NOT_KNOWN


def roles_text(roles: list[str] | list[Role]) -> str:
    return ", ".join(ROLE_TITLES[r].lower() for r in ordered_roles(roles)) or "no role"
