"""Slack telling us an installation is gone: ``app_uninstalled`` and ``tokens_revoked`` disable it.

They change something only with OAuth installs (with SLACK_BOT_TOKEN the token is the deployment's to
remove); the listeners are registered in both modes, so the manifest is the same for both.
Both events come signed from Slack and carry no person, so they need no permission; the installation
disabled is the one the event's own team (or organisation) resolved to.
"""

from __future__ import annotations

from typing import Any

from bot.commands.gate import PUBLIC, Allowed
from bot.commands.registry import Features
from bot.observability import get_logger
from bot.slack.tenant import current_tenant

log = get_logger(__name__)


def register(features: Features) -> None:
    services = features.services

    async def disable(reason: str, event: dict[str, Any]) -> None:
        tenancy = services.tenancy
        tenant = current_tenant.get()
        if tenancy is None or tenant is None:
            return  # one workspace (SLACK_BOT_TOKEN): the deployment removes its own token
        if reason == "tokens_revoked":
            tokens = _dict(event.get("tokens"))
            if not tokens.get("bot"):
                return  # only user tokens were revoked: ReviewBot holds none
        if tenant.installation_id is None:
            return
        done = await tenancy.store.disable_installation(tenant.installation_id, reason)
        tenancy.forget()
        log.info(
            "install.disabled",
            reason=reason,
            installation=tenant.installation_id,
            team=tenant.team_id,
            enterprise=tenant.enterprise_id,
            done=done,
        )

    @features.event("app_uninstalled", needs=PUBLIC)
    async def on_uninstalled(event: dict[str, Any], allowed: Allowed) -> None:
        await disable("app_uninstalled", event)

    @features.event("tokens_revoked", needs=PUBLIC)
    async def on_tokens_revoked(event: dict[str, Any], allowed: Allowed) -> None:
        await disable("tokens_revoked", event)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
