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


def people_directory(config: Config, outsider: str) -> list[PersonEntry]:
    """Everyone in the partnership file as "Label, AGENCY" (:meth:`Partnership.label_of`), then the
    outsider."""
    out: list[PersonEntry] = []
    for partnership in config.partnerships:
        for person in partnership.people:
            label = partnership.label_of(person.slack_user_id) or "Partnership member"
            out.append(PersonEntry(person.slack_user_id, label, partnership.name))
    out.append(PersonEntry(outsider, OUTSIDER_LABEL, ""))
    return out
