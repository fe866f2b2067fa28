"""`/review status [reference]`: the case card, privately (elsewhere: the cases you can see)."""

from __future__ import annotations

from bot.access import Permission
from bot.cases.card import card_blocks
from bot.cases.slack_sync import build_card
from bot.commands.cases import case_list_text, visible_cases
from bot.commands.finders import CASE_HERE_OR_NAMED
from bot.commands.gate import Needs
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply


def register(features: Features) -> None:
    services = features.services

    async def status(ctx: CommandContext) -> CommandReply:
        allowed = ctx.admitted
        if allowed.target.case is None:
            cases = await visible_cases(services, ctx.user_id)
            return CommandReply(
                text=case_list_text(cases, "Your cases")
                + "\n_Run `/review status` in a case channel to see its card._"
            )
        text, blocks = card_blocks(await build_card(services, allowed.case.case_id))
        return CommandReply(text=text, blocks=[b for b in blocks if b["type"] != "actions"])

    features.subcommand(
        "status",
        "status [reference]",
        "show the case card here (elsewhere: your cases)",
        status,
        needs=Needs(Permission.VIEW_CASE, CASE_HERE_OR_NAMED, otherwise=Permission.LIST_CASES),
        order=20,
    )
