"""Agency returns in Slack: `/review returns`, `/review returns <agency> received|nil [DD/MM/YYYY]`,
`/review returns add <agency>`, the Received / Nil return buttons and the "add an agency" menu."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.access import Permission, decide
from bot.calendar.due_query import read_date
from bot.cases.service import facts_of
from bot.cases.slack_sync import request_card_refresh
from bot.commands.cases import actor_for_case
from bot.commands.checklist import case_here, ensure_checklist
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput, ensure_allowed
from bot.rapid_review import reminders as _return_reminders  # noqa: F401  (registers the agency_return kind)
from bot.rapid_review.blocks import returns_blocks
from bot.rapid_review.loading import load_returns_view
from bot.rapid_review.messages import refresh_checklist
from bot.rapid_review.returns import add_agency, record_return
from bot.rapid_review.views import ReturnsView
from bot.runtime.services import Services
from bot.slack.ids import ActionId
from bot.slack.requester import Requester

RECEIVED_ACTION = re.compile(rf"^{ActionId.RETURN_RECEIVED}:\d+$")
NIL_ACTION = re.compile(rf"^{ActionId.RETURN_NIL}:\d+$")
USAGE = (
    "`/review returns`, `/review returns police received 04/01/2027`, `/review returns police nil`, "
    "`/review returns add probation`"
)


def parse_day(text: str) -> date:
    try:
        return read_date(text.strip())
    except ValueError:
        raise BadInput(f"'{text[:20]}' is not a date.", "Write it as DD/MM/YYYY, e.g. 04/01/2027.") from None


def _return_for(view: ReturnsView, word: str) -> int:
    word = word.lower()
    for row in view.returns:
        if word in (row.agency_id.lower(), row.agency_name.lower()):
            return row.return_id
    known = ", ".join(f"`{r.agency_id}`" for r in view.returns) or "none yet"
    raise BadInput(f"No involved agency called '{word[:40]}'.", f"Agencies with a return: {known}.")


def register(features: Features) -> None:
    services = features.services

    async def returns(ctx: CommandContext) -> CommandReply:
        case = await case_here(services, ctx.channel_id, "returns")
        ensure_allowed(
            decide(actor_for_case(services, ctx.user_id, case), Permission.VIEW_CASE, facts_of(case))
        )
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
            on = parse_day(words[2]) if len(words) > 2 else None
            recorded = await record_return(
                services, _return_for(view, words[0]), ctx.user_id, nil=words[1].lower() == "nil", on=on
            )
            _after_return(services, recorded.case_id)
        view = await load_returns_view(services, case.id)
        assert view is not None
        text, blocks = returns_blocks(view)
        return CommandReply(text=text, blocks=blocks)

    features.router.add(
        "returns",
        "returns [<agency> received|nil [DD/MM/YYYY] | add <agency>]",
        "agency returns for the rapid review: who has sent theirs, who is still to",
        returns,
        order=31,
    )

    async def _button(ack: AsyncAck, body: dict[str, Any], *, nil: bool) -> None:
        await ack()
        requester = Requester.from_body(body)
        raw = str(((body.get("actions") or [{}])[0]).get("value") or "")
        if not raw.isdecimal():
            raise BadInput("That button is out of date. Run `/review returns` for the current list.")
        recorded = await record_return(services, int(raw), requester.user_id, nil=nil)
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

    @features.action(RECEIVED_ACTION)
    async def received(ack: AsyncAck, body: dict[str, Any]) -> None:
        await _button(ack, body, nil=False)

    @features.action(NIL_ACTION)
    async def nil_return(ack: AsyncAck, body: dict[str, Any]) -> None:
        await _button(ack, body, nil=True)

    @features.action(ActionId.RETURN_ADD_AGENCY)
    async def add_chosen(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        requester = Requester.from_body(body)
        raw = str((((body.get("actions") or [{}])[0]).get("selected_option") or {}).get("value") or "")
        case_text, _, agency_id = raw.partition("|")
        if not case_text.isdecimal() or not agency_id:
            raise BadInput("That menu is out of date. Run `/review returns` for the current list.")
        added = await add_agency(services, int(case_text), agency_id, requester.user_id)
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
        blocks = [{"type": "context", "elements": [{"type": "mrkdwn", "text": headline[:2900]}]}, *blocks]
        await services.gateway.respond(url, {"replace_original": True, "text": text, "blocks": blocks})
