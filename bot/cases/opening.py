"""Opening a case and recording that its notification was sent. One unit of work per change: rows,
deadlines, reminders and audit entries commit together; Slack side effects follow from the committed
rows (bot.cases.slack_sync). Either can start the rapid review, in the same unit of work, so this
module sits above bot.rapid_review (which uses bot.cases.service for look-ups and stage moves).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.cases.lifecycle import not_applicable, record_auto
from bot.cases.models import Case, CaseAgency, CaseChild, CaseMember, IdempotencyKey
from bot.cases.reference import format_reference, next_sequence
from bot.cases.service import deadlines_of, move_stage
from bot.cases.states import Stage
from bot.clock import london_date
from bot.config.partnership import Partnership
from bot.deadlines.planning import anchor_happened, cancel_pending_reminders, plan_case_deadlines
from bot.errors import Conflict
from bot.notifications.form import AbuseOrNeglect, NotificationForm
from bot.rapid_review.start import start_rapid_review
from bot.rules.loader import load_ruleset, select_ruleset
from bot.rules.models import Anchor, AutoTrigger, NotificationType, Phase, RuleSet
from bot.rules.overrides import apply_overrides
from bot.runtime.services import Services

NOTIFICATION_ONLY_TYPES = {NotificationType.CARE_LEAVER_DEATH}


@dataclass(frozen=True)
class Idempotency:
    scope: str  # "modal" or "webhook:<partnership>"
    key: str
    request_hash: str


@dataclass(frozen=True)
class OpenedCase:
    case_id: int
    reference: str
    created: bool  # False when an idempotent replay found the case opened before


class IdempotencyConflict(Exception):
    """The same Idempotency-Key was used before for a different request."""


def request_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def ruleset_for(partnership: Partnership, on: datetime) -> RuleSet:
    """The partnership's chosen rule set, or the edition in force for its nation on that day."""
    overrides = partnership.rules
    base = (
        load_ruleset(partnership.ruleset)
        if partnership.ruleset
        else select_ruleset(partnership.nation, london_date(on), edition_starts=overrides.edition_starts)
    )
    return apply_overrides(base, overrides)


def rapid_review_withheld(ruleset: RuleSet, form: NotificationForm) -> str | None:
    """Why no rapid review starts for this notification, or None when it does.

    Where the nation's process needs abuse or neglect known or suspected (England E1/E6, Wales W2), a
    notification without it starts none: a looked-after child's death from any cause is still notified
    to the Secretary of State and Ofsted (E3), but that alone does not start a rapid review.
    """
    lifecycle = ruleset.lifecycle
    if lifecycle is None or not lifecycle.review_needs_abuse_or_neglect:
        return None
    if form.abuse_or_neglect is AbuseOrNeglect.NOT_SUSPECTED:
        return f"No abuse or neglect known or suspected: no {lifecycle.pre_decision.lower()} starts"
    return None


def initial_members(partnership: Partnership, agencies: list[str], opened_by: str | None) -> list[str]:
    """The business unit, the chair(s), and the leads of the agencies known to be involved."""
    people = set(p.slack_user_id for p in partnership.people_with_role("business_manager"))
    people |= {p.slack_user_id for p in partnership.people_with_role("chair")}
    for agency in agencies:
        people |= {p.slack_user_id for p in partnership.people_with_role("agency_lead", agency=agency)}
    if opened_by and partnership.person(opened_by) is not None:
        people.add(opened_by)
    return sorted(people)


def default_owner(partnership: Partnership, opened_by: str | None) -> str:
    person = partnership.person(opened_by) if opened_by else None
    if person is not None and "business_manager" in {str(r) for r in person.roles}:
        return person.slack_user_id
    managers = partnership.people_with_role("business_manager")
    return managers[0].slack_user_id if managers else (opened_by or "")


async def open_case(
    services: Services,
    partnership: Partnership,
    form: NotificationForm,
    *,
    opened_by: str,
    actor_user_id: str | None,
    idempotency: Idempotency | None = None,
    source_message: tuple[str, str] | None = None,
) -> OpenedCase:
    """Open a case once per idempotency key, even when two identical requests race: the loser's
    insert of the key fails, its whole unit of work rolls back, and it answers with the winner's case."""
    for attempt in (1, 2):
        try:
            return await _open_case(
                services,
                partnership,
                form,
                opened_by=opened_by,
                actor_user_id=actor_user_id,
                idempotency=idempotency,
                source_message=source_message,
            )
        except IntegrityError:
            if idempotency is None or attempt == 2:
                raise
    raise AssertionError("unreachable")


async def _open_case(
    services: Services,
    partnership: Partnership,
    form: NotificationForm,
    *,
    opened_by: str,
    actor_user_id: str | None,
    idempotency: Idempotency | None = None,
    source_message: tuple[str, str] | None = None,
) -> OpenedCase:
    """Create the case, its children, agencies, members, deadlines, reminders and audit rows."""
    now = services.clock.now()
    async with services.db.session() as session:
        if idempotency is not None:
            earlier = await session.get(IdempotencyKey, (idempotency.scope, idempotency.key))
            if earlier is not None:
                if earlier.request_hash != idempotency.request_hash:
                    raise IdempotencyConflict(idempotency.key)
                case = await session.get(Case, earlier.case_id) if earlier.case_id else None
                if case is not None:
                    return OpenedCase(case.id, case.reference, created=False)
        ruleset = ruleset_for(partnership, form.la_aware_at)
        year = london_date(now).year
        seq = await next_sequence(session, partnership.id, year)
        reference = format_reference(partnership.case_reference_pattern, year=year, seq=seq)
        no_review_reason = rapid_review_withheld(ruleset, form)
        notification_only = form.notification_type in NOTIFICATION_ONLY_TYPES or no_review_reason is not None
        case = Case(
            partnership_id=partnership.id,
            reference=reference,
            nation=str(partnership.nation),
            ruleset_id=ruleset.id,
            ruleset_version=ruleset.version,
            ruleset_snapshot=ruleset.model_dump(mode="json"),
            notification_type=form.notification_type.value,
            notification_only=notification_only,
            stage=Stage.NOTIFIED.value,
            la_aware_at=form.la_aware_at,
            incident_on=form.incident_on,
            abuse_or_neglect=form.abuse_or_neglect.value,
            police_investigation=form.police_investigation.value,
            media_interest=form.media_interest,
            notification_sent_at=form.notification_sent_at,
            summary=form.summary,
            source_channel_id=source_message[0] if source_message else None,
            source_message_ts=source_message[1] if source_message else None,
            owner_user_id=default_owner(partnership, actor_user_id),
            created_by=opened_by,
            created_at=now,
            updated_at=now,
        )
        case.children = [
            CaseChild(
                position=i,
                pseudonym=c.pseudonym,
                age_band=c.age_band.value,
                legal_status=c.legal_status.value,
            )
            for i, c in enumerate(form.children)
        ]
        case.agencies = [CaseAgency(agency_id=a, added_at=now) for a in sorted(set(form.agencies))]
        case.members = [
            CaseMember(user_id=u, added_at=now)
            for u in initial_members(partnership, form.agencies, actor_user_id)
        ]
        session.add(case)
        await session.flush()
        deadlines = await plan_case_deadlines(session, services, partnership, case, ruleset)
        await record_auto(session, services, case, AutoTrigger.OPENED, case.la_aware_at, actor=opened_by)
        if no_review_reason is not None:
            await not_applicable(
                session, services, case, {Phase.RAPID_REVIEW, Phase.REVIEW}, no_review_reason, actor=opened_by
            )
        if idempotency is not None:
            session.add(
                IdempotencyKey(
                    scope=idempotency.scope,
                    key=idempotency.key,
                    request_hash=idempotency.request_hash,
                    case_id=case.id,
                    created_at=now,
                )
            )
        audit.record(
            session,
            services.clock,
            actor=opened_by,
            action="case.opened",
            partnership_id=partnership.id,
            case_id=case.id,
            after={
                "reference": reference,
                "notification_type": case.notification_type,
                "ruleset": ruleset.id,
                "ruleset_version": ruleset.version,
                "children": len(case.children),
                "agencies": [a.agency_id for a in case.agencies],
                "stage": case.stage,
                "deadlines": len(deadlines),
                "notification_only": notification_only,
                "la_aware_on": london_date(form.la_aware_at),
                "notification_sent": form.notification_sent_at is not None,
                "summary_given": form.summary is not None,
            },
        )
        if form.notification_sent_at is not None:
            await _meet_notification_deadlines(
                session, case.id, at=form.notification_sent_at, actor=opened_by
            )
            sent_at = form.notification_sent_at
            sent = AutoTrigger.NOTIFICATION_SENT
            await record_auto(session, services, case, sent, sent_at, actor=opened_by)
            if not notification_only:
                move_stage(session, services, case, Stage.RAPID_REVIEW, actor=opened_by)
                await _start_rapid_review(session, services, case, actor=opened_by)
        return OpenedCase(case.id, reference, created=True)


async def record_notification_sent(services: Services, case_id: int, *, actor: str, at: datetime) -> Case:
    """The notification went to the Panel: meet the notification deadline, start the rapid review clock."""
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        assert case is not None
        if case.notification_sent_at is not None:
            raise Conflict(f"The notification for {case.reference} was already recorded as sent.")
        partnership = services.config.partnership(case.partnership_id)
        case.notification_sent_at = at
        case.updated_at = services.clock.now()
        await _meet_notification_deadlines(session, case.id, at=at, actor=actor)
        await anchor_happened(session, services, partnership, case, Anchor.NOTIFICATION_SENT, at)
        await record_auto(session, services, case, AutoTrigger.NOTIFICATION_SENT, at, actor=actor)
        audit.record(
            session,
            services.clock,
            actor=actor,
            action="case.notification_sent",
            partnership_id=case.partnership_id,
            case_id=case.id,
            after={"notification_sent_on": london_date(at)},
        )
        if not case.notification_only and Stage(case.stage) is Stage.NOTIFIED:
            move_stage(session, services, case, Stage.RAPID_REVIEW, actor=actor)
        await _start_rapid_review(session, services, case, actor=actor)
        return case


async def _start_rapid_review(session: AsyncSession, services: Services, case: Case, *, actor: str) -> None:
    """The rapid review's checklist and agency returns start with it, in the same unit of work."""
    await start_rapid_review(session, services, case, actor=actor)


async def _meet_notification_deadlines(
    session: AsyncSession, case_id: int, *, at: datetime, actor: str
) -> None:
    """Sending the notification meets every notification deadline counted from awareness."""
    for row in await deadlines_of(session, case_id):
        if (
            row.anchor == "la_aware"
            and row.kind == "deadline"
            and row.met_on is None
            and "notif" in row.rule_id
        ):
            row.met_on, row.met_by = london_date(at), actor
            await cancel_pending_reminders(session, row.id)
