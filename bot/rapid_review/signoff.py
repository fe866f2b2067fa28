"""Partner sign-off, the submission to the Panel and the Panel's reply.

Each statutory partner (England: local authority, police, integrated care board; the partnership file
may list others in ``sign_off_agencies``) approves the current version of the decision through a
person with the signatory role in that agency (process-rules.md 10.4: captured separately, with the
date). When every partner has signed, the case moves to the decision stage; sending it to the Panel
dates the Panel chase and meets the rapid review deadline; the Panel's reply moves the case on as
the partners decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.cases.lifecycle import not_applicable, record_auto
from bot.cases.models import Case
from bot.cases.service import move_stage
from bot.cases.states import Stage
from bot.clock import london_date, london_datetime
from bot.deadlines.models import Deadline
from bot.deadlines.planning import anchor_happened, cancel_pending_reminders, case_lifecycle
from bot.errors import BadInput, Conflict, NotFound
from bot.rapid_review.checklist import complete_by_event
from bot.rapid_review.decision import active_sign_offs, current_decision
from bot.rapid_review.decision_terms import Recommendation
from bot.rapid_review.free_text import agency_name
from bot.rapid_review.models import RapidReview, SignOff
from bot.rapid_review.states import PanelResponse
from bot.rules.checklist_templates import CompletedBy
from bot.rules.models import Anchor, AutoTrigger, Phase
from bot.runtime.services import Services

# Deadlines met by sending the rapid review (England: complete it within 15 working days, E7).
MET_BY_SUBMISSION = {"rapid_review"}


def required_agencies(services: Services, case: Case) -> list[str]:
    return [a.id for a in services.config.partnership(case.partnership_id).signatory_agencies()]


def waiting_for(required: list[str], signed: list[SignOff]) -> list[str]:
    have = {s.agency_id for s in signed}
    return [a for a in required if a not in have]


@dataclass(frozen=True)
class SignedOff:
    case_id: int
    agency_name: str
    version: int
    all_signed: bool
    waiting: list[str]


async def sign_off(services: Services, case_id: int, agency_id: str, user_id: str) -> SignedOff:
    now = services.clock.now()
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        if case is None:
            raise NotFound("That case no longer exists.")
        partnership = services.config.partnership(case.partnership_id)
        name = agency_name(partnership, agency_id)
        required = required_agencies(services, case)
        if agency_id not in required:
            raise BadInput(
                f"{name} is not one of the partners who sign off this partnership's rapid reviews."
            )
        decision = await current_decision(session, case.id)
        if decision is None:
            raise BadInput(
                "There is no decision to sign off yet.",
                "The business unit records it with `/review decision`.",
            )
        rr = await session.get(RapidReview, case.id)
        if rr is not None and rr.panel_sent_on is not None:
            raise Conflict(f"The rapid review already went to the Panel on {rr.panel_sent_on:%d/%m/%Y}.")
        signed = await active_sign_offs(session, case.id, decision.version)
        earlier = next((s for s in signed if s.agency_id == agency_id), None)
        if earlier is not None:
            raise Conflict(
                f"{name} already signed off version {decision.version} "
                f"(<@{earlier.signed_by}>, {london_date(earlier.signed_at):%d/%m/%Y})."
            )
        row = SignOff(
            case_id=case.id,
            agency_id=agency_id,
            decision_version=decision.version,
            signed_by=user_id,
            signed_at=now,
        )
        session.add(row)
        signed.append(row)
        audit.record(
            session,
            services.clock,
            actor=user_id,
            action="rapid_review.signed_off",
            partnership_id=case.partnership_id,
            case_id=case.id,
            after={"agency": agency_id, "version": decision.version},
        )
        waiting = waiting_for(required, signed)
        if not waiting:
            await complete_by_event(session, services, case, CompletedBy.ALL_SIGNED_OFF, actor=user_id)
            if Stage(case.stage) is Stage.RAPID_REVIEW:
                move_stage(session, services, case, Stage.DECISION, actor=user_id)
        return SignedOff(case.id, name, decision.version, not waiting, waiting)


def _instant(on: date, now: datetime) -> datetime:
    return now if london_date(now) == on else london_datetime(on, 12)


async def _for_panel(
    services: Services, session: AsyncSession, case_id: int, user_id: str
) -> tuple[Case, RapidReview]:
    case = await session.get(Case, case_id)
    if case is None:
        raise NotFound("That case no longer exists.")
    rr = await session.get(RapidReview, case.id)
    if rr is None:
        raise BadInput(f"{case.reference} has no rapid review yet.")
    return case, rr


@dataclass(frozen=True)
class PanelStep:
    case_id: int
    reference: str
    on: date
    stage: str


async def record_sent_to_panel(
    services: Services, case_id: int, user_id: str, on: date | None = None
) -> PanelStep:
    """Every partner has signed; the rapid review and decision went to the Panel on ``on``."""
    now = services.clock.now()
    sent = on or london_date(now)
    if sent > london_date(now):
        raise BadInput("The date it was sent can't be in the future.")
    async with services.db.session() as session:
        case, rr = await _for_panel(services, session, case_id, user_id)
        if rr.panel_sent_on is not None:
            raise Conflict(
                f"{case.reference} was already recorded as sent to the Panel on {rr.panel_sent_on:%d/%m/%Y}."
            )
        decision = await current_decision(session, case.id)
        signed = await active_sign_offs(session, case.id, decision.version) if decision else []
        partnership = services.config.partnership(case.partnership_id)
        waiting = waiting_for(required_agencies(services, case), signed)
        if decision is None or waiting:
            names = ", ".join(agency_name(partnership, a) for a in waiting) or "the decision"
            raise BadInput(
                f"It can't go to the Panel yet: waiting for {names}.",
                "Every partner signs off the current decision first.",
            )
        last_signed = max(s.signed_at for s in signed) if signed else now
        if sent < london_date(last_signed):
            raise BadInput(
                f"It can't have been sent before every partner signed off "
                f"({london_date(last_signed):%d/%m/%Y}).",
                "Give the day it was sent.",
            )
        rr.panel_sent_on, rr.panel_sent_by, rr.updated_at = sent, user_id, now
        lifecycle = case_lifecycle(case)
        if lifecycle is not None:
            met = await _decision_recorded(
                session, services, case, decision.recommendation, last_signed, _instant(sent, now), user_id
            )
        else:  # a rule set without lifecycle data: the England defaults
            await anchor_happened(
                session, services, partnership, case, Anchor.RAPID_REVIEW_SENT, _instant(sent, now)
            )
            await anchor_happened(session, services, partnership, case, Anchor.DECISION, last_signed)
            met = await _meet_submission_deadlines(session, case.id, sent, user_id)
        await complete_by_event(session, services, case, CompletedBy.SENT_TO_PANEL, actor=user_id)
        audit.record(
            session,
            services.clock,
            actor=user_id,
            action="rapid_review.sent_to_panel",
            partnership_id=case.partnership_id,
            case_id=case.id,
            after={"sent_on": sent, "version": decision.version, "deadlines_met": met},
        )
        return PanelStep(case.id, case.reference, sent, case.stage)


async def _decision_recorded(
    session: AsyncSession,
    services: Services,
    case: Case,
    recommendation: str,
    decided_at: datetime,
    sent_at: datetime,
    user_id: str,
) -> list[str]:
    """The decision is recorded whichever way it went (its instant: the last sign-off), then its
    sending; deadlines of a review that will not be held stop applying; where no reply is awaited
    (every nation but England) the case moves on as the partners decided."""
    lifecycle = case_lifecycle(case)
    assert lifecycle is not None
    met = await record_auto(
        session, services, case, AutoTrigger.DECISION_MADE, decided_at, actor=user_id, detail=recommendation
    )
    met += await record_auto(session, services, case, AutoTrigger.DECISION_SENT, sent_at, actor=user_id)
    if recommendation != Recommendation.LOCAL_REVIEW.value:
        reason = (
            f"The partners decided on no further review: no {lifecycle.review_name}"
            if recommendation == Recommendation.NO_FURTHER_REVIEW.value
            else f"Another kind of local learning review was chosen, not a {lifecycle.review_name}"
        )
        await not_applicable(session, services, case, {Phase.REVIEW}, reason, actor=user_id)
    if not lifecycle.national_reply and Stage(case.stage) is Stage.DECISION:
        move_stage(session, services, case, NEXT_STAGE[recommendation], actor=user_id)
    return met


async def _meet_submission_deadlines(
    session: AsyncSession, case_id: int, on: date, user_id: str
) -> list[str]:
    rows = await session.execute(
        select(Deadline).where(Deadline.case_id == case_id, Deadline.rule_id.in_(MET_BY_SUBMISSION))
    )
    met = []
    for row in rows.scalars():
        if row.met_on is None and not row.not_applicable_reason:
            row.met_on, row.met_by = on, user_id
            await cancel_pending_reminders(session, row.id)
            met.append(row.rule_id)
    return met


NEXT_STAGE = {
    Recommendation.LOCAL_REVIEW.value: Stage.LOCAL_REVIEW_COMMISSIONED,
    Recommendation.OTHER_LOCAL_REVIEW.value: Stage.LOCAL_REVIEW_COMMISSIONED,
    Recommendation.NO_FURTHER_REVIEW.value: Stage.NO_FURTHER_REVIEW,
}


async def record_panel_response(
    services: Services, case_id: int, user_id: str, response: PanelResponse, on: date | None = None
) -> PanelStep:
    """The Panel's view. It agrees (or asks for a national review): the case moves on as decided. It
    disagrees: the case stays at the decision stage for the partners to respond (R23)."""
    now = services.clock.now()
    replied = on or london_date(now)
    if replied > london_date(now):
        raise BadInput("The date of the Panel's reply can't be in the future.")
    async with services.db.session() as session:
        case, rr = await _for_panel(services, session, case_id, user_id)
        if rr.panel_sent_on is None:
            raise BadInput("Record that the rapid review went to the Panel first (`/review panel sent`).")
        if rr.panel_response is not None:
            raise Conflict(f"The Panel's reply is already recorded ({rr.panel_response.replace('_', ' ')}).")
        if replied < rr.panel_sent_on:
            raise BadInput("The Panel can't have replied before the rapid review was sent.")
        rr.panel_response, rr.panel_response_on, rr.panel_response_by = response.value, replied, user_id
        rr.updated_at = now
        await complete_by_event(session, services, case, CompletedBy.PANEL_RESPONSE, actor=user_id)
        await record_auto(
            session, services, case, AutoTrigger.NATIONAL_REPLY, _instant(replied, now), actor=user_id
        )
        for row in (
            await session.execute(
                select(Deadline).where(
                    Deadline.case_id == case.id, Deadline.rule_id == "panel_response_chase"
                )
            )
        ).scalars():
            if row.met_on is None:
                row.met_on, row.met_by = replied, user_id
                await cancel_pending_reminders(session, row.id)
        decision = await current_decision(session, case.id)
        if (
            response is not PanelResponse.DISAGREES
            and decision is not None
            and Stage(case.stage) is Stage.DECISION
        ):
            move_stage(session, services, case, NEXT_STAGE[decision.recommendation], actor=user_id)
        audit.record(
            session,
            services.clock,
            actor=user_id,
            action="rapid_review.panel_response",
            partnership_id=case.partnership_id,
            case_id=case.id,
            after={"response": response.value, "replied_on": replied, "stage": case.stage},
        )
        return PanelStep(case.id, case.reference, replied, case.stage)
