"""What boards and chairs ask for: `/review board` (the partnership summary in the board channel),
`/review digest preview` (this week's chair digest, now and privately), `/review stats [year] [csv]`
and `/review themes [year]`."""

from __future__ import annotations

from bot.access import Actor, Permission, decide
from bot.board.service import post_partnership_summary
from bot.clock import london_date
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.config import Partnership
from bot.digest import reminders as _digest_kind  # noqa: F401  (registers the "chair_digest" reminder kind)
from bot.digest.blocks import digest_message
from bot.digest.gather import gather_digest
from bot.digest.reminders import FIRST_DIGEST_LOOKS_BACK, last_digest_sent
from bot.errors import BadInput, ensure_allowed
from bot.runtime.services import Services
from bot.statistics.blocks import statistics_message, themes_message
from bot.statistics.compute import parse_period
from bot.statistics.service import statistics_csv, statistics_for, themes_for


def partnership_for(
    services: Services, user_id: str, permission: Permission, words: list[str]
) -> tuple[Partnership, Actor, list[str]]:
    """The partnership the person means (named among the words, or their only one) once they may."""
    actors = services.actors(user_id)
    named = [a for a in actors if a.partnership_id in words]
    chosen = named or actors
    if not chosen:
        ensure_allowed(decide(services.actor(user_id), permission))
    allowed = [a for a in chosen if decide(a, permission)]
    if not allowed:
        ensure_allowed(decide(chosen[0], permission))
    if len(allowed) > 1:
        raise BadInput(
            "You are in several partnerships.",
            "Name one: " + ", ".join(f"`{a.partnership_id}`" for a in allowed) + ".",
        )
    actor = allowed[0]
    assert actor.partnership_id is not None
    rest = [w for w in words if w != actor.partnership_id]
    return services.config.partnership(actor.partnership_id), actor, rest


def register(features: Features) -> None:
    services = features.services

    async def board(ctx: CommandContext) -> CommandReply:
        partnership, _, _ = partnership_for(services, ctx.user_id, Permission.VIEW_BOARD, ctx.args.split())

        async def _tell(text: str) -> None:
            await ctx.requester.tell(services.gateway, text)

        services.tasks.spawn(
            post_partnership_summary(services, partnership), name="post-board-summary", tell=_tell
        )
        return CommandReply(
            text=f"Posting the partnership summary in <#{partnership.channels.board}> (case references only)."
        )

    async def digest(ctx: CommandContext) -> CommandReply:
        words = ctx.args.lower().split()
        if words[:1] != ["preview"]:
            raise BadInput("Try `/review digest preview` to see this week's chair digest now, privately.")
        partnership, _, _ = partnership_for(services, ctx.user_id, Permission.PREVIEW_DIGEST, words[1:])
        now = services.clock.now()
        async with services.db.session() as session:
            since = (
                await last_digest_sent(session, partnership.id, ctx.user_id)
                or await last_digest_sent(session, partnership.id, None)
                or now - FIRST_DIGEST_LOOKS_BACK
            )
            content = await gather_digest(session, partnership, since=since, now=now)
        text, blocks = digest_message(content)
        return CommandReply(text=text, blocks=blocks)

    async def stats(ctx: CommandContext) -> CommandReply:
        words = ctx.args.split()
        export = any(w.lower() in ("csv", "export") for w in words)
        words = [w for w in words if w.lower() not in ("csv", "export")]
        partnership, _, rest = partnership_for(services, ctx.user_id, Permission.VIEW_STATISTICS, words)
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

    async def themes(ctx: CommandContext) -> CommandReply:
        partnership, _, rest = partnership_for(
            services, ctx.user_id, Permission.VIEW_STATISTICS, ctx.args.split()
        )
        period = parse_period(" ".join(rest), london_date(services.clock.now())) if rest else None
        found = await themes_for(services, partnership, period)
        text, blocks = themes_message(partnership.name, found, period.label if period else "all years")
        return CommandReply(text=text, blocks=blocks)

    router = features.router
    router.add(
        "board",
        "board",
        "post the partnership summary in the board channel (business unit, chair)",
        board,
        order=60,
    )
    router.add("digest", "digest preview", "see this week's chair digest now, privately", digest, order=61)
    router.add(
        "stats",
        "stats [year | 2026-27] [csv]",
        "the annual report's figures (csv: as a file)",
        stats,
        order=62,
    )
    router.add(
        "themes",
        "themes [year]",
        "findings by typology category across the partnership's cases",
        themes,
        order=63,
    )
