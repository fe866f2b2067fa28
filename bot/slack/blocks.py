"""Block Kit building blocks, and Slack's limits on them (pure: plain dicts in and out).

Every renderer (messages, modals, the Home tab) builds its blocks with these helpers and cuts text to
the limits named here, instead of repeating text-object dicts and bare numbers such as 2,900. The
lint in :mod:`bot.slack.blockkit` checks payloads against the same limits, so a renderer and the
check that guards it cannot disagree about a number.

The limits are Slack's own, from the Block Kit reference (blocks, block elements, composition
objects and view payloads; slack-notes §2). Where a renderer deliberately stays below a limit, the
constant says by how much and why.

This module must stay pure: it imports nothing from slack_sdk, slack_bolt, SQLAlchemy, FastAPI,
aiohttp or bot.runtime, so any layer may build blocks with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.clock import LONDON, ensure_utc

Block = dict[str, Any]
TextObject = dict[str, Any]

# --- Slack's limits ---------------------------------------------------------------------------------
# Blocks per surface: chat.postMessage / chat.update take at most 50 blocks; a modal or Home tab view
# (views.open, views.update, views.publish) at most 100.
MESSAGE_BLOCKS_LIMIT = 50
VIEW_BLOCKS_LIMIT = 100

# Section block: ``text`` at most 3,000 characters; at most 10 ``fields`` of 2,000 characters each.
SECTION_TEXT_LIMIT = 3000
SECTION_FIELDS_LIMIT = 10
SECTION_FIELD_TEXT_LIMIT = 2000
#: What renderers cut section and context text to: 100 characters below Slack's 3,000 (section text,
#: and a context element's text object), so a cut never lands exactly on the limit and the few
#: characters wrapped around a cut string (``*bold*`` marks) still fit.
SECTION_TEXT_CUT = SECTION_TEXT_LIMIT - 100
# Header block: plain_text of at most 150 characters.
HEADER_TEXT_LIMIT = 150
# Markdown block: at most 12,000 characters, cumulatively across the markdown blocks of a message.
MARKDOWN_BLOCK_LIMIT = 12_000
# Actions block: at most 25 elements. Context block: at most 10 elements.
ACTIONS_ELEMENTS_LIMIT = 25
CONTEXT_ELEMENTS_LIMIT = 10
# block_id, action_id, callback_id and external_id: at most 255 characters each.
ID_LIMIT = 255
# Text object: at most 3,000 characters (where a block sets no lower limit of its own).
TEXT_OBJECT_LIMIT = 3000

# Button element: text (and accessibility_label) at most 75 characters, value 2,000, url 3,000.
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
URL_LIMIT = 3000
# Select menus and other inputs: placeholder at most 150 characters.
PLACEHOLDER_LIMIT = 150
# Static select: at most 100 options, or 100 option groups.
OPTIONS_LIMIT = 100
OPTION_GROUPS_LIMIT = 100
# Option object: text at most 75 characters, value 150, description 75.
OPTION_TEXT_LIMIT = 75
OPTION_VALUE_LIMIT = 150
OPTION_DESCRIPTION_LIMIT = 75
# Overflow menu: at most 5 options. Radio buttons and checkboxes: at most 10 options.
OVERFLOW_OPTIONS_LIMIT = 5
RADIO_CHECKBOX_OPTIONS_LIMIT = 10
# Confirmation dialog: title 100 characters, text 300, confirm and deny buttons 30.
CONFIRM_TITLE_LIMIT = 100
CONFIRM_TEXT_LIMIT = 300
CONFIRM_BUTTON_LIMIT = 30
# Input block: label and hint at most 2,000 characters. Plain-text input: min/max_length up to 3,000.
INPUT_LABEL_LIMIT = 2000
INPUT_HINT_LIMIT = 2000
PLAIN_TEXT_INPUT_LENGTH_LIMIT = 3000
# Image: alt_text and title at most 2,000 characters. Video: title at most 200.
IMAGE_ALT_TEXT_LIMIT = 2000
IMAGE_TITLE_LIMIT = 2000
VIDEO_TITLE_LIMIT = 200

# Modal view: title, submit and close at most 24 characters; private_metadata at most 3,000.
MODAL_TITLE_LIMIT = 24
PRIVATE_METADATA_LIMIT = 3000
#: Slack refuses views larger than 250 kB (``view_too_large``).
VIEW_BYTES_LIMIT = 250_000

#: Slack answers ``msg_blocks_too_long`` for a message whose blocks carry too much text in total. The
#: limit is undocumented: bolt-js #2509 measured about 13,300 characters with markdown blocks only, and
#: a Slack engineer described it as "12,000 text characters with a buffer for block containers"
#: (bolt-js #2867, where a message with about 11,300 text characters in rich_text/section blocks was
#: still refused). We sum every ``text`` string in the blocks and refuse above 12,000: conservative
#: on purpose, because a fake that is laxer than Slack lets the bug through to production.
MESSAGE_TEXT_BUDGET = 12_000


# --- text objects -----------------------------------------------------------------------------------


def plain_text(text: str) -> TextObject:
    """A plain_text object (labels, titles, button text: Slack shows it as typed)."""
    return {"type": "plain_text", "text": text}


def mrkdwn(text: str) -> TextObject:
    """A mrkdwn text object; escape typed text first (:func:`bot.slack.mrkdwn.escape`)."""
    return {"type": "mrkdwn", "text": text}


# --- blocks -----------------------------------------------------------------------------------------


def section(text: str, accessory: Block | None = None, block_id: str | None = None) -> Block:
    """A section of mrkdwn text, cut to :data:`SECTION_TEXT_CUT`, with an optional accessory."""
    block: Block = {"type": "section", "text": mrkdwn(text[:SECTION_TEXT_CUT])}
    if accessory is not None:
        block["accessory"] = accessory
    if block_id:
        block["block_id"] = block_id
    return block


def context(text: str) -> Block:
    """A context block of one mrkdwn line (small grey text), cut to :data:`SECTION_TEXT_CUT`."""
    return {"type": "context", "elements": [mrkdwn(text[:SECTION_TEXT_CUT])]}


def header(text: str) -> Block:
    """A header block (large bold plain text), cut to :data:`HEADER_TEXT_LIMIT`."""
    return {"type": "header", "text": plain_text(text[:HEADER_TEXT_LIMIT])}


def input_block(
    block_id: str,
    label: str,
    element: Mapping[str, Any],
    *,
    optional: bool = False,
    hint: str | None = None,
    dispatch: bool = False,
) -> Block:
    """An input block whose element's action_id is its block_id, so a submission is read as
    ``values[block_id][block_id]`` and every interaction payload names its field."""
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain_text(label),
        "element": {**element, "action_id": block_id},
        "optional": optional,
    }
    if hint:
        block["hint"] = plain_text(hint)
    if dispatch:
        block["dispatch_action"] = True
    return block


# --- elements and composition objects ---------------------------------------------------------------


def button(
    text: str,
    action_id: str,
    value: str,
    *,
    style: str | None = None,
    confirm: Mapping[str, Any] | None = None,
) -> Block:
    """A button; its text is cut to :data:`BUTTON_TEXT_LIMIT`. ``style`` is "primary" or "danger"."""
    out: Block = {
        "type": "button",
        "action_id": action_id,
        "value": value,
        "text": plain_text(text[:BUTTON_TEXT_LIMIT]),
    }
    if style:
        out["style"] = style
    if confirm:
        out["confirm"] = confirm
    return out


def option(value: str, label: str, description: str | None = None) -> dict[str, Any]:
    """An option for a select, radio buttons or checkboxes, its text cut to Slack's limits."""
    out: dict[str, Any] = {"text": plain_text(label[:OPTION_TEXT_LIMIT]), "value": value}
    if description:
        out["description"] = plain_text(description[:OPTION_DESCRIPTION_LIMIT])
    return out


# --- text budgets -----------------------------------------------------------------------------------


def pack_lines(lines: list[str], limit: int = SECTION_TEXT_CUT) -> list[str]:
    """Short lines joined into as few texts of at most ``limit`` characters as they fit in (a line
    longer than ``limit`` on its own is kept whole; :func:`section` cuts it)."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        if current and len(current) + len(line) + 1 > limit:
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        chunks.append(current)
    return chunks


def iter_text(value: Any) -> list[str]:
    """Every ``text`` string inside a block tree, in document order (used for size budgets)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            for key, child in node.items():
                if key == "text" and isinstance(child, str):
                    found.append(child)
                else:
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(value)
    return found


def local_time(instant: datetime, pattern: str = "{date_short_pretty} {time}") -> str:
    """A ``<!date^…>`` token: Slack shows ``instant`` in each reader's own time zone.

    The fallback (shown where Slack cannot format the token: notifications, older clients, the
    demo's text) is UK time, as every other time ReviewBot writes, never UTC.
    """
    local = ensure_utc(instant).astimezone(LONDON)
    fallback = f"{local:%a} {local.day} {local:%b %Y} {local:%H:%M}"
    if "{time}" not in pattern:
        fallback = f"{local:%A} {local.day} {local:%B %Y}"
    return f"<!date^{int(local.timestamp())}^{pattern}|{fallback}>"
