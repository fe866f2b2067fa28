"""Home tab Block Kit (pure).

Slack allows 100 blocks in a view, and some people have hundreds of items, so each section shows
its first few items with "Show all"; the chosen section then shows a page at a time with Previous
and Next. The worst case (every section full, one expanded) stays well under the limit.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.actions.blocks import action_blocks
from bot.board.blocks import short_day
from bot.board.summary import stage_label
from bot.calendar.working_days import format_day
from bot.home.content import CaseLine, DeadlineLine, ExternalLine, HomeContent, HomePage
from bot.slack.blocks import button, context, header, local_time, pack_lines, section
from bot.slack.ids import ActionId
from bot.slack.mrkdwn import escape

COLLAPSED = 5
PAGE = 20
Block = dict[str, Any]

TITLES = {
    "cases": "My cases",
    "deadlines": "My deadlines",
    "checklist": "My checklist items",
    "actions": "My actions",
    "meetings": "My meetings",
    "learning": "My Learning Together reviews",
}
EMPTY = {
    "cases": "No open cases.",
    "deadlines": "No deadlines waiting on you.",
    "checklist": "No open checklist items.",
    "actions": "No open actions.",
    "meetings": "No meetings coming up.",
    "learning": "Nothing waiting in the reviews you lead or are on.",
}


def _channel(channel_id: str | None) -> str:
    return f" · <#{channel_id}>" if channel_id else ""


def _when(value: date | datetime | None) -> str:
    if isinstance(value, datetime):
        return f" · {local_time(value)}"
    if isinstance(value, date):
        return f" · {short_day(value)}"
    return ""


def case_line(case: CaseLine) -> str:
    return f"• *{escape(case.reference)}* · {stage_label(case.stage)}{_channel(case.channel_id)}"


def external_line(item: ExternalLine) -> str:
    ref = f"*{escape(item.reference)}* · " if item.reference else ""
    note = f" · {escape(item.note)}" if item.note else ""
    return f"• {ref}{escape(item.label)}{_when(item.when)}{note}{_channel(item.channel_id)}"


def deadline_block(deadline: DeadlineLine, today: date | None) -> Block:
    late = " · *OVERDUE*" if today is not None and deadline.target < today else ""
    block = section(
        f"*{escape(deadline.reference)}* · {escape(deadline.label)}\n"
        f"{deadline.status_kind} · {short_day(deadline.target)}{late}{_channel(deadline.channel_id)}"
    )
    block["accessory"] = {
        "type": "button",
        "action_id": ActionId.HOME_DEADLINE_DONE,
        "value": str(deadline.deadline_id),
        "text": {"type": "plain_text", "text": "Done"},
    }
    return block


def _line_sections(lines: list[str]) -> list[Block]:
    """Short lines packed into as few sections as the text limit allows."""
    return [section(chunk) for chunk in pack_lines(lines)]


def _items(content: HomeContent, key: str, start: int, stop: int) -> list[Block]:
    if key == "cases":
        return _line_sections([case_line(c) for c in content.cases[start:stop]])
    if key == "deadlines":
        return [deadline_block(d, content.today) for d in content.deadlines[start:stop]]
    if key == "checklist":
        return _line_sections([external_line(i) for i in content.checklist[start:stop]])
    if key == "actions":
        return [b for item in content.actions[start:stop] for b in action_blocks(item, with_owner=False)]
    if key == "learning":
        return _line_sections([external_line(i) for i in content.learning[start:stop]])
    blocks: list[Block] = []
    for meeting in content.meetings[start:stop]:
        blocks.append(section(external_line(meeting)))
        if meeting.awaiting_answer and meeting.item_id is not None:
            blocks.append(answer_buttons(meeting.item_id))
    return blocks


def answer_buttons(meeting_id: int) -> Block:
    """The meeting invitation's own buttons (answered by the meetings feature)."""
    value = str(meeting_id)
    return {
        "type": "actions",
        "block_id": f"home_meeting_{meeting_id}",
        "elements": [
            {
                "type": "button",
                "action_id": ActionId.MEETING_ATTENDING,
                "value": value,
                "style": "primary",
                "text": {"type": "plain_text", "text": "Attending"},
            },
            {
                "type": "button",
                "action_id": ActionId.MEETING_NOT_ATTENDING,
                "value": value,
                "text": {"type": "plain_text", "text": "Not attending"},
            },
        ],
    }


def _count(content: HomeContent, key: str) -> int:
    return len(getattr(content, key))


def _section_blocks(content: HomeContent, key: str) -> list[Block]:
    total = _count(content, key)
    blocks: list[Block] = [section(f"*{TITLES[key]}* ({total})")]
    if total == 0:
        return [*blocks, context(EMPTY[key])]
    page = content.page if content.page is not None and content.page.section == key else None
    if page is None:
        blocks += _items(content, key, 0, COLLAPSED)
        if total > COLLAPSED:
            blocks.append(context(f"…and {total - COLLAPSED} more."))
            blocks.append(
                {
                    "type": "actions",
                    "block_id": f"home_{key}_more",
                    "elements": [button(f"Show all {total}", ActionId.HOME_PAGE, HomePage(key, 0).dump())],
                }
            )
        return blocks
    pages = (total + PAGE - 1) // PAGE
    number = min(max(page.page, 0), pages - 1)
    start = number * PAGE
    blocks += _items(content, key, start, start + PAGE)
    nav: list[Block] = []
    if number > 0:
        nav.append(button("Previous", ActionId.HOME_PAGE_BACK, HomePage(key, number - 1).dump()))
    if number < pages - 1:
        nav.append(button("Next", ActionId.HOME_PAGE, HomePage(key, number + 1).dump()))
    nav.append(button("Show fewer", ActionId.HOME_PAGE_FEWER, "collapse"))
    blocks.append(
        context(f"Showing {start + 1}–{min(start + PAGE, total)} of {total} (page {number + 1} of {pages}).")
    )
    blocks.append({"type": "actions", "block_id": f"home_{key}_pages", "elements": nav})
    return blocks


def unbound_home_view() -> dict[str, Any]:
    """The Home tab in a workspace that installed ReviewBot but serves no partnership yet."""
    return {
        "type": "home",
        "blocks": [
            header("ReviewBot"),
            section(
                "ReviewBot is installed in this workspace, but the workspace is not bound to a "
                "safeguarding partnership yet, so there is nothing to show. Ask your administrator to "
                "add this workspace to the partnership file (`team_ids`) or bind the installation "
                "(`reviewbot installations bind`)."
            ),
        ],
    }


def home_view(content: HomeContent) -> dict[str, Any]:
    blocks: list[Block] = [header("ReviewBot")]
    if not content.actors:
        blocks.append(
            section(
                "You are not set up in a safeguarding partnership yet. Ask your business manager to add you."
            )
        )
        return {"type": "home", "blocks": blocks}
    buttons: list[Block] = []
    if content.can_notify:
        buttons.append(
            {
                "type": "button",
                "action_id": ActionId.HOME_NEW_NOTIFICATION,
                "style": "primary",
                "text": {"type": "plain_text", "text": "New notification"},
            }
        )
    away = content.away
    buttons.append(
        {
            "type": "button",
            "action_id": ActionId.AWAY_BACK if away is not None else ActionId.AWAY_OPEN,
            "text": {"type": "plain_text", "text": "I'm back" if away is not None else "I'm away…"},
        }
    )
    blocks.append({"type": "actions", "elements": buttons})
    if away is not None:
        blocks.append(
            context(
                f"Away {format_day(away.starts_on)} to {format_day(away.ends_on)}: your reminders go to "
                f"<@{away.deputy_user_id}> meanwhile."
            )
        )
    for key in ("cases", "deadlines", "checklist", "actions", "meetings", "learning"):
        if key == "learning" and not content.learning:
            continue  # only for a lead reviewer or review team member with something to see
        blocks.append({"type": "divider"})
        blocks += _section_blocks(content, key)
    blocks.append(
        context("Case references and pseudonyms only. `/review help` lists everything ReviewBot does.")
    )
    return {"type": "home", "blocks": blocks}
