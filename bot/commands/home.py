"""The Home tab: refreshed whenever the person opens it, paged on request, and a Done button for
the deadlines waiting on them."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.cases.slack_sync import request_card_refresh
from bot.commands.deadlines import ACT_ON_DEADLINE, admitted_deadline
from bot.commands.gate import PUBLIC, Allowed
from bot.commands.registry import Features
from bot.deadlines.service import mark_done
from bot.home.content import HomePage
from bot.home.service import publish_home
from bot.people.store import refresh_people
from bot.slack.ids import ActionId
from bot.slack.payloads import action_value
from bot.slack.requester import Requester


def register(features: Features) -> None:
    services = features.services

    # Everyone has a Home tab: it shows only what the person may see (someone in no partnership is
    # told how to get set up), so opening it and paging it need no permission.
    @features.event("app_home_opened", needs=PUBLIC)
    async def on_home_opened(event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        user = str(event.get("user", ""))
        services.tasks.spawn(_publish_fresh(user), name="publish-home")

    async def _publish_fresh(user: str, page: HomePage | None = None) -> None:
        # Open to everyone, so the gate read no people: what the tab shows follows the store as it is now.
        await refresh_people(services, within=services.settings.people_recheck_seconds)
        await publish_home(services, user, page)

    async def show_page(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        user = Requester.from_body(body).user_id
        page = HomePage.parse(action_value(body))
        services.tasks.spawn(_publish_fresh(user, page), name="publish-home")

    # Slack wants each button in a block to have its own action id: Previous, Next and Show fewer.
    for action_id in (ActionId.HOME_PAGE, ActionId.HOME_PAGE_BACK, ActionId.HOME_PAGE_FEWER):
        features.action(action_id, needs=PUBLIC)(show_page)

    @features.action(ActionId.HOME_DEADLINE_DONE, needs=ACT_ON_DEADLINE)
    async def deadline_done(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        async with services.db.session() as session:
            ctx = await admitted_deadline(services, session, allowed)
            await mark_done(services, session, ctx, allowed.actor)
            case_id = ctx.case.id
        request_card_refresh(services, case_id)
        services.tasks.spawn(publish_home(services, allowed.user_id), name="publish-home")
