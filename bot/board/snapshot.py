"""The rows a board summary or a chair digest is computed from, read in a fixed number of queries.

Only the columns those summaries may show are selected: references, stages, rule labels, dates,
statuses and agency ids. Pseudonyms, case summaries, action descriptions and notes are never read
here, so no later change to a summary can leak them by accident.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.models import Action
from bot.board.rows import ActionRow, CaseRow, DeadlineRow, Snapshot
from bot.cases.models import Case
from bot.deadlines.models import Deadline


async def load_snapshot(
    session: AsyncSession, partnership_id: str, *, case_id: int | None = None
) -> Snapshot:
    """Three queries whatever the number of cases: cases, their deadlines, their actions."""
    case_query = select(Case.id, Case.reference, Case.stage, Case.created_at).where(
        Case.partnership_id == partnership_id
    )
    deadline_query = (
        select(
            Deadline.id,
            Deadline.case_id,
            Deadline.rule_id,
            Deadline.label,
            Deadline.status_kind,
            Deadline.kind,
            Deadline.anchor,
            Deadline.responsible_role,
            Deadline.due_on,
            Deadline.due_at,
            Deadline.revised_due_on,
            Deadline.met_on,
            Deadline.not_applicable_reason.is_not(None),
        )
        .join(Case, Case.id == Deadline.case_id)
        .where(Case.partnership_id == partnership_id)
        .order_by(Deadline.case_id, Deadline.position)
    )
    action_query = select(
        Action.id,
        Action.case_id,
        Action.owner_agency,
        Action.owner_user_id,
        Action.due_on,
        Action.status,
        Action.completed_on,
    ).where(Action.partnership_id == partnership_id)
    if case_id is not None:
        case_query = case_query.where(Case.id == case_id)
        deadline_query = deadline_query.where(Deadline.case_id == case_id)
        action_query = action_query.where(Action.case_id == case_id)
    snapshot = Snapshot()
    for c in (await session.execute(case_query.order_by(Case.created_at, Case.id))).all():
        snapshot.cases[c[0]] = CaseRow(c[0], c[1], c[2], c[3])
    snapshot.deadlines = [
        DeadlineRow(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], bool(d[12]))
        for d in (await session.execute(deadline_query)).all()
    ]
    snapshot.actions = [
        ActionRow(a[0], a[1], a[2], a[3], a[4], a[5], a[6])
        for a in (await session.execute(action_query.order_by(Action.id))).all()
    ]
    return snapshot
