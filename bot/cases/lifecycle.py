"""The events of a case's life after (and around) the decision, as its rule set's lifecycle names them.

Recording an event, by a person (`/review record <event> [DD/MM/YYYY] [link]`) or by the step that
implies it (the notification sent, every partner signed off, the decision sent, the Panel's reply),
does three things in the caller's unit of work: it keeps the event's day, dates every deadline counted
from it (its anchor) and marks the deadlines it meets. Deadlines that cannot apply any more (no review
held, no rapid review because no abuse or neglect is known or suspected) are marked not applicable
with the reason, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.cases.events import date_refusal, event_named, recordable_words, review_refusal
from bot.cases.models import Case, CaseEvent
from bot.cases.service import deadlines_of, move_stage
from bot.cases.states import Stage
from bot.clock import london_date, london_datetime
from bot.deadlines.planning import anchor_happened, cancel_pending_reminders, case_lifecycle, case_ruleset
from bot.errors import BadInput, Conflict, NotFound
from bot.learning_together.holds import hold_of, lift_hold
from bot.learning_together.terms import PUBLICATION_HOLD_LIFTED, HoldKind
from bot.privacy.guard import guard
from bot.rules.models import AutoTrigger, Lifecycle, LifecycleEvent, Phase
from bot.runtime.services import Services
from bot.slack.mrkdwn import escape

LINK_LIMIT = 300


async def events_of(session: AsyncSession, case_id: int) -> dict[str, CaseEvent]:
    rows = await session.execute(select(CaseEvent).where(CaseEvent.case_id == case_id))
    return {row.event: row for row in rows.scalars()}


def event_days(case: Case, events: dict[str, CaseEvent]) -> dict[str, date]:
    """Every event of the case with its UK date (the case's own columns fill in the first two)."""
    days = {name: london_date(row.occurred_at) for name, row in events.items()}
    days.setdefault("la_aware", london_date(case.la_aware_at))
    if case.notification_sent_at is not None:
        days.setdefault("notification_sent", london_date(case.notification_sent_at))
    return days


def instant(on: date, now: datetime) -> datetime:
    """Today's events keep the moment they were recorded; an earlier day is taken at noon UK time."""
    return now if london_date(now) == on else london_datetime(on, 12)


async def meet(
    session: AsyncSession, case: Case, rule_ids: list[str], on: date, actor: str
) -> list[str]:
    """Mark these deadlines met on ``on`` (those still open) and cancel their reminders."""
    met = []
    for row in await deadlines_of(session, case.id):
        if row.rule_id in rule_ids and row.met_on is None and not row.not_applicable_reason:
            row.met_on, row.met_by = on, actor
            await cancel_pending_reminders(session, row.id)
            met.append(row.rule_id)
    return met


async def not_applicable(
    session: AsyncSession, services: Services, case: Case, phases: set[Phase], reason: str, *, actor: str
) -> list[str]:
    """Mark the open deadlines of these phases not applicable, with the reason, and stop their reminders."""
    ruleset = case_ruleset(case)
    phase_of = {rule.id: rule.phase for rule in ruleset.deadlines}
    marked = []
    for row in await deadlines_of(session, case.id):
        if phase_of.get(row.rule_id) not in phases or row.met_on is not None or row.not_applicable_reason:
            continue
        row.not_applicable_reason = reason[:200]
        row.updated_at = services.clock.now()
        await cancel_pending_reminders(session, row.id)
        marked.append(row.rule_id)
    if marked:
        audit.record(
            session,
            services.clock,
            actor=actor,
            action="deadline.not_applicable",
            partnership_id=case.partnership_id,
            case_id=case.id,
            after={"deadlines": marked, "phases": sorted(p.value for p in phases)},
        )
    return marked


async def _keep(
    session: AsyncSession,
    services: Services,
    case: Case,
    event: LifecycleEvent,
    at: datetime,
    *,
    actor: str,
    detail: str | None = None,
    link: str | None = None,
    audited: bool = True,
) -> list[str]:
    """Store the event, date the deadlines counted from it and meet those it meets."""
    session.add(
        CaseEvent(
            case_id=case.id,
            event=event.id,
            occurred_at=at,
            detail=detail,
            link=link,
            recorded_by=actor,
            recorded_at=services.clock.now(),
        )
    )
    await session.flush()
    partnership = services.config.partnership(case.partnership_id)
    if event.anchor is not None:
        await anchor_happened(session, services, partnership, case, event.anchor, at)
    met = await meet(session, case, list(event.meets), london_date(at), actor)
    if not audited:
        return met
    audit.record(
        session,
        services.clock,
        actor=actor,
        action="case.event_recorded",
        partnership_id=case.partnership_id,
        case_id=case.id,
        after={
            "event": event.id,
            "on": london_date(at),
            "detail": detail,
            "link_given": link is not None,
            "deadlines_met": met,
        },
    )
    return met


async def record_auto(
    session: AsyncSession,
    services: Services,
    case: Case,
    trigger: AutoTrigger,
    at: datetime,
    *,
    actor: str,
    detail: str | None = None,
) -> list[str]:
    """Record the events ``trigger`` implies (once each); the deadlines they meet, by rule id."""
    lifecycle = case_lifecycle(case)
    if lifecycle is None:
        return []
    existing = await events_of(session, case.id)
    met: list[str] = []
    for event in lifecycle.recorded_by(trigger):
        if event.id in existing:
            continue
        # The case opening is audited as such (case.opened); its implied events are part of it.
        audited = trigger is not AutoTrigger.OPENED
        met += await _keep(session, services, case, event, at, actor=actor, detail=detail, audited=audited)
    return met


@dataclass(frozen=True)
class EventRecorded:
    case_id: int
    reference: str
    label: str
    on: date
    deadlines_met: list[str]
    deadlines_dated: int
    stage: str


def lifecycle_or_refuse(case: Case) -> Lifecycle:
    lifecycle = case_lifecycle(case)
    if lifecycle is None:
        raise BadInput(f"{case.reference}'s rule set has no events to record.")
    return lifecycle


def event_or_refuse(lifecycle: Lifecycle, word: str) -> LifecycleEvent:
    event = event_named(lifecycle, word)
    if event is None:
        raise BadInput(
            f"'{word[:40]}' is not an event of this case's review.",
            f"Events you can record: {recordable_words(lifecycle)}.",
        )
    return event


def _checked_link(services: Services, case: Case, link: str | None, event: LifecycleEvent) -> str | None:
    if not event.link:
        if link:
            raise BadInput(f"'{event.label}' takes no link.")
        return None
    value = (link or "").strip().strip("<>")
    if not value:
        raise BadInput(
            f"Give the link to the published report, e.g. `/review record {event.id} 14/06/2027 https://...`."
        )
    if len(value) > LINK_LIMIT or not value.startswith(("https://", "http://")) or " " in value:
        raise BadInput("The link must be a web address starting https:// (at most 300 characters).")
    partnership = services.config.partnership(case.partnership_id)
    verdict = guard(value, mode=partnership.identifier_guard, allowed_terms=partnership.allowed_terms())
    if not verdict.ok:
        raise BadInput(verdict.message)
    return value


async def _publication_hold_check(
    session: AsyncSession, case: Case, event: LifecycleEvent, lifecycle: Lifecycle
) -> None:
    """Publication waits while it is on hold; the hold is lifted by its own event, only while in force."""
    hold = await hold_of(session, case.id, HoldKind.PUBLICATION)
    if event.id == PUBLICATION_HOLD_LIFTED and hold is None:
        raise BadInput(f"Publication of {case.reference} is not on hold.",
                       "Put it on hold with `/review hold publication <reason>`.")
    if hold is not None and lifecycle.timescale_rule in event.meets:
        raise Conflict(f"Publication of {case.reference} is on hold: {escape(hold.reason[:120])}.",
                       "When the parallel proceedings allow it, "
                       f"`/review record {PUBLICATION_HOLD_LIFTED}` first.")


async def record_event(
    services: Services, case_id: int, actor: str, word: str, on: date | None, link: str | None = None
) -> EventRecorded:
    """Record an event a person names, after checking its day; ``actor`` was admitted by the gate."""
    now = services.clock.now()
    today = london_date(now)
    day = on or today
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        if case is None:
            raise NotFound("That case no longer exists.")
        lifecycle = lifecycle_or_refuse(case)
        event = event_or_refuse(lifecycle, word)
        if event.auto is not None:
            raise BadInput(f"'{event.label}' is recorded by ReviewBot itself when it happens.")
        existing = await events_of(session, case.id)
        if event.id in existing:
            when = london_date(existing[event.id].occurred_at)
            raise Conflict(f"'{event.label}' was already recorded for {case.reference} ({when:%d/%m/%Y}).")
        decision = existing.get("decision")
        refusal = review_refusal(event, decision.detail if decision else None, lifecycle.review_name)
        refusal = refusal or date_refusal(
            lifecycle, event, day, today=today, recorded=event_days(case, existing)
        )
        if refusal:
            raise BadInput(refusal)
        await _publication_hold_check(session, case, event, lifecycle)
        checked_link = _checked_link(services, case, link, event)
        before = {row.id: row.due_on for row in await deadlines_of(session, case.id)}
        met = await _keep(session, services, case, event, instant(day, now), actor=actor, link=checked_link)
        dated = sum(
            1 for row in await deadlines_of(session, case.id) if before.get(row.id) is None and row.due_on
        )
        if event.id == PUBLICATION_HOLD_LIFTED:
            await lift_hold(session, services, case, HoldKind.PUBLICATION, user_id=actor)
        if event.moves_to is not None:
            target = Stage(event.moves_to)
            from_here = {Stage.LOCAL_REVIEW_COMMISSIONED: {Stage.PUBLISHED}}
            if target in from_here.get(Stage(case.stage), set()):
                move_stage(session, services, case, target, actor=actor)
        return EventRecorded(case.id, case.reference, event.label, day, met, dated, case.stage)
