"""Partner sign-off and the Panel: the "Sign off for <agency>" buttons, "Sent to the Panel today", the
Panel's reply menu, `/review panel sent [DD/MM/YYYY]` and `/review panel reply agrees|disagrees|national`."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.access import Permission
from bot.cases.slack_sync import request_card_refresh
from bot.commands.finders import CASE_ON_BUTTON
from bot.commands.gate import Allowed, Finder, Needs, OutOfDate, Request, Target
from bot.commands.registry import Features
from bot.rapid_review.free_text import agency_name
from bot.rapid_review.messages import refresh_checklist, refresh_decision
from bot.rapid_review.signoff import record_panel_response, record_sent_to_panel, sign_off
from bot.rapid_review.states import PanelResponse
from bot.runtime.services import Services
from bot.slack.ids import ActionId
from bot.slack.payloads import action_of, action_value

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


async def _sign_off_target(services: Services, request: Request) -> Target:
    target = await CASE_ON_BUTTON.find(services, request)
    agency_id = str(action_of(request.body).get("action_id", "")).partition(":")[2]
    assert target.case is not None
    name = agency_name(services.config.partnership(target.case.partnership_id), agency_id)
    return replace(target, target_agency=agency_id, target_agency_name=name)


SIGN_OFF_ON_BUTTON = Finder("the case on a sign-off button and the agency in its action_id", _sign_off_target)
PANEL = Needs(Permission.RECORD_DECISION, CASE_ON_BUTTON)


def register(features: Features) -> None:
    services = features.services

    @features.action(SIGN_OFF_ACTION, needs=Needs(Permission.SIGN_OFF, SIGN_OFF_ON_BUTTON))
    async def signed(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        agency = allowed.target.target_agency
        assert agency is not None
        outcome = await sign_off(services, allowed.case.case_id, agency, allowed.user_id)
        refresh_all(services, outcome.case_id)

    @features.action(ActionId.PANEL_SENT, needs=PANEL)
    async def sent(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        step = await record_sent_to_panel(services, allowed.case.case_id, allowed.user_id)
        refresh_all(services, step.case_id)

    @features.action(ActionId.PANEL_RESPONSE, needs=PANEL)
    async def replied(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        try:
            response = PanelResponse(action_value(body).partition("|")[2])
        except ValueError:
            raise OutOfDate("That menu") from None
        step = await record_panel_response(services, allowed.case.case_id, allowed.user_id, response)
        refresh_all(services, step.case_id)
