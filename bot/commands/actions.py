"""Action plans in Slack: `/review actions [mine | agency <id> | case <ref> | overdue | add]`, the add
and update modal, and the Update / Done buttons (on listings, reminders and the Home tab).

Every change is followed by the same Slack side effects: the case's board message is refreshed,
the Home tab of whoever owns the action is republished, a new owner is told, and an owner who
could not see the case is invited to its channel.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.access import Permission
from bot.actions.blocks import action_buttons, listing
from bot.actions.changes import (
    ActionChanged,
    add_action,
    can_manage,
    facts_for,
    load_for_update,
    mark_done,
    update_action,
)
from bot.actions.modal import (
    FIELD_BLOCKS,
    ActionModalContext,
    build_action_modal,
    guard_form,
    read_action_form,
)
from bot.actions.models import Action, Finding
from bot.actions.queries import Scope, find_actions
from bot.calendar.working_days import format_day
from bot.cases.models import Case
from bot.cases.slack_sync import request_board_refresh
from bot.clock import london_date
from bot.commands.finders import CASE_HERE, CASE_HERE_IF_ANY, CASE_NAMED_SECOND, CASE_ON_BUTTON, facts_target
from bot.commands.gate import Allowed, Finder, Needs, NotThere, OutOfDate, Request, Target, Variant, Variants
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput, UserFacingError
from bot.home.service import publish_home
from bot.observability import get_logger
from bot.runtime.services import Services
from bot.slack.blocks import section
from bot.slack.errors import SlackError
from bot.slack.ids import ActionId, CallbackId
from bot.slack.mrkdwn import echo, escape
from bot.slack.payloads import action_value, id_at, leading_id, view_values
from bot.slack.requester import Requester

log = get_logger(__name__)

USAGE = "actions [mine | agency <id> | case <reference> | overdue | add]"


async def _action_target(services: Services, action_id: int | None) -> Target:
    if action_id is None:
        raise OutOfDate()
    async with services.db.read() as session:
        action = await session.get(Action, action_id)
        case = await session.get(Case, action.case_id) if action and action.case_id else None
    if action is None:
        raise NotThere()
    agency = services.config.partnership(action.partnership_id).agency(action.owner_agency)
    return Target(
        case=facts_for(case, action.partnership_id),
        target_agency=action.owner_agency,
        target_agency_name=agency.name if agency else None,
        assignee_user_ids=(action.owner_user_id,) if action.owner_user_id else (),
        record_id=action.id,
    )


async def _on_button(services: Services, request: Request) -> Target:
    return await _action_target(services, leading_id(action_value(request.body)))


async def _in_modal(services: Services, request: Request) -> Target:
    """The action being updated, or (a new action) its case, which needs MANAGE_ACTION as well."""
    context = ActionModalContext.load(_metadata(request.body))
    if context is None:
        raise OutOfDate("This form")
    if context.action_id is not None:
        return await _action_target(services, context.action_id)
    return replace(await facts_target(services, context.case_id), also=Permission.MANAGE_ACTION)


def _metadata(body: dict[str, Any]) -> str | None:
    view = body.get("view")
    raw = view.get("private_metadata") if isinstance(view, dict) else None
    return raw if isinstance(raw, str) else None


ACTION_ON_BUTTON = Finder("the action id on an Update / Done button", _on_button)
ACTION_IN_MODAL = Finder("the action (or, for a new one, the case) in the action modal's metadata", _in_modal)
UPDATE = Needs(Permission.UPDATE_ACTION, ACTION_ON_BUTTON)
ADD = Needs(Permission.MANAGE_ACTION, CASE_ON_BUTTON)


def _in_view(body: dict[str, Any]) -> bool:
    """A button inside a modal: the next modal is pushed on top instead of opened."""
    return (body.get("view") or {}).get("type") == "modal"


async def after_change(services: Services, changed: ActionChanged) -> None:
    """The Slack side effects of a committed action change (each in the background)."""
    if changed.case_id is not None:
        request_board_refresh(services, changed.case_id)
    for owner in sorted(changed.owners):
        services.tasks.spawn(publish_home(services, owner), name="publish-home")
    if changed.invite and changed.case_channel:
        services.tasks.spawn(_invite(services, changed.case_channel, changed.invite), name="invite-owner")
    if changed.new_owner:
        services.tasks.spawn(
            _tell_new_owner(services, changed.action_id, changed.new_owner), name="tell-owner"
        )


async def _invite(services: Services, channel: str, user: str) -> None:
    try:
        await services.gateway.invite(channel, [user])
    except SlackError as exc:  # already in it, or the channel is gone: access is granted either way
        log.info("actions.invite_skipped", error=exc.code)


async def _tell_new_owner(services: Services, action_id: int, user: str) -> None:
    async with services.db.session() as session:
        action = await session.get(Action, action_id)
        case = await session.get(Case, action.case_id) if action and action.case_id else None
    if action is None:
        return
    reference = case.reference if case else None
    due = f", due {format_day(action.due_on)}" if action.due_on else ""
    where = escape(reference or "the partnership")
    text = f"You own a new action on *{where}*{due}:\n{escape(action.description)}"
    await services.gateway.send_dm(
        user,
        f"You own a new action on {reference or 'the partnership'}{due}.",
        [section(text), action_buttons(action.id)],
    )


def register(features: Features) -> None:
    services = features.services

    def _open(requester: Requester, body: dict[str, Any] | None, view: dict[str, Any]) -> None:
        if requester.trigger_id is None:
            raise BadInput("Slack did not send what is needed to open a form. Please try again.")

        async def _tell(text: str) -> None:
            await requester.tell(services.gateway, text)

        if body is not None and _in_view(body):
            services.tasks.spawn(
                services.gateway.push_view(requester.trigger_id, view),
                name="push-action-modal",
                urgent=True,
                tell=_tell,
            )
        else:
            services.tasks.spawn(
                services.gateway.open_view(requester.trigger_id, view),
                name="open-action-modal",
                urgent=True,
                tell=_tell,
            )

    async def _add_modal(case_id: int, finding_id: int | None = None) -> dict[str, Any]:
        async with services.db.session() as session:
            case = await session.get(Case, case_id)
            if case is None:
                raise NotThere()
            finding = await session.get(Finding, finding_id) if finding_id is not None else None
        if finding is not None and finding.case_id != case.id:
            raise NotThere()
        partnership = services.config.partnership(case.partnership_id)
        return build_action_modal(
            partnership,
            ActionModalContext(case.id, finding_id=finding_id),
            reference=case.reference,
            today=london_date(services.clock.now()),
            prefill=finding.summary if finding is not None else None,
        )

    async def _update_modal(user_id: str, action_id: int) -> dict[str, Any]:
        async with services.db.session() as session:
            action, case, actor, facts = await load_for_update(session, services, action_id, user_id)
        partnership = services.config.partnership(action.partnership_id)
        context = ActionModalContext(action.case_id or 0, action.id, full=can_manage(actor, facts))
        return build_action_modal(
            partnership,
            context,
            reference=case.reference if case else "partnership",
            today=london_date(services.clock.now()),
            action=action,
        )

    async def actions_command(ctx: CommandContext) -> CommandReply:
        words = ctx.args.split()
        word = words[0].lower() if words else ""
        admitted = ctx.admitted
        if word == "add":
            _open(ctx.requester, None, await _add_modal(admitted.case.case_id))
            return CommandReply(text="")
        add_to: int | None = None
        if word == "mine" or (not word and admitted.target.case is None):
            items, title = await find_actions(services, ctx.user_id, Scope.MINE), "Your actions"
        elif word == "overdue":
            items, title = await find_actions(services, ctx.user_id, Scope.OVERDUE), "Overdue actions"
        elif word == "agency":
            agency = words[1].lower() if len(words) > 1 else ""
            known = {
                a.id: a.name
                for p in (services.config.partnership(x.partnership_id or '') for x in admitted.actors)
                for a in p.agencies
            }
            if agency not in known:
                raise BadInput(
                    f"There is no agency called '{echo(agency)}'." if agency else "Name the agency.",
                    "Use one of: " + ", ".join(f"`{a}`" for a in sorted(known)) + ".",
                )
            items = await find_actions(services, ctx.user_id, Scope.AGENCY, agency=agency)
            title = f"Outstanding actions for {known[agency]}"
        elif word == "case" or not word:
            case = admitted.case
            items = await find_actions(services, ctx.user_id, Scope.CASE, case_id=case.case_id)
            title = f"Action plan for {case.reference}"
            if can_manage(admitted.actor, case):
                add_to = case.case_id
        else:
            raise BadInput(f"I don't know `/review actions {echo(word, 30)}`.", f"Try `/review {USAGE}`.")
        text, blocks = listing(
            items,
            title,
            add_to_case=add_to,
            narrow="Narrow it down: `/review actions overdue` or `/review actions agency <id>`.",
        )
        return CommandReply(text=text, blocks=blocks)

    listing_needs = Needs(Permission.LIST_CASES)
    features.subcommand(
        "actions",
        USAGE,
        "list action plans (yours, an agency's, a case's, overdue) and add actions",
        actions_command,
        needs=Variants(
            Needs(Permission.VIEW_CASE, CASE_HERE_IF_ANY, otherwise=Permission.LIST_CASES),
            (
                Variant(r"add\b", Needs(Permission.MANAGE_ACTION, CASE_HERE), example="add"),
                Variant(
                    r"case\b", Needs(Permission.VIEW_CASE, CASE_NAMED_SECOND), example="case {reference}"
                ),
                Variant(r"(mine|overdue)\b", listing_needs, example="overdue"),
                Variant(r"agency\b", listing_needs, example="agency police"),
            ),
        ),
        order=50,
    )

    @features.action(ActionId.ACTION_ADD, needs=ADD)
    async def add_clicked(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        _open(Requester.from_body(body), body, await _add_modal(allowed.case.case_id))

    @features.action(ActionId.FINDING_ADD_ACTION, needs=ADD)
    async def add_from_finding(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        finding_id = id_at(action_value(body), 1)
        if finding_id is None:
            raise OutOfDate()
        _open(Requester.from_body(body), body, await _add_modal(allowed.case.case_id, finding_id))

    @features.action(ActionId.ACTION_UPDATE, needs=UPDATE)
    async def update_clicked(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        assert allowed.target.record_id is not None
        _open(Requester.from_body(body), body, await _update_modal(allowed.user_id, allowed.target.record_id))

    @features.action(ActionId.ACTION_DONE, needs=UPDATE)
    async def done_clicked(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        requester = Requester.from_body(body)
        assert allowed.target.record_id is not None
        changed = await mark_done(services, allowed.target.record_id, actor_user_id=requester.user_id)
        await after_change(services, changed)
        if (body.get("view") or {}).get("type") != "home":
            services.tasks.spawn(
                requester.tell(services.gateway, ":white_check_mark: Action marked done."), name="tell-done"
            )

    @features.view(CallbackId.ACTION_MODAL, needs=Needs(Permission.UPDATE_ACTION, ACTION_IN_MODAL))
    async def submitted(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        view = body["view"]
        user = allowed.user_id
        context = ActionModalContext.load(_metadata(body))
        if context is None:
            raise OutOfDate("This form")
        form, errors = read_action_form(view_values(body))
        if form is None:
            await ack(response_action="errors", errors=errors)
            return
        errors = guard_form(services.config.partnership(allowed.case.partnership_id), form)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        try:
            if context.action_id is None:
                changed = await add_action(
                    services,
                    case_id=context.case_id,
                    actor_user_id=user,
                    form=form,
                    finding_id=context.finding_id,
                    idempotency_key=str(view.get("id")),
                )
            else:
                changed = await update_action(services, context.action_id, actor_user_id=user, form=form)
        except UserFacingError as exc:
            if exc.field is not None:
                await ack(response_action="errors", errors={FIELD_BLOCKS.get(exc.field, exc.field): exc.text})
                return
            raise
        await ack()
        if changed.created:
            await after_change(services, changed)
