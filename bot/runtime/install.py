"""OAuth v2 install: ``/slack/install`` and ``/slack/oauth_redirect`` (only with SLACK_CLIENT_ID/SECRET).

``/slack/install`` stores a one-time state (10 minutes) server-side and shows an "Add to Slack" page
whose link goes to Slack's authorise page (the host of SLACK_API_URL: slack.com, or the stand-in).
``/slack/oauth_redirect`` takes the state back once, exchanges the code with ``oauth.v2.access``
through SLACK_API_URL, and stores the installation with its bot token (and refresh token, with
token rotation) encrypted. Nothing about the token is shown or logged.
"""

from __future__ import annotations

import html
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import delete

from bot.observability import get_logger
from bot.runtime.services import Services
from bot.slack.errors import SlackError
from bot.slack.gateway import required_scopes
from bot.tenants.models import OAuthState

log = get_logger(__name__)

STATE_LIFETIME = timedelta(minutes=10)


def authorize_url(services: Services, state: str) -> str:
    """Slack's authorise page: https://slack.com/oauth/v2/authorize, or the stand-in's beside its /api/."""
    settings = services.settings
    base = settings.slack_api_url.rstrip("/")
    base = base[: -len("/api")] if base.endswith("/api") else base
    query: dict[str, str] = {
        "client_id": settings.slack_client_id,
        "scope": ",".join(sorted(required_scopes())),
        "state": state,
    }
    if settings.install_redirect_url:
        query["redirect_uri"] = settings.install_redirect_url
    return f"{base}/oauth/v2/authorize?{urlencode(query)}"


def build_install_router(services: Services) -> APIRouter:
    router = APIRouter()
    tenancy = services.tenancy
    assert tenancy is not None

    @router.get("/slack/install", include_in_schema=False)
    async def install() -> HTMLResponse:
        state = secrets.token_urlsafe(24)
        now = services.clock.now()
        async with services.db.session() as session:
            await session.execute(delete(OAuthState).where(OAuthState.expires_at < now))
            session.add(OAuthState(state=state, created_at=now, expires_at=now + STATE_LIFETIME))
        url = authorize_url(services, state)
        return HTMLResponse(
            _page(
                "Install ReviewBot",
                f'<p><a id="add-to-slack" href="{html.escape(url)}">Add to Slack</a></p>'
                "<p>The link works once, for 10 minutes.</p>",
            ),
            headers={"Cache-Control": "no-store", "Link": f'<{url}>; rel="authorize"'},
        )

    @router.get("/slack/oauth_redirect", include_in_schema=False)
    async def oauth_redirect(request: Request) -> HTMLResponse:
        params = request.query_params
        state, code = params.get("state") or "", params.get("code") or ""
        if not await _take_state(services, state):
            log.info("install.bad_state")
            return HTMLResponse(
                _page(
                    "Install link expired",
                    "<p>This install link has expired or was already used. "
                    '<a href="/slack/install">Start again</a>.</p>',
                ),
                status_code=400,
            )
        if params.get("error") or not code:
            log.info("install.cancelled", error=(params.get("error") or "no_code")[:40])
            return HTMLResponse(
                _page(
                    "Install cancelled",
                    '<p>Nothing was installed. <a href="/slack/install">Try again</a>.</p>',
                ),
                status_code=400 if not params.get("error") else 200,
            )
        try:
            data = await services.gateway.oauth_v2_access(
                client_id=services.settings.slack_client_id,
                client_secret=services.settings.slack_client_secret,
                code=code,
                redirect_uri=services.settings.install_redirect_url or None,
            )
        except SlackError as exc:
            log.warning("install.exchange_failed", error=exc.code)
            return HTMLResponse(
                _page(
                    "Install failed",
                    f"<p>Slack did not accept the install ({html.escape(exc.code)}). "
                    '<a href="/slack/install">Start again</a>.</p>',
                ),
                status_code=400,
            )
        saved = await save_from_oauth(services, data)
        if saved is None:
            return HTMLResponse(_page("Install failed", "<p>Slack's answer had no bot token.</p>"), 400)
        where, bound = saved
        note = (
            "It serves " + html.escape(", ".join(sorted(bound))) + "."
            if bound
            else "It is not bound to a partnership yet: an administrator adds this workspace's id to "
            "the partnership file (<code>team_ids</code>) or runs "
            "<code>reviewbot installations bind</code>."
        )
        return HTMLResponse(_page("ReviewBot installed", f"<p>ReviewBot is installed in {where}. {note}</p>"))

    return router


async def _take_state(services: Services, state: str) -> bool:
    """Use a state once, within its lifetime (deleting it whatever else happens)."""
    if not state or len(state) > 64:
        return False
    async with services.db.session() as session:
        result = await session.execute(
            delete(OAuthState)
            .where(OAuthState.state == state, OAuthState.expires_at >= services.clock.now())
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


async def save_from_oauth(services: Services, data: dict[str, Any]) -> tuple[str, frozenset[str]] | None:
    """Store the installation oauth.v2.access describes (Slack's shape); where it is and what it serves."""
    tenancy = services.tenancy
    assert tenancy is not None
    token = data.get("access_token")
    if not isinstance(token, str) or not token or data.get("token_type", "bot") != "bot":
        log.warning("install.no_bot_token")
        return None
    team = _dict(data.get("team"))
    enterprise = _dict(data.get("enterprise"))
    authed = _dict(data.get("authed_user"))
    is_org = bool(data.get("is_enterprise_install"))
    expires_in = data.get("expires_in")
    installation_id = await tenancy.store.save_installation(
        enterprise_id=enterprise.get("id"),
        enterprise_name=enterprise.get("name"),
        team_id=None if is_org else team.get("id"),
        team_name=team.get("name"),
        is_enterprise_install=is_org,
        app_id=data.get("app_id"),
        bot_user_id=str(data.get("bot_user_id") or ""),
        bot_id=data.get("bot_id"),
        bot_scopes=str(data.get("scope") or ""),
        bot_token=token,
        bot_refresh_token=data.get("refresh_token") or None,
        bot_token_expires_at=(
            services.clock.now() + timedelta(seconds=int(expires_in)) if expires_in else None
        ),
        installer_user_id=authed.get("id"),
    )
    log.info(
        "install.saved",
        installation=installation_id,
        team=None if is_org else team.get("id"),
        enterprise=enterprise.get("id"),
        org_wide=is_org,
        rotating=bool(data.get("refresh_token")),
    )
    tenancy.forget()
    found = await tenancy.store.get(installation_id)
    bound: frozenset[str] = frozenset()
    if found is not None:
        from bot.tenants.ids import RequestPlace

        bound = tenancy.partnerships_served(
            found, RequestPlace(found.team_id, found.enterprise_id, found.is_enterprise_install, None)
        )
    name = enterprise.get("name") if is_org else team.get("name")
    return html.escape(str(name or (enterprise.get("id") if is_org else team.get("id")) or "Slack")), bound


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
