"""`/review revise <deadline id> <DD/MM/YYYY> <reason> agreed by <who>`: a revised target beside a
statutory date, which itself never moves (business unit, chair)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.access import Permission
from bot.calendar.due_query import read_date
from bot.calendar.plausible import date_problem
from bot.calendar.working_days import format_day
from bot.cases.slack_sync import request_card_refresh
from bot.commands.deadlines import guarded_text
from bot.commands.finders import CASE_HERE, admitted_case
from bot.commands.gate import Needs
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.deadlines.models import Deadline
from bot.deadlines.service import load, revise_target
from bot.errors import BadInput
from bot.slack.mrkdwn import echo


def register(features: Features) -> None:
    services = features.services

    async def revise(ctx: CommandContext) -> CommandReply:
        """/review revise <deadline id> <DD/MM/YYYY> <reason> agreed by <who>"""
        case = await admitted_case(services, ctx.admitted)
        actor = ctx.admitted.actor
        rule_id, new_date, reason, agreed_by = parse_revise(ctx.args)
        for text in (reason, agreed_by):
            problem = guarded_text(services, case.partnership_id, text)
            if problem:
                raise BadInput(problem)
        async with services.db.session() as session:
            row = (
                await session.execute(
                    select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == rule_id)
                )
            ).scalar_one_or_none()
            if row is None:
                raise BadInput(
                    f"This case has no deadline called `{echo(rule_id, 60)}`.",
                    "The ids are shown by `/review status`.",
                )
            dctx = await load(services, session, row.id, actor)
            await revise_target(
                services, session, dctx, actor, new_target=new_date, reason=reason, agreed_by=agreed_by
            )
            label = row.label
        request_card_refresh(services, case.id)
        return CommandReply(
            text=f"Revised target for *{label}*: {format_day(new_date)} ({reason}; agreed by "
            f"{agreed_by}). The statutory date is unchanged and both are shown on the card."
        )

    features.subcommand(
        "revise",
        "revise <deadline id> <DD/MM/YYYY> <reason> agreed by <who>",
        "record a revised target beside a statutory date (business unit, chair)",
        revise,
        needs=Needs(Permission.EDIT_CASE, CASE_HERE),
        order=40,
    )


def parse_revise(text: str) -> tuple[str, date, str, str]:
    example = (
        "for example `/review revise rapid_review 03/02/2027 parallel criminal proceedings "
        "agreed by the Panel`"
    )
    words = text.split()
    if len(words) < 4 or " agreed by " not in f" {text} ":
        raise BadInput("I need the deadline id, the new date, the reason and who agreed it,", example)
    rule_id, raw_date = words[0], words[1]
    try:
        new_date = read_date(raw_date)
    except ValueError:
        raise BadInput(f"'{echo(raw_date, 20)}' is not a real date.", example) from None
    problem = date_problem(new_date, today=new_date, must_be_past=False, what="The revised target")
    if problem:
        raise BadInput(problem)
    rest = text.split(maxsplit=2)[2]
    reason, _, agreed_by = rest.rpartition(" agreed by ")
    if not reason.strip() or not agreed_by.strip():
        raise BadInput("Give both the reason and who agreed the revised target,", example)
    return rule_id, new_date, reason.strip()[:200], agreed_by.strip()[:120]
