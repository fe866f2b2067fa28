"""The Home tab: refreshed whenever the person opens it, paged on request, and a Done button for
the deadlines waiting on them."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.access import Permission, decide
from bot.cases.models import Case
from bot.cases.slack_sync import request_card_refresh
from bot.commands.registry import Features
from bot.deadlines.models import Deadline
from bot.deadlines.service import load, mark_done
from bot.errors import BadInput, ensure_allowed
from bot.home.content import HomePage
from bot.home.service import publish_home
from bot.slack.ids import ActionId
from bot.slack.requester import Requester


def register(features: Features) -> None:
    services = features.services

    @features.event("app_home_opened")
    async def on_home_opened(event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        user = str(event.get("user", ""))
        services.tasks.spawn(publish_home(services, user), name="publish-home")

    async def show_page(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        user = Requester.from_body(body).user_id
        page = HomePage.parse(str((body.get("actions") or [{}])[0].get("value", "")))
        services.tasks.spawn(publish_home(services, user, page), name="publish-home")

    # Slack wants each button in a block to have its own action id: Previous, Next and Show fewer.
    for action_id in (ActionId.HOME_PAGE, ActionId.HOME_PAGE_BACK, ActionId.HOME_PAGE_FEWER):
        features.action(action_id)(show_page)

    @features.action(ActionId.HOME_DEADLINE_DONE)
    async def deadline_done(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        requester = Requester.from_body(body)
        raw = str((body.get("actions") or [{}])[0].get("value", ""))
        if not raw.isdecimal():
            raise BadInput("That button is out of date. Open the Home tab again.")
        async with services.db.session() as session:
            row = await session.get(Deadline, int(raw))
            case = await session.get(Case, row.case_id) if row is not None else None
            actor = services.actor(requester.user_id, case.partnership_id if case else None)
            ctx = await load(services, session, int(raw), actor)
            ensure_allowed(
                decide(actor, Permission.ACT_ON_DEADLINE, ctx.facts, target_agency=ctx.target_agency)
            )
            await mark_done(services, session, ctx, actor)
            case_id = ctx.case.id
        request_card_refresh(services, case_id)
        services.tasks.spawn(publish_home(services, requester.user_id), name="publish-home")
