"""Actions as Block Kit (pure): the `/review actions` listing, and one action's line with its buttons.

These go only to the person who asked (ephemeral replies, their Home tab, their reminders), so they
may show the action's description; board channels never use them.
"""

from __future__ import annotations

from typing import Any

from bot.actions.items import ActionItem
from bot.actions.kinds import OPEN_ACTION_STATUSES, STATUS_LABELS, ActionStatus
from bot.board.blocks import short_day
from bot.slack.blocks import context, section
from bot.slack.ids import ActionId
from bot.slack.mrkdwn import escape

LISTED = 20
DESCRIPTION_SHOWN = 300


def action_buttons(action_id: int) -> dict[str, Any]:
    value = str(action_id)
    return {
        "type": "actions",
        "block_id": f"action_{action_id}",
        "elements": [
            {
                "type": "button",
                "action_id": ActionId.ACTION_UPDATE,
                "value": value,
                "text": {"type": "plain_text", "text": "Update"},
            },
            {
                "type": "button",
                "action_id": ActionId.ACTION_DONE,
                "value": value,
                "style": "primary",
                "text": {"type": "plain_text", "text": "Done"},
            },
        ],
    }


def action_text(item: ActionItem, *, with_owner: bool = True) -> str:
    due = f"due {short_day(item.due_on)}" if item.due_on else "no due date"
    status = "*OVERDUE*" if item.overdue else STATUS_LABELS[ActionStatus(item.status)]
    description = escape(item.description)
    if len(description) > DESCRIPTION_SHOWN:
        description = description[:DESCRIPTION_SHOWN] + "…"
    owner = f" · <@{item.owner_user_id}>" if with_owner and item.owner_user_id else ""
    return f"*{escape(item.reference)}* · {escape(item.agency_name)}{owner} · {due} · {status}\n{description}"


def action_blocks(item: ActionItem, *, with_owner: bool = True) -> list[dict[str, Any]]:
    """The action's line, and Update/Done buttons (Update only once it is done or not being done)."""
    line = section(action_text(item, with_owner=with_owner))
    if item.status in OPEN_ACTION_STATUSES:
        return [line, action_buttons(item.id)]
    line["accessory"] = {
        "type": "button",
        "action_id": ActionId.ACTION_UPDATE,
        "value": str(item.id),
        "text": {"type": "plain_text", "text": "Update"},
    }
    return [line]


def add_button(case_id: int) -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": f"add_action_{case_id}",
        "elements": [
            {
                "type": "button",
                "action_id": ActionId.ACTION_ADD,
                "style": "primary",
                "value": str(case_id),
                "text": {"type": "plain_text", "text": "Add an action"},
            }
        ],
    }


def listing(
    items: list[ActionItem], title: str, *, add_to_case: int | None = None, narrow: str = ""
) -> tuple[str, list[dict[str, Any]]]:
    overdue = sum(1 for i in items if i.overdue)
    text = f"{title}: {len(items)} action(s), {overdue} overdue."
    blocks: list[dict[str, Any]] = [section(f"*{escape(title)}* ({len(items)}, {overdue} overdue)")]
    if not items:
        blocks.append(context("No actions here."))
    for item in items[:LISTED]:
        blocks += action_blocks(item)
    if len(items) > LISTED:
        blocks.append(context(f"…and {len(items) - LISTED} more. {narrow}".strip()))
    if add_to_case is not None:
        blocks.append(add_button(add_to_case))
    return text, blocks
