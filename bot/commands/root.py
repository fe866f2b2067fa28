"""The `/review` slash command: routes to subcommands, answers unknown ones with help."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.app_registry import ROOT_COMMAND, Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import UserFacingError
from bot.slack.requester import Requester


def register(features: Features) -> None:
    router = features.router
    services = features.services

    @features.command(ROOT_COMMAND)
    async def review(ack: AsyncAck, body: dict[str, Any]) -> None:
        sub, typed, rest = router.find(str(body.get("text", "")))
        if sub is None:
            await ack(
                response_type="ephemeral",
                text=f"I don't know `/review {typed}`. Run `/review help` to see what I can do.",
            )
            return
        ctx = CommandContext(services=services, requester=Requester.from_body(body), args=rest, body=body)
        try:
            reply = await sub.handler(ctx)
        except UserFacingError as exc:
            reply = CommandReply(text=exc.text)
        await ack(**reply.ack_kwargs())
