"""The partners' decision: recommendation, view on a national review, rationale, immediate actions,
learning, key practice episodes, parallel processes and their constraints.

Versioned because sign-off is per version: partners approve what they read. Any change after a
partner signed bumps the version and voids every sign-off (kept, marked voided, audited), and the
people who had signed are told. An identical resubmission (a double click) changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.actions.kinds import ActionSource
from bot.actions.models import Action
from bot.actions.service import create_action
from bot.cases.models import Case
from bot.cases.service import move_stage
from bot.cases.states import Stage
from bot.clock import london_date
from bot.config.partnership import Partnership
from bot.errors import BadInput, Conflict, NotFound, UserFacingError
from bot.rapid_review.checklist import complete_by_event, reopen_by_event
from bot.rapid_review.decision_terms import (
    ACTION_LIMIT,
    ACTION_SLOTS,
    CONSTRAINT_NOTE_LIMIT,
    EPISODE_LIMIT,
    LEARNING_LIMIT,
    MAX_EPISODES,
    RATIONALE_LIMIT,
    Constraint,
    DecisionInput,
    ImmediateActionInput,
    NationalReviewView,
    ParallelProcess,
    Recommendation,
)
from bot.rapid_review.free_text import checked
from bot.rapid_review.models import RapidReview, RapidReviewDecision, SignOff
from bot.rapid_review.start import start_rapid_review
from bot.rules.checklist_templates import CompletedBy
from bot.runtime.services import Services

_E = TypeVar("_E", bound=StrEnum)


@dataclass(frozen=True)
class CheckedDecision:
    recommendation: Recommendation
    national_review: NationalReviewView
    rationale: str
    learning: str | None
    key_practice_episodes: list[str]
    parallel_processes: list[str]
    constraints: list[str]
    constraint_note: str | None
    actions: list[ImmediateActionInput]

    def same_as(self, row: RapidReviewDecision) -> bool:
        return (
            row.recommendation == self.recommendation.value
            and row.national_review == self.national_review.value
            and row.rationale == self.rationale
            and row.learning == self.learning
            and list(row.key_practice_episodes or []) == self.key_practice_episodes
            and list(row.parallel_processes or []) == self.parallel_processes
            and list(row.constraints or []) == self.constraints
            and row.constraint_note == self.constraint_note
        )


def check(
    partnership: Partnership, form: DecisionInput, *, today: date, national_question: bool = True
) -> tuple[CheckedDecision | None, dict[str, str]]:
    """Every problem keyed by the modal's block id (all at once, not one per round trip).

    ``national_question``: whether the case's review asks for a view on a national review (England
    only); elsewhere the view is recorded as not asked."""
    errors: dict[str, str] = {}

    def guarded(
        text: str | None, *, limit: int, block: str, required: bool = False, what: str = "this"
    ) -> str | None:
        try:
            return checked(partnership, text, limit=limit, field=block, required=required, what=what)
        except UserFacingError as exc:
            errors[block] = exc.text
            return None

    recommendation = _enum(Recommendation, form.recommendation)
    if recommendation is None:
        errors["recommendation"] = "Choose the recommendation."
    national = (
        _enum(NationalReviewView, form.national_review) if national_question else NationalReviewView.NOT_ASKED
    )
    if national is None:
        errors["national_review"] = "Give the partners' view on a national review."
    rationale = guarded(
        form.rationale,
        limit=RATIONALE_LIMIT,
        block="rationale",
        required=True,
        what="the rationale for the decision",
    )
    learning = guarded(form.learning, limit=LEARNING_LIMIT, block="learning")
    episodes = [line.strip(" -•\t") for line in (form.key_practice_episodes or "").splitlines()]
    episodes = [e for e in episodes if e]
    if len(episodes) > MAX_EPISODES:
        errors["episodes"] = (
            f"Give at most {MAX_EPISODES} key practice episodes (short titles, one per line)."
        )
    elif any(len(e) > EPISODE_LIMIT for e in episodes):
        errors["episodes"] = (
            f"Keep each key practice episode to a short title of at most {EPISODE_LIMIT} characters."
        )
    else:
        for episode in episodes:
            if guarded(episode, limit=EPISODE_LIMIT, block="episodes") is None:
                break
    processes = [p for p in form.parallel_processes if p in ParallelProcess._value2member_map_]
    constraints = [c for c in form.constraints if c in Constraint._value2member_map_]
    note = guarded(form.constraint_note, limit=CONSTRAINT_NOTE_LIMIT, block="constraint_note")
    actions: list[ImmediateActionInput] = []
    agencies = {a.id for a in partnership.agencies}
    for i, (text, owner, due) in enumerate(form.actions[:ACTION_SLOTS]):
        if not (text or "").strip() and not owner and due is None:
            continue
        description = guarded(
            text, limit=ACTION_LIMIT, block=f"action_{i}_text", required=True, what="what must be done"
        )
        if owner not in agencies:
            errors[f"action_{i}_owner"] = "Choose the agency that owns this action."
        if due is None:
            errors[f"action_{i}_due"] = "Give the date it is due."
        elif due < today:
            errors[f"action_{i}_due"] = "The due date is in the past."
        if description and owner in agencies and due is not None and due >= today:
            actions.append(ImmediateActionInput(description, str(owner), due))
    if errors or recommendation is None or national is None or rationale is None:
        return None, errors
    return CheckedDecision(
        recommendation,
        national,
        rationale,
        learning,
        episodes,
        sorted(set(processes)),
        sorted(set(constraints)),
        note,
        actions,
    ), {}


def _enum(kind: type[_E], value: str | None) -> _E | None:
    try:
        return kind(value) if value else None
    except ValueError:
        return None


# -- recording it ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionRecorded:
    case_id: int
    reference: str
    version: int
    changed: bool
    voided_signatories: list[str]
    actions_created: int


async def current_decision(session: AsyncSession, case_id: int) -> RapidReviewDecision | None:
    return await session.get(RapidReviewDecision, case_id)


async def active_sign_offs(session: AsyncSession, case_id: int, version: int | None = None) -> list[SignOff]:
    query = select(SignOff).where(SignOff.case_id == case_id, SignOff.voided_at.is_(None))
    if version is not None:
        query = query.where(SignOff.decision_version == version)
    return list((await session.execute(query.order_by(SignOff.signed_at))).scalars())


def ensure_decision_open(case: Case, rr: RapidReview | None) -> None:
    if rr is not None and rr.panel_sent_on is not None:
        raise Conflict(
            f"The decision for {case.reference} went to the Panel on {rr.panel_sent_on:%d/%m/%Y}; "
            "it can't be changed here any more.",
            "Record what the Panel said with `/review panel`.",
        )
    if Stage(case.stage) not in (Stage.RAPID_REVIEW, Stage.DECISION):
        raise BadInput(
            f"{case.reference} is not in its rapid review (stage: {case.stage.replace('_', ' ')}).",
            "Record the notification as sent first; the rapid review starts then.",
        )


async def record_decision(
    services: Services, case_id: int, user_id: str, decision: CheckedDecision
) -> DecisionRecorded:
    """Record (or change) the decision in one unit of work; see the module docstring for versions.

    ``user_id`` has been admitted by the gate (RECORD_DECISION on this case).
    """
    now = services.clock.now()
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        if case is None:
            raise NotFound("That case no longer exists.")
        rr = await start_rapid_review(session, services, case, actor=user_id)
        ensure_decision_open(case, rr)
        row = await current_decision(session, case.id)
        before = row.summary() if row is not None else None
        changed = row is None or not decision.same_as(row)
        voided: list[str] = []
        if row is None:
            row = RapidReviewDecision(case_id=case.id, version=1, recorded_by=user_id, recorded_at=now)
            session.add(row)
        elif changed:
            row.version += 1
            voided = await _void_sign_offs(session, services, case, user_id)
        if changed:
            row.recommendation, row.national_review = (
                decision.recommendation.value,
                decision.national_review.value,
            )
            row.rationale, row.learning = decision.rationale, decision.learning
            row.key_practice_episodes = list(decision.key_practice_episodes)
            row.parallel_processes, row.constraints = (
                list(decision.parallel_processes),
                list(decision.constraints),
            )
            row.constraint_note = decision.constraint_note
            row.updated_by, row.updated_at = user_id, now
        created = await _create_actions(session, services, case, user_id, decision.actions)
        await complete_by_event(session, services, case, CompletedBy.DECISION_RECORDED, actor=user_id)
        if changed or created:
            audit.record(
                session,
                services.clock,
                actor=user_id,
                action="rapid_review.decision_recorded",
                partnership_id=case.partnership_id,
                case_id=case.id,
                before=before,
                after={**row.summary(), "actions_created": created, "sign_offs_voided": len(voided)},
            )
        return DecisionRecorded(case.id, case.reference, row.version, changed, voided, created)


async def _void_sign_offs(session: AsyncSession, services: Services, case: Case, user_id: str) -> list[str]:
    now = services.clock.now()
    rows = await active_sign_offs(session, case.id)
    for row in rows:
        row.voided_at, row.voided_by = now, user_id
    if rows:
        audit.record(
            session,
            services.clock,
            actor=user_id,
            action="rapid_review.sign_offs_voided",
            partnership_id=case.partnership_id,
            case_id=case.id,
            before={"agencies": [r.agency_id for r in rows]},
            after={"agencies": []},
        )
        await reopen_by_event(session, services, case, CompletedBy.ALL_SIGNED_OFF, actor=user_id)
        if Stage(case.stage) is Stage.DECISION:
            move_stage(session, services, case, Stage.RAPID_REVIEW, actor=user_id)
    return sorted({r.signed_by for r in rows})


async def _create_actions(
    session: AsyncSession, services: Services, case: Case, user_id: str, actions: list[ImmediateActionInput]
) -> int:
    """Immediate actions become tracked actions; one already there (a resubmitted form) is not doubled."""
    existing = {
        (a.description, a.owner_agency, a.due_on)
        for a in (
            await session.execute(
                select(Action).where(Action.case_id == case.id, Action.source == ActionSource.IMMEDIATE.value)
            )
        ).scalars()
    }
    created = 0
    for action in actions:
        if (action.description, action.owner_agency, action.due_on) in existing:
            continue
        await create_action(
            session,
            services,
            partnership_id=case.partnership_id,
            case_id=case.id,
            description=action.description,
            source=ActionSource.IMMEDIATE,
            created_by=user_id,
            owner_agency=action.owner_agency,
            due_on=action.due_on,
        )
        existing.add((action.description, action.owner_agency, action.due_on))
        created += 1
    return created


async def immediate_actions(session: AsyncSession, case_id: int) -> list[Action]:
    rows = await session.execute(
        select(Action)
        .where(Action.case_id == case_id, Action.source == ActionSource.IMMEDIATE.value)
        .order_by(Action.id)
    )
    return list(rows.scalars())


def today_of(services: Services) -> date:
    return london_date(services.clock.now())
