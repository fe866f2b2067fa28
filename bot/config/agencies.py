"""The agencies in a partnership (local authority, police, health, education, ...).

People belong to an agency by its id; statutory partners sign off a rapid review unless the
partnership lists its sign-off agencies itself.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from bot.config.fields import Section, Slug


class AgencyKind(StrEnum):
    LOCAL_AUTHORITY = "local_authority"
    POLICE = "police"
    HEALTH = "health"
    EDUCATION = "education"
    OTHER = "other"


class Agency(Section):
    id: Slug
    name: str = Field(min_length=1)
    kind: AgencyKind
    statutory_partner: bool = False
