"""Partner sign-off and the Panel: the "Sign off for <agency>" buttons, "Sent to the Panel today", the
Panel's reply menu, `/review panel sent [DD/MM/YYYY]` and `/review panel reply agrees|disagrees|national`."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.cases.slack_sync import request_card_refresh
from bot.commands.checklist import case_here
from bot.commands.registry import Features
from bot.commands.returns import parse_day
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput
from bot.rapid_review.messages import refresh_checklist, refresh_decision
from bot.rapid_review.signoff import record_panel_response, record_sent_to_panel, sign_off
from bot.rapid_review.states import PanelResponse
from bot.runtime.services import Services
from bot.slack.ids import ActionId
from bot.slack.requester import Requester

SIGN_OFF_ACTION = re.compile(rf"^{ActionId.SIGN_OFF}:[a-z0-9-]+$")
REPLY_WORDS = {
    "agrees": PanelResponse.AGREES,
    "agree": PanelResponse.AGREES,
    "disagrees": PanelResponse.DISAGREES,
    "disagree": PanelResponse.DISAGREES,
    "national": PanelResponse.NATIONAL_REVIEW,
    "national_review": PanelResponse.NATIONAL_REVIEW,
}
PANEL_USAGE = (
    "`/review panel sent [DD/MM/YYYY]` or `/review panel reply agrees|disagrees|national [DD/MM/YYYY]`"
)


def refresh_all(services: Services, case_id: int) -> None:
    services.tasks.spawn(refresh_decision(services, case_id), name="refresh-decision")
    services.tasks.spawn(refresh_checklist(services, case_id), name="refresh-checklist")
    request_card_refresh(services, case_id)


def _case_id(body: dict[str, Any]) -> int:
    action = (body.get("actions") or [{}])[0]
    raw = str(action.get("value") or (action.get("selected_option") or {}).get("value") or "").split("|")[0]
    if not raw.isdecimal():
        raise BadInput("That button is out of date. Run `/review status` for the current card.")
    return int(raw)


def register(features: Features) -> None:
    services = features.services

    @features.action(SIGN_OFF_ACTION)
    async def signed(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        requester = Requester.from_body(body)
        agency_id = str((body.get("actions") or [{}])[0].get("action_id", "")).partition(":")[2]
        outcome = await sign_off(services, _case_id(body), agency_id, requester.user_id)
        refresh_all(services, outcome.case_id)

    @features.action(ActionId.PANEL_SENT)
    async def sent(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        step = await record_sent_to_panel(services, _case_id(body), Requester.from_body(body).user_id)
        refresh_all(services, step.case_id)

    @features.action(ActionId.PANEL_RESPONSE)
    async def replied(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        raw = str((((body.get("actions") or [{}])[0]).get("selected_option") or {}).get("value") or "")
        try:
            response = PanelResponse(raw.partition("|")[2])
        except ValueError:
            raise BadInput("That menu is out of date.") from None
        step = await record_panel_response(
            services, _case_id(body), Requester.from_body(body).user_id, response
        )
        refresh_all(services, step.case_id)

    async def panel(ctx: CommandContext) -> CommandReply:
        case = await case_here(services, ctx.channel_id, "panel")
        words = ctx.args.lower().split()
        if not words or words[0] not in ("sent", "reply"):
            raise BadInput("Say what happened.", PANEL_USAGE)
        if words[0] == "sent":
            step = await record_sent_to_panel(
                services, case.id, ctx.user_id, parse_day(words[1]) if len(words) > 1 else None
            )
            refresh_all(services, case.id)
            return CommandReply(
                text=f"Recorded: the rapid review for {step.reference} went to the Panel on "
                f"{step.on:%d/%m/%Y}. ReviewBot will chase the Panel's reply."
            )
        if len(words) < 2 or words[1] not in REPLY_WORDS:
            raise BadInput("Say what the Panel replied.", PANEL_USAGE)
        step = await record_panel_response(
            services,
            case.id,
            ctx.user_id,
            REPLY_WORDS[words[1]],
            parse_day(words[2]) if len(words) > 2 else None,
        )
        refresh_all(services, case.id)
        return CommandReply(
            text=f"Recorded the Panel's reply for {step.reference} ({step.on:%d/%m/%Y}). "
            f"Stage: {step.stage.replace('_', ' ')}."
        )

    features.router.add(
        "panel",
        "panel sent [DD/MM/YYYY] | panel reply agrees|disagrees|national [DD/MM/YYYY]",
        "record the rapid review going to the Panel, and the Panel's reply (business unit, chair)",
        panel,
        order=33,
    )
