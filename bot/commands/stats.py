"""`/review stats [year | 2026-27] [csv]`: the annual report's figures (csv: as a file by DM)."""

from __future__ import annotations

from bot.access import Permission
from bot.clock import london_date
from bot.commands.gate import Needs
from bot.commands.partnership_choice import chosen_partnership
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.statistics.blocks import statistics_message
from bot.statistics.compute import parse_period
from bot.statistics.service import statistics_csv, statistics_for


def register(features: Features) -> None:
    services = features.services

    async def stats(ctx: CommandContext) -> CommandReply:
        words = ctx.args.split()
        export = any(w.lower() in ("csv", "export") for w in words)
        words = [w for w in words if w.lower() not in ("csv", "export")]
        partnership, _, rest = chosen_partnership(services, ctx.admitted, words)
        period = parse_period(" ".join(rest), london_date(services.clock.now()))
        figures = await statistics_for(services, partnership, period)
        if export:
            filename = f"{partnership.id}-statistics-{period.label.replace('–', '-')}.csv"

            async def _upload() -> None:
                channel = await services.gateway.open_dm(ctx.user_id)
                await services.gateway.upload_file(
                    channel, filename, statistics_csv(figures), title=f"Statistics {period.label}"
                )

            async def _tell(text: str) -> None:
                await ctx.requester.tell(services.gateway, text)

            services.tasks.spawn(_upload(), name="upload-statistics", tell=_tell)
            return CommandReply(text=f"Sending `{filename}` to you in a direct message.")
        text, blocks = statistics_message(figures)
        return CommandReply(text=text, blocks=blocks)

    features.subcommand(
        "stats",
        "stats [year | 2026-27] [csv]",
        "the annual report's figures (csv: as a file)",
        stats,
        needs=Needs(Permission.VIEW_STATISTICS),
        order=62,
    )
