"""Keeping the rapid review's two channel messages (checklist; decision and sign-off) up to date.

Each is posted once, its ts stored, then edited in place. Two people clicking at the same moment
both commit (writes serialise in the database) and each asks for a redraw; the redraw takes a
per-case lock and renders from the database inside it, so whichever redraw runs last shows every
change that was committed before it started, and two redraws never interleave their chat.update
calls. A redraw that would say exactly what the message already says makes no Slack call, so the
case card's refresh can keep the checklist in step cheaply. The lock is per process: with several
web processes a late redraw can still lose a race for a moment, and the next change or
`/review checklist` corrects it.
"""

from __future__ import annotations

import asyncio
import json
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

from bot.cases.models import Case
from bot.observability import get_logger
from bot.rapid_review.blocks import checklist_message, decision_message, voided_notice
from bot.rapid_review.checklist import load_view
from bot.rapid_review.loading import load_decision_view
from bot.rapid_review.models import RapidReview
from bot.runtime.services import Services
from bot.slack.errors import SlackError

log = get_logger(__name__)


class _CaseMessages:
    """Per case, in this process: the redraw lock and what each message last said."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.last: dict[str, str] = {}


_STATE: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[int, int], _CaseMessages]] = (
    weakref.WeakKeyDictionary()
)


def _state(services: Services, case_id: int) -> _CaseMessages:
    """One state per case (and per running loop: tests run one loop each)."""
    states = _STATE.setdefault(asyncio.get_running_loop(), {})
    return states.setdefault((id(services), case_id), _CaseMessages())


def case_lock(services: Services, case_id: int) -> asyncio.Lock:
    return _state(services, case_id).lock


async def refresh_checklist(services: Services, case_id: int) -> None:
    """Redraw the checklist message from the database (post it if it is not there yet)."""
    async with case_lock(services, case_id):
        await _sync(services, case_id, "checklist_ts", _checklist_content)


async def sync_checklist(services: Services, case_id: int) -> None:
    """Called whenever the case card is synced: post the checklist if the case has one and it is not
    in the channel yet, or redraw it if what it says has changed (an unchanged one costs no Slack call)."""
    async with services.db.session() as session:
        rr = await session.get(RapidReview, case_id)
    if rr is not None:
        await refresh_checklist(services, case_id)


async def refresh_decision(services: Services, case_id: int) -> None:
    """Redraw the decision and sign-off message (posted the first time a decision exists)."""
    async with case_lock(services, case_id):
        await _sync(services, case_id, "decision_ts", _decision_content)


Content = Callable[[Services, int], Awaitable[tuple[str, list[dict[str, Any]]] | None]]


async def _checklist_content(services: Services, case_id: int) -> tuple[str, list[dict[str, Any]]] | None:
    view = await load_view(services, case_id)
    return checklist_message(view) if view is not None else None


async def _decision_content(services: Services, case_id: int) -> tuple[str, list[dict[str, Any]]] | None:
    view = await load_decision_view(services, case_id)
    return decision_message(view) if view is not None and view.decision is not None else None


async def _sync(services: Services, case_id: int, ts_field: str, content: Content) -> None:
    async with services.db.session() as session:
        rr = await session.get(RapidReview, case_id)
        case = await session.get(Case, case_id)
        if rr is None or case is None or case.channel_id is None:
            return
        channel, ts = case.channel_id, getattr(rr, ts_field)
    rendered = await content(services, case_id)
    if rendered is None:
        return
    text, blocks = rendered
    said = json.dumps([text, blocks], sort_keys=True, default=str)
    last = _state(services, case_id).last
    if ts is not None:
        if last.get(ts_field) != said:
            await services.gateway.update_message(channel, ts, text, blocks)
            last[ts_field] = said
        return
    posted = await services.gateway.post_message(channel, text, blocks)
    last[ts_field] = said
    async with services.db.session() as session:
        rr = await session.get(RapidReview, case_id)
        assert rr is not None
        setattr(rr, ts_field, posted.ts)
        if ts_field == "checklist_ts":
            rr.checklist_channel = posted.channel
    if ts_field == "checklist_ts":
        try:
            await services.gateway.pin(channel, posted.ts)
        except SlackError as exc:
            if exc.code != "already_pinned":
                log.warning("rapid_review.pin_failed", case_id=case_id, error=exc.code)


async def tell_voided(
    services: Services, reference: str, version: int, by: str, signatories: list[str]
) -> None:
    """A direct message to each person whose sign-off a changed decision voided."""
    for user in signatories:
        await services.gateway.send_dm(user, voided_notice(reference, version, by))
