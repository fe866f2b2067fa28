"""Shared steps for rapid review tests: open a case, tick items, record the decision, sign off."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from sqlalchemy import select

from bot.cases.models import Case
from bot.rapid_review.models import AgencyReturn, ChecklistItem, RapidReview, RapidReviewDecision, SignOff
from bot.sandbox.harness import Harness
from bot.sandbox.signed_requests import checkboxes, datepicker, static_select, text_value
from bot.slack.ids import ActionId, CallbackId
from tests.intake_helpers import BM, all_cases, notify

ICB_LEAD = "U0ICBLEAD1"  # agency lead and signatory for the ICB
POLICE_SIGNATORY = "U0POSIGN1"
# LA_LEAD (U0LALEAD1) is the local authority's lead and signatory.


async def open_rapid_review(h: Harness, agencies: list[str] | None = None) -> Case:
    await notify(h, sent="2026-12-18", agencies=agencies or ["la", "police", "icb", "education"])
    [case] = await all_cases(h)
    return case


async def review_of(h: Harness, case_id: int) -> RapidReview:
    async with h.services.db.session() as s:
        rr = await s.get(RapidReview, case_id)
    assert rr is not None
    return rr


async def items(h: Harness, case_id: int) -> dict[str, ChecklistItem]:
    async with h.services.db.session() as s:
        rows = (await s.execute(select(ChecklistItem).where(ChecklistItem.case_id == case_id))).scalars()
        return {r.item_id: r for r in rows}


async def returns(h: Harness, case_id: int) -> dict[str, AgencyReturn]:
    async with h.services.db.session() as s:
        rows = (await s.execute(select(AgencyReturn).where(AgencyReturn.case_id == case_id))).scalars()
        return {r.agency_id: r for r in rows}


async def decision_of(h: Harness, case_id: int) -> RapidReviewDecision | None:
    async with h.services.db.session() as s:
        return await s.get(RapidReviewDecision, case_id)


async def sign_offs(h: Harness, case_id: int) -> list[SignOff]:
    async with h.services.db.session() as s:
        return list(
            (
                await s.execute(select(SignOff).where(SignOff.case_id == case_id).order_by(SignOff.id))
            ).scalars()
        )


def item_menu(h: Harness, case: Case, ts: str, item: ChecklistItem, op: str, user: str) -> Any:
    return h.slack.block_action(
        f"{ActionId.CHECKLIST_ITEM}:{item.id}",
        user_id=user,
        selected_option=f"{op}|{item.id}",
        channel_id=case.channel_id,
        message_ts=ts,
    )


async def tick(
    h: Harness, case: Case, item: ChecklistItem, user: str, *, drain: bool = True
) -> httpx.Response:
    rr = await review_of(h, case.id)
    assert rr.checklist_ts
    return await h.send(item_menu(h, case, rr.checklist_ts, item, "done", user), drain=drain)


def decision_values(
    *,
    recommendation: str = "lcspr",
    national: str = "not_recommended",
    rationale: str
    | None = "Agencies held different parts of the picture about Child A and did not share them.",
    episodes: str = "Missed referral in October\nHealth visiting contact after the move",
    processes: list[str] | None = None,
    constraints: list[str] | None = None,
    action: tuple[str, str, str] | None = ("Strategy discussion for the siblings", "la", "2027-01-08"),
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "recommendation": {"recommendation": static_select(recommendation)},
        "national_review": {"national_review": static_select(national)},
        "rationale": {"rationale": text_value(rationale)},
        "episodes": {"episodes": text_value(episodes)},
        "processes": {
            "processes": checkboxes(processes if processes is not None else ["criminal_investigation"])
        },
        "constraints": {
            "constraints": checkboxes(constraints if constraints is not None else ["nothing_to_family"])
        },
        "constraint_note": {"constraint_note": text_value(None)},
        "learning": {"learning": text_value("Information sharing at the front door.")},
    }
    for i in range(3):
        text, owner, due = action if (action and i == 0) else (None, None, None)
        values[f"action_{i}_text"] = {f"action_{i}_text": text_value(text)}
        values[f"action_{i}_owner"] = {f"action_{i}_owner": static_select(owner)}
        values[f"action_{i}_due"] = {f"action_{i}_due": datepicker(due)}
    return values


async def submit_decision(h: Harness, case: Case, values: dict[str, Any], user: str = BM) -> dict[str, Any]:
    response = await h.command("decision", user=user, channel=case.channel_id or "")
    assert response.status_code == 200
    stack = h.fake.view_stack(user)
    assert stack and stack[-1]["callback_id"] == CallbackId.DECISION_MODAL, response.text
    request = h.slack.view_submission(
        CallbackId.DECISION_MODAL, user_id=user, values=values, view_id=stack[-1]["id"]
    )
    answer = await h.submit_view(request, user)
    assert answer.status_code == 200
    return answer.json() if answer.content else {}


async def sign(h: Harness, case: Case, agency: str, user: str) -> httpx.Response:
    rr = await review_of(h, case.id)
    assert rr.decision_ts
    return await h.send(
        h.slack.block_action(
            f"{ActionId.SIGN_OFF}:{agency}",
            user_id=user,
            value=str(case.id),
            channel_id=case.channel_id,
            message_ts=rr.decision_ts,
        )
    )


def last_response(h: Harness) -> str:
    return h.fake.responses[-1].text if h.fake.responses else ""


TODAY = date(2026, 12, 18)
