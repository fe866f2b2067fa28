"""Adding and updating actions: one unit of work per change, with its update-log row, its audit row
and its reminders cancelled or revived.

Who may do what: people who manage actions (business unit, chair, agency leads) add actions and may
change what an action is (description, owner, due date, success measure). Anyone allowed to update
an action (its owner, its agency, the business unit) records progress: status, evidence, notes.
Free text must have passed the identifier guard before it gets here (the modal shows the refusal
beside the field).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.access import Actor, CaseFacts, Decision, Permission, can_view_case, decide
from bot.actions.form import ActionForm
from bot.actions.kinds import CLOSED_STATUSES, ActionSource, ActionStatus
from bot.actions.models import Action, ActionUpdate
from bot.actions.reminders import cancel_action_reminders, revive_action_reminders
from bot.actions.service import create_action
from bot.cases.idempotency import earlier_answer, remember_answer
from bot.cases.models import Case, CaseMember
from bot.cases.service import facts_of
from bot.clock import london_date
from bot.errors import BadInput, Conflict, NotFound, ensure_allowed
from bot.runtime.services import Services

IDEMPOTENCY_SCOPE = "action_modal"

# What an action is, as opposed to how it is going: only people who manage actions change these.
DEFINING_FIELDS = ("description", "source", "owner_agency", "owner_user_id", "due_on", "success_measure")


@dataclass
class ActionChanged:
    """What the listener needs for the Slack side effects that follow the commit."""

    action_id: int
    partnership_id: str
    case_id: int | None
    case_channel: str | None
    owners: set[str] = field(default_factory=set)  # whose Home tab shows this action (before and after)
    new_owner: str | None = None  # given the action by someone else: tell them
    invite: str | None = None  # given access to the case: invite to its channel
    status: str = ActionStatus.OPEN.value
    created: bool = True


def partnership_facts(partnership_id: str) -> CaseFacts:
    """Facts for an action that belongs to no case: only the business unit and chair can see it."""
    return CaseFacts(case_id=0, partnership_id=partnership_id, reference="partnership")


def facts_for(case: Case | None, partnership_id: str) -> CaseFacts:
    return facts_of(case) if case is not None else partnership_facts(partnership_id)


def _check_owner(
    services: Services, partnership_id: str, owner_agency: str | None, owner_user_id: str | None
) -> None:
    partnership = services.config.partnership(partnership_id)
    if owner_agency is not None and partnership.agency(owner_agency) is None:
        raise BadInput("Choose one of the partnership's agencies.", field="owner_agency")
    if owner_user_id is not None and partnership.person(owner_user_id) is None:
        raise BadInput(
            "That person is not set up in the partnership, so they could not see the action.",
            "Choose someone from the partnership, or ask the business manager to add them.",
            field="owner_person",
        )


async def _give_access(
    session: AsyncSession, services: Services, case: Case | None, owner: str | None, changed: ActionChanged
) -> None:
    """The owner of an action on a case must be able to open it (and its channel)."""
    if case is None or owner is None:
        return
    owner_actor = services.actor(owner, case.partnership_id)
    if can_view_case(owner_actor, facts_of(case)):
        return
    session.add(CaseMember(case_id=case.id, user_id=owner, added_at=services.clock.now()))
    changed.invite = owner
    audit.record(
        session,
        services.clock,
        actor="reviewbot",
        action="case.member_added",
        partnership_id=case.partnership_id,
        case_id=case.id,
        after={"user": owner, "why": "action_owner"},
    )


async def add_action(
    services: Services,
    *,
    case_id: int,
    actor_user_id: str,
    form: ActionForm,
    finding_id: int | None = None,
    idempotency_key: str | None = None,
) -> ActionChanged:
    """A new action on a case, from the modal (MANAGE_ACTION). A modal submitted twice (same
    ``idempotency_key``, its view id) adds one action."""
    if not form.description or form.due_on is None or form.owner_agency is None:
        raise BadInput("An action needs a description, an owning agency and a due date.")
    today = london_date(services.clock.now())
    if form.due_on < today:
        raise BadInput("The due date is in the past.", "Choose today or a later date.", field="due_date")
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        if case is None:
            raise NotFound("That case no longer exists.")
        _check_owner(services, case.partnership_id, form.owner_agency, form.owner_user_id)
        if idempotency_key is not None:
            earlier = await earlier_answer(session, IDEMPOTENCY_SCOPE, idempotency_key)
            if earlier is not None:
                return ActionChanged(
                    int(earlier["action_id"]),
                    case.partnership_id,
                    case.id,
                    case.channel_id,
                    created=False,
                )
        action = await create_action(
            session,
            services,
            partnership_id=case.partnership_id,
            case_id=case.id,
            description=form.description,
            source=form.source or ActionSource.RECOMMENDATION,
            created_by=actor_user_id,
            owner_agency=form.owner_agency,
            owner_user_id=form.owner_user_id,
            due_on=form.due_on,
            success_measure=form.success_measure,
            finding_id=finding_id,
        )
        changed = ActionChanged(action.id, case.partnership_id, case.id, case.channel_id)
        if idempotency_key is not None:
            remember_answer(
                session,
                IDEMPOTENCY_SCOPE,
                idempotency_key,
                case_id=case.id,
                answer={"action_id": action.id},
                at=services.clock.now(),
            )
        if form.owner_user_id:
            changed.owners.add(form.owner_user_id)
            if form.owner_user_id != actor_user_id:
                changed.new_owner = form.owner_user_id
        await _give_access(session, services, case, form.owner_user_id, changed)
        return changed


async def load_for_update(
    session: AsyncSession, services: Services, action_id: int, user_id: str
) -> tuple[Action, Case | None, Actor, CaseFacts]:
    """The action, its case and the person (whom the gate admitted with UPDATE_ACTION on it)."""
    action = await session.get(Action, action_id)
    if action is None:
        raise NotFound("That action no longer exists.")
    case = await session.get(Case, action.case_id) if action.case_id is not None else None
    actor = services.actor(user_id, action.partnership_id)
    facts = facts_for(case, action.partnership_id)
    return action, case, actor, facts


async def update_action(
    services: Services, action_id: int, *, actor_user_id: str, form: ActionForm
) -> ActionChanged:
    now = services.clock.now()
    today = london_date(now)
    async with services.db.session() as session:
        action, case, actor, facts = await load_for_update(session, services, action_id, actor_user_id)
        wants = {
            name: _blank_is_none(value)
            for name in DEFINING_FIELDS
            if (value := getattr(form, name)) is not None and _blank_is_none(value) != _current(action, name)
        }
        if wants:
            ensure_allowed(_manage_decision(actor, facts))
        if "description" in wants and not wants["description"]:
            raise BadInput("Describe the action.", field="description")
        if "due_on" in wants and form.due_on is not None and form.due_on < today:
            raise BadInput(
                "The new due date is in the past.", "Choose today or a later date.", field="due_date"
            )
        owner_agency = wants.get("owner_agency", action.owner_agency)
        owner_user_id = wants.get("owner_user_id", action.owner_user_id)
        _check_owner(services, action.partnership_id, owner_agency, owner_user_id)
        status = form.status.value if form.status is not None else action.status
        reason = form.not_doing_reason if form.not_doing_reason is not None else action.not_doing_reason
        if status == ActionStatus.NOT_DOING.value and not reason:
            raise BadInput("Say why this action will not be done.", field="not_doing_reason")
        changed = ActionChanged(
            action.id, action.partnership_id, action.case_id, case.channel_id if case else None, status=status
        )
        changed.owners |= {u for u in (action.owner_user_id, owner_user_id) if u}
        before = _summary(action)
        for name, value in wants.items():
            setattr(action, name, value.value if isinstance(value, ActionSource) else value)
        if owner_user_id and owner_user_id != before["owner_user_id"] and owner_user_id != actor_user_id:
            changed.new_owner = owner_user_id
        status_changed = status != action.status
        if status_changed:
            was_closed = action.status in CLOSED_STATUSES
            action.status = status
            action.completed_on = today if status == ActionStatus.DONE.value else None
            if status in CLOSED_STATUSES:
                await cancel_action_reminders(session, action.id)
            elif was_closed:
                await revive_action_reminders(session, action.id, now)
        texts = {
            name: value
            for name in ("not_doing_reason", "evidence_of_impact")
            if (value := getattr(form, name)) is not None and (value or None) != getattr(action, name)
        }
        for name, value in texts.items():
            setattr(action, name, value or None)
        if not (wants or status_changed or texts or form.note):
            return changed  # a form saved without changes: nothing to log
        action.updated_at = now
        session.add(
            ActionUpdate(
                action_id=action.id,
                at=now,
                by=actor_user_id,
                status=status if status_changed else None,
                note=form.note or None,
            )
        )
        after = _summary(action)
        audit.record(
            session,
            services.clock,
            actor=actor_user_id,
            action="action.updated",
            partnership_id=action.partnership_id,
            case_id=action.case_id,
            before={k: v for k, v in before.items() if after[k] != v},
            after={
                "action_id": action.id,
                "owner_agency": action.owner_agency,
                **{k: v for k, v in after.items() if before[k] != v},
                "changed": sorted([*wants, *texts, *(["status"] if status_changed else [])]),
                "note_added": bool(form.note),
            },
        )
        await _give_access(
            session, services, case, owner_user_id if "owner_user_id" in wants else None, changed
        )
        return changed


async def mark_done(services: Services, action_id: int, *, actor_user_id: str) -> ActionChanged:
    """The Done button. Pressing it twice changes nothing the second time."""
    async with services.db.session() as session:
        action = await session.get(Action, action_id)
        if action is not None and action.status == ActionStatus.DONE.value:
            raise Conflict(
                f"That action was already marked done on {action.completed_on:%d/%m/%Y}."
                if action.completed_on
                else "That action was already marked done."
            )
    return await update_action(
        services, action_id, actor_user_id=actor_user_id, form=ActionForm(status=ActionStatus.DONE)
    )


def _manage_decision(actor: Actor, facts: CaseFacts) -> Decision:
    decision = decide(actor, Permission.MANAGE_ACTION, facts)
    if decision:
        return decision
    return Decision(
        False,
        "Only the business unit, the chair or an agency lead can change what an action is, "
        "who owns it or when it is due.",
        "You can still record progress, evidence and notes.",
    )


def can_manage(actor: Actor, facts: CaseFacts) -> bool:
    return decide(actor, Permission.MANAGE_ACTION, facts).allowed


def _blank_is_none(value: Any) -> Any:
    return (value or None) if isinstance(value, str) else value


def _current(action: Action, name: str) -> Any:
    value = getattr(action, name)
    if name == "source":
        return ActionSource(value)
    return value


def _summary(action: Action) -> dict[str, Any]:
    """Ids, dates and statuses only: the audit log never holds free text."""
    return {
        "status": action.status,
        "due_on": action.due_on,
        "owner_agency": action.owner_agency,
        "owner_user_id": action.owner_user_id,
        "source": action.source,
    }
