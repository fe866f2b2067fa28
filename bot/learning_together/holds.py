"""Holds that parallel proceedings put on a review: placing one, lifting one, and reading those in force.

A no-contact hold (asked for by the police or the CPS) holds family contact and practitioner
conversations: scheduling either while it is in force warns the scheduler, who may go ahead only on
purpose. A publication hold shows the publication deadline as held with its reason wherever it is
shown; it is lifted by the lifecycle event `publication_hold_lifted` (bot.cases.lifecycle calls
:func:`lift_publication`). No date is ever moved.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.cases.models import Case
from bot.errors import BadInput, Conflict, NotFound
from bot.learning_together.models import REASON_LIMIT, CaseHold
from bot.learning_together.terms import HoldKind, HoldLine, RequestedBy
from bot.rules.loader import load_ruleset
from bot.runtime.services import Services


def publication_rule(case: Case) -> str | None:
    """The deadline publication meets, as the case's rule set names it (its lifecycle's timescale rule)."""
    try:
        lifecycle = load_ruleset(case.ruleset_id).lifecycle
    except ValueError:
        return None
    return lifecycle.timescale_rule if lifecycle is not None else None


def line_of(hold: CaseHold) -> HoldLine:
    return HoldLine(hold.kind, hold.requested_by, hold.reason, hold.review_on)


async def holds_in_force(session: AsyncSession, case_id: int) -> list[CaseHold]:
    query = (
        select(CaseHold)
        .where(CaseHold.case_id == case_id, CaseHold.lifted_at.is_(None))
        .order_by(CaseHold.id)
    )
    return list((await session.execute(query)).scalars())


async def hold_of(session: AsyncSession, case_id: int, kind: HoldKind) -> CaseHold | None:
    return next((h for h in await holds_in_force(session, case_id) if h.kind == kind.value), None)


async def held_deadlines(session: AsyncSession, case: Case) -> dict[str, str]:
    """{rule id: reason} for the case's publication deadline while publication is on hold."""
    from_rules = publication_rule(case)
    if from_rules is None:
        return {}
    hold = await hold_of(session, case.id, HoldKind.PUBLICATION)
    return {from_rules: hold.reason} if hold is not None else {}


async def publication_holds(session: AsyncSession, case_ids: list[int]) -> dict[int, str]:
    """The reason publication is on hold, by case, for the cases that have one in force."""
    if not case_ids:
        return {}
    query = select(CaseHold).where(
        CaseHold.case_id.in_(case_ids),
        CaseHold.kind == HoldKind.PUBLICATION.value,
        CaseHold.lifted_at.is_(None),
    )
    return {h.case_id: h.reason for h in (await session.execute(query)).scalars()}


async def place_hold(
    services: Services,
    case_id: int,
    *,
    user_id: str,
    kind: HoldKind,
    reason: str,
    requested_by: RequestedBy | None,
    review_on: date | None,
) -> CaseHold:
    """Place a hold (``reason`` already guarded). One of each kind at a time."""
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        if case is None:
            raise NotFound("That case no longer exists.")
        if await hold_of(session, case_id, kind) is not None:
            raise Conflict("A hold of that kind is already in force.", "See it with `/review hold`.")
        if kind is HoldKind.NO_CONTACT and requested_by is None:
            raise BadInput("Say who asked for no contact: `police` or `cps`.")
        hold = CaseHold(
            case_id=case.id,
            partnership_id=case.partnership_id,
            kind=kind.value,
            requested_by=requested_by.value if requested_by else None,
            reason=reason[:REASON_LIMIT],
            review_on=review_on,
            placed_by=user_id,
            placed_at=services.clock.now(),
        )
        session.add(hold)
        await session.flush()
        audit.record(
            session,
            services.clock,
            actor=user_id,
            action="hold.placed",
            partnership_id=case.partnership_id,
            case_id=case.id,
            after={
                "hold_id": hold.id,
                "kind": kind.value,
                "requested_by": hold.requested_by,
                "review_on": review_on,
            },
        )
        session.expunge(hold)
        return hold


async def lift_hold(
    session: AsyncSession, services: Services, case: Case, kind: HoldKind, *, user_id: str
) -> bool:
    """Lift the hold of this kind in the caller's unit of work; False when none was in force."""
    hold = await hold_of(session, case.id, kind)
    if hold is None:
        return False
    hold.lifted_at, hold.lifted_by = services.clock.now(), user_id
    audit.record(
        session,
        services.clock,
        actor=user_id,
        action="hold.lifted",
        partnership_id=case.partnership_id,
        case_id=case.id,
        before={"hold_id": hold.id, "kind": kind.value},
        after={"hold_id": hold.id, "lifted": True},
    )
    return True


async def lift_no_contact(services: Services, case_id: int, *, user_id: str) -> None:
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        if case is None:
            raise NotFound("That case no longer exists.")
        if not await lift_hold(session, services, case, HoldKind.NO_CONTACT, user_id=user_id):
            raise BadInput("There is no no-contact hold in force.")
