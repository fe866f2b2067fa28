"""Render Block Kit as plain text for the demo transcript and for readable test failures.

Slack's own rendering needs a browser; the demo prints to a terminal. This keeps each block on its own
lines in reading order, so a person (or a privacy test) sees roughly what a Slack user would see:
``<!date^...>`` tokens in UK time, emoji codes as emoji, and mentions as the person's name. Slack shows
a member's display name; the demo and the sandbox show the role label from the partnership file
instead (``names``), and a member id only where nobody gave one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import emoji

from bot.clock import LONDON

# Slack's own names for a few emoji that the emoji library knows by another alias.
_SLACK_EMOJI = {"large_orange_circle": "🟠", "large_blue_circle": "🔵", "memory": "📝"}
_EMOJI_CODE = re.compile(r":([a-z0-9_+-]+):")
_DATE_TOKEN = re.compile(r"<!date\^(\d+)\^([^|>^]*)(?:\^[^|>]*)?\|([^>]*)>")
_LINK_WITH_LABEL = re.compile(r"<(?:https?://|mailto:)[^|>]*\|([^>]*)>")
_BARE_LINK = re.compile(r"<((?:https?://|mailto:)[^|>]*)>")
_USER_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL_MENTION = re.compile(r"<#([A-Z0-9]+)(?:\|([^>]*))?>")
_SPECIAL_MENTION = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")


Names = Mapping[str, str]


def emojize(text: str) -> str:
    """``:white_check_mark:`` as ✅, the way Slack shows it; codes nobody knows stay as they are."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _SLACK_EMOJI:
            return _SLACK_EMOJI[name]
        shown = emoji.emojize(f":{name}:", language="alias")
        return shown if shown != f":{name}:" else match.group(0)

    return _EMOJI_CODE.sub(one, text)


def local_date(unix: int, pattern: str) -> str:
    """A ``<!date^…>`` token's pattern filled in for a reader in the UK."""
    at = datetime.fromtimestamp(unix, UTC).astimezone(LONDON)
    long_day = f"{at:%A} {at.day} {at:%B %Y}"
    short_day = f"{at:%a} {at.day} {at:%b %Y}"
    values = {
        "date_long_pretty": long_day,
        "date_long": long_day,
        "date_long_full": long_day,
        "date_short_pretty": short_day,
        "date_short": short_day,
        "date": f"{at.day} {at:%B %Y}",
        "date_num": f"{at:%Y-%m-%d}",
        "time": f"{at:%H:%M}",
        "time_secs": f"{at:%H:%M:%S}",
    }
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), pattern)


def _uk_date(iso: str) -> str:
    try:
        return f"{date.fromisoformat(iso):%d/%m/%Y}"
    except ValueError:
        return iso


def _date(match: re.Match[str]) -> str:
    try:
        return local_date(int(match.group(1)), match.group(2))
    except (OverflowError, OSError, ValueError):
        return match.group(3)


def render_text(text: str, names: Names | None = None) -> str:
    """Replace Slack formatting tokens with what a reader would see, and unescape entities."""
    known = names or {}
    text = _DATE_TOKEN.sub(_date, text)
    text = _LINK_WITH_LABEL.sub(r"\1", text)
    text = _BARE_LINK.sub(r"\1", text)
    text = _USER_MENTION.sub(lambda m: "@" + known.get(m.group(1), m.group(1)), text)
    text = _CHANNEL_MENTION.sub(lambda m: "#" + (m.group(2) or known.get(m.group(1), m.group(1))), text)
    text = _SPECIAL_MENTION.sub(r"@\1", text)
    text = emojize(text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def render_blocks_as_text(blocks: Sequence[Mapping[str, Any]] | None, names: Names | None = None) -> str:
    """A readable plain-text rendering of a list of blocks (one or more lines per block)."""
    return _Renderer(names or {}).blocks(blocks)


class _Renderer:
    def __init__(self, names: Names) -> None:
        self.names = names

    def blocks(self, blocks: Sequence[Mapping[str, Any]] | None) -> str:
        lines: list[str] = []
        for block in blocks or []:
            if isinstance(block, Mapping):
                lines.extend(self._render_block(block))
        return "\n".join(lines)

    def _text(self, obj: Any) -> str:
        if isinstance(obj, Mapping):
            value = obj.get("text")
            return render_text(value, self.names) if isinstance(value, str) else ""
        if isinstance(obj, str):
            return render_text(obj, self.names)
        return ""

    def _render_element(self, element: Mapping[str, Any]) -> str:
        kind = element.get("type")
        if kind in ("button", "workflow_button"):
            return f"[{self._text(element.get('text'))}]"
        if kind == "image":
            return f"(image: {element.get('alt_text', '')})"
        if kind == "overflow":
            return "[...]"
        if kind in ("radio_buttons", "checkboxes"):
            mark = "( )" if kind == "radio_buttons" else "[ ]"
            return "  ".join(
                f"{mark} {self._text(o.get('text'))}"
                for o in element.get("options", [])
                if isinstance(o, Mapping)
            )
        if kind == "datepicker":
            placeholder = self._text(element.get("placeholder")) or "pick a date"
            initial = element.get("initial_date")
            return f"[date: {_uk_date(initial) if isinstance(initial, str) else placeholder}]"
        if kind == "timepicker":
            placeholder = self._text(element.get("placeholder")) or "pick a time"
            return f"[time: {element.get('initial_time', placeholder)}]"
        if isinstance(kind, str) and ("select" in kind):
            initial = element.get("initial_option")
            shown = (
                self._text(initial.get("text"))
                if isinstance(initial, Mapping)
                else self._text(element.get("placeholder"))
            )
            return f"[{shown or 'choose'} v]"
        if kind in (
            "plain_text_input",
            "email_text_input",
            "url_text_input",
            "number_text_input",
            "rich_text_input",
        ):
            initial = element.get("initial_value")
            return f"[{initial if isinstance(initial, str) and initial else '____'}]"
        if kind is None and "text" in element:
            return self._text(element)
        return f"[{kind}]"

    def _render_rich_text(self, node: Any) -> str:
        if isinstance(node, Mapping):
            kind = node.get("type")
            if kind == "text":
                return str(node.get("text", ""))
            if kind == "link":
                return str(node.get("text") or node.get("url", ""))
            if kind == "user":
                user = str(node.get("user_id", ""))
                return f"@{self.names.get(user, user)}"
            if kind == "channel":
                return f"#{node.get('channel_id', '')}"
            if kind == "emoji":
                return emojize(f":{node.get('name', '')}:")
            if kind == "date":
                return str(node.get("fallback", ""))
            if kind == "rich_text_list":
                items = node.get("elements", [])
                return "\n".join(f"• {self._render_rich_text(item)}" for item in items)
            return "".join(self._render_rich_text(child) for child in node.get("elements", []))
        if isinstance(node, list):
            return "".join(self._render_rich_text(child) for child in node)
        return ""

    def _render_block(self, block: Mapping[str, Any]) -> list[str]:
        kind = block.get("type")
        if kind == "header":
            title = self._text(block.get("text"))
            return [title.upper(), "=" * len(title)]
        if kind == "divider":
            return ["-" * 40]
        if kind == "section":
            out: list[str] = []
            if block.get("text"):
                out.extend(self._text(block.get("text")).splitlines() or [""])
            for field in block.get("fields", []) or []:
                out.append(f"  {self._text(field)}")
            accessory = block.get("accessory")
            if isinstance(accessory, Mapping):
                out.append(f"  {self._render_element(accessory)}")
            return out
        if kind == "context":
            parts = [
                self._render_element(e) if e.get("type") == "image" else self._text(e)
                for e in block.get("elements", [])
                if isinstance(e, Mapping)
            ]
            return ["  " + " | ".join(p for p in parts if p)]
        if kind == "actions":
            return [
                " ".join(self._render_element(e) for e in block.get("elements", []) if isinstance(e, Mapping))
            ]
        if kind == "input":
            label = self._text(block.get("label"))
            optional = " (optional)" if block.get("optional") else ""
            element = block.get("element")
            rendered = self._render_element(element) if isinstance(element, Mapping) else ""
            out = [f"{label}{optional}: {rendered}"]
            if block.get("hint"):
                out.append(f"  ({self._text(block.get('hint'))})")
            return out
        if kind == "image":
            return [f"(image: {block.get('alt_text', '')})"]
        if kind == "markdown":
            text = block.get("text")
            return render_text(text, self.names).splitlines() if isinstance(text, str) else []
        if kind == "rich_text":
            return self._render_rich_text(block).splitlines()
        return [f"({kind} block)"]
