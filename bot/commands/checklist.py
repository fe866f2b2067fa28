"""The rapid review checklist in Slack: `/review checklist [agency] [page]`, the item menu (Done, Not
applicable, Assign, Add note, Reopen), its three small modals, and the private page buttons."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from sqlalchemy import select

from bot.access import Permission
from bot.cases.models import Case
from bot.commands.cases import case_in_context
from bot.commands.finders import CASE_HERE, CASE_ON_BUTTON, admitted_case, facts_target
from bot.commands.gate import Allowed, Finder, Needs, NotThere, OutOfDate, Request, Target
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput, UserFacingError
from bot.rapid_review.blocks import checklist_page, parse_option_value, scope_word
from bot.rapid_review.checklist import change_item, item_for_modal, load_view
from bot.rapid_review.free_text import agency_name
from bot.rapid_review.messages import refresh_checklist
from bot.rapid_review.modals import assign_modal, not_applicable_modal, note_modal, selected_user, text_of
from bot.rapid_review.models import ChecklistItem
from bot.rapid_review.start import start_rapid_review
from bot.rapid_review.views import ChecklistView, ItemOp
from bot.runtime.services import Services
from bot.slack.ids import ActionId, CallbackId
from bot.slack.mrkdwn import echo
from bot.slack.payloads import ChecklistItemMetadata, action_value, id_at, read_metadata, view_values
from bot.slack.requester import Requester

ITEM_ACTION = re.compile(rf"^{ActionId.CHECKLIST_ITEM}:\d+$")
SCOPE_WORDS = {
    "business": "role:business_manager",
    "bu": "role:business_manager",
    "business_unit": "role:business_manager",
    "chair": "role:chair",
    "partners": "role:signatory",
    "signatories": "role:signatory",
}


async def case_here(services: Services, channel_id: str | None, what: str) -> Case:
    case = await case_in_context(services, channel_id)
    if case is None:
        raise BadInput(f"`/review {what}` works in a case channel.", "Run it in the channel of the case.")
    return case


async def ensure_checklist(services: Services, case: Case, user_id: str) -> None:
    """A case opened before checklists existed (or whose start failed) gets one on first use."""
    async with services.db.session() as session:
        fresh = await session.get(Case, case.id)
        assert fresh is not None
        rr = await start_rapid_review(session, services, fresh, actor=user_id)
    if rr is None:
        why = (
            "it is a notification only"
            if case.notification_only
            else "its rule set has no rapid review checklist"
        )
        raise BadInput(f"{case.reference} has no checklist: {why}.")


def resolve_scope(services: Services, case: Case, view: ChecklistView, word: str) -> str | None:
    """'police', 'health', 'business', 'all'... to a group key (None: every group)."""
    word = word.strip().lower()
    if word in ("", "all"):
        return None
    if word in SCOPE_WORDS:
        return SCOPE_WORDS[word]
    if view.group(word) is not None:
        return word
    partnership = services.config.partnership(case.partnership_id)
    for group in view.groups:
        agency = partnership.agency(group.key)
        if agency is not None and (str(agency.kind) == word or agency.name.lower() == word):
            return group.key
    words = ", ".join(f"`{scope_word(g.key)}`" for g in view.groups)
    raise BadInput(f"This checklist has no group called '{echo(word)}'.", f"Use one of: {words}, or `all`.")


async def _item_target(services: Services, item_pk: int | None) -> Target:
    if item_pk is None:
        raise OutOfDate("That menu or form")
    async with services.db.read() as session:
        row = (
            await session.execute(
                select(
                    ChecklistItem.case_id, ChecklistItem.owner_agency, ChecklistItem.assignee_user_id
                ).where(ChecklistItem.id == item_pk)
            )
        ).first()
    if row is None:
        raise NotThere()
    case_id, agency, assignee = row
    target = await facts_target(services, case_id, record_id=item_pk)
    assert target.case is not None
    name = agency_name(services.config.partnership(target.case.partnership_id), agency) if agency else None
    return replace(
        target,
        target_agency=agency,
        target_agency_name=name,
        assignee_user_ids=(assignee,) if assignee else (),
    )


async def _item_on_menu(services: Services, request: Request) -> Target:
    return await _item_target(services, id_at(action_value(request.body), 1, "|"))


async def _item_in_metadata(services: Services, request: Request) -> Target:
    meta = read_metadata(ChecklistItemMetadata, request.body)
    return await _item_target(services, meta.item if meta else None)


ITEM_ON_MENU = Finder("the checklist item in an item menu's option (op|item[|scope|page])", _item_on_menu)
ITEM_IN_METADATA = Finder("the checklist item in an item modal's private_metadata", _item_in_metadata)


def register(features: Features) -> None:
    services = features.services

    async def checklist(ctx: CommandContext) -> CommandReply:
        case = await admitted_case(services, ctx.admitted)
        await ensure_checklist(services, case, ctx.user_id)
        view = await load_view(services, case.id)
        assert view is not None
        words = ctx.args.split()
        if not words:
            services.tasks.spawn(refresh_checklist(services, case.id), name="refresh-checklist")
            done = sum(1 for i in view.items if not i.is_open)
            return CommandReply(
                text=f"The checklist for {case.reference} is pinned in this channel and up to date "
                f"({done} of {len(view.items)} items closed). One agency: "
                "`/review checklist police`; every item: `/review checklist all`."
            )
        page = int(words[-1]) if len(words) > 1 and words[-1].isdecimal() else 1
        scope_text = " ".join(words[:-1]) if len(words) > 1 and words[-1].isdecimal() else " ".join(words)
        scope = resolve_scope(services, case, view, scope_text)
        text, blocks = checklist_page(view, scope, page)
        return CommandReply(text=text, blocks=blocks)

    features.subcommand(
        "checklist",
        "checklist [agency|all] [page]",
        "the rapid review checklist here; one agency's items, or every item, privately",
        checklist,
        needs=Needs(Permission.VIEW_CASE, CASE_HERE),
        order=30,
    )

    @features.action(ITEM_ACTION, needs=Needs(Permission.UPDATE_CHECKLIST_ITEM, ITEM_ON_MENU))
    async def item_chosen(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        requester = Requester.from_body(body)
        try:
            op, pk, scope, page = parse_option_value(action_value(body))
        except (ValueError, IndexError):
            raise OutOfDate("That menu") from None
        if op in (ItemOp.DONE, ItemOp.REOPEN):
            changed = await change_item(services, pk, requester.user_id, op)
            _after_change(services, changed.case_id, requester, scope, page)
            return
        metadata = {"scope": scope, "page": page, "response_url": requester.response_url} if scope else {}
        item = await item_for_modal(services, pk)
        if op is ItemOp.NOT_APPLICABLE:
            view = not_applicable_modal(pk, item.item_id, item.title, metadata)
        elif op is ItemOp.ASSIGN:
            view = assign_modal(pk, item.item_id, item.title, item.assignee, metadata)
        else:
            view = note_modal(pk, item.item_id, item.title, item.note, metadata)
        if requester.trigger_id:
            services.tasks.spawn(
                services.gateway.open_view(requester.trigger_id, view), name="open-item-modal", urgent=True
            )

    def _after_change(
        services: Services,
        case_id: int,
        requester: Requester,
        scope: str | None,
        page: int,
        response_url: str | None = None,
    ) -> None:
        services.tasks.spawn(refresh_checklist(services, case_id), name="refresh-checklist")
        url = response_url or requester.response_url
        if scope and url:
            services.tasks.spawn(
                _redraw_page(services, case_id, scope, page, url), name="redraw-checklist-page"
            )

    async def _submitted(ack: AsyncAck, body: dict[str, Any], op: ItemOp, block: str) -> None:
        user = Requester.from_body(body).user_id
        meta = read_metadata(ChecklistItemMetadata, body)
        if meta is None:
            raise OutOfDate("This form")
        values = view_values(body)
        value = selected_user(values, block) if op is ItemOp.ASSIGN else text_of(values, block)
        try:
            changed = await change_item(services, meta.item, user, op, value)
        except UserFacingError as exc:
            await ack(response_action="errors", errors={block: exc.text})
            return
        await ack()
        _after_change(services, changed.case_id, Requester(user), meta.scope, meta.page, meta.response_url)

    item_form = Needs(Permission.UPDATE_CHECKLIST_ITEM, ITEM_IN_METADATA)

    @features.view(CallbackId.CHECKLIST_NOT_APPLICABLE_MODAL, needs=item_form)
    async def not_applicable_submitted(ack: AsyncAck, body: dict[str, Any]) -> None:
        await _submitted(ack, body, ItemOp.NOT_APPLICABLE, "reason")

    @features.view(CallbackId.CHECKLIST_ASSIGN_MODAL, needs=item_form)
    async def assign_submitted(ack: AsyncAck, body: dict[str, Any]) -> None:
        await _submitted(ack, body, ItemOp.ASSIGN, "assignee")

    @features.view(CallbackId.CHECKLIST_NOTE_MODAL, needs=item_form)
    async def note_submitted(ack: AsyncAck, body: dict[str, Any]) -> None:
        await _submitted(ack, body, ItemOp.NOTE, "note")

    async def _page(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        requester = Requester.from_body(body)
        parts = action_value(body).split("|")
        if len(parts) != 3 or not parts[2].isdecimal():
            raise OutOfDate()
        if requester.response_url:
            services.tasks.spawn(
                _redraw_page(services, allowed.case.case_id, parts[1], int(parts[2]), requester.response_url),
                name="checklist-page",
            )

    page_needs = Needs(Permission.VIEW_CASE, CASE_ON_BUTTON)
    features.action(ActionId.CHECKLIST_PREVIOUS_PAGE, needs=page_needs)(_page)
    features.action(ActionId.CHECKLIST_NEXT_PAGE, needs=page_needs)(_page)

    async def _redraw_page(services: Services, case_id: int, scope: str, page: int, url: str) -> None:
        """Redraw a private page in place (only for someone already allowed to see the case)."""
        view = await load_view(services, case_id)
        if view is None:
            return
        text, blocks = checklist_page(view, None if scope == "all" else scope, page)
        await services.gateway.respond(url, {"replace_original": True, "text": text, "blocks": blocks})
