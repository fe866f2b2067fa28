"""Tenancy: the installation (and so the token) each piece of work runs with.

``for_request`` resolves a Slack request to its own team's installation (or its organisation's
org-wide one); a team or organisation that never installed (or uninstalled) gets None and the
request goes no further. ``for_partnership`` does the same for the worker: the installation of the
workspace a partnership lives in. Both refresh a rotating token shortly before it expires
(oauth.v2.access, grant_type=refresh_token) and store the new one encrypted.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.config.partnership import Config
from bot.config.tenancy import serves
from bot.observability import get_logger
from bot.settings import Settings
from bot.slack.errors import SlackError
from bot.slack.gateway import SlackGateway
from bot.slack.tenant import Tenant
from bot.tenants.crypto import TokenCipher
from bot.tenants.ids import RequestPlace, place_of
from bot.tenants.store import REFRESH_MARGIN, InstallationStore, StoredInstallation

log = get_logger(__name__)

CACHE_SECONDS = 15.0


class Tenancy:
    def __init__(
        self,
        settings: Settings,
        config: Config,
        clock: Clock,
        store: InstallationStore,
        gateway: SlackGateway,
    ) -> None:
        self.settings = settings
        self.config = config
        self.clock = clock
        self.store = store
        self.gateway = gateway
        self._refreshing: dict[int, asyncio.Lock] = {}
        # The worker resolves a partnership's installation for every message it sends: kept for a
        # few seconds (never past the token's refresh time), forgotten at once when this process
        # installs, uninstalls or refreshes.
        self._by_partnership: dict[str, tuple[Tenant, float]] = {}
        self._resolving: dict[str, asyncio.Lock] = {}

    @classmethod
    def create(
        cls, settings: Settings, config: Config, clock: Clock, db: Any, gateway: SlackGateway
    ) -> Tenancy:
        store = InstallationStore(db, TokenCipher(settings.encryption_key), clock)
        return cls(settings, config, clock, store, gateway)

    # -- requests ------------------------------------------------------------------------------------

    async def for_request(self, body: dict[str, Any]) -> Tenant | None:
        place = place_of(body)
        if not place.team_id and not place.enterprise_id:
            return None
        found = await self.store.find(place.enterprise_id, place.team_id)
        if found is None:
            log.info(
                "slack.not_installed",
                team=place.team_id,
                enterprise=place.enterprise_id,
                kind=str(body.get("type") or ("command" if "command" in body else "unknown")),
            )
            return None
        return await self._tenant(found, place)

    def forget(self) -> None:
        self._by_partnership.clear()

    async def for_partnership(self, partnership_id: str) -> Tenant | None:
        """The installation the partnership's workspace runs: bound by an administrator, else the
        first workspace (or the organisation) the partnership file names for it."""
        cached = self._fresh_cached(partnership_id)
        if cached is not None:
            return cached
        # Hundreds of lanes start at once for a few partnerships: one of them resolves, the rest wait.
        async with self._resolving.setdefault(partnership_id, asyncio.Lock()):
            cached = self._fresh_cached(partnership_id)
            if cached is not None:
                return cached
            tenant = await self._resolve_partnership(partnership_id)
            if tenant is not None:
                self._by_partnership[partnership_id] = (tenant, time.monotonic() + CACHE_SECONDS)
            return tenant

    def _fresh_cached(self, partnership_id: str) -> Tenant | None:
        cached = self._by_partnership.get(partnership_id)
        if cached is None:
            return None
        tenant, until = cached
        if time.monotonic() < until and not _expiring(tenant.token_expires_at, self.clock.now()):
            return tenant
        return None

    async def _resolve_partnership(self, partnership_id: str) -> Tenant | None:
        found = await self.store.bound_to(partnership_id)
        if found is None:
            try:
                partnership = self.config.partnership(partnership_id)
            except KeyError:
                return None
            for team_id in partnership.team_ids:
                found = await self.store.find(partnership.enterprise_id, team_id)
                if found is not None:
                    break
            if found is None and partnership.enterprise_id:
                found = await self.store.find(partnership.enterprise_id, None)
        if found is None:
            log.warning("tenancy.no_installation", partnership=partnership_id)
            return None
        team = found.team_id
        if team is None:  # an org-wide install: the partnership's own workspace, if it names one
            try:
                names = self.config.partnership(partnership_id).team_ids
            except KeyError:
                names = []
            team = names[0] if names else None
        return await self._tenant(
            found, RequestPlace(team, found.enterprise_id, found.is_enterprise_install, team)
        )

    def partnerships_served(self, found: StoredInstallation, place: RequestPlace) -> frozenset[str]:
        team = place.team_id or found.team_id
        enterprise = place.enterprise_id or found.enterprise_id
        # A partner organisation's workspace (slack_connect.teams) serves the partnership too, but
        # only its own people are recognised there (bot.config.tenancy.identify: by team and id).
        return frozenset(
            p.id
            for p in self.config.partnerships
            if p.id == found.partnership_id
            or serves(p, team, enterprise)
            or (p.slack_connect.allowed and team in p.slack_connect.teams)
        )

    async def _tenant(self, found: StoredInstallation, place: RequestPlace) -> Tenant | None:
        token = await self._fresh_token(found)
        if token is None:
            return None
        expires_at = found.bot_token_expires_at
        if token != found.bot_token:  # just refreshed
            refreshed = await self.store.get(found.id)
            expires_at = refreshed.bot_token_expires_at if refreshed is not None else None
        return Tenant(
            team_id=place.team_id or found.team_id,
            enterprise_id=place.enterprise_id or found.enterprise_id,
            token=token,
            installation_id=found.id,
            bot_user_id=found.bot_user_id,
            actor_team_id=place.actor_team_id,
            partnerships=self.partnerships_served(found, place),
            token_expires_at=expires_at,
        )

    # -- token rotation ------------------------------------------------------------------------------

    async def _fresh_token(self, found: StoredInstallation) -> str | None:
        if not _expiring(found.bot_token_expires_at, self.clock.now()) or not found.bot_refresh_token:
            return found.bot_token
        lock = self._refreshing.setdefault(found.id, asyncio.Lock())
        async with lock:
            current = await self.store.get(found.id)  # another request may have refreshed it meanwhile
            if current is None:
                return None
            if not _expiring(current.bot_token_expires_at, self.clock.now()) or not current.bot_refresh_token:
                return current.bot_token
            try:
                data = await self.gateway.oauth_v2_access(
                    client_id=self.settings.slack_client_id,
                    client_secret=self.settings.slack_client_secret,
                    grant_type="refresh_token",
                    refresh_token=current.bot_refresh_token,
                )
            except SlackError as exc:
                log.warning("tenancy.refresh_failed", installation=found.id, error=exc.code)
                if exc.code in ("invalid_refresh_token", "token_revoked", "invalid_auth"):
                    return None
                return current.bot_token  # still valid for a few minutes: try again next time
            token = str(data.get("access_token") or "")
            if not token:
                return current.bot_token
            expires_in = data.get("expires_in")
            expires_at = self.clock.now() + timedelta(seconds=int(expires_in)) if expires_in else None
            await self.store.store_tokens(found.id, token, data.get("refresh_token"), expires_at)
            self.forget()
            log.info("tenancy.token_refreshed", installation=found.id)
            return token


def _expiring(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is not None and expires_at - REFRESH_MARGIN <= now
