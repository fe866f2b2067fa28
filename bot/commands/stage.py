"""`/review stage <stage>` in a case channel: move the case on (business unit, chair)."""

from __future__ import annotations

from bot.access import Permission
from bot.cases.models import Case
from bot.cases.service import STAGE_LABELS, move_stage, stop_reminders_of_closed_case
from bot.cases.slack_sync import request_card_refresh
from bot.cases.states import Stage
from bot.commands.cases import parse_stage
from bot.commands.finders import CASE_HERE
from bot.commands.gate import Needs, NotThere
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput


def register(features: Features) -> None:
    services = features.services

    async def stage(ctx: CommandContext) -> CommandReply:
        allowed = ctx.admitted
        target = parse_stage(ctx.args) if ctx.args.strip() else None
        if target is None:
            raise BadInput("Say which stage to move to, e.g. `/review stage decision`.")
        async with services.db.session() as session:
            fresh = await session.get(Case, allowed.case.case_id)
            if fresh is None:
                raise NotThere()
            move_stage(session, services, fresh, target, actor=ctx.user_id)
            stopped = 0
            if target is Stage.CLOSED:
                stopped = await stop_reminders_of_closed_case(session, services, fresh, actor=ctx.user_id)
        request_card_refresh(services, fresh.id)
        said = f"{allowed.case.reference} moved to {STAGE_LABELS[target]}."
        if stopped:
            said += f" Its {stopped} pending reminder(s) were cancelled: a closed case reminds nobody."
        return CommandReply(text=said)

    features.subcommand(
        "stage",
        "stage <stage>",
        "move this case to its next stage (business unit, chair)",
        stage,
        needs=Needs(Permission.EDIT_CASE, CASE_HERE),
        order=22,
    )
