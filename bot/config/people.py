"""People and their roles: who uses ReviewBot in a partnership, known by Slack member id.

A person's ``label`` describes the role they hold ("Police lead"), never who they are; a label that
looks like a name or contact details is refused without being repeated back.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from bot.config.fields import Section, SlackTeamId, SlackUserId
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


# A day of a person's working pattern (``working_days: [mon, tue, wed]``).
DayName = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Person(Section):
    """Someone who uses ReviewBot, known by Slack id; ``label`` is a role ("Police lead"), never a name."""

    slack_user_id: SlackUserId
    label: Annotated[str, AfterValidator(_role_label)] | None = None
    agency: str | None = None
    roles: list[Role] = Field(min_length=1)
    # Part-time: the days this person works. Their direct messages wait for the next of these days
    # (never past the day a statutory deadline falls due). Left out: every working day.
    working_days: list[DayName] | None = Field(default=None, min_length=1)
    # The workspace this person's Slack id belongs to, when it is not the partnership's own (a
    # partner organisation taking part through Slack Connect). Member ids are only unique within a
    # workspace, so with many workspaces a person is known by (team, member id).
    team_id: SlackTeamId | None = None

    def has_role(self, role: Role | str) -> bool:
        return Role(role) in self.roles

    def works_on(self, day: date) -> bool:
        """Whether ``day``'s weekday is one of this person's working days (no pattern: every day)."""
        return self.working_days is None or DAY_NAMES[day.weekday()] in self.working_days
