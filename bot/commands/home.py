"""The Home tab: what the person can do, refreshed whenever they open it."""

from __future__ import annotations

from typing import Any

from bot.app_registry import Features
from bot.home.blocks import home_view
from bot.home.service import home_for


def register(features: Features) -> None:
    services = features.services

    @features.event("app_home_opened")
    async def on_home_opened(event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        user = str(event.get("user", ""))
        content = await home_for(services, user)
        services.tasks.spawn(services.gateway.publish_home(user, home_view(content)), name="publish-home")
