"""`/review themes [year]`: findings by typology category across the partnership's cases."""

from __future__ import annotations

from bot.access import Permission
from bot.clock import london_date
from bot.commands.gate import Needs
from bot.commands.partnership_choice import chosen_partnership
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.statistics.blocks import themes_message
from bot.statistics.compute import parse_period
from bot.statistics.service import themes_for


def register(features: Features) -> None:
    services = features.services

    async def themes(ctx: CommandContext) -> CommandReply:
        partnership, _, rest = chosen_partnership(services, ctx.admitted, ctx.args.split())
        period = parse_period(" ".join(rest), london_date(services.clock.now())) if rest else None
        found = await themes_for(services, partnership, period)
        text, blocks = themes_message(partnership.name, found, period.label if period else "all years")
        return CommandReply(text=text, blocks=blocks)

    features.subcommand(
        "themes",
        "themes [year]",
        "findings by typology category across the partnership's cases",
        themes,
        needs=Needs(Permission.VIEW_STATISTICS),
        order=63,
    )
