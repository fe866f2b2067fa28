"""Who the sandbox lets you be: the partnership file's people by label and agency, and one outsider.

:func:`people_directory` is the one place the labels come from (today the partnership file's people
entries; later the people table), so the page never shows a member id.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from bot.config.partnership import Config

OUTSIDER_LABEL = "Someone outside the partnership"


@dataclass(frozen=True)
class PersonEntry:
    user_id: str
    label: str
    partnership: str  # the partnership's display name ("" for the outsider)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def agency_short(agency_id: str | None) -> str:
    """``la`` -> ``LA``, ``police`` -> ``Police``: how the page names an agency after a label."""
    if not agency_id:
        return ""
    return agency_id.upper() if len(agency_id) <= 3 else agency_id.capitalize()


def people_directory(config: Config, outsider: str) -> list[PersonEntry]:
    """Everyone in the partnership file as "Label, AGENCY", then the outsider."""
    out: list[PersonEntry] = []
    for partnership in config.partnerships:
        for person in partnership.people:
            label = person.label or "Partnership member"
            agency = agency_short(person.agency)
            out.append(
                PersonEntry(person.slack_user_id, f"{label}, {agency}" if agency else label, partnership.name)
            )
    out.append(PersonEntry(outsider, OUTSIDER_LABEL, ""))
    return out
