"""`/review plan` in a case channel: the Learning Together review plan (review team, business unit).

    /review plan                                             the plan as it stands
    /review plan learning-together @lead [@reviewer ...] [follow-ons N]

Commissioning it keeps the lead reviewer and the review team (added to the case), seeds the key
practice episodes from the rapid review, turns the decision's constraints into holds and posts the
plan: an introductory case group meeting and (by default) two follow-on meetings with their purposes.
"""

from __future__ import annotations

from bot.access import Permission
from bot.cases.models import Case
from bot.cases.slack_sync import request_card_refresh
from bot.commands.finders import CASE_HERE, admitted_case
from bot.commands.gate import Needs
from bot.commands.learning_words import mentioned
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput
from bot.learning_together.family import family_state
from bot.learning_together.holds import holds_in_force, line_of
from bot.learning_together.plan import Commissioned, PlanState, commission, plan_state
from bot.meetings.blocks import uk_time_text
from bot.meetings.record import comments_on
from bot.observability import get_logger
from bot.runtime.services import Services
from bot.slack.errors import SlackError
from bot.slack.mrkdwn import escape

log = get_logger(__name__)
USAGE = "`/review plan learning-together @lead-reviewer [@reviewer ...] [follow-ons N]`"


def plan_lines(state: PlanState) -> list[str]:
    team = ", ".join(f"<@{u}>" for u in state.team) or "none named"
    lines = [
        f"*{state.reference}: Learning Together review plan* (model {state.model_version})",
        f"Lead reviewer <@{state.lead_reviewer}> · review team: {team}",
    ]
    for n, step in enumerate(state.steps, start=1):
        if step.meeting_id is None:
            where = "not scheduled yet: `/review meeting`"
        elif step.held:
            where = (
                f"held {uk_time_text(step.starts_at)}: {step.attended} of {step.invited} attended"
                if step.starts_at
                else "held"
            )
            absent = step.invited - step.attended
            if absent:
                where += (f"; {step.absentees_sent} of {absent} absent sent what was agreed, "
                          f"{step.comments} comment(s)")
        else:
            where = f"scheduled {uk_time_text(step.starts_at)}" if step.starts_at else "scheduled"
        lines.append(f"{n}. *{step.step}*: {escape(step.purpose)}. _{where}_")
    lines.append(
        f"Conversations with practitioners (before the follow-on meetings): {state.conversations_done} "
        f"done of {state.conversations_planned} arranged (`/review conversation`)."
    )
    lines.append(
        f"Key practice episodes: {state.episodes}, of which {state.episodes_without_findings} with no "
        "finding yet (`/review episode list`)."
    )
    return lines


async def plan_text(services: Services, case: Case) -> str:
    state = await plan_state(services, case.id)
    if state is None:
        return (
            f"{case.reference} has no Learning Together plan yet. "
            "Once the decision to hold a local review is "
            f"made: {USAGE}."
        )
    lines = plan_lines(state)
    family = await family_state(services, case.id)
    if family is None:
        lines.append("Family participation: not planned yet (`/review family`).")
    else:
        invited = {True: "invited", False: "not invited", None: "not decided"}[family.invited]
        lines.append(
            f"Family participation: {invited}; {len(family.updates)} update(s) given"
            + (f"; next due {family.next_update_on:%d/%m/%Y}" if family.next_update_on else "")
            + "."
        )
    async with services.db.read() as session:
        holds = [line_of(h) for h in await holds_in_force(session, case.id)]
    lines += [f":warning: {h.text()}" for h in holds]
    meeting_ids = [s.meeting_id for s in state.steps if s.meeting_id is not None]
    for meeting_id, rows in (await comments_on(services, meeting_ids)).items():
        step = next(s.step for s in state.steps if s.meeting_id == meeting_id)
        for row in rows:
            lines.append(
                f":speech_balloon: <@{row.user_id}> on the record of the {step.lower()}: "
                f"{escape(row.comment)}"
            )
    return "\n".join(lines)


def _commission_words(args: str) -> tuple[str, list[str], int | None]:
    words = args.split()[1:]
    people: list[str] = []
    follow_ons: int | None = None
    n = 0
    while n < len(words):
        word = words[n]
        if word.lower() in ("follow-ons", "follow_ons", "followons"):
            if n + 1 >= len(words) or not words[n + 1].isdecimal():
                raise BadInput("Say how many follow-on meetings, e.g. `follow-ons 2`.", USAGE)
            follow_ons, n = int(words[n + 1]), n + 2
            continue
        user = mentioned(word)
        if user is None:
            raise BadInput("Name people with @, e.g. @lead-reviewer.", USAGE)
        people.append(user)
        n += 1
    if not people:
        raise BadInput("Name the lead reviewer.", USAGE)
    return people[0], people[1:], follow_ons


def register(features: Features) -> None:
    services = features.services

    async def announce(case: Case, done: Commissioned) -> None:
        if not case.channel_id:
            return
        try:
            await services.gateway.invite(case.channel_id, [done.lead_reviewer, *done.team])
        except SlackError as exc:
            log.warning("plan.invite_failed", case_id=case.id, error=exc.code)
        text = await plan_text(services, case)
        await services.gateway.post_message(
            case.channel_id,
            f"{case.reference}: Learning Together review plan",
            [{"type": "section", "text": {"type": "mrkdwn", "text": text[:2900]}}],
        )

    async def plan(ctx: CommandContext) -> CommandReply:
        case = await admitted_case(services, ctx.admitted)
        words = ctx.args.split()
        if not words:
            return CommandReply(text=await plan_text(services, case))
        if words[0].lower().replace("_", "-") != "learning-together":
            raise BadInput("ReviewBot plans Learning Together reviews.", USAGE)
        lead, team, follow_ons = _commission_words(ctx.args)
        done = await commission(
            services, case.id, user_id=ctx.user_id, lead=lead, team=team, follow_ons=follow_ons
        )
        if not done.created:
            return CommandReply(
                text=f"{case.reference} already has its plan.\n" + await plan_text(services, case)
            )
        async with services.db.read() as session:
            fresh = await session.get(Case, case.id)
        if fresh is not None:
            services.tasks.spawn(announce(fresh, done), name="plan-announce")
        extra = (
            f" {done.episodes_seeded} key practice episode(s) from the rapid review."
            if done.episodes_seeded
            else ""
        )
        if done.holds_placed:
            request_card_refresh(services, case.id)  # a publication hold shows on the card
            held = ", ".join(h.replace("_", " ") for h in done.holds_placed)
            extra += f" Holds from the decision's constraints: {held}."
        return CommandReply(
            text=f"Learning Together review planned for {case.reference}.{extra}\n"
            + await plan_text(services, case)
        )

    features.subcommand(
        "plan",
        "plan [learning-together @lead [@reviewer ...] [follow-ons N]]",
        "the Learning Together review plan: case group meetings with their purposes, conversations, "
        "episodes, the family, holds (review team, business unit)",
        plan,
        needs=Needs(Permission.MANAGE_LEARNING_REVIEW, CASE_HERE),
        order=55,
    )
