"""`/review finding` in a case channel: record a review finding (its typology category, and whether it
is a recommendation or an issue for the board). A recommendation can become an action at once."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.access import Permission, decide
from bot.actions.findings import finding_modal, finding_saved_view, read_finding_form, record_finding
from bot.cases.models import Case
from bot.cases.service import case_by_channel, facts_of
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput, NotFound, ensure_allowed
from bot.privacy.guard import guard
from bot.slack.ids import CallbackId
from bot.slack.requester import Requester


def register(features: Features) -> None:
    services = features.services

    async def finding_command(ctx: CommandContext) -> CommandReply:
        async with services.db.session() as session:
            case = await case_by_channel(session, ctx.channel_id)
        if case is None:
            raise BadInput(
                "`/review finding` works in a case channel.", "Run it in the channel of the reviewed case."
            )
        ensure_allowed(
            decide(
                services.actor(ctx.user_id, case.partnership_id), Permission.RECORD_FINDING, facts_of(case)
            )
        )
        if ctx.requester.trigger_id is None:
            raise BadInput("Slack did not send what is needed to open a form. Please try again.")

        async def _tell(text: str) -> None:
            await ctx.requester.tell(services.gateway, text)

        services.tasks.spawn(
            services.gateway.open_view(ctx.requester.trigger_id, finding_modal(case.id, case.reference)),
            name="open-finding-modal", urgent=True,
            tell=_tell,
        )
        return CommandReply(text="")

    features.router.add(
        "finding",
        "finding",
        "record a review finding (typology, recommendation or board issue)",
        finding_command,
        order=52,
    )

    @features.view(CallbackId.FINDING_MODAL)
    async def submitted(ack: AsyncAck, body: dict[str, Any]) -> None:
        view = body["view"]
        user = Requester.from_body(body).user_id
        try:
            case_id = int(json.loads(view.get("private_metadata") or "{}")["c"])
        except (ValueError, KeyError, TypeError):
            raise BadInput("This form is out of date. Please start again.") from None
        form, errors = read_finding_form((view.get("state") or {}).get("values") or {})
        if form is None:
            await ack(response_action="errors", errors=errors)
            return
        async with services.db.session() as session:
            case = await session.get(Case, case_id)
        if case is None:
            raise NotFound("That case no longer exists.")
        partnership = services.config.partnership(case.partnership_id)
        verdict = guard(
            form.summary, mode=partnership.identifier_guard, allowed_terms=partnership.allowed_terms()
        )
        if not verdict.ok:
            await ack(response_action="errors", errors={"summary": verdict.message})
            return
        recorded = await record_finding(
            services, case_id, actor_user_id=user, form=form, idempotency_key=str(view.get("id"))
        )
        await ack(response_action="update", view=finding_saved_view(recorded, form.typology))
