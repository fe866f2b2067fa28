"""`/review help`: every subcommand with its usage, generated from what is registered."""

from __future__ import annotations

from bot.commands.gate import PUBLIC
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.slack.blocks import pack_lines, section


def register(features: Features) -> None:
    router = features.router

    async def help_command(ctx: CommandContext) -> CommandReply:
        lines = ["*ReviewBot* helps the partnership run notifications, rapid reviews and action plans.", ""]
        for sub in router.listing():
            lines.append(f"• `/review {sub.usage}`: {sub.summary}")
        lines += ["", "Everything you see from ReviewBot uses case references and pseudonyms only."]
        text = "\n".join(lines)
        # Past Slack's 3000 characters a section, the list goes on in the next one.
        blocks = [section(chunk) for chunk in pack_lines(lines)]
        return CommandReply(text=text, blocks=blocks)

    features.subcommand(
        "help", "help", "list these commands", help_command, needs=PUBLIC, order=0, inline=True
    )
