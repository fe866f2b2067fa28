"""A case's whole record as plain data, for `reviewbot cases export` (records and archiving).

One read per table for the case (or for every case with ``--all``); the shape is documented in
docs/case-export.md and is exactly: reference, nation, ruleset, stage, stage_history, events,
deadlines, checklist, returns, decision, signoffs, meetings, key_practice_episodes, findings,
family_participation, holds, review_plan, actions, audit. Dates are ISO (YYYY-MM-DD), instants ISO
8601 in UTC. Only what ReviewBot stores: references, pseudonyms, codes, dates and guarded text; never
a name, date of birth or address.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.models import Action, Finding
from bot.audit import AuditEvent
from bot.cases.models import Case, CaseEvent
from bot.cases.service import deadlines_of
from bot.clock import london_date
from bot.deadlines.models import Deadline
from bot.deadlines.planning import case_lifecycle, case_ruleset
from bot.learning_together.family import participation_of, updates_of
from bot.learning_together.holds import held_deadlines
from bot.learning_together.models import CaseHold, FindingEpisode, KeyPracticeEpisode
from bot.learning_together.plan import plan_of
from bot.meetings.models import Meeting, MeetingRecordComment
from bot.rapid_review.decision_terms import recommendation_label
from bot.rapid_review.models import AgencyReturn, ChecklistItem, RapidReviewDecision, SignOff
from bot.rules.models import DeadlineKind, RuleSet

FIELDS = (
    "reference",
    "nation",
    "ruleset",
    "stage",
    "stage_history",
    "events",
    "deadlines",
    "checklist",
    "returns",
    "decision",
    "signoffs",
    "meetings",
    "key_practice_episodes",
    "findings",
    "family_participation",
    "holds",
    "review_plan",
    "actions",
    "audit",
)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _at(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def deadline_status(row: Deadline, today: date) -> str:
    """pending, met, missed or not_applicable, judged against the statutory date (never a revised
    target). Met late is missed (met_on says when it was done); a minimum period is met once it has run."""
    if row.not_applicable_reason:
        return "not_applicable"
    due = row.due_on
    if row.kind == DeadlineKind.MINIMUM_PERIOD.value:
        return "met" if due is not None and today >= due else "pending"
    if row.met_on is not None:
        return "met" if due is None or row.met_on <= due else "missed"
    if due is not None and due < today:
        return "missed"
    return "pending"


def _deadline(row: Deadline, ruleset: RuleSet, today: date, held: str | None = None) -> dict[str, Any]:
    rule = next((r for r in ruleset.deadlines if r.id == row.rule_id), None)
    tag = row.verification.split()[0] if row.verification else None
    return {
        "rule_id": row.rule_id,
        "label": row.label,
        "due_on": _day(row.due_on),
        "revised_target": _day(row.revised_due_on),
        "status": deadline_status(row, today),
        "met_on": _day(row.met_on),
        "source": rule.source_text() if rule is not None else None,
        "tag": rule.verification.tag.value if rule is not None else tag,
        # Publication on hold (parallel proceedings): the reason; the statutory date does not move.
        "held": held if row.met_on is None and not row.not_applicable_reason else None,
    }


def _summary(event: AuditEvent) -> str:
    parts = []
    for name, part in (("before", event.before), ("after", event.after)):
        if part:
            parts.append(f"{name}: " + ", ".join(f"{k}={v}" for k, v in part.items()))
    return "; ".join(parts)


async def _rows(session: AsyncSession, model: Any, case_id: int, order: Any) -> list[Any]:
    query = select(model).where(model.case_id == case_id).order_by(order)
    return list((await session.execute(query)).scalars())


def _meeting(m: Meeting, comments: dict[int, int]) -> dict[str, Any]:
    absent = [i for i in m.invitees if i.attended is False]
    return {
        "kind": m.kind,
        "starts_at": _at(m.starts_at),
        "status": m.status,
        "invited": len(m.invitees),
        "attended": sum(1 for i in m.invitees if i.attended),
        "purpose": m.purpose,
        "record_agreed": m.record_text,
        "absentees": len(absent),
        "absentees_sent_record": sum(1 for i in absent if i.record_sent_at is not None),
        "record_comments": comments.get(m.id, 0),
        "practitioner_agency": m.practitioner_agency,
        "practitioner_role": m.practitioner_role,
        "done": m.done,
        "during_hold": bool(m.during_hold),
    }


async def _learning_together(
    session: AsyncSession, case: Case, decision: RapidReviewDecision | None, meeting_ids: list[int]
) -> dict[str, Any]:
    """The Learning Together parts of the record: episodes, finding links, the family, holds, the plan."""
    rows = await _rows(session, KeyPracticeEpisode, case.id, KeyPracticeEpisode.number)
    number = {r.id: r.number for r in rows}
    if rows:
        episodes = [
            {
                "number": r.number,
                "title": r.title,
                "period_from": _day(r.period_from),
                "period_to": _day(r.period_to),
                "agencies": list(r.agencies or []),
                "contributory_factors": list(r.contributory_factors or []),
                "source": r.source,
            }
            for r in rows
        ]
    else:  # no Learning Together plan: the rapid review's titles
        titles = list(decision.key_practice_episodes or []) if decision else []
        episodes = [
            {
                "number": n,
                "title": t,
                "period_from": None,
                "period_to": None,
                "agencies": [],
                "contributory_factors": [],
                "source": "rapid_review",
            }
            for n, t in enumerate(titles, start=1)
        ]
    links: dict[int, list[int]] = {}
    if number:
        found = await session.execute(
            select(FindingEpisode)
            .where(FindingEpisode.episode_id.in_(list(number)))
            .order_by(FindingEpisode.id)
        )
        for link in found.scalars():
            links.setdefault(link.finding_id, []).append(number[link.episode_id])
    comments: dict[int, int] = {}
    if meeting_ids:
        for c in (
            await session.execute(
                select(MeetingRecordComment).where(MeetingRecordComment.meeting_id.in_(meeting_ids))
            )
        ).scalars():
            comments[c.meeting_id] = comments.get(c.meeting_id, 0) + 1
    family = await participation_of(session, case.id)
    family_record = None
    if family is not None:
        family_record = {
            "invited": family.invited,
            "reason": family.reason,
            "contact_role": family.contact_role,
            "updates": [
                {"given_on": _day(u.given_on), "note": u.note} for u in await updates_of(session, family.id)
            ],
            "next_update_on": _day(family.next_update_on),
            "comment_before_publication": family.comment_offered,
            "comment_by": _day(family.comment_by),
            "contact_during_hold": bool(family.during_hold),
        }
    holds = [
        {
            "kind": h.kind,
            "requested_by": h.requested_by,
            "reason": h.reason,
            "review_on": _day(h.review_on),
            "placed_at": _at(h.placed_at),
            "lifted_at": _at(h.lifted_at),
        }
        for h in await _rows(session, CaseHold, case.id, CaseHold.id)
    ]
    plan = await plan_of(session, case.id)
    plan_record = None
    if plan is not None:
        plan_record = {
            "model": plan.model,
            "model_version": plan.model_version,
            "lead_reviewer": plan.lead_reviewer_user_id,
            "review_team": list(plan.review_team or []),
            "follow_ons": plan.follow_ons,
            "commissioned_at": _at(plan.commissioned_at),
        }
    return {
        "episodes": episodes,
        "links": links,
        "comments": comments,
        "family": family_record,
        "holds": holds,
        "plan": plan_record,
    }


async def case_record(session: AsyncSession, case: Case, today: date) -> dict[str, Any]:
    """The case's record as plain JSON-ready data (keys as in :data:`FIELDS`, in that order)."""
    ruleset = case_ruleset(case)
    lifecycle = case_lifecycle(case)
    audit_rows = await _rows(session, AuditEvent, case.id, AuditEvent.id)
    history = [{"stage": "notified", "at": _at(case.created_at), "by": case.created_by}]
    for row in audit_rows:
        if row.action == "case.stage_changed" and row.after:
            history.append({"stage": str(row.after.get("stage")), "at": _at(row.at), "by": row.actor})
    events = {
        e.event: london_date(e.occurred_at).isoformat()
        for e in await _rows(session, CaseEvent, case.id, CaseEvent.occurred_at)
    }
    events.setdefault("la_aware", london_date(case.la_aware_at).isoformat())
    if case.notification_sent_at is not None:
        events.setdefault("notification_sent", london_date(case.notification_sent_at).isoformat())
    decision = await session.get(RapidReviewDecision, case.id)
    review_name = lifecycle.review_name if lifecycle else None
    meetings = await _rows(session, Meeting, case.id, Meeting.starts_at)
    held = await held_deadlines(session, case)
    learning = await _learning_together(session, case, decision, [m.id for m in meetings])
    record: dict[str, Any] = {
        "reference": case.reference,
        "nation": case.nation,
        "ruleset": case.ruleset_id,
        "stage": case.stage,
        "stage_history": history,
        "events": dict(sorted(events.items(), key=lambda kv: kv[1])),
        "deadlines": [
            _deadline(d, ruleset, today, held.get(d.rule_id)) for d in await deadlines_of(session, case.id)
        ],
        "checklist": [
            {
                "item": i.item_id,
                "title": i.title,
                "owner": i.owner,
                "owner_agency": i.owner_agency,
                "target_on": _day(i.target_on),
                "status": i.status,
                "done_on": _day(i.done_on),
                "not_applicable_reason": i.na_reason,
            }
            for i in await _rows(session, ChecklistItem, case.id, ChecklistItem.position)
        ],
        "returns": [
            {
                "agency": r.agency_id,
                "requested_on": _day(r.requested_on),
                "due_on": _day(r.due_on),
                "received_on": _day(r.received_on),
                "nil_return": r.nil_return,
                "added_later": r.added_later,
            }
            for r in await _rows(session, AgencyReturn, case.id, AgencyReturn.agency_id)
        ],
        "decision": None
        if decision is None
        else {
            "version": decision.version,
            "recommendation": decision.recommendation,
            "recommendation_label": recommendation_label(decision.recommendation, case.nation, review_name),
            "national_review": decision.national_review,
            "rationale": decision.rationale,
            "learning": decision.learning,
            "parallel_processes": list(decision.parallel_processes or []),
            "constraints": list(decision.constraints or []),
            "decided_on": events.get("decision"),
        },
        "signoffs": [
            {
                "agency": s.agency_id,
                "version": s.decision_version,
                "signed_by": s.signed_by,
                "signed_at": _at(s.signed_at),
                "voided": s.voided_at is not None,
            }
            for s in await _rows(session, SignOff, case.id, SignOff.id)
        ],
        "meetings": [_meeting(m, learning["comments"]) for m in meetings],
        "key_practice_episodes": learning["episodes"],
        "findings": [
            {
                "typology": f.typology,
                "typology_category": f.typology,
                "kind": f.kind,
                "recommendation_kind": f.recommendation_kind,
                "issue_for_board": f.kind == "board_issue",
                "key_practice_episodes": learning["links"].get(f.id, []),
                "summary": f.summary,
                "recorded_on": london_date(f.created_at).isoformat(),
            }
            for f in await _rows(session, Finding, case.id, Finding.id)
        ],
        "family_participation": learning["family"],
        "holds": learning["holds"],
        "review_plan": learning["plan"],
        "actions": [
            {
                "description": a.description,
                "source": a.source,
                "owner_agency": a.owner_agency,
                "due_on": _day(a.due_on),
                "status": a.status,
                "completed_on": _day(a.completed_on),
            }
            for a in await _rows(session, Action, case.id, Action.id)
        ],
        "audit": [
            {"at": _at(a.at), "actor": a.actor, "action": a.action, "summary": _summary(a)}
            for a in audit_rows
        ],
    }
    assert tuple(record) == FIELDS
    return record


async def case_records(session: AsyncSession, reference: str | None, today: date) -> list[dict[str, Any]]:
    """The record of the case with this reference, or of every case (oldest first) when None."""
    query = select(Case).order_by(Case.id)
    if reference is not None:
        query = query.where(Case.reference == reference.strip().upper())
    cases = list((await session.execute(query)).scalars())
    return [await case_record(session, case, today) for case in cases]
