"""`/review people`: the business manager lists, adds, re-roles and removes people, in Slack.

Every form needs MANAGE_PEOPLE (the business manager). Changes go to the people store in one unit of
work with their audit row and are effective at once: this process re-reads the store straight away,
every other process (another server, the worker) before its next request or tick.

Removing someone who still has open items (cases they own, actions, checklist items, meetings they
organise or chair, waiting reminders) first offers to hand them over: a button opens a form to pick
the new person, or `/review people remove @person to @other` does it in one go. Only then is the
person deactivated; their row stays so the records they made still say who did what.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.access import Actor, Permission
from bot.commands.gate import Allowed, Finder, Needs, NotThere, OutOfDate, Request, Target
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.config.partnership import Partnership
from bot.errors import BadInput
from bot.home.service import publish_home
from bot.people import store
from bot.people.blocks import USAGE, add_modal, people_list, reassign_modal, removal_offer
from bot.people.labels import roles_text
from bot.people.models import PersonRecord
from bot.people.reassign import open_items, reassign
from bot.runtime.services import Services
from bot.slack.ids import ActionId, CallbackId
from bot.slack.mrkdwn import echo, escape
from bot.slack.payloads import (
    PartnershipMetadata,
    PersonMetadata,
    action_value,
    leading_id,
    read_metadata,
    view_values,
)
from bot.slack.requester import Requester

_MENTION = re.compile(r"^<@([UW][A-Z0-9]{8,})(?:\|[^>]*)?>$|^@?([UW][A-Z0-9]{8,})$")
EXAMPLE = "for example `/review people add @U0123ABCD police agency_lead,signatory Police lead`"


def member_id(word: str) -> str:
    """The member id in Slack's mention format (``<@U123|name>``; the name is dropped), or a bare id."""
    match = _MENTION.match(word.strip())
    if match is None:
        raise BadInput(
            f"I can't tell who {echo(word)} is from a typed command.",
            "Mention them so Slack fills in who it is, give their member ID (Slack profile: ⋮ > Copy "
            "member ID), or run `/review people add` on its own for the form.",
        )
    return match.group(1) or match.group(2)


# -- finders: the partnership a button or form is about ------------------------------------------------


async def _person_target(services: Services, person_id: int | None) -> Target:
    if person_id is None:
        raise OutOfDate()
    async with services.db.read() as session:
        row = await session.get(PersonRecord, person_id)
    if row is None:
        raise NotThere()
    return Target(partnership_id=row.partnership_id, record_id=person_id)


async def _person_on_button(services: Services, request: Request) -> Target:
    return await _person_target(services, leading_id(action_value(request.body)))


async def _person_in_metadata(services: Services, request: Request) -> Target:
    meta = read_metadata(PersonMetadata, request.body)
    if meta is None:
        raise OutOfDate("This form")
    return await _person_target(services, meta.person)


async def _partnership_in_metadata(services: Services, request: Request) -> Target:
    meta = read_metadata(PartnershipMetadata, request.body)
    if meta is None:
        raise OutOfDate("This form")
    if meta.partnership not in {p.id for p in services.config.partnerships}:
        raise NotThere()
    return Target(partnership_id=meta.partnership)


PERSON_ON_BUTTON = Finder("the person (people-table id) in a button's value", _person_on_button)
PERSON_IN_METADATA = Finder("the person (people-table id) in a modal's private_metadata", _person_in_metadata)
PEOPLE_PARTNERSHIP_IN_METADATA = Finder(
    "the partnership in the add-a-person modal's private_metadata", _partnership_in_metadata
)
MANAGE_PEOPLE = Needs(Permission.MANAGE_PEOPLE)


# -- what each form does -------------------------------------------------------------------------------


def _partnership(services: Services, actor: Actor) -> Partnership:
    assert actor.partnership_id is not None
    return services.config.partnership(actor.partnership_id)


def _where_they_are(services: Services, allowed: Allowed, user_id: str) -> Actor:
    """The business manager's partnership that has ``user_id`` in it (the first if several)."""
    actors = list(allowed.actors) or [allowed.actor]
    for actor in actors:
        if _partnership(services, actor).person(user_id) is not None:
            return actor
    raise BadInput("They are not in your partnership.", "`/review people` lists who is.")


async def add_from_text(services: Services, allowed: Allowed, args: list[str]) -> str:
    if len(args) < 3:
        raise BadInput("I need the person, their agency and their roles,", EXAMPLE)
    user_id = member_id(args[0])
    partnership = _partnership(services, allowed.actor)
    return await _add(
        services, allowed.user_id, partnership, user_id, args[1], args[2].split(","), " ".join(args[3:])
    )


async def _add(
    services: Services,
    actor_id: str,
    partnership: Partnership,
    user_id: str,
    agency: str | None,
    roles: list[str],
    label: str | None,
) -> str:
    agency_id = store.check_agency(partnership, agency)
    wanted = store.check_roles(roles)
    clean_label = store.check_label(partnership, label)
    async with services.db.session() as session:
        await store.add_person(
            session,
            services.clock,
            partnership,
            actor=actor_id,
            user_id=user_id,
            agency_id=agency_id,
            roles=wanted,
            label=clean_label,
        )
    await store.refresh_people(services)
    _republish(services, user_id)
    shown = store.label_of(services, partnership.id, user_id)
    return (
        f"Added *{escape(shown)}* (<@{user_id}>) to {escape(partnership.name)} as "
        f"{roles_text(wanted)}. It works for them straight away."
    )


async def change_roles(services: Services, allowed: Allowed, args: list[str]) -> str:
    if len(args) != 2:
        raise BadInput(
            "I need the person and their new roles,", "for example `/review people roles @U0123ABCD chair`."
        )
    user_id = member_id(args[0])
    wanted = store.check_roles(args[1].split(","))
    actor = _where_they_are(services, allowed, user_id)
    assert actor.partnership_id is not None
    if user_id == allowed.user_id and "business_manager" not in wanted:
        raise BadInput(
            "You can't take the business manager role from yourself.", "Ask another business manager."
        )
    async with services.db.session() as session:
        await store.set_roles(
            session,
            services.clock,
            actor.partnership_id,
            actor=allowed.user_id,
            user_id=user_id,
            roles=wanted,
        )
    await store.refresh_people(services)
    _republish(services, user_id)
    label = store.label_of(services, actor.partnership_id, user_id)
    return f"*{escape(label)}* (<@{user_id}>) is now {roles_text(wanted)}. It applies straight away."


async def _handover_and_remove(
    services: Services, actor_id: str, partnership_id: str, user_id: str, to_user: str | None
) -> str:
    """Hand ``user_id``'s open items to ``to_user`` (if any are open) and deactivate them."""
    label = store.label_of(services, partnership_id, user_id)
    partnership = services.config.partnership(partnership_id)
    if to_user is not None:
        if to_user == user_id:
            raise BadInput("Choose someone else to take their items over.")
        if partnership.person(to_user) is None:
            raise BadInput(
                "The person taking over must be in the partnership.",
                "Add them first with `/review people add`.",
            )
    async with services.db.session() as session:
        items = await open_items(session, partnership_id, user_id, services.clock.now())
        if (items.count or items.reminders) and to_user is None:
            raise BadInput("They still have open items: choose who takes them over first.")
        if to_user is not None:
            items = await reassign(
                session, services.clock, partnership_id, actor=actor_id, from_user=user_id, to_user=to_user
            )
        await store.deactivate(session, services.clock, partnership_id, actor=actor_id, user_id=user_id)
    await store.refresh_people(services)
    _republish(services, user_id, to_user)
    moved = f" Their {items.count} open item(s) went to <@{to_user}>." if to_user and items.count else ""
    return f"Removed *{escape(label)}* (<@{user_id}>): they can no longer use ReviewBot.{moved}"


async def remove(services: Services, allowed: Allowed, args: list[str]) -> CommandReply:
    if len(args) not in (1, 3) or (len(args) == 3 and args[1].lower() != "to"):
        raise BadInput(
            "I need the person to remove,", "for example `/review people remove @U0123ABCD [to @U0456EFGH]`."
        )
    user_id = member_id(args[0])
    to_user = member_id(args[2]) if len(args) == 3 else None
    if user_id == allowed.user_id:
        raise BadInput("You can't remove yourself.", "Ask another business manager.")
    actor = _where_they_are(services, allowed, user_id)
    assert actor.partnership_id is not None
    if to_user is None:
        async with services.db.read() as session:
            items = await open_items(session, actor.partnership_id, user_id, services.clock.now())
            row = await store.person_row(session, actor.partnership_id, user_id)
        if row is not None and (items.count or items.reminders):
            label = store.label_of(services, actor.partnership_id, user_id)
            blocks = removal_offer(label, user_id, row.id, items.lines(), items.reminders)
            return CommandReply(
                text=f"{label} still has open items: choose who takes them over.", blocks=blocks
            )
    text = await _handover_and_remove(services, allowed.user_id, actor.partnership_id, user_id, to_user)
    return CommandReply(text=text)


def _field_for(message: str) -> str:
    """Which input of the add form a refusal is about (shown under it)."""
    said = message.lower()
    if "already in" in said:
        return "who"
    return next(
        (f for key, f in (("label", "label"), ("agenc", "agency"), ("role", "roles")) if key in said), "who"
    )


def _republish(services: Services, *user_ids: str | None) -> None:
    """Their Home tab as it is now: what they may do changed (or they are no longer in)."""
    for user_id in dict.fromkeys(u for u in user_ids if u):
        services.tasks.spawn(publish_home(services, user_id), name="publish-home")


def _picked(values: dict[str, Any], block: str, key: str) -> Any:
    inner = values.get(block)
    state = inner.get(block) if isinstance(inner, dict) else None
    return state.get(key) if isinstance(state, dict) else None


def _open(services: Services, requester: Requester, view: dict[str, Any], name: str) -> None:
    if requester.trigger_id is None:
        raise BadInput("Slack did not send what is needed to open a form. Please try again.")

    async def _tell(text: str) -> None:
        await requester.tell(services.gateway, text)

    services.tasks.spawn(
        services.gateway.open_view(requester.trigger_id, view), name=name, urgent=True, tell=_tell
    )


def register(features: Features) -> None:
    services = features.services

    async def people(ctx: CommandContext) -> CommandReply:
        words = ctx.args.split()
        verb = words[0].lower() if words else "list"
        allowed = ctx.admitted
        if verb == "list":  # every partnership they manage people in
            listed = [people_list(_partnership(services, a)) for a in (allowed.actors or (allowed.actor,))]
            text = "; ".join(t for t, _ in listed)
            return CommandReply(text=text, blocks=[b for _, blocks in listed for b in blocks][:50])
        if verb == "add" and len(words) == 1:
            _open(
                services, ctx.requester, add_modal(_partnership(services, allowed.actor)), "open-people-add"
            )
            return CommandReply(text="")
        if verb == "add":
            return CommandReply(text=await add_from_text(services, allowed, words[1:]))
        if verb == "roles":
            return CommandReply(text=await change_roles(services, allowed, words[1:]))
        if verb == "remove":
            return await remove(services, allowed, words[1:])
        raise BadInput(f"`/review people` has no {echo(verb)}.", f"Use `/review {USAGE}`.")

    features.subcommand(
        "people",
        USAGE,
        "who is in the partnership, with which agency and roles (business manager)",
        people,
        needs=MANAGE_PEOPLE,
        order=36,
    )

    @features.action(ActionId.PEOPLE_ADD_OPEN, needs=MANAGE_PEOPLE)
    async def open_add(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        _open(
            services,
            Requester.from_body(body),
            add_modal(_partnership(services, allowed.actor)),
            "open-people-add",
        )

    @features.view(
        CallbackId.PEOPLE_ADD_MODAL, needs=Needs(Permission.MANAGE_PEOPLE, PEOPLE_PARTNERSHIP_IN_METADATA)
    )
    async def add_submitted(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        values = view_values(body)
        who = _picked(values, "who", "selected_user")
        agency = _picked(values, "agency", "selected_option")
        roles = _picked(values, "roles", "selected_options")
        label = _picked(values, "label", "value")
        errors: dict[str, str] = {}
        if not isinstance(who, str) or not _MENTION.match(who):
            errors["who"] = "Pick the person."
        if not isinstance(agency, dict) or not isinstance(agency.get("value"), str):
            errors["agency"] = "Pick their agency (or No agency)."
        picked = [o.get("value") for o in roles if isinstance(o, dict)] if isinstance(roles, list) else []
        if not picked or not all(isinstance(r, str) for r in picked):
            errors["roles"] = "Pick one or more roles."
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        assert isinstance(who, str) and isinstance(agency, dict) and allowed.target.partnership_id
        partnership = services.config.partnership(allowed.target.partnership_id)
        try:
            text = await _add(
                services,
                allowed.user_id,
                partnership,
                who,
                agency["value"],
                [str(r) for r in picked],
                label if isinstance(label, str) else None,
            )
        except BadInput as exc:
            field = _field_for(exc.text)
            await ack(response_action="errors", errors={field: exc.text[:150]})
            return
        await ack()
        services.tasks.spawn(services.gateway.send_dm(allowed.user_id, text), name="people-added")

    @features.action(ActionId.PEOPLE_REASSIGN_OPEN, needs=Needs(Permission.MANAGE_PEOPLE, PERSON_ON_BUTTON))
    async def open_reassign(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        await ack()
        person_id = allowed.target.record_id
        assert person_id is not None and allowed.target.partnership_id is not None
        async with services.db.read() as session:
            row = await session.get(PersonRecord, person_id)
            if row is None or not row.active:
                raise BadInput("They have already been removed.")
            if row.slack_user_id == allowed.user_id:
                raise BadInput("You can't remove yourself.", "Ask another business manager.")
            items = await open_items(session, row.partnership_id, row.slack_user_id, services.clock.now())
        label = store.label_of(services, row.partnership_id, row.slack_user_id)
        _open(
            services,
            Requester.from_body(body),
            reassign_modal(person_id, label, items.count),
            "open-people-remove",
        )

    @features.view(CallbackId.PEOPLE_REMOVE_MODAL, needs=Needs(Permission.MANAGE_PEOPLE, PERSON_IN_METADATA))
    async def remove_submitted(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        to_user = _picked(view_values(body), "to", "selected_user")
        if not isinstance(to_user, str) or not _MENTION.match(to_user):
            await ack(response_action="errors", errors={"to": "Pick who takes their items over."})
            return
        async with services.db.read() as session:
            row = await session.get(PersonRecord, allowed.target.record_id)
        if row is None or not row.active:
            await ack(response_action="errors", errors={"to": "They have already been removed."})
            return
        if row.slack_user_id == allowed.user_id:
            await ack(response_action="errors", errors={"to": "You can't remove yourself."})
            return
        try:
            text = await _handover_and_remove(
                services, allowed.user_id, row.partnership_id, row.slack_user_id, to_user
            )
        except BadInput as exc:
            await ack(response_action="errors", errors={"to": exc.text[:150]})
            return
        await ack()
        services.tasks.spawn(services.gateway.send_dm(allowed.user_id, text), name="people-removed")
