"""The workspace, organisation and acting person's team a Slack request comes from (any kind of
request: events, slash commands, buttons, modals), read the way Slack places them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequestPlace:
    team_id: str | None
    enterprise_id: str | None
    is_enterprise_install: bool
    actor_team_id: str | None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _id_of(value: Any) -> str | None:
    return _str(value.get("id")) if isinstance(value, dict) else _str(value)


def place_of(body: dict[str, Any]) -> RequestPlace:
    authorizations = body.get("authorizations")
    first = authorizations[0] if isinstance(authorizations, list) and authorizations else {}
    first = first if isinstance(first, dict) else {}
    event = _dict(body.get("event"))
    user = _dict(body.get("user"))
    view = _dict(body.get("view"))
    team_id = (
        # A modal opened from a Slack Connect channel says which workspace installed the app.
        _str(view.get("app_installed_team_id"))
        or _str(first.get("team_id"))
        or _id_of(body.get("team"))
        or _str(body.get("team_id"))
        or _str(user.get("team_id"))
        or _str(view.get("team_id"))
        or _str(event.get("team"))
    )
    enterprise_id = (
        _str(first.get("enterprise_id")) or _id_of(body.get("enterprise")) or _str(body.get("enterprise_id"))
    )
    flag = first.get("is_enterprise_install", body.get("is_enterprise_install"))
    is_enterprise_install = flag is True or (isinstance(flag, str) and flag.lower() == "true")
    actor_team_id = (
        _str(user.get("team_id"))
        or _str(body.get("user_team_id"))
        or _str(event.get("user_team"))
        or (_str(event.get("user", {}).get("team_id")) if isinstance(event.get("user"), dict) else None)
    )
    if is_enterprise_install and team_id is None:
        team_id = _str(body.get("team_id")) or _id_of(body.get("team"))
    return RequestPlace(team_id, enterprise_id, is_enterprise_install, actor_team_id or team_id)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
