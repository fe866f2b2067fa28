"""The App Home tab: views.publish and the home view each person sees.

Home views are views like modals (same ids, hashes and external ids), so this builds on
:class:`~bot.sandbox.fake_slack.views.ViewsMixin`.
"""

from __future__ import annotations

import copy

from bot.sandbox.fake_slack.views import ViewsMixin
from bot.sandbox.fake_slack.wire import Handler, JsonDict, _ApiError, _Context, _metadata, _Params


class HomeTabMixin(ViewsMixin):
    """views.publish, and :meth:`home_view` for tests."""

    def _init_activity(self) -> None:
        super()._init_activity()
        self._home: dict[str, str] = {}
        self._home_by_team: dict[tuple[str | None, str], str] = {}  # (team of the token, user) -> view

    def _web_api_methods(self) -> dict[str, Handler]:
        return {**super()._web_api_methods(), "views.publish": self._m_views_publish}

    def home_view(self, user: str, team_id: str | None = None) -> JsonDict | None:
        """The Home tab ``user`` sees (in ``team_id``'s workspace, when the fake plays several)."""
        view_id = self._home_by_team.get((team_id, user)) if team_id is not None else self._home.get(user)
        return copy.deepcopy(self._views[view_id]) if view_id else None

    async def _m_views_publish(self, p: _Params, ctx: _Context) -> JsonDict:
        user = p.get_str("user_id")
        if not user:
            raise _ApiError("invalid_arguments", extra=_metadata("missing required field: user_id"))
        if user not in self._users:
            raise _ApiError("user_not_found")
        view = self._view_arg(p)
        if view.get("type") != "home":
            raise _ApiError("invalid_arguments", extra=_metadata("views.publish only publishes home views"))
        existing_id = self._home.get(user)
        view_hash = p.get_str("hash")
        if view_hash and existing_id and view_hash != self._views[existing_id]["hash"]:
            raise _ApiError("hash_conflict")
        stored = self._build_view(view, view_id=existing_id)
        stored["title"] = stored["title"] or {"type": "plain_text", "text": "View Title", "emoji": True}
        self._views[stored["id"]] = stored
        self._view_owner[stored["id"]] = user
        self._home[user] = stored["id"]
        self._home_by_team[(self._team_for_token(ctx.token), user)] = stored["id"]
        self._remember_view_text(user, stored)
        return {"view": copy.deepcopy(stored)}
