"""Render Block Kit as plain text for the demo transcript and for readable test failures.

Slack's own rendering needs a browser; the demo prints to a terminal. This keeps each block on its own
lines in reading order, so a person (or a privacy test) sees roughly what a Slack user would see.
Formatting tokens such as ``<!date^...|fallback>`` and mentions are shown as their fallback text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

_DATE_TOKEN = re.compile(r"<!date\^[^|>]*\|([^>]*)>")
_LINK_WITH_LABEL = re.compile(r"<(?:https?://|mailto:)[^|>]*\|([^>]*)>")
_BARE_LINK = re.compile(r"<((?:https?://|mailto:)[^|>]*)>")
_USER_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL_MENTION = re.compile(r"<#([A-Z0-9]+)(?:\|([^>]*))?>")
_SPECIAL_MENTION = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")


def render_text(text: str) -> str:
    """Replace Slack formatting tokens with what a reader would see, and unescape entities."""
    text = _DATE_TOKEN.sub(r"\1", text)
    text = _LINK_WITH_LABEL.sub(r"\1", text)
    text = _BARE_LINK.sub(r"\1", text)
    text = _USER_MENTION.sub(r"@\1", text)
    text = _CHANNEL_MENTION.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    text = _SPECIAL_MENTION.sub(r"@\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def render_blocks_as_text(blocks: Sequence[Mapping[str, Any]] | None) -> str:
    """A readable plain-text rendering of a list of blocks (one or more lines per block)."""
    lines: list[str] = []
    for block in blocks or []:
        if isinstance(block, Mapping):
            lines.extend(_render_block(block))
    return "\n".join(lines)


def _text(obj: Any) -> str:
    if isinstance(obj, Mapping):
        value = obj.get("text")
        return render_text(value) if isinstance(value, str) else ""
    if isinstance(obj, str):
        return render_text(obj)
    return ""


def _render_element(element: Mapping[str, Any]) -> str:
    kind = element.get("type")
    if kind in ("button", "workflow_button"):
        return f"[{_text(element.get('text'))}]"
    if kind == "image":
        return f"(image: {element.get('alt_text', '')})"
    if kind == "overflow":
        return "[...]"
    if kind in ("radio_buttons", "checkboxes"):
        mark = "( )" if kind == "radio_buttons" else "[ ]"
        return "  ".join(
            f"{mark} {_text(o.get('text'))}" for o in element.get("options", []) if isinstance(o, Mapping)
        )
    if kind == "datepicker":
        return f"[date: {element.get('initial_date', _text(element.get('placeholder')) or 'pick a date')}]"
    if kind == "timepicker":
        return f"[time: {element.get('initial_time', _text(element.get('placeholder')) or 'pick a time')}]"
    if isinstance(kind, str) and ("select" in kind):
        initial = element.get("initial_option")
        shown = (
            _text(initial.get("text")) if isinstance(initial, Mapping) else _text(element.get("placeholder"))
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
        return _text(element)
    return f"[{kind}]"


def _render_rich_text(node: Any) -> str:
    if isinstance(node, Mapping):
        kind = node.get("type")
        if kind == "text":
            return str(node.get("text", ""))
        if kind == "link":
            return str(node.get("text") or node.get("url", ""))
        if kind == "user":
            return f"@{node.get('user_id', '')}"
        if kind == "channel":
            return f"#{node.get('channel_id', '')}"
        if kind == "emoji":
            return f":{node.get('name', '')}:"
        if kind == "date":
            return str(node.get("fallback", ""))
        if kind == "rich_text_list":
            items = node.get("elements", [])
            return "\n".join(f"• {_render_rich_text(item)}" for item in items)
        return "".join(_render_rich_text(child) for child in node.get("elements", []))
    if isinstance(node, list):
        return "".join(_render_rich_text(child) for child in node)
    return ""


def _render_block(block: Mapping[str, Any]) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        title = _text(block.get("text"))
        return [title.upper(), "=" * len(title)]
    if kind == "divider":
        return ["-" * 40]
    if kind == "section":
        out: list[str] = []
        if block.get("text"):
            out.extend(_text(block.get("text")).splitlines() or [""])
        for field in block.get("fields", []) or []:
            out.append(f"  {_text(field)}")
        accessory = block.get("accessory")
        if isinstance(accessory, Mapping):
            out.append(f"  {_render_element(accessory)}")
        return out
    if kind == "context":
        parts = [
            _render_element(e) if e.get("type") == "image" else _text(e)
            for e in block.get("elements", [])
            if isinstance(e, Mapping)
        ]
        return ["  " + " | ".join(p for p in parts if p)]
    if kind == "actions":
        return [" ".join(_render_element(e) for e in block.get("elements", []) if isinstance(e, Mapping))]
    if kind == "input":
        label = _text(block.get("label"))
        optional = " (optional)" if block.get("optional") else ""
        element = block.get("element")
        rendered = _render_element(element) if isinstance(element, Mapping) else ""
        out = [f"{label}{optional}: {rendered}"]
        if block.get("hint"):
            out.append(f"  ({_text(block.get('hint'))})")
        return out
    if kind == "image":
        return [f"(image: {block.get('alt_text', '')})"]
    if kind == "markdown":
        text = block.get("text")
        return render_text(text).splitlines() if isinstance(text, str) else []
    if kind == "rich_text":
        return _render_rich_text(block).splitlines()
    return [f"({kind} block)"]
