"""The `/review` slash command: routes to subcommands, answers unknown ones with help.

Only answers that need nothing but the text typed (help, an unknown subcommand) go in the ack.
Every other subcommand is acked at once with an empty body and answered through the command's
response_url when it is done, so a busy database or a slow query never holds Slack's 3 seconds
(Slack shows the person nothing for the empty ack, then the answer).
"""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.commands.gate import PUBLIC, Request, admit, needs_for
from bot.commands.registry import ROOT_COMMAND, Features
from bot.commands.router import CommandContext, CommandReply, Subcommand
from bot.errors import UserFacingError
from bot.slack.mrkdwn import echo
from bot.slack.requester import Requester


def register(features: Features) -> None:
    router = features.router
    services = features.services

    @features.command(ROOT_COMMAND, needs=PUBLIC)  # routing only: each subcommand declares its own
    async def review(ack: AsyncAck, body: dict[str, Any]) -> None:
        sub, typed, rest = router.find(str(body.get("text", "")))
        if sub is None:
            await ack(
                response_type="ephemeral",
                text=f"I don't know `/review {echo(typed, 30)}`. Run `/review help` to see what I can do.",
            )
            return
        requester = Requester.from_body(body)
        ctx = CommandContext(services=services, requester=requester, args=rest, body=body)
        if sub.inline:
            await ack(**(await answer(sub, ctx)).ack_kwargs())
            return
        await ack()

        async def reply_later() -> None:
            reply = await answer(sub, ctx)
            if reply.ack_kwargs():
                await requester.tell(services.gateway, reply.text, reply.blocks)

        async def tell(text: str) -> None:
            await requester.tell(services.gateway, text)

        services.tasks.spawn(reply_later(), name=f"command:{sub.name}", tell=tell)


async def answer(sub: Subcommand, ctx: CommandContext) -> CommandReply:
    try:
        needs = needs_for(sub.needs, ctx.args)
        ctx.allowed = await admit(ctx.services, needs, Request(ctx.body, ctx.requester, ctx.args, sub.name))
        return await sub.handler(ctx)
    except UserFacingError as exc:
        return CommandReply(text=exc.text)
