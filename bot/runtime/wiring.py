"""What features provide besides Slack listeners, registered explicitly: reminder kinds, Home tab
sections and worker ticks.

A worker process builds this without bolt (:func:`bot.runtime.features.build_wiring` calls each
feature's ``provide``); the serving process builds the same. Nothing registers itself when a module
is imported and nothing is looked up by a name string: a feature that is not in the list provides
nothing, and renaming a provider is a type error, not a silently empty Home tab section.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

# The services bag holds the wiring, so this module cannot import it back: ``Services`` below is the bag
# (bot.runtime.services.Services), named loosely to keep the import graph acyclic.
Services = Any
Tick = Callable[[Services], Awaitable[Any]]
# A reminder composer (bot.reminders.kinds.Composer, typed there): this module sits below the features,
# so it names the shape only.
Composer = Callable[[Any], Awaitable[Any]]


@dataclass(frozen=True)
class ReminderKind:
    """A kind of reminder row and the composer that says what it posts when it falls due."""

    name: str
    composer: Composer


class HomeSection(Protocol):
    """A section of the Home tab a feature fills: its key and the person's items in it."""

    @property
    def key(self) -> str: ...

    async def items_for(self, services: Services, user_id: str) -> Sequence[Any]: ...


@dataclass(frozen=True)
class TickHandler:
    order: int
    handler: Tick

    @property
    def name(self) -> str:
        return getattr(self.handler, "__name__", "tick")


class Provisions(Protocol):
    """What a feature's ``provide`` function may register."""

    def reminder_kind(self, kind: ReminderKind) -> None: ...

    def home_section(self, provider: HomeSection) -> None: ...

    def tick(self, handler: Tick, *, order: int) -> None: ...


@dataclass
class Wiring:
    """The registry of :class:`Provisions`; duplicates are refused, so two features never collide."""

    kinds: dict[str, ReminderKind] = field(default_factory=dict)
    sections: dict[str, HomeSection] = field(default_factory=dict)
    _ticks: list[TickHandler] = field(default_factory=list)

    def reminder_kind(self, kind: ReminderKind) -> None:
        if kind.name in self.kinds:
            raise ValueError(f"reminder kind {kind.name!r} provided twice")
        self.kinds[kind.name] = kind

    def home_section(self, provider: HomeSection) -> None:
        if provider.key in self.sections:
            raise ValueError(f"Home tab section {provider.key!r} provided twice")
        self.sections[provider.key] = provider

    def tick(self, handler: Tick, *, order: int) -> None:
        if any(t.order == order for t in self._ticks):
            raise ValueError(f"two tick handlers at order {order}")
        self._ticks.append(TickHandler(order, handler))

    @property
    def ticks(self) -> list[TickHandler]:
        return sorted(self._ticks, key=lambda t: t.order)

    def composer_for(self, kind: str) -> Composer | None:
        found = self.kinds.get(kind)
        return found.composer if found is not None else None

    async def home_items(self, key: str, services: Services, user_id: str) -> list[Any]:
        section = self.sections.get(key)
        return list(await section.items_for(services, user_id)) if section is not None else []
