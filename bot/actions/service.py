"""Creating actions. Other features (the rapid review's immediate actions) call create_action."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.actions.kinds import ActionSource, ActionStatus
from bot.actions.models import Action, ActionUpdate
from bot.runtime.services import Services


async def create_action(
    session: AsyncSession,
    services: Services,
    *,
    partnership_id: str,
    case_id: int | None,
    description: str,
    source: ActionSource,
    created_by: str,
    owner_agency: str | None = None,
    owner_user_id: str | None = None,
    due_on: date | None = None,
    success_measure: str | None = None,
    finding_id: int | None = None,
) -> Action:
    """Add an action in the caller's unit of work. ``description`` must already have passed the
    identifier guard (the caller shows the person the guard's message otherwise)."""
    now = services.clock.now()
    action = Action(
        partnership_id=partnership_id,
        case_id=case_id,
        finding_id=finding_id,
        source=source.value,
        description=description,
        owner_agency=owner_agency,
        owner_user_id=owner_user_id,
        due_on=due_on,
        success_measure=success_measure,
        status=ActionStatus.OPEN.value,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    session.add(action)
    await session.flush()
    session.add(ActionUpdate(action_id=action.id, at=now, by=created_by, status=ActionStatus.OPEN.value))
    audit.record(
        session,
        services.clock,
        actor=created_by,
        action="action.created",
        partnership_id=partnership_id,
        case_id=case_id,
        after={
            "action_id": action.id,
            "source": source.value,
            "owner_agency": owner_agency,
            "due_on": due_on,
            "status": ActionStatus.OPEN.value,
        },
    )
    return action
