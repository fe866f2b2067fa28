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
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck

from bot.commands.gate import PUBLIC, Declared, Needs, Request, admit
from bot.commands.router import CommandRouter, Handler
from bot.observability import get_logger
from bot.runtime.services import Services
from bot.runtime.wiring import HomeSection, ReminderKind, Tick
from bot.slack.dedupe import first_delivery
from bot.slack.requester import Requester

log = get_logger(__name__)

Listener = Callable[..., Coroutine[Any, Any, None]]

ROOT_COMMAND = "/review"


@dataclass(frozen=True)
class Registration:
    """One listener as registered: what Slack sends to reach it and what it declared it needs."""

    kind: str  # "subcommand", "button", "view", "global_shortcut", "message_shortcut", "event"
    key: str  # the subcommand, action_id (or pattern), callback_id or event type
    needs: Declared


class Features:
    """What the features provide, registered explicitly; bolt sees only what passes through here.

    Every listener declares ``needs=``; :func:`bot.commands.gate.admit` enforces it before the listener
    runs. A registration without a declaration is a TypeError at start-up (``needs`` has no default).
    """

    def __init__(self, app: AsyncApp, services: Services) -> None:
        self.app = app
        self.services = services
        self.router = CommandRouter()
        self.registrations: list[Registration] = []
        self.wiring = services.wiring  # the same registry the worker builds without bolt
        # Buttons by action_id, behind one bolt listener: bolt otherwise tries every registered
        # listener's matchers in turn (about thirty here), which profiling put at an eighth of a click.
        self._buttons: dict[str, Listener] = {}
        self._patterns: list[tuple[re.Pattern[str], Listener]] = []

        async def known_button(body: dict[str, Any]) -> bool:
            return self._button_for(_action_id(body) or "") is not None

        dispatcher = app.action(re.compile(".*"), matchers=[known_button])
        self._acked_first(dispatcher, PUBLIC, "button")(self._press)  # each button is gated on its own

    def keys(self, kind: str) -> set[str]:
        return {r.key for r in self.registrations if r.kind == kind}

    @property
    def commands(self) -> set[str]:
        return self.keys("command")

    @property
    def global_shortcuts(self) -> set[str]:
        return self.keys("global_shortcut")

    @property
    def message_shortcuts(self) -> set[str]:
        return self.keys("message_shortcut")

    @property
    def events(self) -> set[str]:
        return self.keys("event")

    # -- what the worker needs as well: reminder kinds, Home tab sections, ticks (no bolt) -----------

    def reminder_kind(self, kind: ReminderKind) -> None:
        self.wiring.reminder_kind(kind)

    def home_section(self, provider: HomeSection) -> None:
        self.wiring.home_section(provider)

    def tick(self, handler: Tick, *, order: int) -> None:
        self.wiring.tick(handler, order=order)

    # -- Slack listeners, each with its declaration ----------------------------------------------------

    def _button_for(self, action_id: str) -> Listener | None:
        found = self._buttons.get(action_id)
        if found is not None:
            return found
        return next((fn for pattern, fn in self._patterns if pattern.match(action_id)), None)

    async def _press(self, ack: Callable[..., Any], body: dict[str, Any]) -> None:
        listener = self._button_for(_action_id(body) or "")
        if listener is not None:
            await listener(ack=ack, body=body)

    def subcommand(
        self,
        name: str,
        usage: str,
        summary: str,
        handler: Handler,
        *,
        needs: Declared,
        order: int = 100,
        inline: bool = False,
    ) -> None:
        """`/review <name> ...`; ``needs``: one declaration, or :class:`Variants` told apart by arguments."""
        self.registrations.append(Registration("subcommand", name, needs))
        self.router.add(name, usage, summary, handler, needs=needs, order=order, inline=inline)

    def command(self, name: str, *, needs: Needs) -> Callable[..., Any]:
        self.registrations.append(Registration("command", name, needs))
        return self.app.command(name)

    def global_shortcut(self, callback_id: str, *, needs: Needs) -> Callable[[Listener], Listener]:
        return self._acked_first(
            self.app.shortcut({"type": "shortcut", "callback_id": callback_id}),
            needs,
            "global_shortcut",
            callback_id,
        )

    def message_shortcut(self, callback_id: str, *, needs: Needs) -> Callable[[Listener], Listener]:
        return self._acked_first(
            self.app.shortcut({"type": "message_action", "callback_id": callback_id}),
            needs,
            "message_shortcut",
            callback_id,
        )

    def event(self, name: str, *, needs: Needs) -> Callable[[Listener], Listener]:
        """An Events API listener taking ``event`` (and ``allowed``); run once per event_id, after the ack."""
        self.registrations.append(Registration("event", name, needs))
        register = self.app.event(name)
        services = self.services

        def decorator(fn: Listener) -> Listener:
            _expect_params(fn, {"event", "allowed"})

            async def listener(body: dict[str, Any]) -> None:
                services.tasks.spawn(_once(services, body, fn, needs), name=f"event:{name}")

            register(listener)
            return fn

        return decorator

    def action(self, constraint: str | re.Pattern[str], *, needs: Needs) -> Callable[[Listener], Listener]:
        """A button or menu by action_id (or a pattern of action_ids), acked first."""
        key = constraint if isinstance(constraint, str) else constraint.pattern
        self.registrations.append(Registration("button", key, needs))

        def decorator(fn: Listener) -> Listener:
            _expect_params(fn, {"ack", "body", "allowed"})
            gated = self._gated(fn, needs)
            if isinstance(constraint, str):
                if constraint in self._buttons:
                    raise ValueError(f"action {constraint!r} registered twice")
                self._buttons[constraint] = gated
            else:
                self._patterns.append((constraint, gated))
            return fn

        return decorator

    def block_action(self, block_id: str, action_id: str, *, needs: Needs) -> Callable[[Listener], Listener]:
        """An action inside a modal's input block (dispatch_action), matched on block and action."""
        return self._acked_first(
            self.app.action({"block_id": block_id, "action_id": action_id}),
            needs,
            "button",
            f"{block_id}/{action_id}",
        )

    def _gated(self, fn: Listener, needs: Needs) -> Listener:
        services = self.services
        takes_allowed = "allowed" in inspect.signature(fn).parameters

        async def gated(ack: Callable[..., Any], body: dict[str, Any]) -> None:
            allowed = await admit(services, needs, Request(body, Requester.from_body(body)))
            if takes_allowed:
                await fn(ack=ack, body=body, allowed=allowed)
            else:
                await fn(ack=ack, body=body)

        gated.__name__ = getattr(fn, "__name__", "listener")
        return gated

    def _acked_first(
        self, register: Callable[..., Any], needs: Needs, kind: str, key: str | None = None
    ) -> Callable[[Listener], Listener]:
        """Register ``fn(ack, body[, allowed])``: Slack is acked at once; the gate and ``fn`` run after."""
        services = self.services
        if key is not None:
            self.registrations.append(Registration(kind, key, needs))

        def decorator(fn: Listener) -> Listener:
            _expect_params(fn, {"ack", "body", "allowed"})
            name = getattr(fn, "__name__", "listener")
            gated = self._gated(fn, needs) if key is not None else fn

            async def listener(ack: AsyncAck, body: dict[str, Any]) -> None:
                await ack()
                requester = Requester.from_body(body)

                async def tell(text: str) -> None:
                    if requester.user_id:
                        await requester.tell(services.gateway, text)

                if key is None:  # the one button dispatcher: each button is gated on its own
                    work = fn(ack=_already_acked, body=body)
                else:
                    work = gated(ack=_already_acked, body=body)
                services.tasks.spawn(work, name=name, tell=tell)

            register(listener)
            return fn

        return decorator

    def view(self, callback_id: str, *, needs: Needs) -> Callable[[Listener], Listener]:
        """A view submission: gated before ``fn`` runs; a refusal is shown in the modal itself."""
        self.registrations.append(Registration("view", callback_id, needs))
        register = self.app.view(callback_id)
        services = self.services

        def decorator(fn: Listener) -> Listener:
            _expect_params(fn, {"ack", "body", "allowed"})
            takes_allowed = "allowed" in inspect.signature(fn).parameters

            async def listener(ack: AsyncAck, body: dict[str, Any]) -> None:
                allowed = await admit(services, needs, Request(body, Requester.from_body(body)))
                if takes_allowed:
                    await fn(ack=ack, body=body, allowed=allowed)
                else:
                    await fn(ack=ack, body=body)

            register(listener)
            return fn

        return decorator


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


async def _once(services: Services, body: dict[str, Any], fn: Listener, needs: Needs) -> None:
    """Slack redelivers events it thinks we missed: process each event_id once."""
    event_id = body.get("event_id")
    if isinstance(event_id, str) and event_id:
        async with services.db.session() as session:
            if not await first_delivery(session, f"event:{event_id}", services.clock.now()):
                log.info(
                    "slack.redelivery_ignored", event_type=str((body.get("event") or {}).get("type", ""))
                )
                return
    allowed = await admit(services, needs, Request(body, Requester.from_body(body)))
    if "allowed" in inspect.signature(fn).parameters:
        await fn(event=body.get("event") or {}, allowed=allowed)
    else:
        await fn(event=body.get("event") or {})
