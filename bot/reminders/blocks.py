"""One message for everything due to one person (or one case thread) at a delivery: pure Block Kit.

Each entry is one thing to act on (a deadline, an action, an agency return, a meeting) with its own
controls: the same buttons as the single reminder, so the same listeners handle them. Slack allows 50
blocks in a message, so the first entries (the most overdue first) come with their controls and the
rest are listed one line each, with a pointer to the Home tab, where every one of them can be acted
on. The message is never split: one delivery, one message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.slack.blocks import MESSAGE_BLOCKS_LIMIT, MESSAGE_TEXT_BUDGET, iter_text

SECTION_LIMIT = 2900
LISTING_BLOCK_ID = "reminder_listing"  # the first block of a listing, so a button can tell it is in one
OVERFLOW_SECTIONS = 3  # at most this many sections of one-line entries after those with controls
RESERVED = 4 + OVERFLOW_SECTIONS  # header, late note, "the rest", footer, overflow sections
# Slack refuses a message whose blocks carry too much text in all (msg_blocks_too_long): keep well
# under the limit, with room for "the rest" and the footer.
TEXT_BUDGET = MESSAGE_TEXT_BUDGET - 1_500


@dataclass
class Entry:
    """One thing in a delivery. ``line`` is mrkdwn (case reference, what, due date, how late);
    ``blocks`` is how it is shown with its controls (at least one block); ``rank`` orders entries
    (lower first: the most overdue)."""

    line: str
    blocks: list[dict[str, Any]]
    overdue: bool = False
    rank: tuple[Any, ...] = ()
    note: str | None = None  # e.g. "for <@U…>, who is away"
    short: str = ""  # a shorter line, for the entries listed without their controls


@dataclass
class Delivery:
    entries: list[Entry]
    late_note: dict[str, Any] | None = None
    thread: bool = False  # a case thread rather than a direct message
    references: list[str] = field(default_factory=list)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_LIMIT]}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:SECTION_LIMIT]}]}


def _with_note(entry: Entry, blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not entry.note:
        return blocks
    return [*blocks, _context(entry.note)]


def _lines_in_sections(lines: list[str], limit: int, budget: int) -> tuple[list[dict[str, Any]], int]:
    """Sections of one-line entries, at most ``limit`` of them and ``budget`` characters in all; how
    many lines did not fit."""
    sections: list[str] = []
    current = ""
    shown = 0
    for line in lines:
        budget -= len(line) + 1
        if budget < 0:
            break
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > SECTION_LIMIT:
            if len(sections) + 1 >= limit:
                break
            sections.append(current)
            candidate = line
        current = candidate
        shown += 1
    if current:
        sections.append(current)
    return [_section(s) for s in sections], len(lines) - shown


def _text_size(blocks: list[dict[str, Any]]) -> int:
    return sum(len(t) for t in iter_text(blocks))


def delivery_message(delivery: Delivery) -> tuple[str, list[dict[str, Any]]]:
    """The one message for a delivery of several entries: (notification text, blocks)."""
    entries = sorted(delivery.entries, key=lambda e: e.rank)
    overdue = sum(1 for e in entries if e.overdue)
    total = len(entries)
    what = f"{total} reminders" if total != 1 else "1 reminder"
    late = f", {overdue} overdue" if overdue else ""
    if delivery.thread:
        headline = f":bell: *{what} for this case{late}*"
    else:
        headline = f":bell: *{what} for you{late}*"
    refs = list(dict.fromkeys(delivery.references))
    text = f"{what}{late}" + (
        f": {', '.join(refs[:10])}" + (" and more" if len(refs) > 10 else "") if refs else ""
    )
    blocks: list[dict[str, Any]] = [{**_section(headline), "block_id": LISTING_BLOCK_ID}]
    if delivery.late_note is not None:
        blocks.append(delivery.late_note)
    budget = MESSAGE_BLOCKS_LIMIT - RESERVED
    text_left = TEXT_BUDGET - _text_size(blocks)
    fulls = [_with_note(entry, entry.blocks) for entry in entries]
    sizes = [_text_size(full) for full in fulls]
    all_fit = sum(sizes) <= text_left and sum(len(f) for f in fulls) <= budget
    # When not everything fits with its buttons, keep half the text for one line about each of the rest.
    full_text = text_left if all_fit else text_left // 2
    shown_in_full = 0
    for full, size in zip(fulls, sizes, strict=True):
        if len(full) > budget or size > full_text:
            break
        blocks += full
        budget -= len(full)
        full_text -= size
        text_left -= size
        shown_in_full += 1
    rest = entries[shown_in_full:]
    if rest:
        blocks.append(_section(f"*{len(rest)} more*, listed without their buttons:"))
        lines = [f"• {e.short or e.line}" + (f" ({e.note})" if e.note else "") for e in rest]
        sections, left_out = _lines_in_sections(lines, OVERFLOW_SECTIONS, text_left)
        blocks += sections
        footer = "Act on the rest from your Home tab in ReviewBot, or in each case's channel."
        if left_out:
            footer = f"{left_out} more are not listed here. " + footer
        blocks.append(_context(footer))
    return text, _unique_block_ids(blocks)


def _unique_block_ids(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Slack refuses a message with a block_id twice: a repeat loses its id (the buttons in it are
    told apart by their values, never by the block)."""
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for block in blocks:
        block_id = block.get("block_id")
        if isinstance(block_id, str):
            if block_id in seen:
                block = {k: v for k, v in block.items() if k != "block_id"}
            seen.add(block_id)
        out.append(block)
    return out


def compact_blocks(line: str, controls: dict[str, Any] | None) -> list[dict[str, Any]]:
    """An entry with its controls, as shown among others: one line and its buttons."""
    return [_section(line), *([controls] if controls else [])]


def settle_entry(message: Any, block_id: str, text: str) -> dict[str, Any] | None:
    """The listing ``message`` with one entry's controls (``block_id``) replaced by ``text``, to send
    back with replace_original; None when the message is not a listing (it is then replaced whole,
    as a single reminder always was)."""
    if not isinstance(message, dict):
        return None
    blocks = message.get("blocks")
    if not isinstance(blocks, list) or not blocks or not isinstance(blocks[0], dict):
        return None
    if blocks[0].get("block_id") != LISTING_BLOCK_ID:
        return None
    settled = [
        {**_context(text), "block_id": block_id}
        if isinstance(b, dict) and b.get("block_id") == block_id
        else b
        for b in blocks
    ]
    return {"replace_original": True, "text": str(message.get("text") or text), "blocks": settled}


__all__ = ["LISTING_BLOCK_ID", "Delivery", "Entry", "compact_blocks", "delivery_message", "settle_entry"]
