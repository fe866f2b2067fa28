"""Starting a notification: `/review notify`, the global and message shortcuts, the Home button,
and the modal's submission. Each entry point acks at once and opens the same modal straight after
(the trigger_id lives three seconds)."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.access import Permission, decide
from bot.cases.opening import Idempotency, open_case, request_hash
from bot.cases.slack_sync import ensure_case_in_slack
from bot.clock import london_date
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import UserFacingError
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
from bot.slack.requester import Requester

log = get_logger(__name__)


def notifiable_partnerships(services: Services, user_id: str) -> list[Any]:
    return [
        services.config.partnership(a.partnership_id)
        for a in services.actors(user_id)
        if a.partnership_id and decide(a, Permission.NOTIFY)
    ]


def refusal_for(services: Services, user_id: str) -> str | None:
    if notifiable_partnerships(services, user_id):
        return None
    actors = services.actors(user_id)
    decision = decide(actors[0] if actors else services.actor(user_id), Permission.NOTIFY)
    return decision.message


def start_modal(services: Services, requester: Requester, context: ModalContext) -> str | None:
    """Open the modal in the background; return a refusal message instead if the person may not."""
    refusal = refusal_for(services, requester.user_id)
    if refusal is not None:
        return refusal
    partnerships = notifiable_partnerships(services, requester.user_id)
    view = build_modal(partnerships, context, today=london_date(services.clock.now()))
    if requester.trigger_id is None:
        return "Slack did not send what is needed to open a form. Please try again."

    async def _tell(text: str) -> None:
        await requester.tell(services.gateway, text)

    services.tasks.spawn(
        services.gateway.open_view(requester.trigger_id, view),
        name="open-notification-modal",
        urgent=True,
        tell=_tell,
    )
    return None


def register(features: Features) -> None:
    services = features.services

    async def notify_command(ctx: CommandContext) -> CommandReply:
        refusal = start_modal(services, ctx.requester, ModalContext(None))
        return CommandReply(text=refusal) if refusal else CommandReply(text="")

    features.router.add(
        "notify", "notify", "notify a serious incident and open a case", notify_command, order=10
    )

    @features.global_shortcut(CallbackId.START_NOTIFICATION)
    async def from_global_shortcut(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        requester = Requester.from_body(body)
        refusal = start_modal(services, requester, ModalContext(None))
        if refusal:
            services.tasks.spawn(services.gateway.send_dm(requester.user_id, refusal), name="tell-refusal")

    @features.message_shortcut(CallbackId.NOTIFY_FROM_MESSAGE)
    async def from_message(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        requester = Requester.from_body(body)
        # Link to the message (channel and ts) and never read its text: it may identify the child.
        channel = (body.get("channel") or {}).get("id")
        ts = (body.get("message") or {}).get("ts") or body.get("message_ts")
        refusal = start_modal(services, requester, ModalContext(None, channel, ts))
        if refusal:
            services.tasks.spawn(requester.tell(services.gateway, refusal), name="tell-refusal")

    @features.action(ActionId.HOME_NEW_NOTIFICATION)
    async def from_home(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        requester = Requester.from_body(body)
        refusal = start_modal(services, requester, ModalContext(None))
        if refusal:
            services.tasks.spawn(services.gateway.send_dm(requester.user_id, refusal), name="tell-refusal")

    @features.action({"block_id": "partnership", "action_id": "partnership"})
    async def partnership_chosen(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        view = body.get("view") or {}
        chosen = ((body.get("actions") or [{}])[0].get("selected_option") or {}).get("value")
        old = ModalContext.load(view.get("private_metadata"))
        partnerships = notifiable_partnerships(services, Requester.from_body(body).user_id)
        if chosen not in {p.id for p in partnerships}:
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

    @features.view(CallbackId.NOTIFICATION_MODAL)
    async def on_submit(ack: AsyncAck, body: dict[str, Any]) -> None:
        view = body["view"]
        user = Requester.from_body(body).user_id
        context = ModalContext.load(view.get("private_metadata"))
        partnerships = notifiable_partnerships(services, user)
        partnership = next((p for p in partnerships if p.id == context.partnership_id), None)
        if partnership is None:
            refusal = refusal_for(services, user) or "Choose the partnership first."
            if refusal_for(services, user) is None:
                await ack(response_action="errors", errors={"partnership": refusal})
            else:
                await ack(response_action="update", view=refusal_view(refusal))
            return
        now = services.clock.now()
        form, errors = read_submission((view.get("state") or {}).get("values") or {}, now=now)
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
