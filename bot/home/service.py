"""What a person's Home tab shows, gathered in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.access import Actor, Permission, decide
from bot.services import Services


@dataclass
class HomeContent:
    actors: list[Actor]
    can_notify: bool
    cases: list[tuple[str, str, str]] = field(default_factory=list)  # reference, stage, channel id


async def home_for(services: Services, user_id: str) -> HomeContent:
    actors = services.actors(user_id)
    can_notify = any(decide(a, Permission.NOTIFY) for a in actors)
    return HomeContent(actors=actors, can_notify=can_notify)
