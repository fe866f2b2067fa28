"""How the bot names a person: by the label of their role ("Business manager, LA"), never their id.

Pure: reads the partnership as configured (with its people as the database holds them). A person with
no label of their own is named by their first role and agency.
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


def default_label(partnership: Partnership, roles: list[str], agency_id: str | None) -> str:
    """``"Agency lead, Northshire Constabulary"``: the first role as people read them, and the agency."""
    ordered = ordered_roles(roles)
    title = ROLE_TITLES[ordered[0]] if ordered else "Member"
    agency = partnership.agency(agency_id)
    return f"{title}, {agency.name}" if agency is not None else title


def person_label(partnership: Partnership, person: Person) -> str:
    return person.label or default_label(partnership, [str(r) for r in person.roles], person.agency)


def label_of(config: Config, partnership_id: str, user_id: str) -> str:
    """The label of ``user_id`` in ``partnership_id``; a person not (or no longer) in it is said so."""
    try:
        partnership = config.partnership(partnership_id)
    except KeyError:
        return NOT_KNOWN
    person = partnership.person(user_id)
    return person_label(partnership, person) if person is not None else NOT_KNOWN


def roles_text(roles: list[str] | list[Role]) -> str:
    return ", ".join(ROLE_TITLES[r].lower() for r in ordered_roles(roles)) or "no role"
