"""Which closed cases are past their partnership's retention period (`reviewbot records due`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from bot.cases.models import Case
from bot.cases.states import Stage
from bot.clock import london_date
from bot.retention import retention_ends
from bot.runtime.services import Services


@dataclass(frozen=True)
class DueCase:
    case_id: int
    partnership_id: str
    reference: str
    closed_on: date
    retention_years: int
    ends_on: date


@dataclass(frozen=True)
class Due:
    cases: list[DueCase]
    without_retention: list[str]  # partnerships whose file sets no retention: nothing is ever due there


async def cases_due(services: Services, on: date, *, partnership_id: str | None = None) -> Due:
    partnerships = [
        p for p in services.config.partnerships if partnership_id is None or p.id == partnership_id
    ]
    if partnership_id is not None and not partnerships:
        raise KeyError(partnership_id)
    without = [p.id for p in partnerships if p.retention is None]
    with_retention = {p.id: p.retention for p in partnerships if p.retention is not None}
    if not with_retention:
        return Due([], without)
    async with services.db.read() as session:
        rows = (
            await session.execute(
                select(Case.id, Case.partnership_id, Case.reference, Case.closed_at)
                .where(
                    Case.stage == Stage.CLOSED.value,
                    Case.closed_at.is_not(None),
                    Case.partnership_id.in_(list(with_retention)),
                )
                .order_by(Case.closed_at, Case.id)
            )
        ).all()
    due = []
    for case_id, pid, reference, closed_at in rows:
        if closed_at is None:  # filtered out above; for the type checker
            continue
        retention = with_retention[pid]
        closed_on = london_date(closed_at)
        ends = retention_ends(closed_on, retention)
        if on >= ends:
            due.append(DueCase(case_id, pid, reference, closed_on, retention.years, ends))
    return Due(due, without)
