"""Registration helpers that also remember what was registered, and ack before any work.

Features register through :class:`Features` rather than straight on the bolt app, so the manifest
test can compare app.yaml with exactly what the code listens to.

Ack first, for every button, shortcut and event: the app runs with ``process_before_response``, so
bolt answers Slack only when the listener returns. The wrappers here ack at once and run the
listener itself as background work (errors reach the person through the response_url, the channel
or a DM), so no database call, pool wait or lock sits between Slack and its 200, however busy the
process is. View submissions are not wrapped: their answer (validation errors, the next view) is
the ack itself.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Coroutine
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck

from bot.commands.router import CommandRouter
from bot.observability import get_logger
from bot.runtime.services import Services
from bot.slack.dedupe import first_delivery
from bot.slack.requester import Requester

log = get_logger(__name__)

Listener = Callable[..., Coroutine[Any, Any, None]]

ROOT_COMMAND = "/review"


class Features:
    def __init__(self, app: AsyncApp, services: Services) -> None:
        self.app = app
        self.services = services
        self.router = CommandRouter()
        self.commands: set[str] = set()
        self.global_shortcuts: set[str] = set()
        self.message_shortcuts: set[str] = set()
        self.events: set[str] = set()
        self.actions: set[str] = set()
        self.views: set[str] = set()
        # Buttons by action_id, behind one bolt listener: bolt otherwise tries every registered
        # listener's matchers in turn (about thirty here), which profiling put at an eighth of a click.
        self._buttons: dict[str, Listener] = {}

        async def known_button(body: dict[str, Any]) -> bool:
            return _action_id(body) in self._buttons

        self._acked_first(app.action(re.compile(".*"), matchers=[known_button]))(self._press)

    async def _press(self, ack: Callable[..., Any], body: dict[str, Any]) -> None:
        await self._buttons[_action_id(body) or ""](ack=ack, body=body)

    def command(self, name: str) -> Callable[..., Any]:
        self.commands.add(name)
        return self.app.command(name)

    def global_shortcut(self, callback_id: str) -> Callable[[Listener], Listener]:
        self.global_shortcuts.add(callback_id)
        return self._acked_first(self.app.shortcut({"type": "shortcut", "callback_id": callback_id}))

    def message_shortcut(self, callback_id: str) -> Callable[[Listener], Listener]:
        self.message_shortcuts.add(callback_id)
        return self._acked_first(self.app.shortcut({"type": "message_action", "callback_id": callback_id}))

    def event(self, name: str) -> Callable[[Listener], Listener]:
        """An Events API listener taking ``event``; run once per event_id, after the ack."""
        self.events.add(name)
        register = self.app.event(name)
        services = self.services

        def decorator(fn: Listener) -> Listener:
            _expect_params(fn, {"event"})

            async def listener(body: dict[str, Any]) -> None:
                services.tasks.spawn(_once(services, body, fn), name=f"event:{name}")

            register(listener)
            return fn

        return decorator

    def action(
        self, constraint: str | re.Pattern[str] | dict[str, str | re.Pattern[str]]
    ) -> Callable[..., Any]:
        if isinstance(constraint, dict):
            self.actions.add(f"{constraint.get('block_id', '*')!s}/{constraint.get('action_id', '*')!s}")
        else:
            self.actions.add(constraint if isinstance(constraint, str) else constraint.pattern)
        if isinstance(constraint, str):
            return self._button(constraint)
        return self._acked_first(self.app.action(constraint))

    def _button(self, action_id: str) -> Callable[[Listener], Listener]:
        def decorator(fn: Listener) -> Listener:
            _expect_params(fn, {"ack", "body"})
            if action_id in self._buttons:
                raise ValueError(f"action {action_id!r} registered twice")
            self._buttons[action_id] = fn
            return fn

        return decorator

    def _acked_first(self, register: Callable[..., Any]) -> Callable[[Listener], Listener]:
        """Register ``fn(ack, body)`` so that Slack is acked at once and ``fn`` runs after the ack."""
        services = self.services

        def decorator(fn: Listener) -> Listener:
            _expect_params(fn, {"ack", "body"})
            name = getattr(fn, "__name__", "listener")

            async def listener(ack: AsyncAck, body: dict[str, Any]) -> None:
                await ack()
                requester = Requester.from_body(body)

                async def tell(text: str) -> None:
                    if requester.user_id:
                        await requester.tell(services.gateway, text)

                services.tasks.spawn(fn(ack=_already_acked, body=body), name=name, tell=tell)

            register(listener)
            return fn

        return decorator

    def view(self, callback_id: str) -> Callable[..., Any]:
        self.views.add(callback_id)
        return self.app.view(callback_id)

    def view_closed(self, callback_id: str) -> Callable[..., Any]:
        return self.app.view_closed(callback_id)


def _action_id(body: dict[str, Any]) -> str | None:
    actions = body.get("actions")
    first = actions[0] if isinstance(actions, list) and actions else None
    value = first.get("action_id") if isinstance(first, dict) else None
    return value if isinstance(value, str) else None


async def _already_acked(*_args: Any, **_kwargs: Any) -> None:
    """The ``ack`` a wrapped listener receives: Slack has been answered already."""


def _expect_params(fn: Listener, allowed: set[str]) -> None:
    names = set(inspect.signature(fn).parameters)
    if not names <= allowed:
        raise TypeError(
            f"{fn.__name__} takes {sorted(names - allowed)}; listeners here take {sorted(allowed)}"
        )


async def _once(services: Services, body: dict[str, Any], fn: Listener) -> None:
    """Slack redelivers events it thinks we missed: process each event_id once."""
    event_id = body.get("event_id")
    if isinstance(event_id, str) and event_id:
        async with services.db.session() as session:
            if not await first_delivery(session, f"event:{event_id}", services.clock.now()):
                log.info(
                    "slack.redelivery_ignored", event_type=str((body.get("event") or {}).get("type", ""))
                )
                return
    await fn(event=body.get("event") or {})
