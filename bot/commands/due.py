"""`/review due 15 working days from 23/12/2026 [in scotland]`: the deadline calculator, privately."""

from __future__ import annotations

from bot.access import Permission
from bot.calendar.due_query import DueQueryError, answer_due_query, parse_due_query
from bot.calendar.working_days import WorkingCalendar
from bot.clock import london_date
from bot.commands.gate import Needs
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput


def register(features: Features) -> None:
    services = features.services

    async def due(ctx: CommandContext) -> CommandReply:
        actor = ctx.admitted.actor
        partnership = services.config.partnership(actor.partnership_id) if actor.partnership_id else None
        try:
            query = parse_due_query(ctx.args, today=london_date(services.clock.now()))
        except DueQueryError as exc:
            raise BadInput(str(exc)) from None
        nation = query.nation or (partnership.nation if partnership else "england")
        closures = [*partnership.closure_days, *partnership.rules.extra_closure_days] if partnership else []
        if query.nation is None:
            query = query.model_copy(update={"nation": nation})
        return CommandReply(text=answer_due_query(query, WorkingCalendar(nation, closures)))

    features.subcommand(
        "due",
        "due 15 working days from 23/12/2026 [in scotland]",
        "work out a due date in working days, with the bank holidays skipped",
        due,
        needs=Needs(Permission.CALCULATE_DUE),
        order=30,
    )
