"""Reading the decision message's and the returns list's data (bot.rapid_review.views) fresh from the
database, so what a message or the pack says is always what the database says at that moment."""

from __future__ import annotations

from sqlalchemy import select

from bot.actions.models import Action
from bot.cases.models import Case
from bot.clock import london_date
from bot.deadlines.planning import case_lifecycle
from bot.rapid_review.decision import active_sign_offs, current_decision, immediate_actions
from bot.rapid_review.free_text import agency_name
from bot.rapid_review.models import AgencyReturn, RapidReview, SignOff
from bot.rapid_review.returns import returns_of
from bot.rapid_review.signoff import required_agencies
from bot.rapid_review.views import ActionLine, DecisionView, ReturnLine, ReturnsView, SignOffLine
from bot.runtime.services import Services


def action_line(services: Services, partnership_id: str, action: Action) -> ActionLine:
    partnership = services.config.partnership(partnership_id)
    return ActionLine(
        action.id,
        action.description,
        agency_name(partnership, action.owner_agency),
        action.due_on,
        action.status,
    )


def return_line(services: Services, partnership_id: str, row: AgencyReturn) -> ReturnLine:
    partnership = services.config.partnership(partnership_id)
    return ReturnLine(
        row.id,
        row.agency_id,
        agency_name(partnership, row.agency_id),
        row.requested_on,
        row.due_on,
        row.received_on,
        row.nil_return,
        row.added_later,
    )


async def load_decision_view(services: Services, case_id: int) -> DecisionView | None:
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        if case is None:
            return None
        rr = await session.get(RapidReview, case_id)
        decision = await current_decision(session, case_id)
        actions = await immediate_actions(session, case_id)
        signed = await active_sign_offs(session, case_id, decision.version) if decision else []
        voided_rows = list(
            (
                await session.execute(
                    select(SignOff)
                    .where(SignOff.case_id == case_id, SignOff.voided_at.is_not(None))
                    .order_by(SignOff.id)
                )
            ).scalars()
        )
    partnership = services.config.partnership(case.partnership_id)
    by_agency = {s.agency_id: s for s in signed}

    def line(agency_id: str, row: SignOff | None) -> SignOffLine:
        if row is None:
            return SignOffLine(agency_id, agency_name(partnership, agency_id))
        person = partnership.person(row.signed_by)
        return SignOffLine(
            agency_id,
            agency_name(partnership, agency_id),
            row.signed_by,
            london_date(row.signed_at),
            row.decision_version,
            person.label if person else None,
        )

    lifecycle = case_lifecycle(case)
    return DecisionView(
        case_id=case.id,
        reference=case.reference,
        nation=case.nation,
        stage=case.stage,
        today=london_date(services.clock.now()),
        decision=decision,
        actions=[action_line(services, case.partnership_id, a) for a in actions],
        sign_offs=[line(a, by_agency.get(a)) for a in required_agencies(services, case)],
        voided=[line(r.agency_id, r) for r in voided_rows],
        panel_sent_on=rr.panel_sent_on if rr else None,
        panel_response=rr.panel_response if rr else None,
        panel_response_on=rr.panel_response_on if rr else None,
        review_name=lifecycle.review_name if lifecycle else None,
        national_body=lifecycle.national_body if lifecycle else None,
    )


async def load_returns_view(services: Services, case_id: int) -> ReturnsView | None:
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        if case is None:
            return None
        rows = await returns_of(session, case_id)
    partnership = services.config.partnership(case.partnership_id)
    involved = {a.agency_id for a in case.agencies}
    order = [a.id for a in partnership.agencies]
    rows.sort(key=lambda r: (order.index(r.agency_id) if r.agency_id in order else len(order), r.agency_id))
    return ReturnsView(
        case_id=case.id,
        reference=case.reference,
        today=london_date(services.clock.now()),
        returns=[return_line(services, case.partnership_id, r) for r in rows],
        addable=[(a.id, a.name) for a in partnership.agencies if a.id not in involved],
    )
