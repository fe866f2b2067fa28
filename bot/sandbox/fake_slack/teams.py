"""Several workspaces in one stand-in, OAuth v2 installs, token rotation and Slack Connect invites.

The fake starts as one workspace (``team_id`` with ``bot_token``). :meth:`TeamsMixin.add_team` adds
another workspace (or a workspace of an Enterprise Grid organisation) with its own bot token; every
recorded :class:`~bot.sandbox.fake_slack.records.Call` says which team's token made it, ``auth.test``
answers as the token's team, and a channel made by (or seeded for) one team is invisible to another
team's token (``channel_not_found``) unless it was shared with it through Slack Connect.

OAuth: ``GET /oauth/v2/authorize`` approves at once for :attr:`next_install` (or the default team)
and redirects to ``redirect_uri`` with a one-time ``code``; ``oauth.v2.access`` exchanges it (client
id and secret as HTTP Basic auth or form fields) and answers in Slack's shape: ``access_token``,
``token_type: bot``, ``scope``, ``bot_user_id``, ``app_id``, ``team``, ``enterprise``,
``authed_user``, ``is_enterprise_install`` and, with :attr:`token_rotation`, ``refresh_token`` and
``expires_in`` (``grant_type=refresh_token`` swaps them for new ones; the old access token stops
working). ``revoke_team`` makes a team's tokens answer ``token_revoked``.
"""

from __future__ import annotations

import base64
import itertools
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from bot.sandbox.fake_slack.server import ServerMixin
from bot.sandbox.fake_slack.wire import Handler, JsonDict, _ApiError, _Context, _metadata, _Params

_ACTING_TEAM: ContextVar[str | None] = ContextVar("fake_slack_acting_team", default=None)


@dataclass
class Team:
    id: str
    name: str
    bot_user_id: str
    bot_id: str
    enterprise_id: str | None = None
    enterprise_name: str | None = None
    tokens: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class InstallRequest:
    """What the next approval on the authorise page installs."""

    team_id: str | None
    enterprise_id: str | None = None
    is_enterprise_install: bool = False
    user_id: str = "U0INSTALL1"


@dataclass
class SharedInvite:
    channel: str
    team_id: str | None  # whose token invited
    emails: list[str]
    user_ids: list[str]
    invite_id: str


class TeamsMixin(ServerMixin):
    client_id = "0000000000.1111111111"
    client_secret = "fake-client-secret"  # noqa: S105 - a fixture value

    def _init_activity(self) -> None:
        super()._init_activity()
        if not hasattr(self, "_teams"):
            self._teams: dict[str, Team] = {}
            self._token_team: dict[str, str] = {}
            self._channel_team: dict[str, str] = {}
            self._shared_with: dict[str, set[str]] = {}
            self._revoked: set[str] = set()
            self._refresh: dict[str, tuple[str, str]] = {}  # refresh token -> (team or "E:ent", install key)
            self._serial = itertools.count(1)
            self.token_rotation = False
            self.token_lifetime = 43200
            self.next_install: InstallRequest | None = None
            self.oauth_redirect_uri: str | None = None
        self._codes: dict[str, InstallRequest] = {}
        self.shared_invites: list[SharedInvite] = []

    def _web_api_methods(self) -> dict[str, Handler]:
        return {
            **super()._web_api_methods(),
            "auth.test": self._m_team_auth_test,
            "oauth.v2.access": self._m_oauth_v2_access,
            "conversations.inviteShared": self._m_invite_shared,
        }

    def _add_routes(self, router: web.UrlDispatcher) -> None:
        super()._add_routes(router)
        router.add_get("/oauth/v2/authorize", self._authorize_page)

    # --- the directory of teams ------------------------------------------------------------------

    def add_team(
        self,
        team_id: str,
        *,
        name: str | None = None,
        bot_token: str | None = None,
        enterprise_id: str | None = None,
        enterprise_name: str | None = None,
        bot_user_id: str | None = None,
    ) -> Team:
        """Another workspace; ``bot_token`` (optional) is a token already installed there."""
        team = Team(
            id=team_id,
            name=name or f"Workspace {team_id}",
            bot_user_id=bot_user_id or f"U0BOT{team_id[-4:]}",
            bot_id=f"B0BOT{team_id[-4:]}",
            enterprise_id=enterprise_id,
            enterprise_name=enterprise_name or (f"Org {enterprise_id}" if enterprise_id else None),
        )
        self._teams[team_id] = team
        if team.bot_user_id not in self._users:
            self.add_user(team.bot_user_id, name=f"reviewbot-{team_id.lower()}", is_bot=True)
        if bot_token:
            self._grant(team_id, bot_token)
        return team

    def team_channel(self, channel_id: str, team_id: str) -> None:
        """Say a (seeded) channel belongs to ``team_id``: other teams' tokens cannot see it."""
        self._channel_team[channel_id] = team_id

    def channel_team(self, channel_id: str) -> str | None:
        return self._channel_team.get(channel_id)

    def tokens_of(self, team_id: str) -> set[str]:
        team = self._teams.get(team_id)
        return set(team.tokens) if team else ({self.bot_token} if team_id == self.team_id else set())

    def revoke_team(self, team_id: str) -> None:
        for token in self.tokens_of(team_id):
            self._revoked.add(token)

    def issue_code(self, install: InstallRequest) -> str:
        """A one-time OAuth code for ``install`` (what Slack's authorise page would hand back)."""
        code = f"code-{next(self._serial)}"
        self._codes[code] = install
        return code

    def _grant(self, team_key: str, token: str) -> None:
        self._token_team[token] = team_key
        team = self._teams.get(team_key)
        if team is not None:
            team.tokens.add(token)

    def _team_for_token(self, token: str | None) -> str | None:
        if token and token in self._token_team:
            return self._token_team[token]
        return super()._team_for_token(token)

    # --- tokens ----------------------------------------------------------------------------------

    def _check_token(self, method: str, token: str | None) -> None:
        if method == "oauth.v2.access":
            return  # authenticated by client id and secret
        if token and token in self._revoked:
            raise _ApiError("token_revoked")
        if token and token in self._token_team and method != "apps.connections.open":
            return
        super()._check_token(method, token)

    def _check_scope(self, method: str, params: _Params, token: str | None) -> dict[str, str]:
        if token and token in self._token_team:
            granted = ",".join(sorted(self.scopes))
            headers = {"x-oauth-scopes": granted}
            self._check_team_channel(token, params)
            return headers
        if token == self.bot_token:
            self._check_team_channel(token, params)
        return super()._check_scope(method, params, token)

    def _check_team_channel(self, token: str, params: _Params) -> None:
        """A channel of another workspace does not exist for this token (unless shared with it)."""
        team = self._team_for_token(token)
        channel = params.values.get("channel") or params.values.get("channel_id")
        if not isinstance(channel, str) or channel not in self._channel_team:
            return
        owner = self._channel_team[channel]
        if owner != team and team not in self._shared_with.get(channel, set()):
            raise _ApiError("channel_not_found")

    def _acting_team(self) -> str:
        team = _ACTING_TEAM.get()
        return team if team and not team.startswith("E:") else self.team_id

    async def _dispatch(self, method: str, params: _Params, request: web.Request) -> Any:
        _ACTING_TEAM.set(self._team_for_token(self._token(request, params)))
        reply = await super()._dispatch(method, params, request)
        if method == "conversations.create" and reply.body.get("ok"):
            team = self._team_for_token(self._token(request, params))
            if team is not None:
                self._channel_team[reply.body["channel"]["id"]] = team
        return reply

    # --- methods ---------------------------------------------------------------------------------

    async def _m_team_auth_test(self, p: _Params, ctx: _Context) -> JsonDict:
        team_key = self._team_for_token(ctx.token)
        team = self._teams.get(team_key or "")
        if team is None and team_key and team_key.startswith("E:"):  # an org-wide install's token
            enterprise = team_key[2:]
            return {
                "url": f"{self.url}/",
                "team": None,
                "user": self.bot_name,
                "team_id": None,
                "user_id": self.bot_user_id,
                "bot_id": self.bot_id,
                "enterprise_id": enterprise,
                "is_enterprise_install": True,
            }
        if team is None:
            return {
                "url": f"{self.url}/",
                "team": self.team_name,
                "user": self.bot_name,
                "team_id": self.team_id,
                "user_id": self.bot_user_id,
                "bot_id": self.bot_id,
                "is_enterprise_install": False,
            }
        return {
            "url": f"{self.url}/",
            "team": team.name,
            "user": self.bot_name,
            "team_id": team.id,
            "user_id": team.bot_user_id,
            "bot_id": team.bot_id,
            "enterprise_id": team.enterprise_id,
            "is_enterprise_install": False,
        }

    async def _authorize_page(self, request: web.Request) -> web.Response:
        """Slack's authorise page, approved at once: back to the redirect URI with a code and the state."""
        if request.query.get("client_id") != self.client_id:
            return web.Response(status=400, text="invalid_client_id")
        install = self.next_install or InstallRequest(team_id=self.team_id)
        target = request.query.get("redirect_uri") or self.oauth_redirect_uri
        if not target:
            return web.Response(status=400, text="no redirect_uri")
        query = urlencode({"code": self.issue_code(install), "state": request.query.get("state", "")})
        raise web.HTTPFound(f"{target}{'&' if '?' in target else '?'}{query}")

    def _client_credentials(self, p: _Params, ctx: _Context) -> tuple[str | None, str | None]:
        header = ctx.request.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                user, _, secret = base64.b64decode(header[6:]).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                return None, None
            return user, secret
        return p.get_str("client_id"), p.get_str("client_secret")

    async def _m_oauth_v2_access(self, p: _Params, ctx: _Context) -> JsonDict:
        client_id, client_secret = self._client_credentials(p, ctx)
        if client_id != self.client_id:
            raise _ApiError("invalid_client_id")
        if client_secret != self.client_secret:
            raise _ApiError("bad_client_secret")
        if p.get_str("grant_type") == "refresh_token":
            return self._refreshed(p.get_str("refresh_token", missing="invalid_refresh_token") or "")
        install = self._codes.pop(p.get_str("code", missing="invalid_code") or "", None)
        if install is None:
            raise _ApiError("invalid_code")
        team = self._teams.get(install.team_id or "")
        if install.team_id and team is None and install.team_id != self.team_id:
            team = self.add_team(install.team_id, enterprise_id=install.enterprise_id)
        enterprise_id = install.enterprise_id or (team.enterprise_id if team else None)
        key = f"E:{enterprise_id}" if install.is_enterprise_install else (install.team_id or self.team_id)
        token = self._new_token(key)
        body: JsonDict = {
            "access_token": token,
            "token_type": "bot",
            "scope": ",".join(sorted(self.scopes)),
            "bot_user_id": team.bot_user_id if team else self.bot_user_id,
            "app_id": self.app_id,
            "team": None
            if install.is_enterprise_install
            else {"id": install.team_id or self.team_id, "name": team.name if team else self.team_name},
            "enterprise": {"id": enterprise_id, "name": f"Org {enterprise_id}"} if enterprise_id else None,
            "authed_user": {"id": install.user_id},
            "is_enterprise_install": install.is_enterprise_install,
        }
        if self.token_rotation:
            body.update(self._rotation_fields(key))
        return body

    def _new_token(self, key: str) -> str:
        prefix = "xoxe.xoxb-" if self.token_rotation else "xoxb-"
        token = f"{prefix}{key.replace(':', '')}-{next(self._serial)}"
        self._grant(key, token)
        return token

    def _rotation_fields(self, key: str) -> JsonDict:
        refresh = f"xoxe-1-{key.replace(':', '')}-{next(self._serial)}"
        self._refresh[refresh] = (key, refresh)
        return {"refresh_token": refresh, "expires_in": self.token_lifetime}

    def _refreshed(self, refresh_token: str) -> JsonDict:
        found = self._refresh.pop(refresh_token, None)
        if found is None:
            raise _ApiError("invalid_refresh_token")
        key = found[0]
        for token, owner in list(self._token_team.items()):  # the old access token stops working
            if owner == key:
                self._revoked.add(token)
        token = self._new_token(key)
        team = self._teams.get(key)
        return {
            "access_token": token,
            "token_type": "bot",
            "scope": ",".join(sorted(self.scopes)),
            "bot_user_id": team.bot_user_id if team else self.bot_user_id,
            "app_id": self.app_id,
            "team": {"id": key, "name": team.name if team else self.team_name}
            if not key.startswith("E:")
            else None,
            "enterprise": None,
            "is_enterprise_install": key.startswith("E:"),
            **self._rotation_fields(key),
        }

    async def _m_invite_shared(self, p: _Params, ctx: _Context) -> JsonDict:
        channel = self._conversation_by_id(p.get_str("channel", missing="channel_not_found"))
        emails = [e for e in (p.get_str("emails") or "").split(",") if e.strip()]
        user_ids = [u for u in (p.get_str("user_ids") or "").split(",") if u.strip()]
        if not emails and not user_ids:
            raise _ApiError("invalid_arguments", extra=_metadata("emails or user_ids is required"))
        if channel.is_im or channel.is_mpim:
            raise _ApiError("method_not_supported_for_channel_type")
        invite = SharedInvite(
            channel=channel.id,
            team_id=self._team_for_token(ctx.token),
            emails=emails,
            user_ids=user_ids,
            invite_id=f"I0F{next(self._serial):07d}",
        )
        self.shared_invites.append(invite)
        return {"invite_id": invite.invite_id, "is_legacy_shared_channel": False}

    def accept_shared_invite(self, invite_id: str, team_id: str) -> None:
        """The partner organisation accepts: the channel is now visible to that team's token too."""
        invite = next(i for i in self.shared_invites if i.invite_id == invite_id)
        self._shared_with.setdefault(invite.channel, set()).add(team_id)
