"""The kinds of value the partnership file holds, each with a plain-English error and fix.

Ids (``northshire``), Slack channel and member ids, and times of day ("09:00") are checked here, so
a mistake names what is wrong and how to put it right rather than pydantic's generic wording.
:class:`Section` is the base of every part of the file: unknown settings are errors, never ignored.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, PlainSerializer

from bot.config.problems import invalid

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{8,}")
_USER_ID = re.compile(r"[UW][A-Z0-9]{8,}")
_CLOCK_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def _slug(value: str) -> str:
    if not _SLUG.fullmatch(value):
        raise invalid(
            "slug",
            f"{value!r} is not a valid id",
            "use lower-case letters, digits and hyphens only, e.g. 'northshire' or 'nhs-trust'",
        )
    return value


def _channel_id(value: str) -> str:
    if not _CHANNEL_ID.fullmatch(value):
        raise invalid(
            "slack_channel_id",
            f"{value!r} is not a Slack channel id",
            "copy the id from the bottom of the channel's 'About' tab in Slack: C or G followed by at "
            "least 8 capital letters or digits, e.g. C0123ABCD (not the #channel-name)",
        )
    return value


def _user_id(value: str) -> str:
    if not _USER_ID.fullmatch(value):
        raise invalid(
            "slack_user_id",
            f"{value!r} is not a Slack member id",
            "copy it from the person's Slack profile (⋮ > 'Copy member ID'): U or W followed by at "
            "least 8 capital letters or digits, e.g. U0123ABCD",
        )
    return value


_TEAM_ID = re.compile(r"T[A-Z0-9]{2,}")
_ENTERPRISE_ID = re.compile(r"E[A-Z0-9]{2,}")


def _team_id(value: str) -> str:
    if not _TEAM_ID.fullmatch(value):
        raise invalid(
            "slack_team_id",
            f"{value!r} is not a Slack workspace id",
            "give the workspace (team) id: T followed by capital letters or digits, e.g. T0123ABCD "
            "(`reviewbot installations list` shows the ids of installed workspaces)",
        )
    return value


def _enterprise_id(value: str) -> str:
    if not _ENTERPRISE_ID.fullmatch(value):
        raise invalid(
            "slack_enterprise_id",
            f"{value!r} is not a Slack Enterprise Grid organisation id",
            "give the organisation id: E followed by capital letters or digits, e.g. E0123ABCD",
        )
    return value


def _clock_time(value: object) -> object:
    if isinstance(value, time):
        return value
    if isinstance(value, str) and (m := _CLOCK_TIME.fullmatch(value.strip())):
        return time(int(m[1]), int(m[2]))
    raise invalid(
        "clock_time",
        f"{value!r} is not a time of day",
        'write a 24-hour time as HH:MM in quotes, e.g. "09:00"',
    )


Slug = Annotated[str, AfterValidator(_slug)]
ChannelId = Annotated[str, AfterValidator(_channel_id)]
SlackUserId = Annotated[str, AfterValidator(_user_id)]
SlackTeamId = Annotated[str, AfterValidator(_team_id)]
SlackEnterpriseId = Annotated[str, AfterValidator(_enterprise_id)]
ClockTime = Annotated[
    time, BeforeValidator(_clock_time), PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str)
]


class Section(BaseModel):
    """A part of the partnership file: unknown settings are errors, and loaded values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)
