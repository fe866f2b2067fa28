"""`/review digest preview`: this week's chair digest, now and privately."""

from __future__ import annotations

from bot.access import Permission
from bot.commands.gate import Needs
from bot.commands.partnership_choice import chosen_partnership
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.digest.blocks import digest_message
from bot.digest.gather import gather_digest
from bot.digest.reminders import FIRST_DIGEST_LOOKS_BACK, last_digest_sent
from bot.errors import BadInput


def register(features: Features) -> None:
    services = features.services

    async def digest(ctx: CommandContext) -> CommandReply:
        words = ctx.args.lower().split()
        if words[:1] != ["preview"]:
            raise BadInput("Try `/review digest preview` to see this week's chair digest now, privately.")
        partnership, _, _ = chosen_partnership(services, ctx.admitted, words[1:])
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

    features.subcommand(
        "digest",
        "digest preview",
        "see this week's chair digest now, privately",
        digest,
        needs=Needs(Permission.PREVIEW_DIGEST),
        order=61,
    )
