"""The installation store on ReviewBot's own tables (SQLite and PostgreSQL), async.

It speaks slack_sdk's ``AsyncInstallationStore`` interface (save, find_bot, find_installation,
delete_*), so bolt's installation-store authorisation could use it as it is, and adds what ReviewBot
needs besides: disabling an installation when Slack says it was uninstalled or its tokens revoked,
storing refreshed tokens, binding an installation to a partnership, and re-encrypting every token
with the first key. Tokens go into the database only encrypted (:class:`TokenCipher`).

A request is matched to an installation by its workspace first, then by its organisation's org-wide
install: ``(enterprise, team)`` for a workspace install, ``(enterprise, -)`` for Enterprise Grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from logging import Logger, getLogger
from typing import Any

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation as SdkInstallation
from sqlalchemy import and_, select, update

from bot.clock import Clock
from bot.db.engine import Database
from bot.tenants.crypto import TokenCipher
from bot.tenants.models import Installation


@dataclass(frozen=True)
class StoredInstallation:
    """An active installation with its token decrypted (held in memory only)."""

    id: int
    enterprise_id: str | None
    team_id: str | None
    is_enterprise_install: bool
    bot_user_id: str
    bot_id: str | None
    app_id: str | None
    bot_scopes: str
    partnership_id: str | None
    bot_token: str
    bot_refresh_token: str | None
    bot_token_expires_at: datetime | None
    installed_at: datetime


class InstallationStore(AsyncInstallationStore):
    def __init__(self, db: Database, cipher: TokenCipher, clock: Clock) -> None:
        self.db = db
        self.cipher = cipher
        self.clock = clock

    @property
    def logger(self) -> Logger:
        return getLogger(__name__)

    # -- ReviewBot's own use ------------------------------------------------------------------------

    async def save_installation(
        self,
        *,
        enterprise_id: str | None,
        enterprise_name: str | None,
        team_id: str | None,
        team_name: str | None,
        is_enterprise_install: bool,
        app_id: str | None,
        bot_user_id: str,
        bot_id: str | None,
        bot_scopes: str,
        bot_token: str,
        bot_refresh_token: str | None,
        bot_token_expires_at: datetime | None,
        installer_user_id: str | None,
        partnership_id: str | None = None,
    ) -> int:
        """Insert or replace the installation of this workspace (or organisation); re-enables it."""
        now = self.clock.now()
        team_key = None if is_enterprise_install else team_id
        async with self.db.session() as session:
            row = (
                await session.execute(
                    select(Installation)
                    .where(_same_place(enterprise_id, team_key, is_enterprise_install))
                    .order_by(Installation.id.desc())
                    .limit(1)
                )
            ).scalar_one_or_none()
            if row is None:
                row = Installation(installed_at=now, is_enterprise_install=is_enterprise_install)
                session.add(row)
            row.enterprise_id, row.enterprise_name = enterprise_id, enterprise_name
            row.team_id, row.team_name = team_key, team_name
            row.app_id, row.bot_user_id, row.bot_id = app_id, bot_user_id, bot_id
            row.bot_scopes = bot_scopes
            row.bot_token_encrypted = self.cipher.encrypt(bot_token)
            row.bot_refresh_token_encrypted = (
                self.cipher.encrypt(bot_refresh_token) if bot_refresh_token else None
            )
            row.bot_token_expires_at = bot_token_expires_at
            row.installer_user_id = installer_user_id
            if partnership_id is not None:
                row.partnership_id = partnership_id
            row.updated_at = now
            row.disabled_at, row.disabled_reason = None, None
            await session.flush()
            return int(row.id)

    async def find(self, enterprise_id: str | None, team_id: str | None) -> StoredInstallation | None:
        """The active installation serving this workspace: its own, else its organisation's."""
        async with self.db.session() as session:
            if team_id:
                row = (
                    await session.execute(
                        select(Installation)
                        .where(
                            Installation.team_id == team_id,
                            Installation.is_enterprise_install.is_(False),
                            Installation.disabled_at.is_(None),
                        )
                        .order_by(Installation.id.desc())
                        .limit(1)
                    )
                ).scalar_one_or_none()
                if row is not None and (not enterprise_id or row.enterprise_id in (None, enterprise_id)):
                    return self._open(row)
            if enterprise_id:
                row = (
                    await session.execute(
                        select(Installation)
                        .where(
                            Installation.enterprise_id == enterprise_id,
                            Installation.is_enterprise_install.is_(True),
                            Installation.disabled_at.is_(None),
                        )
                        .order_by(Installation.id.desc())
                        .limit(1)
                    )
                ).scalar_one_or_none()
                if row is not None:
                    return self._open(row)
        return None

    async def get(self, installation_id: int) -> StoredInstallation | None:
        async with self.db.session() as session:
            row = await session.get(Installation, installation_id)
            return self._open(row) if row is not None and row.disabled_at is None else None

    async def bound_to(self, partnership_id: str) -> StoredInstallation | None:
        """The active installation an administrator bound to this partnership, if any."""
        async with self.db.session() as session:
            row = (
                await session.execute(
                    select(Installation)
                    .where(Installation.partnership_id == partnership_id, Installation.disabled_at.is_(None))
                    .order_by(Installation.id.desc())
                    .limit(1)
                )
            ).scalar_one_or_none()
            return self._open(row) if row is not None else None

    async def disable(self, enterprise_id: str | None, team_id: str | None, reason: str) -> int:
        """app_uninstalled / tokens_revoked: the installation(s) of this place authorise nothing more."""
        now = self.clock.now()
        where = (
            _same_place(enterprise_id, team_id, False) if team_id else _same_place(enterprise_id, None, True)
        )
        async with self.db.session() as session:
            result = await session.execute(
                update(Installation)
                .where(where, Installation.disabled_at.is_(None))
                .values(disabled_at=now, disabled_reason=reason[:32], updated_at=now)
                .execution_options(synchronize_session=False)
            )
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def disable_installation(self, installation_id: int, reason: str) -> bool:
        now = self.clock.now()
        async with self.db.session() as session:
            row = await session.get(Installation, installation_id)
            if row is None or row.disabled_at is not None:
                return False
            row.disabled_at, row.disabled_reason, row.updated_at = now, reason[:32], now
            return True

    async def store_tokens(
        self, installation_id: int, token: str, refresh_token: str | None, expires_at: datetime | None
    ) -> None:
        async with self.db.session() as session:
            row = await session.get(Installation, installation_id)
            if row is None:
                return
            row.bot_token_encrypted = self.cipher.encrypt(token)
            if refresh_token:
                row.bot_refresh_token_encrypted = self.cipher.encrypt(refresh_token)
            row.bot_token_expires_at = expires_at
            row.updated_at = self.clock.now()

    async def bind(self, installation_id: int, partnership_id: str | None) -> bool:
        async with self.db.session() as session:
            row = await session.get(Installation, installation_id)
            if row is None:
                return False
            row.partnership_id = partnership_id
            row.updated_at = self.clock.now()
            return True

    async def listing(self) -> list[Installation]:
        """Every installation, active or not (tokens stay encrypted)."""
        async with self.db.session() as session:
            rows = (await session.execute(select(Installation).order_by(Installation.id))).scalars().all()
            session.expunge_all()
            return list(rows)

    async def rotate_key(self) -> int:
        """Re-encrypt every stored token with the first key; returns how many rows were rewritten."""
        count = 0
        async with self.db.session() as session:
            for row in (await session.execute(select(Installation))).scalars():
                row.bot_token_encrypted = self.cipher.rotate(row.bot_token_encrypted)
                if row.bot_refresh_token_encrypted:
                    row.bot_refresh_token_encrypted = self.cipher.rotate(row.bot_refresh_token_encrypted)
                count += 1
        return count

    def _open(self, row: Installation) -> StoredInstallation:
        return StoredInstallation(
            id=row.id,
            enterprise_id=row.enterprise_id,
            team_id=row.team_id,
            is_enterprise_install=bool(row.is_enterprise_install),
            bot_user_id=row.bot_user_id,
            bot_id=row.bot_id,
            app_id=row.app_id,
            bot_scopes=row.bot_scopes,
            partnership_id=row.partnership_id,
            bot_token=self.cipher.decrypt(row.bot_token_encrypted),
            bot_refresh_token=(
                self.cipher.decrypt(row.bot_refresh_token_encrypted)
                if row.bot_refresh_token_encrypted
                else None
            ),
            bot_token_expires_at=row.bot_token_expires_at,
            installed_at=row.installed_at,
        )

    # -- slack_sdk's AsyncInstallationStore --------------------------------------------------------

    async def async_save(self, installation: SdkInstallation) -> None:
        expires_at = installation.bot_token_expires_at
        await self.save_installation(
            enterprise_id=installation.enterprise_id,
            enterprise_name=installation.enterprise_name,
            team_id=installation.team_id,
            team_name=installation.team_name,
            is_enterprise_install=bool(installation.is_enterprise_install),
            app_id=installation.app_id,
            bot_user_id=installation.bot_user_id or "",
            bot_id=installation.bot_id,
            bot_scopes=",".join(installation.bot_scopes or []),
            bot_token=installation.bot_token or "",
            bot_refresh_token=installation.bot_refresh_token,
            bot_token_expires_at=_from_epoch(expires_at),
            installer_user_id=installation.user_id,
        )

    async def async_save_bot(self, bot: Bot) -> None:
        await self.save_installation(
            enterprise_id=bot.enterprise_id,
            enterprise_name=bot.enterprise_name,
            team_id=bot.team_id,
            team_name=bot.team_name,
            is_enterprise_install=bool(bot.is_enterprise_install),
            app_id=bot.app_id,
            bot_user_id=bot.bot_user_id,
            bot_id=bot.bot_id,
            bot_scopes=",".join(bot.bot_scopes or []),
            bot_token=bot.bot_token,
            bot_refresh_token=bot.bot_refresh_token,
            bot_token_expires_at=_from_epoch(bot.bot_token_expires_at),
            installer_user_id=None,
        )

    async def async_find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        found = await self.find(enterprise_id, None if is_enterprise_install else team_id)
        if found is None:
            return None
        return Bot(**_bot_fields(found))

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> SdkInstallation | None:
        if user_id is not None:
            return None  # ReviewBot asks for no user tokens
        found = await self.find(enterprise_id, None if is_enterprise_install else team_id)
        if found is None:
            return None
        return SdkInstallation(user_id="", **_bot_fields(found))

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.disable(enterprise_id, team_id, "deleted")

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        if user_id is None:
            await self.disable(enterprise_id, team_id, "deleted")


def _same_place(enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool) -> Any:
    enterprise = (
        Installation.enterprise_id.is_(None)
        if enterprise_id is None
        else Installation.enterprise_id == enterprise_id
    )
    if is_enterprise_install:
        return and_(enterprise, Installation.is_enterprise_install.is_(True))
    return and_(
        Installation.team_id == team_id,
        Installation.is_enterprise_install.is_(False),
        enterprise if enterprise_id is not None else Installation.team_id == team_id,
    )


def _from_epoch(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromtimestamp(int(value), UTC)


def _bot_fields(found: StoredInstallation) -> dict[str, Any]:
    return {
        "app_id": found.app_id,
        "enterprise_id": found.enterprise_id,
        "team_id": found.team_id,
        "bot_token": found.bot_token,
        "bot_id": found.bot_id or "",
        "bot_user_id": found.bot_user_id,
        "bot_scopes": found.bot_scopes,
        "bot_refresh_token": found.bot_refresh_token,
        "bot_token_expires_at": (
            int(found.bot_token_expires_at.timestamp()) if found.bot_token_expires_at else None
        ),
        "is_enterprise_install": found.is_enterprise_install,
        "installed_at": found.installed_at.timestamp(),
    }


REFRESH_MARGIN = timedelta(minutes=10)
