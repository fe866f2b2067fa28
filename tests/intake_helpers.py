"""Shared steps for intake tests: fill in and submit the notification modal like a person would."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.cases.models import Case
from bot.sandbox.harness import Harness
from bot.sandbox.signed_requests import (
    checkboxes,
    datepicker,
    multi_static_select,
    radio_buttons,
    static_select,
    text_value,
)
from bot.slack.ids import CallbackId

BM = "U0BM00001"
CHAIR = "U0CHAIR01"
LA_LEAD = "U0LALEAD1"
POLICE_LEAD = "U0POLEAD1"
PROBATION_MEMBER = "U0PROBLD1"
EDU_LEAD = "U0EDLEAD1"


def _v(block: str, state: dict[str, Any]) -> dict[str, Any]:
    return {block: {block: state}}


def modal_values(
    *,
    kind: str = "death",
    aware: str = "2026-12-18",
    sent: str | None = None,
    incident: str | None = None,
    children: list[tuple[str, str, str]] | None = None,
    agencies: list[str] | None = None,
    summary: str | None = None,
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    values |= _v("type", static_select(kind))
    values |= _v("aware_date", datepicker(aware))
    values |= _v("abuse", radio_buttons("suspected"))
    for i, (pseudonym, age, status) in enumerate(children or [("Child A", "5_9", "child_in_need")]):
        values |= _v(f"child_{i}_pseudonym", text_value(pseudonym))
        values |= _v(f"child_{i}_age", static_select(age))
        values |= _v(f"child_{i}_status", static_select(status))
    values |= _v(
        "agencies", multi_static_select(agencies if agencies is not None else ["la", "police", "icb"])
    )
    values |= _v("police", static_select("yes"))
    values |= _v("media", checkboxes([]))
    if sent:
        values |= _v("sent_date", datepicker(sent))
    if incident:
        values |= _v("incident_date", datepicker(incident))
    if summary is not None:
        values |= _v("summary", text_value(summary))
    return values


async def open_modal(h: Harness, user: str = BM) -> dict[str, Any]:
    response = await h.command("notify", user=user)
    assert response.status_code == 200
    stack = h.fake.view_stack(user)
    assert stack, f"no modal opened; reply was {response.text}"
    return stack[-1]


async def submit(
    h: Harness, values: dict[str, Any], user: str = BM, view_id: str | None = None
) -> dict[str, Any]:
    request = h.slack.view_submission(
        CallbackId.NOTIFICATION_MODAL, user_id=user, values=values, view_id=view_id
    )
    response = await h.submit_view(request, user)
    assert response.status_code == 200
    return response.json() if response.content else {}


async def notify(h: Harness, user: str = BM, **kwargs: Any) -> dict[str, Any]:
    await open_modal(h, user)
    return await submit(h, modal_values(**kwargs), user)


async def all_cases(h: Harness) -> list[Case]:
    async with h.services.db.session() as session:
        return list((await session.execute(select(Case).order_by(Case.id))).scalars())
