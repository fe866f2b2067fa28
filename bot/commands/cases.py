"""Case views and case-card buttons: `/review status`, `/review cases [stage]`, `/review stage <stage>`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from sqlalchemy import select

from bot.access import Actor, CaseFacts, Permission, can_view_case, decide
from bot.app_registry import Features
from bot.cases.card import card_blocks
from bot.cases.models import Case, CaseAgency, CaseMember, Stage
from bot.cases.service import (
    STAGE_LABELS,
    case_by_channel,
    case_by_reference,
    case_facts,
    facts_of,
    move_stage,
    record_notification_sent,
)
from bot.cases.slack_sync import build_card, request_card_refresh
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput, NotFound, ensure_allowed
from bot.services import Services
from bot.slack.ids import ActionId
from bot.slack.requester import Requester

MAX_LISTED = 40


async def case_in_context(
    services: Services, channel_id: str | None, reference: str | None = None
) -> Case | None:
    async with services.db.session() as session:
        if reference:
            return await case_by_reference(session, reference)
        return await case_by_channel(session, channel_id)


def actor_for_case(services: Services, user_id: str, case: Case) -> Actor:
    return services.actor(user_id, case.partnership_id)


@dataclass(frozen=True)
class ListedCase:
    """What a case list shows: a few columns, not the case with its rule set snapshot and relations."""

    id: int
    partnership_id: str
    reference: str
    stage: str
    channel_id: str | None


async def visible_cases(services: Services, user_id: str, stage: Stage | None = None) -> list[ListedCase]:
    """The cases this person may see, newest first, in three queries of plain columns.

    Loading Case objects (each with its rule set snapshot, children, agencies and members) took about
    a second for 1,000 cases; columns and two id lists take about 50 ms (benchmarks/scale.py).
    """
    actors = {a.partnership_id: a for a in services.actors(user_id) if decide(a, Permission.LIST_CASES)}
    if not actors:
        return []
    mine = Case.partnership_id.in_(list(actors))
    async with services.db.session() as session:
        query = select(
            Case.id, Case.partnership_id, Case.reference, Case.stage, Case.channel_id, Case.owner_user_id
        ).where(mine)
        if stage is not None:
            query = query.where(Case.stage == stage.value)
        rows = (await session.execute(query.order_by(Case.created_at.desc()))).all()
        members: dict[int, set[str]] = defaultdict(set)
        agencies: dict[int, set[str]] = defaultdict(set)
        member_rows = select(CaseMember.case_id, CaseMember.user_id).join(Case, Case.id == CaseMember.case_id)
        for case_id, user in await session.execute(member_rows.where(mine)):
            members[case_id].add(user)
        agency_rows = select(CaseAgency.case_id, CaseAgency.agency_id).join(
            Case, Case.id == CaseAgency.case_id
        )
        for case_id, agency in await session.execute(agency_rows.where(mine)):
            agencies[case_id].add(agency)
    return [
        ListedCase(r.id, r.partnership_id, r.reference, r.stage, r.channel_id)
        for r in rows
        if can_view_case(
            actors[r.partnership_id],
            CaseFacts(
                case_id=r.id,
                partnership_id=r.partnership_id,
                reference=r.reference,
                member_user_ids=frozenset(members[r.id]),
                involved_agency_ids=frozenset(agencies[r.id]),
                owner_user_id=r.owner_user_id,
            ),
        )
    ]


def case_list_text(cases: list[ListedCase], title: str) -> str:
    if not cases:
        return f"{title}: none."
    lines = [f"*{title}* ({len(cases)})"]
    for case in cases[:MAX_LISTED]:
        where = f" <#{case.channel_id}>" if case.channel_id else ""
        lines.append(f"• *{case.reference}* · {STAGE_LABELS[Stage(case.stage)]}{where}")
    if len(cases) > MAX_LISTED:
        lines.append(f"…and {len(cases) - MAX_LISTED} more. Filter by stage: `/review cases rapid_review`.")
    return "\n".join(lines)


def parse_stage(word: str) -> Stage:
    cleaned = word.strip().lower().replace(" ", "_").replace("-", "_")
    try:
        return Stage(cleaned)
    except ValueError:
        names = ", ".join(f"`{s.value}`" for s in Stage)
        raise BadInput(f"There is no stage called '{word[:40]}'.", f"Use one of: {names}.") from None


def register(features: Features) -> None:
    services = features.services

    async def status(ctx: CommandContext) -> CommandReply:
        case = await case_in_context(services, ctx.channel_id, ctx.args.strip() or None)
        if case is None:
            if ctx.args.strip():
                raise NotFound(f"I can't find a case called {ctx.args.strip()[:40]}.")
            cases = await visible_cases(services, ctx.user_id)
            return CommandReply(
                text=case_list_text(cases, "Your cases")
                + "\n_Run `/review status` in a case channel to see its card._"
            )
        ensure_allowed(
            decide(actor_for_case(services, ctx.user_id, case), Permission.VIEW_CASE, facts_of(case))
        )
        text, blocks = card_blocks(await build_card(services, case.id))
        return CommandReply(text=text, blocks=[b for b in blocks if b["type"] != "actions"])

    async def cases(ctx: CommandContext) -> CommandReply:
        stage = parse_stage(ctx.args) if ctx.args.strip() else None
        if not services.actors(ctx.user_id):
            ensure_allowed(decide(services.actor(ctx.user_id), Permission.LIST_CASES))
        found = await visible_cases(services, ctx.user_id, stage)
        title = f"Cases at {STAGE_LABELS[stage]}" if stage else "Cases you can see"
        return CommandReply(text=case_list_text(found, title))

    async def stage(ctx: CommandContext) -> CommandReply:
        case = await case_in_context(services, ctx.channel_id)
        if case is None:
            raise BadInput(
                "`/review stage` works in a case channel.", "Run it in the channel of the case to move."
            )
        target = parse_stage(ctx.args) if ctx.args.strip() else None
        actor = actor_for_case(services, ctx.user_id, case)
        ensure_allowed(decide(actor, Permission.EDIT_CASE, facts_of(case)))
        if target is None:
            raise BadInput("Say which stage to move to, e.g. `/review stage decision`.")
        async with services.db.session() as session:
            fresh = await session.get(Case, case.id)
            assert fresh is not None
            move_stage(session, services, fresh, target, actor=ctx.user_id)
        request_card_refresh(services, case.id)
        return CommandReply(text=f"{case.reference} moved to {STAGE_LABELS[target]}.")

    features.router.add(
        "status", "status [reference]", "show the case card here (elsewhere: your cases)", status, order=20
    )
    features.router.add(
        "cases", "cases [stage]", "list the cases you can see, optionally at one stage", cases, order=21
    )
    features.router.add(
        "stage", "stage <stage>", "move this case to its next stage (business unit, chair)", stage, order=22
    )

    async def _case_from_button(body: dict[str, Any]) -> tuple[Case, Actor]:
        value = ((body.get("actions") or [{}])[0]).get("value") or ""
        if not value.isdecimal():
            raise BadInput("That button is out of date. Run `/review status` for the current card.")
        async with services.db.session() as session:
            case = await session.get(Case, int(value))
        if case is None:
            raise NotFound("That case no longer exists.")
        return case, actor_for_case(services, Requester.from_body(body).user_id, case)

    @features.action(ActionId.RECORD_NOTIFICATION_SENT)
    async def notification_sent(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        requester = Requester.from_body(body)
        case, actor = await _case_from_button(body)
        ensure_allowed(decide(actor, Permission.EDIT_CASE, facts_of(case)))
        await record_notification_sent(services, case.id, actor=requester.user_id, at=services.clock.now())
        request_card_refresh(services, case.id)

    @features.action(ActionId.REFRESH_CARD)
    async def refresh(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        value = ((body.get("actions") or [{}])[0]).get("value") or ""
        if not value.isdecimal():
            raise BadInput("That button is out of date. Run `/review status` for the current card.")
        async with services.db.session() as session:
            facts = await case_facts(session, int(value))
        if facts is None:
            raise NotFound("That case no longer exists.")
        actor = services.actor(Requester.from_body(body).user_id, facts.partnership_id)
        ensure_allowed(decide(actor, Permission.VIEW_CASE, facts))
        request_card_refresh(services, facts.case_id)
