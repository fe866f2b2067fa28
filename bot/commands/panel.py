"""`/review panel sent [DD/MM/YYYY]` and `/review panel reply agrees|disagrees|national [DD/MM/YYYY]`:
the rapid review going to the Panel, and the Panel's reply (business unit, chair)."""

from __future__ import annotations

from bot.access import Permission
from bot.clock import london_date
from bot.commands.finders import CASE_HERE
from bot.commands.gate import Needs
from bot.commands.registry import Features
from bot.commands.returns import parse_day
from bot.commands.router import CommandContext, CommandReply
from bot.commands.signoff import PANEL_USAGE, REPLY_WORDS, refresh_all
from bot.errors import BadInput
from bot.rapid_review.signoff import record_panel_response, record_sent_to_panel


def register(features: Features) -> None:
    services = features.services

    async def panel(ctx: CommandContext) -> CommandReply:
        case = ctx.admitted.case
        words = ctx.args.lower().split()
        today = london_date(services.clock.now())
        if not words or words[0] not in ("sent", "reply"):
            raise BadInput("Say what happened.", PANEL_USAGE)
        if words[0] == "sent":
            step = await record_sent_to_panel(
                services, case.case_id, ctx.user_id, parse_day(words[1], today) if len(words) > 1 else None
            )
            refresh_all(services, case.case_id)
            return CommandReply(
                text=f"Recorded: the rapid review for {step.reference} went to the Panel on "
                f"{step.on:%d/%m/%Y}. ReviewBot will chase the Panel's reply."
            )
        if len(words) < 2 or words[1] not in REPLY_WORDS:
            raise BadInput("Say what the Panel replied.", PANEL_USAGE)
        step = await record_panel_response(
            services,
            case.case_id,
            ctx.user_id,
            REPLY_WORDS[words[1]],
            parse_day(words[2], today) if len(words) > 2 else None,
        )
        refresh_all(services, case.case_id)
        return CommandReply(
            text=f"Recorded the Panel's reply for {step.reference} ({step.on:%d/%m/%Y}). "
            f"Stage: {step.stage.replace('_', ' ')}."
        )

    features.subcommand(
        "panel",
        "panel sent [DD/MM/YYYY] | panel reply agrees|disagrees|national [DD/MM/YYYY]",
        "record the rapid review going to the Panel, and the Panel's reply (business unit, chair)",
        panel,
        needs=Needs(Permission.RECORD_DECISION, CASE_HERE),
        order=33,
    )
