"""People and their roles: who uses ReviewBot in a partnership, known by Slack member id.

A person's ``label`` describes the role they hold ("Police lead"), never who they are; a label that
looks like a name or contact details is refused without being repeated back.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

from bot.config.fields import Section, SlackUserId
from bot.config.problems import invalid
from bot.privacy.guard import scan


class Role(StrEnum):
    BUSINESS_MANAGER = "business_manager"
    CHAIR = "chair"
    AGENCY_LEAD = "agency_lead"
    SIGNATORY = "signatory"
    REVIEWER = "reviewer"
    MEMBER = "member"


def _role_label(value: str) -> str:
    # Never echo the label: if it is a name, repeating it in an error would spread it further.
    if scan(value):
        raise invalid(
            "label_looks_identifying",
            "this label looks like a person's name or contact details",
            "labels describe the role, not the person: write e.g. 'Business manager' or 'Police lead' "
            "(the Slack id already says who it is)",
        )
    return value


class Person(Section):
    """Someone who uses ReviewBot, known by Slack id; ``label`` is a role ("Police lead"), never a name."""

    slack_user_id: SlackUserId
    label: Annotated[str, AfterValidator(_role_label)] | None = None
    agency: str | None = None
    roles: list[Role] = Field(min_length=1)

    def has_role(self, role: Role | str) -> bool:
        return Role(role) in self.roles
