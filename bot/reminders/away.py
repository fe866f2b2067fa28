"""Away and deputies: while a person is away, their reminders go to the deputy they named.

A period is a row (UK dates, inclusive), so every worker routes alike and nothing is lost on a
restart. Setting one replaces the person's current or future period; ``/review away off`` ends it at
once. Both are audited. The engine asks :func:`deputies_on` once per delivery for everyone away
that day; a deputy who is away too passes it on to their own deputy (a chain of at most
``CHAIN_LIMIT``, never round a loop). Whether the deputy may see each case is decided at delivery,
case by case (see :mod:`bot.reminders.dispatch`): if not, the business manager gets it and is told
why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.access import Actor, can_view_case
from bot.cases.models import Case
from bot.cases.service import facts_of
from bot.cases.states import Stage
from bot.clock import london_date
from bot.errors import BadInput
from bot.reminders.models import AwayPeriod
from bot.runtime.services import Services

LONGEST = timedelta(days=366)
CHAIN_LIMIT = 3


@dataclass(frozen=True)
class Away:
    starts_on: date
    ends_on: date
    deputy_user_id: str


def _active(today: date) -> list[ColumnElement[bool]]:
    return [AwayPeriod.ended_at.is_(None), AwayPeriod.ends_on >= today]


async def current_or_next(
    session: AsyncSession, partnership_id: str, user_id: str, today: date
) -> Away | None:
    """The person's away period that covers today or is still to come (the earliest)."""
    row = (
        await session.execute(
            select(AwayPeriod)
            .where(
                AwayPeriod.partnership_id == partnership_id, AwayPeriod.user_id == user_id, *_active(today)
            )
            .order_by(AwayPeriod.starts_on, AwayPeriod.id)
            .limit(1)
        )
    ).scalar_one_or_none()
    return Away(row.starts_on, row.ends_on, row.deputy_user_id) if row is not None else None


async def set_away(
    services: Services,
    session: AsyncSession,
    actor: Actor,
    *,
    starts_on: date,
    ends_on: date,
    deputy_user_id: str,
) -> Away:
    """Record that ``actor`` is away (replacing a period they set before); audited."""
    assert actor.partnership_id is not None
    partnership = services.config.partnership(actor.partnership_id)
    today = london_date(services.clock.now())
    if ends_on < starts_on:
        raise BadInput("The day you are back comes before the day you go.", "Give the first day away first.")
    if ends_on < today:
        raise BadInput("That period is already over.", "Give dates from today on.")
    if ends_on - starts_on > LONGEST:
        raise BadInput("That is more than a year away.", "Set a shorter period, and set it again later.")
    if deputy_user_id == actor.user_id:
        raise BadInput("You cannot be your own deputy.", "Name someone else in your partnership.")
    if partnership.person(deputy_user_id) is None:
        raise BadInput(
            "Your deputy must be in your partnership.",
            "Name someone your business manager has added to ReviewBot.",
        )
    ended = await _end(services, session, actor.partnership_id, actor.user_id, today)
    session.add(
        AwayPeriod(
            partnership_id=actor.partnership_id,
            user_id=actor.user_id,
            starts_on=max(starts_on, today),
            ends_on=ends_on,
            deputy_user_id=deputy_user_id,
            created_at=services.clock.now(),
        )
    )
    audit.record(
        session,
        services.clock,
        actor=actor.user_id,
        action="person.away_set",
        partnership_id=actor.partnership_id,
        after={"from": max(starts_on, today), "to": ends_on, "deputy": deputy_user_id, "replaced": ended},
    )
    return Away(max(starts_on, today), ends_on, deputy_user_id)


async def end_away(services: Services, session: AsyncSession, actor: Actor) -> bool:
    """Back now: end the person's current and future away periods. False if there were none."""
    assert actor.partnership_id is not None
    today = london_date(services.clock.now())
    ended = await _end(services, session, actor.partnership_id, actor.user_id, today)
    if ended:
        audit.record(
            session,
            services.clock,
            actor=actor.user_id,
            action="person.away_ended",
            partnership_id=actor.partnership_id,
            after={"periods": ended},
        )
    return ended > 0


async def _end(
    services: Services, session: AsyncSession, partnership_id: str, user_id: str, today: date
) -> int:
    result = await session.execute(
        update(AwayPeriod)
        .where(AwayPeriod.partnership_id == partnership_id, AwayPeriod.user_id == user_id, *_active(today))
        .values(ended_at=services.clock.now())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def deputies_on(session: AsyncSession, day: date) -> dict[tuple[str, str], str]:
    """(partnership, person) -> who gets their reminders on ``day``, for everyone away then.

    A deputy who is away passes it on to their own deputy; a loop (or a chain longer than
    CHAIN_LIMIT) stops at the last person in it who is not the one away.
    """
    rows = (
        await session.execute(
            select(AwayPeriod.partnership_id, AwayPeriod.user_id, AwayPeriod.deputy_user_id)
            .where(AwayPeriod.ended_at.is_(None), AwayPeriod.starts_on <= day, AwayPeriod.ends_on >= day)
            .order_by(AwayPeriod.id)
        )
    ).all()
    direct = {(p, u): d for p, u, d in rows}
    out: dict[tuple[str, str], str] = {}
    for (partnership_id, user_id), deputy in direct.items():
        seen = {user_id}
        for _ in range(CHAIN_LIMIT - 1):
            onward = direct.get((partnership_id, deputy))
            if onward is None or onward in seen or deputy in seen:
                break
            seen.add(deputy)
            deputy = onward
        if deputy == user_id:
            continue  # a loop back to the person: nobody else to send it to, so it stays with them
        out[(partnership_id, user_id)] = deputy
    return out


async def cases_deputy_cannot_see(
    services: Services, session: AsyncSession, actor: Actor, deputy: str
) -> list[str]:
    """References of open cases the person can see and their deputy cannot (reminders for those go to
    the business manager while the person is away)."""
    assert actor.partnership_id is not None
    cases = (
        await session.execute(
            select(Case).where(Case.partnership_id == actor.partnership_id, Case.stage != Stage.CLOSED.value)
        )
    ).scalars()
    deputy_actor = services.actor(deputy, actor.partnership_id)
    return sorted(
        c.reference
        for c in cases
        if can_view_case(actor, facts_of(c)) and not can_view_case(deputy_actor, facts_of(c))
    )


__all__ = ["Away", "cases_deputy_cannot_see", "current_or_next", "deputies_on", "end_away", "set_away"]
