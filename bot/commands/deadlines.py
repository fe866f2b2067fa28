"""Buttons on deadline reminders (Done, Snooze, Not applicable) and `/review revise`."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from sqlalchemy import select

from bot.access import Permission, decide
from bot.calendar.due_query import read_date
from bot.calendar.working_days import format_day
from bot.cases.models import Case
from bot.cases.service import facts_of
from bot.cases.slack_sync import request_card_refresh
from bot.clock import LONDON
from bot.commands.cases import case_in_context
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.deadlines import reminders as _deadline_reminders  # noqa: F401  (registers the reminder kinds)
from bot.deadlines.models import Deadline
from bot.deadlines.service import load, mark_done, mark_not_applicable, revise_target, snooze
from bot.errors import BadInput, ensure_allowed
from bot.privacy.guard import guard
from bot.runtime.services import Services
from bot.slack.ids import ActionId, CallbackId
from bot.slack.requester import Requester

REASON_LIMIT = 200


def _text(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def reason_modal(deadline_id: int, label: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": CallbackId.DEADLINE_NOT_APPLICABLE_MODAL,
        "title": _text("Not applicable"),
        "submit": _text("Save"),
        "close": _text("Cancel"),
        "private_metadata": json.dumps({"d": deadline_id}),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{label[:2900]}*"}},
            {
                "type": "input",
                "block_id": "reason",
                "label": _text("Why does this not apply?"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": "reason",
                    "multiline": True,
                    "max_length": REASON_LIMIT,
                },
                "hint": _text(
                    "For example: the case was found not to meet the notification criteria. No names."
                ),
            },
        ],
    }


def _guarded(services: Services, partnership_id: str, text: str) -> str | None:
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


def register(features: Features) -> None:
    services = features.services

    def _deadline_id(raw: str) -> int:
        head = raw.split(":", 1)[0]
        if not head.isdecimal():
            raise BadInput("That button is out of date.")
        return int(head)

    @features.action(ActionId.DEADLINE_DONE)
    async def done(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        user = Requester.from_body(body).user_id
        deadline_id = _deadline_id(str((body.get("actions") or [{}])[0].get("value", "")))
        async with services.db.session() as session:
            ctx = await _load_for(services, session, deadline_id, user)
            actor = services.actor(user, ctx.case.partnership_id)
            ensure_allowed(
                decide(actor, Permission.ACT_ON_DEADLINE, ctx.facts, target_agency=ctx.target_agency)
            )
            await mark_done(services, session, ctx, actor)
            label, case_id = ctx.deadline.label, ctx.case.id
        request_card_refresh(services, case_id)
        services.tasks.spawn(
            _acted(services, body, f":white_check_mark: *{label}*: marked done by <@{user}>."),
            name="reminder-acted",
        )

    @features.action(ActionId.DEADLINE_SNOOZE)
    async def snooze_choice(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        user = Requester.from_body(body).user_id
        raw = str(((body.get("actions") or [{}])[0].get("selected_option") or {}).get("value", ""))
        deadline_id, _, choice = raw.partition(":")
        async with services.db.session() as session:
            ctx = await _load_for(services, session, _deadline_id(deadline_id), user)
            actor = services.actor(user, ctx.case.partnership_id)
            ensure_allowed(
                decide(actor, Permission.ACT_ON_DEADLINE, ctx.facts, target_agency=ctx.target_agency)
            )
            until = await snooze(services, session, ctx, actor, choice)
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

    @features.action(ActionId.DEADLINE_NOT_APPLICABLE)
    async def not_applicable(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        requester = Requester.from_body(body)
        async with services.db.session() as session:
            ctx = await _load_for(
                services,
                session,
                _deadline_id(str((body.get("actions") or [{}])[0].get("value", ""))),
                requester.user_id,
            )
        actor = services.actor(requester.user_id, ctx.case.partnership_id)
        ensure_allowed(decide(actor, Permission.ACT_ON_DEADLINE, ctx.facts, target_agency=ctx.target_agency))
        if requester.trigger_id:
            services.tasks.spawn(
                services.gateway.open_view(
                    requester.trigger_id, reason_modal(ctx.deadline.id, ctx.deadline.label)
                ),
                name="open-na-modal", urgent=True,
            )

    @features.view(CallbackId.DEADLINE_NOT_APPLICABLE_MODAL)
    async def not_applicable_submitted(ack: AsyncAck, body: dict[str, Any]) -> None:
        view = body["view"]
        user = Requester.from_body(body).user_id
        deadline_id = int(json.loads(view.get("private_metadata") or "{}").get("d", 0))
        reason = (
            ((view.get("state") or {}).get("values") or {}).get("reason", {}).get("reason", {}).get("value")
            or ""
        ).strip()
        async with services.db.session() as session:
            ctx = await _load_for(services, session, deadline_id, user)
            actor = services.actor(user, ctx.case.partnership_id)
            decision = decide(actor, Permission.ACT_ON_DEADLINE, ctx.facts, target_agency=ctx.target_agency)
            if not decision:
                await ack(response_action="errors", errors={"reason": decision.message})
                return
            problem = (
                "Say why it does not apply."
                if not reason
                else _guarded(services, ctx.case.partnership_id, reason)
            )
            if problem:
                await ack(response_action="errors", errors={"reason": problem})
                return
            await mark_not_applicable(services, session, ctx, actor, reason)
            case_id = ctx.case.id
        await ack()
        request_card_refresh(services, case_id)

    async def revise(ctx: CommandContext) -> CommandReply:
        """/review revise <deadline id> <DD/MM/YYYY> <reason> agreed by <who>"""
        case = await case_in_context(services, ctx.channel_id)
        if case is None:
            raise BadInput("`/review revise` works in a case channel.")
        actor = services.actor(ctx.user_id, case.partnership_id)

        ensure_allowed(decide(actor, Permission.EDIT_CASE, facts_of(case)))
        rule_id, new_date, reason, agreed_by = parse_revise(ctx.args)
        for text in (reason, agreed_by):
            problem = _guarded(services, case.partnership_id, text)
            if problem:
                raise BadInput(problem)
        async with services.db.session() as session:
            row = (
                await session.execute(
                    select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == rule_id)
                )
            ).scalar_one_or_none()
            if row is None:
                raise BadInput(
                    f"This case has no deadline called `{rule_id[:60]}`.",
                    "The ids are shown by `/review status`.",
                )
            dctx = await load(services, session, row.id, actor)
            await revise_target(
                services, session, dctx, actor, new_target=new_date, reason=reason, agreed_by=agreed_by
            )
            label = row.label
        request_card_refresh(services, case.id)
        return CommandReply(
            text=f"Revised target for *{label}*: {format_day(new_date)} ({reason}; agreed by "
            f"{agreed_by}). The statutory date is unchanged and both are shown on the card."
        )

    features.router.add(
        "revise",
        "revise <deadline id> <DD/MM/YYYY> <reason> agreed by <who>",
        "record a revised target beside a statutory date (business unit, chair)",
        revise,
        order=40,
    )


async def _load_for(services: Services, session: Any, deadline_id: int, user: str) -> Any:
    row = await session.get(Deadline, deadline_id)
    case = await session.get(Case, row.case_id) if row is not None else None
    actor = services.actor(user, case.partnership_id if case else None)
    return await load(services, session, deadline_id, actor)


def parse_revise(text: str) -> tuple[str, date, str, str]:
    example = (
        "for example `/review revise rapid_review 03/02/2027 parallel criminal proceedings "
        "agreed by the Panel`"
    )
    words = text.split()
    if len(words) < 4 or " agreed by " not in f" {text} ":
        raise BadInput("I need the deadline id, the new date, the reason and who agreed it,", example)
    rule_id, raw_date = words[0], words[1]
    try:
        new_date = read_date(raw_date)
    except ValueError:
        raise BadInput(f"'{raw_date[:20]}' is not a real date.", example) from None
    rest = text.split(maxsplit=2)[2]
    reason, _, agreed_by = rest.rpartition(" agreed by ")
    if not reason.strip() or not agreed_by.strip():
        raise BadInput("Give both the reason and who agreed the revised target,", example)
    return rule_id, new_date, reason.strip()[:200], agreed_by.strip()[:120]
