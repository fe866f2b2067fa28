"""`/review board`: the partnership summary, posted in the board channel (case references only)."""

from __future__ import annotations

from bot.access import Permission
from bot.board.service import post_partnership_summary
from bot.commands.gate import Needs
from bot.commands.partnership_choice import chosen_partnership
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply


def register(features: Features) -> None:
    services = features.services

    async def board(ctx: CommandContext) -> CommandReply:
        partnership, _, _ = chosen_partnership(services, ctx.admitted, ctx.args.split())

        async def _tell(text: str) -> None:
            await ctx.requester.tell(services.gateway, text)

        services.tasks.spawn(
            post_partnership_summary(services, partnership), name="post-board-summary", tell=_tell
        )
        return CommandReply(
            text=f"Posting the partnership summary in <#{partnership.channels.board}> (case references only)."
        )

    features.subcommand(
        "board",
        "board",
        "post the partnership summary in the board channel (business unit, chair)",
        board,
        needs=Needs(Permission.VIEW_BOARD),
        order=60,
    )
