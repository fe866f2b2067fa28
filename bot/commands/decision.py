"""Recording the rapid review decision: `/review decision`, the "Edit decision" button and the modal.

The modal reports every problem beside its field (response_action errors) and changes nothing until
the whole form is acceptable.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.access import Permission
from bot.cases.models import Case
from bot.cases.slack_sync import request_card_refresh
from bot.commands.finders import CASE_HERE, CASE_IN_METADATA, CASE_ON_BUTTON, admitted_case
from bot.commands.gate import Allowed, Needs, NotThere
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.deadlines.planning import case_lifecycle
from bot.errors import BadInput, UserFacingError
from bot.rapid_review.decision import (
    check,
    current_decision,
    ensure_decision_open,
    immediate_actions,
    record_decision,
    today_of,
)
from bot.rapid_review.loading import action_line
from bot.rapid_review.messages import refresh_checklist, refresh_decision, tell_voided
from bot.rapid_review.modals import decision_modal, read_decision
from bot.rapid_review.models import RapidReview
from bot.runtime.services import Services
from bot.slack.ids import ActionId, CallbackId
from bot.slack.payloads import view_values
from bot.slack.requester import Requester


async def decision_form(services: Services, case_id: int) -> dict[str, Any]:
    """The modal for this case (the gate has admitted the person to record the decision)."""
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        if case is None:
            raise NotThere()
        ensure_decision_open(case, await session.get(RapidReview, case.id))
        current = await current_decision(session, case.id)
        actions = [
            action_line(services, case.partnership_id, a) for a in await immediate_actions(session, case.id)
        ]
    partnership = services.config.partnership(case.partnership_id)
    agencies = [(a.id, a.name) for a in partnership.agencies]
    lifecycle = case_lifecycle(case)
    return decision_modal(
        case.id,
        case.reference,
        case.nation,
        agencies,
        current,
        actions,
        review_name=lifecycle.review_name if lifecycle else None,
        national_question=lifecycle.national_review_question if lifecycle else True,
    )


def register(features: Features) -> None:
    services = features.services

    def _open(requester: Requester, view: dict[str, Any]) -> None:
        if requester.trigger_id is None:
            raise BadInput("Slack did not send what is needed to open a form. Please try again.")
        services.tasks.spawn(
            services.gateway.open_view(requester.trigger_id, view), name="open-decision-modal", urgent=True
        )

    async def decision(ctx: CommandContext) -> CommandReply:
        _open(ctx.requester, await decision_form(services, ctx.admitted.case.case_id))
        return CommandReply(text="")

    features.subcommand(
        "decision",
        "decision",
        "record or change the rapid review decision (business unit, chair)",
        decision,
        needs=Needs(Permission.RECORD_DECISION, CASE_HERE),
        order=32,
    )

    @features.action(ActionId.DECISION_EDIT, needs=Needs(Permission.RECORD_DECISION, CASE_ON_BUTTON))
    async def edit(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        _open(Requester.from_body(body), await decision_form(services, allowed.case.case_id))

    @features.view(CallbackId.DECISION_MODAL, needs=Needs(Permission.RECORD_DECISION, CASE_IN_METADATA))
    async def submitted(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        user = allowed.user_id
        case = await admitted_case(services, allowed)
        partnership = services.config.partnership(case.partnership_id)
        lifecycle = case_lifecycle(case)
        form, errors = check(
            partnership,
            read_decision(view_values(body)),
            today=today_of(services),
            national_question=lifecycle.national_review_question if lifecycle else True,
        )
        if form is None:
            await ack(response_action="errors", errors=errors)
            return
        try:
            recorded = await record_decision(services, case.id, user, form)
        except UserFacingError as exc:
            await ack(response_action="errors", errors={exc.field or "rationale": exc.text})
            return
        await ack()
        services.tasks.spawn(refresh_decision(services, case.id), name="refresh-decision")
        services.tasks.spawn(refresh_checklist(services, case.id), name="refresh-checklist")
        request_card_refresh(services, case.id)
        if recorded.voided_signatories:
            services.tasks.spawn(
                tell_voided(
                    services, recorded.reference, recorded.version, user, recorded.voided_signatories
                ),
                name="tell-voided",
            )
