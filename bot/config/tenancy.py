"""Which Slack workspaces a partnership lives in, and who is who when there are several.

A partnership names its workspaces (``team_ids``) or its Enterprise Grid organisation
(``enterprise_id``) in the partnership file; an administrator may instead bind an installation to
it (``reviewbot installations bind``). Member ids are unique only within a workspace, so with OAuth
installs a person is known by (team id, member id): :func:`identify` is the one place that matches
a Slack user to their entries in the file, and callers that know the request's team use it.
"""

from __future__ import annotations

from collections.abc import Collection

from bot.config.partnership import Config, Partnership
from bot.config.people import Person


def serves(partnership: Partnership, team_id: str | None, enterprise_id: str | None) -> bool:
    """Whether the partnership file binds this partnership to that workspace or organisation."""
    if team_id and team_id in partnership.team_ids:
        return True
    return bool(enterprise_id and partnership.enterprise_id == enterprise_id)


def identify(
    config: Config,
    user_id: str,
    *,
    team_id: str | None,
    partnerships: Collection[str] | None = None,
) -> list[tuple[Partnership, Person]]:
    """The partnerships (among ``partnerships``, when given) in which (team_id, user_id) is a person.

    ``team_id`` None: one workspace (SLACK_BOT_TOKEN), member ids are enough. Otherwise a person
    entry with a ``team_id`` matches only that workspace; one without belongs to the partnership's
    own workspace: the first of its ``team_ids``, or any workspace serving it when it names none.
    """
    out: list[tuple[Partnership, Person]] = []
    for partnership in config.partnerships:
        if partnerships is not None and partnership.id not in partnerships:
            continue
        person = partnership.person(user_id)
        if person is None:
            continue
        if team_id is not None:
            home = person.team_id or (partnership.team_ids[0] if partnership.team_ids else None)
            if home is not None and home != team_id:
                continue
        out.append((partnership, person))
    return out
