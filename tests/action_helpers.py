"""Shared steps for action-plan tests: add and update actions through the modal like a person would."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.actions.models import Action
from bot.cases.models import Case
from bot.sandbox.harness import Harness
from bot.sandbox.signed_requests import datepicker, static_select, text_value, users_select
from bot.slack.ids import CallbackId

BOARD = "C0BOARD001"


def _v(block: str, state: dict[str, Any]) -> dict[str, Any]:
    return {block: {block: state}}


def action_values(
    *,
    description: str = "Agree a joint escalation route for missed health appointments",
    agency: str = "police",
    owner: str | None = None,
    due: str = "2027-01-08",
    measure: str | None = None,
    source: str = "review_recommendation",
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    values |= _v("description", text_value(description))
    values |= _v("source", static_select(source))
    values |= _v("owner_agency", static_select(agency))
    values |= _v("owner_person", users_select(owner))
    values |= _v("due_date", datepicker(due))
    values |= _v("success_measure", text_value(measure))
    return values


def progress_values(
    *,
    status: str = "in_progress",
    reason: str | None = None,
    evidence: str | None = None,
    note: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    values |= _v("status", static_select(status))
    values |= _v("not_doing_reason", text_value(reason))
    values |= _v("evidence", text_value(evidence))
    values |= _v("note", text_value(note))
    return values | (extra or {})


async def open_add_modal(h: Harness, case: Case, user: str) -> dict[str, Any]:
    response = await h.command("actions add", user=user, channel=str(case.channel_id))
    assert response.status_code == 200
    assert not response.content or not response.json().get("text"), response.text
    view = h.fake.view_stack(user)[-1]
    assert view["callback_id"] == CallbackId.ACTION_MODAL
    return view


async def submit_action_modal(h: Harness, user: str, values: dict[str, Any]) -> dict[str, Any]:
    request = h.slack.view_submission(CallbackId.ACTION_MODAL, user_id=user, values=values)
    response = await h.submit_view(request, user)
    assert response.status_code == 200
    return response.json() if response.content else {}


async def add_action(h: Harness, case: Case, user: str, **kwargs: Any) -> Action:
    await open_add_modal(h, case, user)
    ack = await submit_action_modal(h, user, action_values(**kwargs))
    assert ack.get("response_action") is None, ack
    return (await actions(h))[-1]


async def actions(h: Harness) -> list[Action]:
    async with h.services.db.session() as session:
        return list((await session.execute(select(Action).order_by(Action.id))).scalars())


def board_traffic(h: Harness) -> str:
    """Everything that reached the board channel: the stand-in's record and the raw call parameters."""
    calls = [
        c
        for m in ("chat.postMessage", "chat.update", "chat.postEphemeral")
        for c in h.fake.calls(m)
        if c.params.get("channel") == BOARD
    ]
    return (
        h.fake.all_text_for_channel(BOARD)
        + "\n"
        + "\n".join(json.dumps(c.params, default=str) for c in calls)
    )
