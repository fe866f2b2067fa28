"""What `/review people` shows: the list, the add form, the removal offer and the hand-over form.

Pure renderers: they take the partnership (with its people) and plain values. People are shown by the
label of their role; the Slack mention beside it is rendered by Slack for the reader, never stored.
"""

from __future__ import annotations

from typing import Any

from bot.config.partnership import Partnership
from bot.people.labels import ROLE_ORDER, ROLE_TITLES, person_label, roles_text
from bot.slack.blocks import button, context, header, input_block, option, pack_lines, plain_text, section
from bot.slack.ids import ActionId, CallbackId
from bot.slack.mrkdwn import escape
from bot.slack.payloads import PartnershipMetadata, PersonMetadata

USAGE = (
    "people | people add [@person agency role,role [label]] | people roles @person role,role | "
    "people remove @person [to @person]"
)


def people_list(partnership: Partnership) -> tuple[str, list[dict[str, Any]]]:
    """Everyone in the partnership: label, agency, roles (and the mention Slack renders)."""
    lines = []
    for person in partnership.people:
        agency = partnership.agency(person.agency)
        where = escape(agency.name) if agency is not None else "no agency"
        lines.append(
            f"• *{escape(person_label(partnership, person))}* (<@{person.slack_user_id}>): "
            f"{where}; {roles_text([str(r) for r in person.roles])}"
        )
    text = f"{len(lines)} people in {partnership.name}"
    blocks: list[dict[str, Any]] = [header(f"People: {partnership.name}")]
    blocks += [section(chunk) for chunk in pack_lines(lines or ["Nobody yet."])]
    blocks.append(
        section(
            "Add someone with the form, or `/review people add @person agency role,role`.",
            button("Add a person", ActionId.PEOPLE_ADD_OPEN, "add", style="primary"),
        )
    )
    blocks.append(
        context("`/review people roles @person role,role` changes roles; `/review people remove @person`.")
    )
    return text, blocks[:50]


def _role_options() -> list[dict[str, Any]]:
    return [option(role, ROLE_TITLES[role]) for role in ROLE_ORDER]


def add_modal(partnership: Partnership) -> dict[str, Any]:
    agencies = [*(option(a.id, a.name) for a in partnership.agencies[:99]), option("none", "No agency")]
    return {
        "type": "modal",
        "callback_id": CallbackId.PEOPLE_ADD_MODAL,
        "private_metadata": PartnershipMetadata(partnership=partnership.id).dump(),
        "title": plain_text("Add a person"),
        "submit": plain_text("Add"),
        "close": plain_text("Cancel"),
        "blocks": [
            input_block("who", "Person", {"type": "users_select"}),
            input_block("agency", "Agency", {"type": "static_select", "options": agencies}),
            input_block("roles", "Roles", {"type": "multi_static_select", "options": _role_options()}),
            input_block(
                "label",
                "Label",
                {"type": "plain_text_input", "max_length": 60},
                optional=True,
                hint="The role, e.g. 'Police lead' (never a name). Left empty: their role and agency.",
            ),
        ],
    }


def removal_offer(
    label: str, user_id: str, person_id: int, lines: list[str], reminders: int
) -> list[dict[str, Any]]:
    what = "\n".join(f"• {escape(line)}" for line in lines)
    waiting = f"\n• {reminders} reminder(s) waiting to be sent to them" if reminders else ""
    return [
        section(
            f"*{escape(label)}* (<@{user_id}>) still has open items:\n{what}{waiting}\n"
            "Choose who takes them over; they are removed once the items are handed over.",
            button("Choose who takes over", ActionId.PEOPLE_REASSIGN_OPEN, str(person_id), style="danger"),
        )
    ]


def reassign_modal(person_id: int, label: str, count: int) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": CallbackId.PEOPLE_REMOVE_MODAL,
        "private_metadata": PersonMetadata(person=person_id).dump(),
        "title": plain_text("Remove a person"),
        "submit": plain_text("Hand over and remove"),
        "close": plain_text("Cancel"),
        "blocks": [
            section(f"*{escape(label)}* has {count} open item(s). They go to the person you choose."),
            input_block(
                "to", "Hand over to", {"type": "users_select"}, hint="Someone already in the partnership."
            ),
        ],
    }
