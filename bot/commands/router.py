"""`/review <subcommand> ...`: one root slash command, each subcommand owned by a feature module."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.commands.gate import Allowed, Declared
from bot.runtime.services import Services
from bot.slack.requester import Requester


@dataclass
class CommandReply:
    """What the person sees: always private to them (the ack body, or a response_url post)."""

    text: str
    blocks: list[dict[str, Any]] | None = None

    def ack_kwargs(self) -> dict[str, Any]:
        if not self.text and not self.blocks:
            return {}  # a silent ack: e.g. a modal is opening
        kwargs: dict[str, Any] = {"response_type": "ephemeral", "text": self.text}
        if self.blocks:
            kwargs["blocks"] = self.blocks
        return kwargs


@dataclass
class CommandContext:
    services: Services
    requester: Requester
    args: str
    body: dict[str, Any]
    allowed: Allowed | None = None  # set by the gate before the handler runs

    @property
    def user_id(self) -> str:
        return self.requester.user_id

    @property
    def channel_id(self) -> str | None:
        return self.requester.channel_id

    @property
    def admitted(self) -> Allowed:
        """What the gate admitted this command on (always set once the handler runs)."""
        if self.allowed is None:
            raise RuntimeError("a subcommand handler ran without passing the gate")
        return self.allowed


Handler = Callable[[CommandContext], Awaitable[CommandReply]]


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str
    summary: str
    handler: Handler
    needs: Declared
    order: int = 100
    inline: bool = False  # answered in the ack itself; only for handlers that touch no database


@dataclass
class CommandRouter:
    subcommands: dict[str, Subcommand] = field(default_factory=dict)

    def add(
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
        if name in self.subcommands:
            raise ValueError(f"subcommand {name!r} registered twice")
        self.subcommands[name] = Subcommand(name, usage, summary, handler, needs, order, inline)

    def find(self, text: str) -> tuple[Subcommand | None, str, str]:
        """Split '/review notify rest of text' into (subcommand, name typed, rest)."""
        words = text.strip().split(maxsplit=1)
        if not words:
            return self.subcommands.get("help"), "help", ""
        name = words[0].lower()
        rest = words[1] if len(words) > 1 else ""
        return self.subcommands.get(name), name, rest

    def listing(self) -> list[Subcommand]:
        return sorted(self.subcommands.values(), key=lambda s: (s.order, s.name))
