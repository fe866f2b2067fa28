"""The checks behind the Block Kit lint: what an issue is, and the checks on text objects, ids,
options and block elements (buttons, selects, pickers, inputs).

:mod:`bot.slack.blockkit` walks a message or view block by block and uses :class:`Checker` for
everything inside a block; the limits are Slack's, from :mod:`bot.slack.blocks`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.slack.blocks import (
    BUTTON_TEXT_LIMIT,
    BUTTON_VALUE_LIMIT,
    CONFIRM_BUTTON_LIMIT,
    CONFIRM_TEXT_LIMIT,
    CONFIRM_TITLE_LIMIT,
    ID_LIMIT,
    IMAGE_ALT_TEXT_LIMIT,
    OPTION_DESCRIPTION_LIMIT,
    OPTION_GROUPS_LIMIT,
    OPTION_TEXT_LIMIT,
    OPTION_VALUE_LIMIT,
    OPTIONS_LIMIT,
    OVERFLOW_OPTIONS_LIMIT,
    PLACEHOLDER_LIMIT,
    PLAIN_TEXT_INPUT_LENGTH_LIMIT,
    RADIO_CHECKBOX_OPTIONS_LIMIT,
    URL_LIMIT,
)

PathPart = str | int


_TEXT_TYPES = ("plain_text", "mrkdwn")
SELECTS = {
    "static_select",
    "external_select",
    "users_select",
    "conversations_select",
    "channels_select",
}
MULTI_SELECTS = {"multi_" + s for s in SELECTS}


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class BlockKitIssue:
    """One reason Slack would refuse a payload.

    ``code`` is the error Slack would answer with: ``invalid_blocks`` for almost everything, or
    ``msg_blocks_too_long`` / ``view_too_large`` for the size guards.
    """

    path: tuple[PathPart, ...]
    message: str
    code: str = "invalid_blocks"

    @property
    def location(self) -> str:
        """The path in the dotted form people read: ``blocks[3].text.text``."""
        return format_path(self.path)

    @property
    def json_pointer(self) -> str:
        """The path as Slack reports it (``/blocks/3/text/text``)."""
        return "/" + "/".join(str(part) for part in self.path)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def format_path(path: Sequence[PathPart]) -> str:
    """Render ``("blocks", 3, "text")`` as ``blocks[3].text``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += part if not out else f".{part}"
    return out or "(root)"


def as_mapping(obj: Any) -> dict[str, Any] | None:
    """Accept plain dicts and slack_sdk model objects (anything with ``to_dict``)."""
    if isinstance(obj, Mapping):
        return dict(obj)
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict):
        result = to_dict()
        if isinstance(result, Mapping):
            return dict(result)
    return None


class Checker:
    """Collects issues; checks text, ids, options and elements; remembers ids to spot duplicates."""

    def __init__(self) -> None:
        self.issues: list[BlockKitIssue] = []
        self._block_ids: dict[str, tuple[PathPart, ...]] = {}
        # Slack wants an action_id unique within its block, not across the surface.
        self._action_ids: dict[tuple[tuple[PathPart, ...], str], tuple[PathPart, ...]] = {}

    def add(self, path: tuple[PathPart, ...], message: str, *, code: str = "invalid_blocks") -> None:
        self.issues.append(BlockKitIssue(path, message, code))

    # --- generic checks --------------------------------------------------------------------------

    def string(
        self,
        value: Any,
        path: tuple[PathPart, ...],
        limit: int,
        *,
        required: bool = False,
        non_empty: bool = False,
    ) -> None:
        if value is None:
            if required:
                self.add(path, "required")
            return
        if not isinstance(value, str):
            self.add(path, f"must be a string, got {type(value).__name__}")
            return
        if non_empty and value == "":
            self.add(path, "must not be empty")
        if len(value) > limit:
            self.add(path, f"{len(value)} characters, limit {limit}")

    def array(
        self, value: Any, path: tuple[PathPart, ...], limit: int, noun: str, *, minimum: int = 0
    ) -> list[Any] | None:
        if not isinstance(value, list):
            self.add(path, f"must be an array of {noun}")
            return None
        if len(value) > limit:
            self.add(path, f"{len(value)} {noun}, limit {limit}")
        if len(value) < minimum:
            self.add(path, f"{len(value)} {noun}, at least {minimum} required")
        return value

    def text_object(
        self,
        value: Any,
        path: tuple[PathPart, ...],
        limit: int,
        *,
        plain_only: bool = False,
        required: bool = True,
    ) -> None:
        if value is None:
            if required:
                self.add(path, "required")
            return
        if not isinstance(value, Mapping):
            self.add(path, "must be a text object like {'type': 'plain_text', 'text': '...'}")
            return
        kind = value.get("type")
        if kind not in _TEXT_TYPES:
            self.add((*path, "type"), f"must be 'plain_text' or 'mrkdwn', got {kind!r}")
        elif plain_only and kind != "plain_text":
            self.add((*path, "type"), f"must be 'plain_text' here, got {kind!r}")
        content = value.get("text")
        if not isinstance(content, str):
            self.add((*path, "text"), "required string")
            return
        if content == "":
            self.add((*path, "text"), "must not be empty")
        if len(content) > limit:
            self.add((*path, "text"), f"{len(content)} characters, limit {limit}")

    def block_id(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        if "block_id" not in block:
            return
        value = block["block_id"]
        self.string(value, (*path, "block_id"), ID_LIMIT, non_empty=True)
        if isinstance(value, str) and value:
            first = self._block_ids.get(value)
            if first is not None:
                self.add(
                    (*path, "block_id"), f"duplicate block_id {value!r} (first used at {format_path(first)})"
                )
            else:
                self._block_ids[value] = path

    def action_id(self, element: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        if "action_id" not in element:
            return
        value = element["action_id"]
        self.string(value, (*path, "action_id"), ID_LIMIT, non_empty=True)
        if isinstance(value, str) and value:
            key = (tuple(path[:2]), value)  # ("blocks", n): the containing block
            first = self._action_ids.get(key)
            if first is not None:
                self.add(
                    (*path, "action_id"),
                    f"duplicate action_id {value!r} in one block (first used at {format_path(first)})",
                )
            else:
                self._action_ids[key] = path

    def confirm(self, value: Any, path: tuple[PathPart, ...]) -> None:
        if value is None:
            return
        if not isinstance(value, Mapping):
            self.add(path, "must be a confirmation dialog object")
            return
        self.text_object(value.get("title"), (*path, "title"), CONFIRM_TITLE_LIMIT, plain_only=True)
        self.text_object(value.get("text"), (*path, "text"), CONFIRM_TEXT_LIMIT)
        self.text_object(value.get("confirm"), (*path, "confirm"), CONFIRM_BUTTON_LIMIT, plain_only=True)
        self.text_object(value.get("deny"), (*path, "deny"), CONFIRM_BUTTON_LIMIT, plain_only=True)
        self.style(value, path)

    def style(self, element: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        if "style" in element and element["style"] not in ("primary", "danger"):
            self.add((*path, "style"), f"must be 'primary' or 'danger', got {element['style']!r}")

    def option(
        self, value: Any, path: tuple[PathPart, ...], *, allow_mrkdwn: bool = False, allow_url: bool = False
    ) -> str | None:
        if not isinstance(value, Mapping):
            self.add(path, "must be an option object {text, value}")
            return None
        self.text_object(value.get("text"), (*path, "text"), OPTION_TEXT_LIMIT, plain_only=not allow_mrkdwn)
        self.string(value.get("value"), (*path, "value"), OPTION_VALUE_LIMIT, required=True)
        self.text_object(
            value.get("description"),
            (*path, "description"),
            OPTION_DESCRIPTION_LIMIT,
            plain_only=not allow_mrkdwn,
            required=False,
        )
        if allow_url:
            self.string(value.get("url"), (*path, "url"), URL_LIMIT)
        elif "url" in value:
            self.add((*path, "url"), "only overflow menu options may have a url")
        option_value = value.get("value")
        return option_value if isinstance(option_value, str) else None

    def options(
        self,
        element: Mapping[str, Any],
        path: tuple[PathPart, ...],
        limit: int,
        *,
        minimum: int = 1,
        allow_mrkdwn: bool = False,
        allow_url: bool = False,
    ) -> set[str]:
        values: set[str] = set()
        items = self.array(element.get("options"), (*path, "options"), limit, "options", minimum=minimum)
        for i, opt in enumerate(items or []):
            value = self.option(opt, (*path, "options", i), allow_mrkdwn=allow_mrkdwn, allow_url=allow_url)
            if value is not None:
                values.add(value)
        return values

    # --- elements --------------------------------------------------------------------------------

    def element(self, element: Any, path: tuple[PathPart, ...], allowed: set[str], where: str) -> None:
        if not isinstance(element, Mapping):
            self.add(path, "must be an element object")
            return
        kind = element.get("type")
        if not isinstance(kind, str):
            self.add((*path, "type"), "required")
            return
        if kind not in allowed:
            self.add((*path, "type"), f"{kind!r} is not allowed in {where}")
            return
        self.action_id(element, path)
        self.confirm(element.get("confirm"), (*path, "confirm"))
        if "placeholder" in element:
            self.text_object(
                element.get("placeholder"), (*path, "placeholder"), PLACEHOLDER_LIMIT, plain_only=True
            )
        if kind == "button":
            self._element_button(element, path)
        elif kind == "workflow_button":
            self.text_object(element.get("text"), (*path, "text"), BUTTON_TEXT_LIMIT, plain_only=True)
            self.style(element, path)
        elif kind == "image":
            self._element_image(element, path)
        elif kind in ("static_select", "multi_static_select"):
            self._element_static_select(element, path, multi=kind.startswith("multi_"))
        elif kind in SELECTS | MULTI_SELECTS:
            if kind.startswith("multi_"):
                self._max_selected(element, path)
        elif kind == "overflow":
            self.options(element, path, OVERFLOW_OPTIONS_LIMIT, allow_url=True)
        elif kind in ("radio_buttons", "checkboxes"):
            values = self.options(element, path, RADIO_CHECKBOX_OPTIONS_LIMIT, allow_mrkdwn=True)
            self._initial_options(element, path, values, multi=kind == "checkboxes", allow_mrkdwn=True)
        elif kind == "datepicker":
            initial = element.get("initial_date")
            if initial is not None and not _is_date(initial):
                self.add((*path, "initial_date"), f"must be YYYY-MM-DD, got {initial!r}")
        elif kind == "timepicker":
            initial = element.get("initial_time")
            if initial is not None and not (isinstance(initial, str) and _TIME_RE.match(initial)):
                self.add((*path, "initial_time"), f"must be HH:mm (24-hour), got {initial!r}")
        elif kind == "datetimepicker":
            initial = element.get("initial_date_time")
            if initial is not None and not isinstance(initial, int):
                self.add((*path, "initial_date_time"), "must be a UNIX timestamp in seconds")
        elif kind == "plain_text_input":
            self._element_plain_text_input(element, path)
        elif kind == "number_text_input":
            if not isinstance(element.get("is_decimal_allowed"), bool):
                self.add((*path, "is_decimal_allowed"), "required (true or false)")

    def _element_button(self, element: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        self.text_object(element.get("text"), (*path, "text"), BUTTON_TEXT_LIMIT, plain_only=True)
        self.string(element.get("value"), (*path, "value"), BUTTON_VALUE_LIMIT)
        self.string(element.get("url"), (*path, "url"), URL_LIMIT)
        self.string(element.get("accessibility_label"), (*path, "accessibility_label"), BUTTON_TEXT_LIMIT)
        self.style(element, path)

    def _element_image(self, element: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        self._image_source(element, path)
        self.string(
            element.get("alt_text"), (*path, "alt_text"), IMAGE_ALT_TEXT_LIMIT, required=True, non_empty=True
        )

    def _image_source(self, node: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        if node.get("image_url") is None and node.get("slack_file") is None:
            self.add((*path, "image_url"), "required (or slack_file)")
        self.string(node.get("image_url"), (*path, "image_url"), URL_LIMIT)

    def _element_static_select(
        self, element: Mapping[str, Any], path: tuple[PathPart, ...], *, multi: bool
    ) -> None:
        has_options = element.get("options") is not None
        has_groups = element.get("option_groups") is not None
        values: set[str] = set()
        if has_options and has_groups:
            self.add(path, "use options or option_groups, not both")
        if not has_options and not has_groups:
            self.add((*path, "options"), "required (or option_groups)")
        if has_options:
            values = self.options(element, path, OPTIONS_LIMIT)
        if has_groups:
            groups = self.array(
                element.get("option_groups"),
                (*path, "option_groups"),
                OPTION_GROUPS_LIMIT,
                "option groups",
                minimum=1,
            )
            for i, group in enumerate(groups or []):
                gpath = (*path, "option_groups", i)
                if not isinstance(group, Mapping):
                    self.add(gpath, "must be an option group object {label, options}")
                    continue
                self.text_object(group.get("label"), (*gpath, "label"), OPTION_TEXT_LIMIT, plain_only=True)
                values |= self.options(group, gpath, OPTIONS_LIMIT)
        self._initial_options(element, path, values, multi=multi, allow_mrkdwn=False)
        if multi:
            self._max_selected(element, path)

    def _initial_options(
        self,
        element: Mapping[str, Any],
        path: tuple[PathPart, ...],
        values: set[str],
        *,
        multi: bool,
        allow_mrkdwn: bool,
    ) -> None:
        key = "initial_options" if multi else "initial_option"
        if element.get(key) is None:
            return
        initial = element[key] if multi else [element[key]]
        if not isinstance(initial, list):
            self.add((*path, key), "must be an array of options")
            return
        for i, opt in enumerate(initial):
            opath = (*path, key, i) if multi else (*path, key)
            value = self.option(opt, opath, allow_mrkdwn=allow_mrkdwn)
            if value is not None and value not in values:
                self.add(opath, f"value {value!r} is not one of the options")

    def _max_selected(self, element: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        value = element.get("max_selected_items")
        if value is not None and (not isinstance(value, int) or value < 1):
            self.add((*path, "max_selected_items"), "must be an integer of at least 1")

    def _element_plain_text_input(self, element: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        min_length = element.get("min_length")
        max_length = element.get("max_length")
        if min_length is not None and (
            not isinstance(min_length, int) or not 0 <= min_length <= PLAIN_TEXT_INPUT_LENGTH_LIMIT
        ):
            self.add((*path, "min_length"), f"must be an integer from 0 to {PLAIN_TEXT_INPUT_LENGTH_LIMIT}")
        if max_length is not None and (
            not isinstance(max_length, int) or not 1 <= max_length <= PLAIN_TEXT_INPUT_LENGTH_LIMIT
        ):
            self.add((*path, "max_length"), f"must be an integer from 1 to {PLAIN_TEXT_INPUT_LENGTH_LIMIT}")
        if isinstance(min_length, int) and isinstance(max_length, int) and min_length > max_length:
            self.add((*path, "min_length"), f"{min_length} is greater than max_length {max_length}")
        initial = element.get("initial_value")
        if initial is not None:
            limit = max_length if isinstance(max_length, int) else PLAIN_TEXT_INPUT_LENGTH_LIMIT
            self.string(initial, (*path, "initial_value"), limit)


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not _DATE_RE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
