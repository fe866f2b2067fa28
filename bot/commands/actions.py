"""Action plans in Slack: `/review actions [mine | agency <id> | case <ref> | overdue | add]`, the add
and update modal, and the Update / Done buttons (on listings, reminders and the Home tab).

Every change is followed by the same Slack side effects: the case's board message is refreshed,
the Home tab of whoever owns the action is republished, a new owner is told, and an owner who
could not see the case is invited to its channel.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.access import Permission, decide
from bot.actions import reminders as _action_kind  # noqa: F401  (importing it registers the "action" reminder kind)
from bot.actions.blocks import action_buttons, listing
from bot.actions.changes import (
    ActionChanged,
    add_action,
    can_manage,
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
from bot.board.blocks import escape
from bot.calendar.working_days import format_day
from bot.cases.models import Case
from bot.cases.service import case_by_channel, case_by_reference, facts_of
from bot.cases.slack_sync import request_board_refresh
from bot.clock import london_date
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput, NotFound, UserFacingError, ensure_allowed
from bot.home.service import publish_home
from bot.observability import get_logger
from bot.runtime.services import Services
from bot.slack.errors import SlackError
from bot.slack.ids import ActionId, CallbackId
from bot.slack.requester import Requester

log = get_logger(__name__)

USAGE = "actions [mine | agency <id> | case <reference> | overdue | add]"


def _button_value(body: dict[str, Any]) -> str:
    return str(((body.get("actions") or [{}])[0]).get("value") or "")


def _ids(raw: str, count: int) -> list[int]:
    parts = raw.split(":")
    if len(parts) != count or not all(p.isdecimal() for p in parts):
        raise BadInput("That button is out of date. Run `/review actions` for the current list.")
    return [int(p) for p in parts]


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
        [{"type": "section", "text": {"type": "mrkdwn", "text": text[:2900]}}, action_buttons(action.id)],
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

    async def _add_modal(user_id: str, case_id: int, finding_id: int | None = None) -> dict[str, Any]:
        async with services.db.session() as session:
            case = await session.get(Case, case_id)
            if case is None:
                raise NotFound("That case no longer exists.")
            finding = await session.get(Finding, finding_id) if finding_id is not None else None
        ensure_allowed(
            decide(services.actor(user_id, case.partnership_id), Permission.MANAGE_ACTION, facts_of(case))
        )
        if finding is not None and finding.case_id != case.id:
            raise BadInput("That finding belongs to another case.")
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
        async with services.db.session() as session:
            here = await case_by_channel(session, ctx.channel_id)
        if word == "add":
            if here is None:
                raise BadInput(
                    "`/review actions add` works in a case channel.",
                    "Run it in the channel of the case the action belongs to.",
                )
            _open(ctx.requester, None, await _add_modal(ctx.user_id, here.id))
            return CommandReply(text="")
        if not services.actors(ctx.user_id):
            ensure_allowed(decide(services.actor(ctx.user_id), Permission.LIST_CASES))
        add_to: int | None = None
        if word == "mine" or (not word and here is None):
            items, title = await find_actions(services, ctx.user_id, Scope.MINE), "Your actions"
        elif word == "overdue":
            items, title = await find_actions(services, ctx.user_id, Scope.OVERDUE), "Overdue actions"
        elif word == "agency":
            agency = words[1].lower() if len(words) > 1 else ""
            known = {
                a.id: a.name
                for p in (
                    services.config.partnership(x.partnership_id)
                    for x in services.actors(ctx.user_id)
                    if x.partnership_id
                )
                for a in p.agencies
            }
            if agency not in known:
                raise BadInput(
                    f"There is no agency called '{agency[:40]}'." if agency else "Name the agency.",
                    "Use one of: " + ", ".join(f"`{a}`" for a in sorted(known)) + ".",
                )
            items = await find_actions(services, ctx.user_id, Scope.AGENCY, agency=agency)
            title = f"Outstanding actions for {known[agency]}"
        elif word == "case" or (not word and here is not None):
            case = here
            if word == "case":
                if len(words) < 2:
                    raise BadInput("Name the case, e.g. `/review actions case RR-2026-001`.")
                async with services.db.session() as session:
                    case = await case_by_reference(session, words[1])
                if case is None:
                    raise NotFound(f"I can't find a case called {words[1][:40]}.")
            assert case is not None
            actor = services.actor(ctx.user_id, case.partnership_id)
            ensure_allowed(decide(actor, Permission.VIEW_CASE, facts_of(case)))
            items = await find_actions(services, ctx.user_id, Scope.CASE, case_id=case.id)
            title = f"Action plan for {case.reference}"
            if decide(actor, Permission.MANAGE_ACTION, facts_of(case)):
                add_to = case.id
        else:
            raise BadInput(f"I don't know `/review actions {word[:30]}`.", f"Try `/review {USAGE}`.")
        text, blocks = listing(
            items,
            title,
            add_to_case=add_to,
            narrow="Narrow it down: `/review actions overdue` or `/review actions agency <id>`.",
        )
        return CommandReply(text=text, blocks=blocks)

    features.router.add(
        "actions",
        USAGE,
        "list action plans (yours, an agency's, a case's, overdue) and add actions",
        actions_command,
        order=50,
    )

    @features.action(ActionId.ACTION_ADD)
    async def add_clicked(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        requester = Requester.from_body(body)
        [case_id] = _ids(_button_value(body), 1)
        _open(requester, body, await _add_modal(requester.user_id, case_id))

    @features.action(ActionId.FINDING_ADD_ACTION)
    async def add_from_finding(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        requester = Requester.from_body(body)
        case_id, finding_id = _ids(_button_value(body), 2)
        _open(requester, body, await _add_modal(requester.user_id, case_id, finding_id))

    @features.action(ActionId.ACTION_UPDATE)
    async def update_clicked(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        requester = Requester.from_body(body)
        [action_id] = _ids(_button_value(body), 1)
        _open(requester, body, await _update_modal(requester.user_id, action_id))

    @features.action(ActionId.ACTION_DONE)
    async def done_clicked(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        requester = Requester.from_body(body)
        [action_id] = _ids(_button_value(body), 1)
        changed = await mark_done(services, action_id, actor_user_id=requester.user_id)
        await after_change(services, changed)
        if (body.get("view") or {}).get("type") != "home":
            services.tasks.spawn(
                requester.tell(services.gateway, ":white_check_mark: Action marked done."), name="tell-done"
            )

    @features.view(CallbackId.ACTION_MODAL)
    async def submitted(ack: AsyncAck, body: dict[str, Any]) -> None:
        view = body["view"]
        user = Requester.from_body(body).user_id
        context = ActionModalContext.load(view.get("private_metadata"))
        if context is None:
            raise BadInput("This form is out of date. Please start again.")
        form, errors = read_action_form((view.get("state") or {}).get("values") or {})
        if form is None:
            await ack(response_action="errors", errors=errors)
            return
        async with services.db.session() as session:
            if context.action_id is not None:
                action = await session.get(Action, context.action_id)
                partnership_id = action.partnership_id if action else None
            else:
                case = await session.get(Case, context.case_id)
                partnership_id = case.partnership_id if case else None
        if partnership_id is None:
            raise NotFound("That case or action no longer exists.")
        errors = guard_form(services.config.partnership(partnership_id), form)
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
