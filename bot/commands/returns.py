"""Agency returns in Slack: `/review returns`, `/review returns <agency> received|nil [DD/MM/YYYY]`,
`/review returns add <agency>`, the Received / Nil return buttons and the "add an agency" menu."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.access import Permission
from bot.calendar.due_query import read_date
from bot.calendar.plausible import date_problem
from bot.cases.slack_sync import request_card_refresh
from bot.clock import london_date
from bot.commands.checklist import ensure_checklist
from bot.commands.finders import CASE_HERE, CASE_ON_BUTTON, admitted_case, facts_target
from bot.commands.gate import Allowed, Finder, Needs, NotThere, OutOfDate, Request, Target, Variant, Variants
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput
from bot.rapid_review.blocks import returns_blocks
from bot.rapid_review.free_text import agency_name
from bot.rapid_review.loading import load_returns_view
from bot.rapid_review.messages import refresh_checklist
from bot.rapid_review.models import AgencyReturn
from bot.rapid_review.returns import add_agency, record_return
from bot.rapid_review.views import ReturnsView
from bot.runtime.services import Services
from bot.slack.blocks import context
from bot.slack.ids import ActionId
from bot.slack.mrkdwn import echo
from bot.slack.payloads import action_value, leading_id
from bot.slack.requester import Requester

RECEIVED_ACTION = re.compile(rf"^{ActionId.RETURN_RECEIVED}:\d+$")
NIL_ACTION = re.compile(rf"^{ActionId.RETURN_NIL}:\d+$")
USAGE = (
    "`/review returns`, `/review returns police received 04/01/2027`, `/review returns police nil`, "
    "`/review returns add probation`"
)


def parse_day(text: str, today: date) -> date:
    """A date a person typed for something that has happened: DD/MM/YYYY, plausible (the shared rule)."""
    try:
        day = read_date(text.strip())
    except ValueError:
        raise BadInput(
            f"'{echo(text, 20)}' is not a date.", "Write it as DD/MM/YYYY, e.g. 04/01/2027."
        ) from None
    problem = date_problem(day, today=today, what="That date")
    if problem:
        raise BadInput(problem)
    return day


def _return_for(view: ReturnsView, word: str) -> int:
    word = word.lower()
    for row in view.returns:
        if word in (row.agency_id.lower(), row.agency_name.lower()):
            return row.return_id
    known = ", ".join(f"`{r.agency_id}`" for r in view.returns) or "none yet"
    raise BadInput(f"No involved agency called '{echo(word)}'.", f"Agencies with a return: {known}.")


async def _return_target(services: Services, return_id: int | None) -> Target:
    if return_id is None:
        raise OutOfDate()
    async with services.db.read() as session:
        row = await session.get(AgencyReturn, return_id)
    if row is None:
        raise NotThere()
    target = await facts_target(services, row.case_id, record_id=return_id)
    assert target.case is not None
    partnership = services.config.partnership(target.case.partnership_id)
    return replace(
        target, target_agency=row.agency_id, target_agency_name=agency_name(partnership, row.agency_id)
    )


async def _return_on_button(services: Services, request: Request) -> Target:
    return await _return_target(services, leading_id(action_value(request.body)))


async def _return_named_here(services: Services, request: Request) -> Target:
    here = await CASE_HERE.find(services, request)
    assert here.case is not None
    view = await load_returns_view(services, here.case.case_id)
    if view is None:
        raise BadInput(f"{here.case.reference} has no agency returns yet.", USAGE)
    return await _return_target(services, _return_for(view, request.args.split()[0]))


RETURN_ON_BUTTON = Finder("the agency return id on a Received / Nil return button", _return_on_button)
RETURN_NAMED_HERE = Finder(
    "this channel's case and the agency named first (`police received`)", _return_named_here
)


def register(features: Features) -> None:
    services = features.services

    async def returns(ctx: CommandContext) -> CommandReply:
        case = await admitted_case(services, ctx.admitted)
        await ensure_checklist(services, case, ctx.user_id)
        words = ctx.args.split()
        if words and words[0].lower() == "add":
            if len(words) < 2:
                raise BadInput("Say which agency to add.", USAGE)
            added = await add_agency(services, case.id, words[1].lower(), ctx.user_id)
            _after_add(services, added.case_id, added.channel_id, added.new_members)
        elif words:
            if len(words) < 2 or words[1].lower() not in ("received", "nil"):
                raise BadInput("I need the agency and `received` or `nil`.", USAGE)
            view = await load_returns_view(services, case.id)
            assert view is not None
            on = parse_day(words[2], london_date(services.clock.now())) if len(words) > 2 else None
            assert ctx.admitted.target.record_id is not None  # the RECORD_AGENCY_RETURN variant's finder
            recorded = await record_return(
                services, ctx.admitted.target.record_id, ctx.user_id, nil=words[1].lower() == "nil", on=on
            )
            _after_return(services, recorded.case_id)
        view = await load_returns_view(services, case.id)
        assert view is not None
        text, blocks = returns_blocks(view)
        return CommandReply(text=text, blocks=blocks)

    features.subcommand(
        "returns",
        "returns [<agency> received|nil [DD/MM/YYYY] | add <agency>]",
        "agency returns for the rapid review: who has sent theirs, who is still to",
        returns,
        needs=Variants(
            Needs(Permission.VIEW_CASE, CASE_HERE),
            (
                Variant(r"add\b", Needs(Permission.EDIT_CASE, CASE_HERE), example="add probation"),
                Variant(
                    r"\S+\s+(received|nil)\b",
                    Needs(Permission.RECORD_AGENCY_RETURN, RETURN_NAMED_HERE),
                    example="police received",
                ),
            ),
        ),
        order=31,
    )

    async def _button(ack: AsyncAck, body: dict[str, Any], allowed: Allowed, *, nil: bool) -> None:
        await ack()
        requester = Requester.from_body(body)
        assert allowed.target.record_id is not None
        recorded = await record_return(services, allowed.target.record_id, requester.user_id, nil=nil)
        _after_return(services, recorded.case_id)
        word = "a nil return" if nil else "received"
        if requester.response_url:
            services.tasks.spawn(
                _redraw(
                    services,
                    recorded.case_id,
                    requester.response_url,
                    f"{recorded.agency_name}: {word}, recorded by <@{requester.user_id}>.",
                ),
                name="redraw-returns",
            )

    record = Needs(Permission.RECORD_AGENCY_RETURN, RETURN_ON_BUTTON)

    @features.action(RECEIVED_ACTION, needs=record)
    async def received(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await _button(ack, body, allowed, nil=False)

    @features.action(NIL_ACTION, needs=record)
    async def nil_return(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await _button(ack, body, allowed, nil=True)

    @features.action(ActionId.RETURN_ADD_AGENCY, needs=Needs(Permission.EDIT_CASE, CASE_ON_BUTTON))
    async def add_chosen(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        requester = Requester.from_body(body)
        agency_id = action_value(body).partition("|")[2]
        if not agency_id:
            raise OutOfDate("That menu")
        added = await add_agency(services, allowed.case.case_id, agency_id, requester.user_id)
        _after_add(services, added.case_id, added.channel_id, added.new_members)
        if requester.response_url:
            services.tasks.spawn(
                _redraw(
                    services,
                    added.case_id,
                    requester.response_url,
                    f"{added.agency_name} added; its return is requested.",
                ),
                name="redraw-returns",
            )

    def _after_return(services: Services, case_id: int) -> None:
        services.tasks.spawn(refresh_checklist(services, case_id), name="refresh-checklist")

    def _after_add(services: Services, case_id: int, channel_id: str | None, new_members: list[str]) -> None:
        if channel_id and new_members:
            services.tasks.spawn(services.gateway.invite(channel_id, new_members), name="invite-agency")
        services.tasks.spawn(refresh_checklist(services, case_id), name="refresh-checklist")
        request_card_refresh(services, case_id)

    async def _redraw(services: Services, case_id: int, url: str, headline: str) -> None:
        view = await load_returns_view(services, case_id)
        if view is None:
            return
        text, blocks = returns_blocks(view)
        blocks = [context(headline), *blocks]
        await services.gateway.respond(url, {"replace_original": True, "text": text, "blocks": blocks})
