"""`/review cases [stage]`, the case lists it shares with `status`, and the case card's buttons."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from sqlalchemy import DateTime, bindparam, cast, literal, null, select, union_all

from bot.access import CaseFacts, Permission, can_view_case, decide
from bot.cases.models import Case, CaseAgency, CaseMember
from bot.cases.opening import record_notification_sent
from bot.cases.service import case_by_channel, case_by_reference
from bot.cases.slack_sync import request_card_refresh
from bot.cases.states import STAGE_LABELS, Stage
from bot.commands.finders import CASE_ON_BUTTON
from bot.commands.gate import Allowed, Needs
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput
from bot.runtime.services import Services
from bot.slack.ids import ActionId
from bot.slack.mrkdwn import echo

MAX_LISTED = 40


def _nulls(n: int) -> list[Any]:
    return [null() for _ in range(n)]


def null_time() -> Any:
    return cast(null(), DateTime(timezone=True))


async def case_in_context(
    services: Services, channel_id: str | None, reference: str | None = None
) -> Case | None:
    async with services.db.read() as session:
        if reference:
            return await case_by_reference(session, reference)
        return await case_by_channel(session, channel_id)



@dataclass(frozen=True)
class ListedCase:
    """What a case list shows: a few columns, not the case with its rule set snapshot and relations."""

    id: int
    partnership_id: str
    reference: str
    stage: str
    channel_id: str | None


@cache
def _visible_cases_statement(by_stage: bool) -> Any:
    """Cases in the partnerships ``:partnerships`` (optionally at ``:stage``), with members and agencies."""
    mine = Case.partnership_id.in_(bindparam("partnerships", expanding=True))
    cases = select(
        literal("case").label("kind"),
        Case.id.label("case_id"),
        Case.partnership_id.label("a"),
        Case.reference.label("b"),
        Case.stage.label("c"),
        Case.channel_id.label("d"),
        Case.owner_user_id.label("e"),
        Case.created_at.label("f"),
    ).where(mine)
    if by_stage:
        cases = cases.where(Case.stage == bindparam("stage"))
    members = (
        select(literal("member"), CaseMember.case_id, CaseMember.user_id, *_nulls(4), null_time())
        .join(Case, Case.id == CaseMember.case_id)
        .where(mine)
    )
    agencies = (
        select(literal("agency"), CaseAgency.case_id, CaseAgency.agency_id, *_nulls(4), null_time())
        .join(Case, Case.id == CaseAgency.case_id)
        .where(mine)
    )
    return union_all(cases, members, agencies)


async def visible_cases(services: Services, user_id: str, stage: Stage | None = None) -> list[ListedCase]:
    """The cases this person may see, newest first, in one statement of plain columns.

    Loading Case objects (each with its rule set snapshot, children, agencies and members) took about
    a second for 1,000 cases; plain columns take tens of milliseconds (benchmarks/scale.py). The cases,
    their members and their agencies come back as one UNION ALL, told apart by the first column. The
    statement is built once (:func:`_visible_cases_statement`): building and keying it again on every
    call cost more CPU than running it.
    """
    actors = {a.partnership_id: a for a in services.actors(user_id) if decide(a, Permission.LIST_CASES)}
    if not actors:
        return []
    params: dict[str, Any] = {"partnerships": list(actors)}
    if stage is not None:
        params["stage"] = stage.value
    async with services.db.read() as session:
        found = list((await session.execute(_visible_cases_statement(stage is not None), params)).all())
    rows = sorted((r for r in found if r[0] == "case"), key=lambda r: (r[7], r[1]), reverse=True)
    members_of: dict[int, set[str]] = defaultdict(set)
    agencies_of: dict[int, set[str]] = defaultdict(set)
    for kind, case_id, value, *_ in found:
        if kind == "member":
            members_of[case_id].add(value)
        elif kind == "agency":
            agencies_of[case_id].add(value)
    return [
        ListedCase(r[1], r[2], r[3], r[4], r[5])
        for r in rows
        if can_view_case(
            actors[r[2]],
            CaseFacts(
                case_id=r[1],
                partnership_id=r[2],
                reference=r[3],
                member_user_ids=frozenset(members_of[r[1]]),
                involved_agency_ids=frozenset(agencies_of[r[1]]),
                owner_user_id=r[6],
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
        raise BadInput(f"There is no stage called '{echo(word)}'.", f"Use one of: {names}.") from None


def register(features: Features) -> None:
    services = features.services

    async def cases(ctx: CommandContext) -> CommandReply:
        stage = parse_stage(ctx.args) if ctx.args.strip() else None
        found = await visible_cases(services, ctx.user_id, stage)
        title = f"Cases at {STAGE_LABELS[stage]}" if stage else "Cases you can see"
        return CommandReply(text=case_list_text(found, title))

    features.subcommand(
        "cases",
        "cases [stage]",
        "list the cases you can see, optionally at one stage",
        cases,
        needs=Needs(Permission.LIST_CASES),
        order=21,
    )
    @features.action(ActionId.RECORD_NOTIFICATION_SENT, needs=Needs(Permission.EDIT_CASE, CASE_ON_BUTTON))
    async def notification_sent(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        case_id = allowed.case.case_id
        await record_notification_sent(services, case_id, actor=allowed.user_id, at=services.clock.now())
        request_card_refresh(services, case_id)

    @features.action(ActionId.REFRESH_CARD, needs=Needs(Permission.VIEW_CASE, CASE_ON_BUTTON))
    async def refresh(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        request_card_refresh(services, allowed.case.case_id)
