"""View state values: what Slack puts in ``view.state.values[block_id][action_id]`` for each input element.

Tests build a view_submission's ``values`` (and a block_action's ``state_values``) from these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def _option(value: str, text: str | None = None) -> dict[str, Any]:
    return {
        "text": {"type": "plain_text", "text": text if text is not None else value, "emoji": True},
        "value": value,
    }


def text_value(value: str | None, *, type: str = "plain_text_input") -> dict[str, Any]:
    """State of a plain_text_input (or email/url/number input via ``type``); None means left empty."""
    return {"type": type, "value": value}


def static_select(value: str | None, text: str | None = None) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": _option(value, text) if value is not None else None}


def multi_static_select(values: Sequence[str] | Mapping[str, str]) -> dict[str, Any]:
    """``values`` is a list of option values, or a mapping value -> label."""
    items = values.items() if isinstance(values, Mapping) else ((v, v) for v in values)
    return {"type": "multi_static_select", "selected_options": [_option(v, t) for v, t in items]}


def datepicker(value: str | None) -> dict[str, Any]:
    """``value`` is ``YYYY-MM-DD`` (what Slack sends, with no time zone)."""
    return {"type": "datepicker", "selected_date": value}


def timepicker(value: str | None, *, timezone: str = "Europe/London") -> dict[str, Any]:
    """``value`` is ``HH:mm``; Slack adds the picker's time zone."""
    return {"type": "timepicker", "selected_time": value, "timezone": timezone}


def users_select(user_id: str | None) -> dict[str, Any]:
    return {"type": "users_select", "selected_user": user_id}


def multi_users_select(user_ids: Sequence[str]) -> dict[str, Any]:
    return {"type": "multi_users_select", "selected_users": list(user_ids)}


def conversations_select(channel_id: str | None) -> dict[str, Any]:
    return {"type": "conversations_select", "selected_conversation": channel_id}


def radio_buttons(value: str | None, text: str | None = None) -> dict[str, Any]:
    return {"type": "radio_buttons", "selected_option": _option(value, text) if value is not None else None}


def checkboxes(values: Sequence[str] | Mapping[str, str]) -> dict[str, Any]:
    items = values.items() if isinstance(values, Mapping) else ((v, v) for v in values)
    return {"type": "checkboxes", "selected_options": [_option(v, t) for v, t in items]}
