"""Starting a notification: `/review notify`, the global and message shortcuts, the Home button,
and the modal's submission. Each entry point acks at once and opens the same modal straight after
(the trigger_id lives three seconds)."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.access import Permission
from bot.cases.opening import Idempotency, open_case, request_hash
from bot.cases.slack_sync import ensure_case_in_slack
from bot.clock import london_date
from bot.commands.gate import Allowed, Finder, Needs, Request, Target
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput, UserFacingError
from bot.notifications.form import problems_with
from bot.notifications.modal import (
    ModalContext,
    block_for,
    build_modal,
    confirmation_view,
    read_submission,
    refusal_view,
)
from bot.observability import get_logger
from bot.runtime.services import Services
from bot.slack.ids import ActionId, CallbackId
from bot.slack.payloads import action_value, view_values
from bot.slack.requester import Requester

log = get_logger(__name__)


def _partnerships(services: Services, allowed: Allowed) -> list[Any]:
    return [services.config.partnership(a.partnership_id) for a in allowed.actors if a.partnership_id]


def start_modal(services: Services, requester: Requester, allowed: Allowed, context: ModalContext) -> None:
    """Open the modal in the background, offering the partnerships the person may notify for."""
    partnerships = _partnerships(services, allowed)
    view = build_modal(partnerships, context, today=london_date(services.clock.now()))
    if requester.trigger_id is None:
        raise BadInput("Slack did not send what is needed to open a form. Please try again.")

    async def _tell(text: str) -> None:
        await requester.tell(services.gateway, text)

    services.tasks.spawn(
        services.gateway.open_view(requester.trigger_id, view),
        name="open-notification-modal",
        urgent=True,
        tell=_tell,
    )


async def _partnership_in_modal(services: Services, request: Request) -> Target:
    view = request.body.get("view")
    context = ModalContext.load(view.get("private_metadata") if isinstance(view, dict) else None)
    return Target(partnership_id=context.partnership_id)


PARTNERSHIP_IN_MODAL = Finder("the partnership chosen in the notification modal", _partnership_in_modal)
NOTIFY = Needs(Permission.NOTIFY)


def register(features: Features) -> None:
    services = features.services

    async def notify_command(ctx: CommandContext) -> CommandReply:
        start_modal(services, ctx.requester, ctx.admitted, ModalContext(None))
        return CommandReply(text="")

    features.subcommand(
        "notify",
        "notify",
        "notify a serious incident and open a case",
        notify_command,
        needs=NOTIFY,
        order=10,
    )

    @features.global_shortcut(CallbackId.START_NOTIFICATION, needs=NOTIFY)
    async def from_global_shortcut(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        start_modal(services, Requester.from_body(body), allowed, ModalContext(None))

    @features.message_shortcut(CallbackId.NOTIFY_FROM_MESSAGE, needs=NOTIFY)
    async def from_message(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        # Link to the message (channel and ts) and never read its text: it may identify the child.
        channel = (body.get("channel") or {}).get("id")
        ts = (body.get("message") or {}).get("ts") or body.get("message_ts")
        start_modal(services, Requester.from_body(body), allowed, ModalContext(None, channel, ts))

    @features.action(ActionId.HOME_NEW_NOTIFICATION, needs=NOTIFY)
    async def from_home(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        start_modal(services, Requester.from_body(body), allowed, ModalContext(None))

    @features.block_action("partnership", "partnership", needs=NOTIFY)
    async def partnership_chosen(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        view = body.get("view") or {}
        chosen = action_value(body)
        old = ModalContext.load(view.get("private_metadata"))
        partnerships = _partnerships(services, allowed)
        if chosen not in {p.id for p in partnerships} or not view.get("id"):
            return
        new_view = build_modal(
            partnerships,
            ModalContext(chosen, old.source_channel, old.source_ts),
            today=london_date(services.clock.now()),
        )
        services.tasks.spawn(
            services.gateway.update_view(view["id"], new_view, hash=view.get("hash")),
            name="modal-partnership",
        )

    @features.view(CallbackId.NOTIFICATION_MODAL, needs=Needs(Permission.NOTIFY, PARTNERSHIP_IN_MODAL))
    async def on_submit(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        view = body["view"]
        user = allowed.user_id
        context = ModalContext.load(view.get("private_metadata"))
        if allowed.target.partnership_id is None:
            await ack(response_action="errors", errors={"partnership": "Choose the partnership first."})
            return
        partnership = services.config.partnership(allowed.target.partnership_id)
        now = services.clock.now()
        form, errors = read_submission(view_values(body), now=now)
        if form is None:
            await ack(response_action="errors", errors=errors)
            return
        problems, warnings = problems_with(
            form,
            now=now,
            known_agencies={a.id for a in partnership.agencies},
            guard_mode=partnership.identifier_guard,
            allowed_terms=list(partnership.allowed_terms()),
        )
        if problems:
            errors = {}
            for field, message in problems.items():
                errors.setdefault(block_for(field), message)
            await ack(response_action="errors", errors=errors)
            return
        try:
            opened = await open_case(
                services,
                partnership,
                form,
                opened_by=user,
                actor_user_id=user,
                idempotency=Idempotency("modal", str(view.get("id")), request_hash({"view": view.get("id")})),
                source_message=(context.source_channel, context.source_ts)
                if context.source_channel and context.source_ts
                else None,
            )
        except UserFacingError as exc:
            await ack(response_action="update", view=refusal_view(exc.text))
            return
        await ack(response_action="update", view=confirmation_view(opened.reference, warnings=warnings))
        if opened.created:
            services.tasks.spawn(ensure_case_in_slack(services, opened.case_id), name="case-setup")
