"""Registration helpers that also remember what was registered.

Features register through :class:`Features` rather than straight on the bolt app, so the manifest
test can compare app.yaml with exactly what the code listens to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.commands.router import CommandRouter
from bot.services import Services

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

    def command(self, name: str) -> Callable[..., Any]:
        self.commands.add(name)
        return self.app.command(name)

    def global_shortcut(self, callback_id: str) -> Callable[..., Any]:
        self.global_shortcuts.add(callback_id)
        return self.app.shortcut({"type": "shortcut", "callback_id": callback_id})

    def message_shortcut(self, callback_id: str) -> Callable[..., Any]:
        self.message_shortcuts.add(callback_id)
        return self.app.shortcut({"type": "message_action", "callback_id": callback_id})

    def event(self, name: str) -> Callable[..., Any]:
        self.events.add(name)
        return self.app.event(name)

    def action(
        self, constraint: str | re.Pattern[str] | dict[str, str | re.Pattern[str]]
    ) -> Callable[..., Any]:
        if isinstance(constraint, dict):
            self.actions.add(f"{constraint.get('block_id', '*')!s}/{constraint.get('action_id', '*')!s}")
        else:
            self.actions.add(constraint if isinstance(constraint, str) else constraint.pattern)
        return self.app.action(constraint)

    def view(self, callback_id: str) -> Callable[..., Any]:
        self.views.add(callback_id)
        return self.app.view(callback_id)

    def view_closed(self, callback_id: str) -> Callable[..., Any]:
        return self.app.view_closed(callback_id)
