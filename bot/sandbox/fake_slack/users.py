"""users.info: a seeded person's profile and time zone (and locale, when asked for).

People are seeded with :meth:`~bot.sandbox.fake_slack.workspace.Workspace.add_user`; the fake has no
user groups.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.sandbox.fake_slack.wire import Handler, JsonDict, _ApiError, _Context, _Params
from bot.sandbox.fake_slack.workspace import Workspace

_TZ_LABELS = {"GMT": "Greenwich Mean Time", "BST": "British Summer Time", "UTC": "Coordinated Universal Time"}


class UsersMixin(Workspace):
    """users.info over the seeded directory."""

    def _web_api_methods(self) -> dict[str, Handler]:
        return {**super()._web_api_methods(), "users.info": self._m_users_info}

    async def _m_users_info(self, p: _Params, ctx: _Context) -> JsonDict:
        user = self._users.get(p.get_str("user", missing="user_not_found") or "")
        if user is None:
            raise _ApiError("user_not_found")
        now = self.clock.now().astimezone(ZoneInfo(user.tz))
        offset = now.utcoffset()
        tz_abbrev = now.tzname() or ""
        profile: JsonDict = {
            "real_name": user.real_name,
            "display_name": user.name,
            "real_name_normalized": user.real_name,
            "display_name_normalized": user.name,
            "team": self.team_id,
        }
        body: JsonDict = {
            "id": user.id,
            "team_id": self.team_id,
            "name": user.name,
            "deleted": user.deleted,
            "real_name": user.real_name,
            "tz": user.tz,
            "tz_label": _TZ_LABELS.get(tz_abbrev, tz_abbrev),
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "profile": profile,
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": user.is_bot,
            "is_app_user": False,
            "updated": self._epoch(),
        }
        if user.is_bot and user.id == self.bot_user_id:
            profile["bot_id"] = self.bot_id
            profile["api_app_id"] = self.app_id
        # Like Slack, locale only comes back when asked for.
        if p.get_bool("include_locale"):
            body["locale"] = user.locale
        return {"user": body}
