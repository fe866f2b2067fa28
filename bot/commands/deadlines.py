"""Buttons on deadline reminders (Done, Snooze, Not applicable) and `/review revise`."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.access import Permission
from bot.calendar.working_days import format_day
from bot.cases.models import Case
from bot.cases.service import facts_of
from bot.cases.slack_sync import request_card_refresh
from bot.clock import LONDON
from bot.commands.gate import Allowed, Finder, Needs, NotThere, OutOfDate, Request, Target
from bot.commands.registry import Features
from bot.deadlines.models import Deadline
from bot.deadlines.service import (
    DeadlineContext,
    load,
    mark_done,
    mark_not_applicable,
    snooze,
    target_agency_for,
)
from bot.privacy.guard import guard
from bot.runtime.services import Services
from bot.slack.blocks import SECTION_TEXT_CUT, mrkdwn, plain_text
from bot.slack.ids import ActionId, CallbackId
from bot.slack.payloads import DeadlineMetadata, action_value, leading_id, read_metadata, view_values
from bot.slack.requester import Requester

REASON_LIMIT = 200


def reason_modal(deadline_id: int, label: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": CallbackId.DEADLINE_NOT_APPLICABLE_MODAL,
        "title": plain_text("Not applicable"),
        "submit": plain_text("Save"),
        "close": plain_text("Cancel"),
        "private_metadata": DeadlineMetadata(deadline=deadline_id).dump(),
        "blocks": [
            {"type": "section", "text": mrkdwn(f"*{label[:SECTION_TEXT_CUT]}*")},
            {
                "type": "input",
                "block_id": "reason",
                "label": plain_text("Why does this not apply?"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": "reason",
                    "multiline": True,
                    "max_length": REASON_LIMIT,
                },
                "hint": plain_text(
                    "For example: the case was found not to meet the notification criteria. No names."
                ),
            },
        ],
    }


def guarded_text(services: Services, partnership_id: str, text: str) -> str | None:
    partnership = services.config.partnership(partnership_id)
    verdict = guard(text, mode=partnership.identifier_guard, allowed_terms=partnership.allowed_terms())
    return None if verdict.ok else verdict.message


async def _acted(services: Services, body: dict[str, Any], text: str) -> None:
    """Replace the reminder's buttons with what was done, so nobody presses them twice."""
    requester = Requester.from_body(body)
    if requester.response_url:
        await services.gateway.respond(
            requester.response_url,
            {
                "replace_original": True,
                "text": text,
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
            },
        )


async def _deadline_target(services: Services, request: Request, deadline_id: int | None) -> Target:
    if deadline_id is None:
        raise OutOfDate()
    async with services.db.read() as session:
        row = await session.get(Deadline, deadline_id)
        case = await session.get(Case, row.case_id) if row is not None else None
        if row is None or case is None:
            raise NotThere()
        actor = services.actor(request.user_id, case.partnership_id)
        return Target(
            case=facts_of(case),
            target_agency=target_agency_for(services, case, row, actor),
            record_id=deadline_id,
        )


async def _on_button(services: Services, request: Request) -> Target:
    return await _deadline_target(services, request, leading_id(action_value(request.body)))


async def _in_metadata(services: Services, request: Request) -> Target:
    meta = read_metadata(DeadlineMetadata, request.body)
    return await _deadline_target(services, request, meta.deadline if meta else None)


DEADLINE_ON_BUTTON = Finder("the deadline id leading a reminder button's or option's value", _on_button)
DEADLINE_IN_METADATA = Finder("the deadline in the not-applicable modal's private_metadata", _in_metadata)
ACT_ON_DEADLINE = Needs(Permission.ACT_ON_DEADLINE, DEADLINE_ON_BUTTON)


async def admitted_deadline(services: Services, session: Any, allowed: Allowed) -> DeadlineContext:
    assert allowed.target.record_id is not None
    return await load(services, session, allowed.target.record_id, allowed.actor)


def register(features: Features) -> None:
    services = features.services

    @features.action(ActionId.DEADLINE_DONE, needs=ACT_ON_DEADLINE)
    async def done(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        user = allowed.user_id
        async with services.db.session() as session:
            ctx = await admitted_deadline(services, session, allowed)
            await mark_done(services, session, ctx, allowed.actor)
            label, case_id = ctx.deadline.label, ctx.case.id
        request_card_refresh(services, case_id)
        services.tasks.spawn(
            _acted(services, body, f":white_check_mark: *{label}*: marked done by <@{user}>."),
            name="reminder-acted",
        )

    @features.action(ActionId.DEADLINE_SNOOZE, needs=ACT_ON_DEADLINE)
    async def snooze_choice(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        user = allowed.user_id
        choice = action_value(body).partition(":")[2]
        async with services.db.session() as session:
            ctx = await admitted_deadline(services, session, allowed)
            until = await snooze(services, session, ctx, allowed.actor, choice)
            label = ctx.deadline.label
        when = until.astimezone(LONDON)
        services.tasks.spawn(
            _acted(
                services,
                body,
                f":zzz: *{label}*: snoozed until {format_day(when.date())} {when:%H:%M} for <@{user}>.",
            ),
            name="reminder-acted",
        )

    @features.action(ActionId.DEADLINE_NOT_APPLICABLE, needs=ACT_ON_DEADLINE)
    async def not_applicable(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        requester = Requester.from_body(body)
        async with services.db.session() as session:
            ctx = await admitted_deadline(services, session, allowed)
        if requester.trigger_id:
            services.tasks.spawn(
                services.gateway.open_view(
                    requester.trigger_id, reason_modal(ctx.deadline.id, ctx.deadline.label)
                ),
                name="open-na-modal", urgent=True,
            )

    reason_form = Needs(Permission.ACT_ON_DEADLINE, DEADLINE_IN_METADATA)

    @features.view(CallbackId.DEADLINE_NOT_APPLICABLE_MODAL, needs=reason_form)
    async def not_applicable_submitted(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        reason = str(view_values(body).get("reason", {}).get("reason", {}).get("value") or "").strip()
        async with services.db.session() as session:
            ctx = await admitted_deadline(services, session, allowed)
            problem = (
                "Say why it does not apply."
                if not reason
                else guarded_text(services, ctx.case.partnership_id, reason)
            )
            if problem:
                await ack(response_action="errors", errors={"reason": problem})
                return
            await mark_not_applicable(services, session, ctx, allowed.actor, reason)
            case_id = ctx.case.id
        await ack()
        request_card_refresh(services, case_id)
