"""`/review finding` in a case channel: record a review finding (its typology category, and whether it
is a recommendation or an issue for the board). A recommendation can become an action at once."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.access import Permission
from bot.actions.findings import finding_modal, finding_saved_view, read_finding_form, record_finding
from bot.commands.finders import CASE_HERE, CASE_IN_METADATA
from bot.commands.gate import Allowed, Needs
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput, UserFacingError
from bot.learning_together.episodes import episode_options
from bot.privacy.guard import guard
from bot.slack.ids import CallbackId
from bot.slack.payloads import view_values


def register(features: Features) -> None:
    services = features.services

    async def finding_command(ctx: CommandContext) -> CommandReply:
        case = ctx.admitted.case
        if ctx.requester.trigger_id is None:
            raise BadInput("Slack did not send what is needed to open a form. Please try again.")

        async def _tell(text: str) -> None:
            await ctx.requester.tell(services.gateway, text)

        services.tasks.spawn(
            services.gateway.open_view(ctx.requester.trigger_id, finding_modal(
                case.case_id, case.reference, await episode_options(services, case.case_id))),
            name="open-finding-modal", urgent=True,
            tell=_tell,
        )
        return CommandReply(text="")

    record = Needs(Permission.RECORD_FINDING, CASE_HERE)
    features.subcommand(
        "finding",
        "finding",
        "record a review finding (typology, recommendation or board issue)",
        finding_command,
        needs=record,
        order=52,
    )

    @features.view(CallbackId.FINDING_MODAL, needs=Needs(Permission.RECORD_FINDING, CASE_IN_METADATA))
    async def submitted(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        view = body["view"]
        user = allowed.user_id
        case_id = allowed.case.case_id
        form, errors = read_finding_form(view_values(body))
        if form is None:
            await ack(response_action="errors", errors=errors)
            return
        partnership = services.config.partnership(allowed.case.partnership_id)
        verdict = guard(
            form.summary, mode=partnership.identifier_guard, allowed_terms=partnership.allowed_terms()
        )
        if not verdict.ok:
            await ack(response_action="errors", errors={"summary": verdict.message})
            return
        try:
            recorded = await record_finding(
                services, case_id, actor_user_id=user, form=form, idempotency_key=str(view.get("id"))
            )
        except UserFacingError as exc:
            await ack(response_action="errors", errors={"episodes": exc.text})
            return
        await ack(response_action="update", view=finding_saved_view(recorded, form.typology))
