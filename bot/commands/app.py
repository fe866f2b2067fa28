"""The application factory: a bolt AsyncApp wired to our services, one feature module at a time.

Acking: the app runs with ``process_before_response=True`` and every listener acks first and
hands slow work to :class:`bot.runtime.tasks.BackgroundWork`. That answers Slack as soon as the listener
returns, without bolt's default 10 ms ack-polling loop, and keeps tests deterministic (they drain
the background work).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.commands import actions as actions_feature
from bot.commands import attendance as attendance_feature
from bot.commands import away as away_feature
from bot.commands import board as board_feature
from bot.commands import cases as cases_feature
from bot.commands import checklist as checklist_feature
from bot.commands import conversation as conversation_feature
from bot.commands import deadlines as deadlines_feature
from bot.commands import decision as decision_feature
from bot.commands import digest as digest_feature
from bot.commands import due as due_feature
from bot.commands import episode as episode_feature
from bot.commands import export as export_feature
from bot.commands import family as family_feature
from bot.commands import finding as finding_feature
from bot.commands import help as help_feature
from bot.commands import hold as hold_feature
from bot.commands import home as home_feature
from bot.commands import installations as installations_feature
from bot.commands import meeting as meeting_feature
from bot.commands import notify as notify_feature
from bot.commands import panel as panel_feature
from bot.commands import people as people_feature
from bot.commands import plan as plan_feature
from bot.commands import record as record_feature
from bot.commands import redact as redact_feature
from bot.commands import returns as returns_feature
from bot.commands import revise as revise_feature
from bot.commands import root as root_feature
from bot.commands import share as share_feature
from bot.commands import signoff as signoff_feature
from bot.commands import stage as stage_feature
from bot.commands import stats as stats_feature
from bot.commands import status as status_feature
from bot.commands import themes as themes_feature
from bot.commands.registry import Features
from bot.db.unavailable import is_database_unavailable
from bot.errors import DATABASE_UNAVAILABLE, UserFacingError, unexpected_message
from bot.observability import get_logger, new_error_ref, new_request_id, quiet_library_logger, request_id_var
from bot.runtime.services import Services
from bot.slack.requester import Requester
from bot.slack.tenant import current_tenant

log = get_logger(__name__)

_BOLT_NOISE = frozenset({warning_client_prioritized_and_token_skipped()})

FEATURES: list[ModuleType] = [
    help_feature,
    home_feature,
    notify_feature,
    status_feature,
    cases_feature,
    stage_feature,
    due_feature,
    deadlines_feature,
    revise_feature,
    away_feature,
    people_feature,
    meeting_feature,
    attendance_feature,
    checklist_feature,
    returns_feature,
    decision_feature,
    signoff_feature,
    panel_feature,
    record_feature,
    export_feature,
    actions_feature,
    finding_feature,
    plan_feature,
    episode_feature,
    conversation_feature,
    family_feature,
    hold_feature,
    board_feature,
    digest_feature,
    stats_feature,
    themes_feature,
    redact_feature,
    share_feature,
    installations_feature,
]


class TenantAuthorize(AsyncAuthorize):
    """Bolt's authorisation with OAuth installs: the installation bot.runtime.web resolved for this
    request (no auth.test call, no second database read). None (nothing installed) stops bolt."""

    async def __call__(
        self,
        *,
        context: AsyncBoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **_: Any,
    ) -> AuthorizeResult | None:
        tenant = current_tenant.get()
        if tenant is None:
            return None
        return AuthorizeResult(
            enterprise_id=tenant.enterprise_id,
            team_id=tenant.team_id,
            bot_user_id=tenant.bot_user_id,
            bot_token=tenant.token,
            user_id=user_id,
        )


def request_kind(body: dict[str, Any]) -> str:
    if "command" in body:
        return "command"
    kind = body.get("type")
    if kind == "event_callback":
        return "event"
    return str(kind or "unknown")


def create_bolt_app(
    services: Services, *, features: list[ModuleType] | None = None
) -> tuple[AsyncApp, Features]:
    # Bolt reads SLACK_BOT_TOKEN from the environment itself and warns that it is unused beside our
    # client ("As you gave `client` as well, `token` will be unused."): it is, by design.
    quiet_library_logger("slack_bolt.AsyncApp", drop=_BOLT_NOISE)
    app = AsyncApp(
        client=services.gateway.client,
        # OAuth installs: bot.runtime.web has resolved the request's own installation already.
        authorize=TenantAuthorize() if services.tenancy is not None else None,  # type: ignore[arg-type]
        signing_secret=services.settings.slack_signing_secret or "socket-mode-has-no-signing-secret",
        process_before_response=True,
        raise_error_for_unhandled_request=True,
        # Over HTTP, bot.runtime.web checks the signature and the 5-minute window before bolt sees the
        # request (401, nothing processed), so bolt's own check would be a second HMAC per request;
        # Socket Mode requests come over Slack's authenticated socket and carry no signature.
        request_verification_enabled=False,
    )
    registry = Features(app, services)

    if services.settings.socket_mode:  # over HTTP, bot.runtime.web sets the request id before dispatch

        @app.middleware
        async def request_context(
            req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[None]]
        ) -> Any:
            request_id_var.set(new_request_id())
            await next()

    @app.error
    async def on_error(error: Exception, body: dict[str, Any], response: BoltResponse | None) -> BoltResponse:
        return await _error_response(services, error, body, response)

    for feature in [root_feature, *(features if features is not None else FEATURES)]:
        feature.register(registry)
    return app, registry


async def _error_response(
    services: Services, error: Exception, body: dict[str, Any], response: BoltResponse | None
) -> BoltResponse:
    kind = request_kind(body)
    if isinstance(error, BoltUnhandledRequestError):
        # Something Slack sent that no listener wants (e.g. an old button); nothing to change.
        log.info("slack.unhandled", kind=kind)
        text = "That button or form is no longer in use. Run `/review help` to see what you can do."
    elif isinstance(error, UserFacingError):
        text = error.text
    elif is_database_unavailable(error):
        ref = new_error_ref()
        log.warning("slack.database_unavailable", kind=kind, ref=ref, error=type(error).__name__)
        text = f"{DATABASE_UNAVAILABLE} (Reference {ref}.)"
    else:
        ref = new_error_ref()
        services.metrics.background_errors.inc()
        log.error("slack.listener_failed", kind=kind, ref=ref, error=type(error).__name__, exc_info=error)
        text = unexpected_message(ref)
    if kind == "command":
        return BoltResponse(
            status=200,
            body=json.dumps({"response_type": "ephemeral", "text": text}),
            headers={"content-type": ["application/json"]},
        )
    if kind == "view_submission":
        view = {
            "type": "modal",
            "title": {"type": "plain_text", "text": "ReviewBot"},
            "close": {"type": "plain_text", "text": "Close"},
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
        }
        return BoltResponse(
            status=200,
            body=json.dumps({"response_action": "update", "view": view}),
            headers={"content-type": ["application/json"]},
        )
    if kind in ("block_actions", "shortcut", "message_action"):
        requester = Requester.from_body(body)
        if requester.user_id:
            services.tasks.spawn(requester.tell(services.gateway, text), name="tell-error")
    return BoltResponse(status=200, body="")
