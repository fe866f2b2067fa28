"""Redacting a stored free-text field that should never have been stored (an identifier that slipped
past the guard, in warn mode or in a way it does not recognise).

A business manager names the field and the record (`/review redact action 12 <reason>`); the text is
replaced by :data:`MARKER`, nothing of it is kept anywhere, and a :class:`~bot.records.models.Redaction`
row says which field of which record, who, when and why (the reason through the identifier guard).
The audit row names the kind, the record and the redaction, never the text or the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.access import CaseFacts
from bot.actions.models import Action, ActionUpdate, Finding
from bot.cases.models import Case, CaseEvent
from bot.deadlines.models import Deadline
from bot.errors import BadInput
from bot.learning_together.models import CaseHold, FamilyParticipation, KeyPracticeEpisode
from bot.meetings.models import Meeting
from bot.rapid_review.models import ChecklistItem, RapidReviewDecision
from bot.records.models import REASON_LIMIT, Redaction
from bot.records.reasons import reason_problem
from bot.runtime.services import Services

MARKER = "[redacted]"
EXCERPT = 40


@dataclass(frozen=True)
class Field:
    """A free-text column people can redact. ``by``: how the record is named: ``id`` (its number),
    ``case`` (the case's reference: one per case), ``code`` (a checklist item's code or number),
    ``rule`` (a deadline's id or number), ``episode`` (a key practice episode's number)."""

    what: str
    label: str
    model: Any
    column: str
    by: str = "id"


_DECISION = RapidReviewDecision

FIELDS: dict[str, Field] = {
    f.what: f
    for f in (
        Field("summary", "the case summary", Case, "summary", by="case"),
        Field("action", "an action's description", Action, "description"),
        Field("action-measure", "an action's success measure", Action, "success_measure"),
        Field("action-reason", "an action's reason for not doing it", Action, "not_doing_reason"),
        Field("action-evidence", "an action's evidence of impact", Action, "evidence_of_impact"),
        Field("action-update", "an action update's note", ActionUpdate, "note"),
        Field("finding", "a finding's summary", Finding, "summary"),
        Field("item-note", "a checklist item's note", ChecklistItem, "note", by="code"),
        Field("item-reason", "a checklist item's N/A reason", ChecklistItem, "na_reason", by="code"),
        Field("deadline-reason", "a revised target's reason", Deadline, "revised_reason", by="rule"),
        Field("deadline-agreed", "who agreed a revised target", Deadline, "revised_agreed_by", by="rule"),
        Field("deadline-na", "a deadline's N/A reason", Deadline, "not_applicable_reason", by="rule"),
        Field("event-link", "a recorded event's link", CaseEvent, "link"),
        Field("meeting-place", "a meeting's place", Meeting, "place"),
        Field("meeting-reading", "a meeting's pre-reading", Meeting, "pre_reading"),
        Field("rationale", "the decision's rationale", RapidReviewDecision, "rationale", by="case"),
        Field("learning", "the decision's learning", RapidReviewDecision, "learning", by="case"),
        Field("constraint-note", "the decision's constraint note", _DECISION, "constraint_note", "case"),
        Field("episode", "a key practice episode", _DECISION, "key_practice_episodes", "episode"),
        # Learning Together reviews.
        Field("meeting-record", "what was agreed at a meeting", Meeting, "record_text"),
        Field("conversation-role", "a conversation's practitioner role", Meeting, "practitioner_role"),
        Field("kpe-title", "a key practice episode's title", KeyPracticeEpisode, "title"),
        Field("family-reason", "why the family was or was not invited", FamilyParticipation, "reason"),
        Field("family-contact", "the family contact's role", FamilyParticipation, "contact_role"),
        Field("hold-reason", "a hold's reason", CaseHold, "reason"),
    )
}

_HOW_NAMED = {
    "id": "its number",
    "case": "the case reference",
    "code": "its code (e.g. RR3) or number",
    "rule": "the deadline id (as `/review status` shows it) or number",
    "episode": "its number in the decision (1 for the first)",
}


@dataclass(frozen=True)
class Redacted:
    field: Field
    record_id: int
    named: str
    redaction_id: int


@dataclass(frozen=True)
class Stored:
    """A field of this case that holds text, for the list `/review redact` shows."""

    what: str
    named: str
    excerpt: str


def usage() -> str:
    kinds = ", ".join(f"`{w}`" for w in FIELDS)
    return f"`/review redact <what> <which> <reason>`, where <what> is one of {kinds}"


async def redact(
    services: Services, case: CaseFacts, actor: str, what: str, which: str, reason: str
) -> Redacted:
    field = FIELDS.get(what.strip().lower())
    if field is None:
        raise BadInput(f"I can't redact `{what[:30]}`.", f"Use {usage()}.")
    problem = reason_problem(services, case.partnership_id, reason, REASON_LIMIT)
    if problem:
        raise BadInput(f"The reason cannot be stored: {problem}")
    async with services.db.session() as session:
        row, record_id = await _record(session, field, case, which)
        current = getattr(row, field.column)
        if field.by == "episode":
            episodes = list(current or [])
            index = record_id - 1
            if not 0 <= index < len(episodes):
                raise _not_there(field, which, case)
            if episodes[index] == MARKER:
                raise BadInput(f"That is redacted already: {field.label} {which}.")
            episodes[index] = MARKER
            setattr(row, field.column, episodes)  # a new list, so the change is seen
        else:
            if not current:
                raise BadInput(f"There is nothing stored in {field.label} {which}.")
            if current == MARKER:
                raise BadInput(f"That is redacted already: {field.label} {which}.")
            setattr(row, field.column, MARKER)
        redaction = Redaction(
            partnership_id=case.partnership_id,
            case_id=case.case_id,
            what=field.what,
            record_id=record_id,
            redacted_by=actor,
            redacted_at=services.clock.now(),
            reason=reason.strip(),
        )
        session.add(redaction)
        await session.flush()
        audit.record(
            session,
            services.clock,
            actor=actor,
            action="record.redacted",
            partnership_id=case.partnership_id,
            case_id=case.case_id,
            after={"what": field.what, "record": record_id, "redaction": redaction.id},
        )
    return Redacted(field, record_id, which, redaction.id)


def _not_there(field: Field, which: str, case: CaseFacts) -> BadInput:
    return BadInput(
        f"There is no `{field.what} {which[:30]}` in {case.reference}.",
        f"Name it by {_HOW_NAMED[field.by]}; `/review redact` alone lists what can be redacted here.",
    )


async def _record(session: AsyncSession, field: Field, case: CaseFacts, which: str) -> tuple[Any, int]:
    """The row holding the field, and the number the redaction records it by."""
    which = which.strip()
    if field.by == "case":
        if which.upper() != case.reference.upper():
            raise _not_there(field, which, case)
        row = await session.get(field.model, case.case_id)
        if row is None:
            raise _not_there(field, which, case)
        return row, case.case_id
    if field.by == "episode":
        row = await session.get(RapidReviewDecision, case.case_id)
        if row is None or not which.isdigit():
            raise _not_there(field, which, case)
        return row, int(which)
    model = field.model
    if model is ActionUpdate:
        query = select(ActionUpdate).join(Action, Action.id == ActionUpdate.action_id)
        query = query.where(Action.case_id == case.case_id)
    else:
        query = select(model).where(model.case_id == case.case_id)
    if which.isdigit() and int(which) < 2**31:
        query = query.where(model.id == int(which))
    elif field.by == "code":
        query = query.where(ChecklistItem.item_id == which.upper()[:16])
    elif field.by == "rule":
        query = query.where(Deadline.rule_id == which[:64])
    else:
        raise _not_there(field, which, case)
    row = (await session.scalars(query.limit(1))).first()
    if row is None:
        raise _not_there(field, which, case)
    return row, int(row.id)


async def stored_text(services: Services, case: CaseFacts) -> list[Stored]:
    """Every redactable field of the case that holds text (and is not redacted), with how to name it."""
    found: list[Stored] = []
    async with services.db.read() as session:
        for field in FIELDS.values():
            if field.by == "case":
                row = await session.get(field.model, case.case_id)
                rows = [(case.reference, getattr(row, field.column))] if row is not None else []
            elif field.by == "episode":
                decision = await session.get(RapidReviewDecision, case.case_id)
                episodes = list(decision.key_practice_episodes or []) if decision is not None else []
                rows = [(str(n), text) for n, text in enumerate(episodes, start=1)]
            else:
                model = field.model
                if model is ActionUpdate:
                    query: Any = select(ActionUpdate).join(Action, Action.id == ActionUpdate.action_id)
                    query = query.where(Action.case_id == case.case_id)
                else:
                    query = select(model).where(model.case_id == case.case_id)
                result = (await session.scalars(query.order_by(model.id))).all()
                rows = [(_name(field, r), getattr(r, field.column)) for r in result]
            for named, text in rows:
                if text and text != MARKER:
                    found.append(Stored(field.what, named, _excerpt(str(text))))
    return found


def _name(field: Field, row: Any) -> str:
    if field.by == "code":
        return str(row.item_id)
    if field.by == "rule":
        return str(row.rule_id)
    return str(row.id)


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1] + "…"
