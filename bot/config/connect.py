"""Slack Connect in the partnership file: sharing case channels with partner organisations' workspaces."""

from __future__ import annotations

from pydantic import Field

from bot.config.fields import Section, SlackTeamId


class SlackConnect(Section):
    """Sharing case channels with partner organisations' workspaces (Slack Connect).

    ``allowed`` lets the business manager share a case channel (``/review share``); ``teams`` are
    the partner workspaces it may be shared with (their people are listed with ``team_id``). External
    members may do exactly what their entry in ``people`` allows; unknown external users nothing.
    """

    allowed: bool = False
    teams: list[SlackTeamId] = Field(default_factory=list)
