"""Block Kit limit lint for messages and views.

slack_sdk checks some limits only when typed builders are serialised, and never checks plain dicts,
the 50-block message limit, duplicate ids or the cumulative text budget (slack-notes §4). Slack itself
refuses such payloads with ``invalid_blocks`` / ``invalid_arguments`` at run time, which is the worst
moment to find out. This lint runs in unit tests against our builders and inside the FakeSlack server,
so a payload Slack would refuse fails in CI with a precise path instead.

The public functions return plain strings such as
``blocks[3].text.text: 3012 characters, limit 3000``; an empty list means valid. :func:`lint_message`
and :func:`lint_view` return structured :class:`BlockKitIssue` objects for callers (the fake server)
that need the JSON pointer or the Slack error code.

Deliberate strictness beyond Slack (house rules, documented so nobody is surprised):

* a message with blocks must carry fallback ``text`` (Slack only warns; notifications and screen
  readers use it);
* an ``action_id`` must be unique within the whole surface, not just within its block, so listeners
  routed by ``action_id`` are never ambiguous;
* the cumulative text budget is checked conservatively (see :data:`MESSAGE_TEXT_BUDGET`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

Surface = Literal["message", "modal", "home"]
PathPart = str | int

# --- limits (slack-notes §2) ---------------------------------------------------------------------
MAX_BLOCKS_MESSAGE = 50
MAX_BLOCKS_VIEW = 100
SECTION_TEXT_MAX = 3000
SECTION_FIELDS_MAX = 10
SECTION_FIELD_TEXT_MAX = 2000
HEADER_TEXT_MAX = 150
MARKDOWN_BLOCK_MAX = 12_000
ACTIONS_ELEMENTS_MAX = 25
CONTEXT_ELEMENTS_MAX = 10
ID_MAX = 255  # block_id, action_id, callback_id, external_id
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
URL_MAX = 3000
PLACEHOLDER_MAX = 150
OPTIONS_MAX = 100
OPTION_GROUPS_MAX = 100
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
OPTION_DESCRIPTION_MAX = 75
OVERFLOW_OPTIONS_MAX = 5
RADIO_CHECKBOX_OPTIONS_MAX = 10
CONFIRM_TITLE_MAX = 100
CONFIRM_TEXT_MAX = 300
CONFIRM_BUTTON_MAX = 30
MODAL_TEXT_MAX = 24  # title, submit, close
PRIVATE_METADATA_MAX = 3000
INPUT_LABEL_MAX = 2000
INPUT_HINT_MAX = 2000
IMAGE_ALT_TEXT_MAX = 2000
IMAGE_TITLE_MAX = 2000
VIDEO_TITLE_MAX = 200
TEXT_OBJECT_MAX = 3000
PLAIN_TEXT_INPUT_LENGTH_MAX = 3000
#: Slack answers ``msg_blocks_too_long`` for a message whose blocks carry too much text in total. The
#: limit is undocumented: bolt-js #2509 measured about 13,300 characters with markdown blocks only, and
#: a Slack engineer described it as "12,000 text characters with a buffer for block containers"
#: (bolt-js #2867, where a message with about 11,300 text characters in rich_text/section blocks was
#: still refused). We sum every ``text`` string in the blocks and refuse above 12,000: conservative
#: on purpose, because a fake that is laxer than Slack lets the bug through to production.
MESSAGE_TEXT_BUDGET = 12_000
#: Slack refuses views larger than 250 kB (``view_too_large``).
VIEW_MAX_BYTES = 250_000

_TEXT_TYPES = ("plain_text", "mrkdwn")
_SELECTS = {
    "static_select",
    "external_select",
    "users_select",
    "conversations_select",
    "channels_select",
}
_MULTI_SELECTS = {"multi_" + s for s in _SELECTS}
_ACCESSORY_ELEMENTS = (
    {"button", "checkboxes", "datepicker", "image", "overflow", "radio_buttons", "timepicker"}
    | {"workflow_button"}
    | _SELECTS
    | _MULTI_SELECTS
)
_ACTIONS_ELEMENTS = (
    {"button", "checkboxes", "datepicker", "datetimepicker", "overflow", "radio_buttons", "timepicker"}
    | {"workflow_button"}
    | _SELECTS
    | _MULTI_SELECTS
)
_INPUT_ELEMENTS = (
    {
        "checkboxes",
        "datepicker",
        "datetimepicker",
        "email_text_input",
        "file_input",
        "number_text_input",
        "plain_text_input",
        "radio_buttons",
        "rich_text_input",
        "timepicker",
        "url_text_input",
    }
    | _SELECTS
    | _MULTI_SELECTS
)
_BLOCKS_BY_SURFACE: dict[Surface, frozenset[str]] = {
    "message": frozenset(
        {"section", "divider", "image", "actions", "context", "header", "input", "rich_text", "video"}
        | {"file", "markdown"}
    ),
    "modal": frozenset(
        {"section", "divider", "image", "actions", "context", "header", "input", "rich_text", "video"}
    ),
    "home": frozenset(
        {"section", "divider", "image", "actions", "context", "header", "input", "rich_text", "video"}
    ),
}
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


class BlockKitError(ValueError):
    """Raised by :func:`ensure_valid_message` / :func:`ensure_valid_view` with every issue listed."""

    def __init__(self, issues: Sequence[BlockKitIssue]) -> None:
        self.issues = list(issues)
        super().__init__("; ".join(str(issue) for issue in self.issues))


def format_path(path: Sequence[PathPart]) -> str:
    """Render ``("blocks", 3, "text")`` as ``blocks[3].text``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += part if not out else f".{part}"
    return out or "(root)"


# --- public API ----------------------------------------------------------------------------------


def validate_message(blocks: Sequence[Any] | None, text: str | None) -> list[str]:
    """Problems Slack (or our house rules) would refuse in a message; empty list means valid."""
    return [str(issue) for issue in lint_message(blocks, text)]


def validate_view(view: Mapping[str, Any] | Any) -> list[str]:
    """Problems Slack would refuse in a modal or Home tab view; empty list means valid."""
    return [str(issue) for issue in lint_view(view)]


def ensure_valid_message(blocks: Sequence[Any] | None, text: str | None) -> None:
    """Raise :class:`BlockKitError` if the message is invalid (handy in builder unit tests)."""
    issues = lint_message(blocks, text)
    if issues:
        raise BlockKitError(issues)


def ensure_valid_view(view: Mapping[str, Any] | Any) -> None:
    """Raise :class:`BlockKitError` if the view is invalid."""
    issues = lint_view(view)
    if issues:
        raise BlockKitError(issues)


def lint_message(blocks: Sequence[Any] | None, text: str | None) -> list[BlockKitIssue]:
    """Structured form of :func:`validate_message`."""
    linter = _Linter("message")
    has_text = isinstance(text, str) and text.strip() != ""
    if text is not None and not isinstance(text, str):
        linter.add(("text",), f"must be a string, got {type(text).__name__}")
    if blocks is None or (isinstance(blocks, Sequence) and not isinstance(blocks, str) and not blocks):
        if not has_text:
            linter.add(("text",), "a message needs text or blocks")
        return linter.issues
    if not has_text:
        linter.add(
            ("text",),
            "fallback text is required when blocks are given (used in notifications and by screen readers)",
        )
    linter.blocks(blocks, ("blocks",), MAX_BLOCKS_MESSAGE)
    return linter.issues


def lint_view(view: Mapping[str, Any] | Any) -> list[BlockKitIssue]:
    """Structured form of :func:`validate_view`."""
    try:
        converted = _as_mapping(view)
    except Exception as exc:  # slack_sdk View.to_dict() raises on its own limit checks
        return [BlockKitIssue(("view",), f"could not serialise view: {exc}")]
    if converted is None:
        return [BlockKitIssue(("view",), "must be an object (a modal or home view)")]
    view_dict = converted
    view_type = view_dict.get("type")
    if view_type not in ("modal", "home"):
        return [BlockKitIssue(("type",), f"must be 'modal' or 'home', got {view_type!r}")]
    surface: Surface = "modal" if view_type == "modal" else "home"
    linter = _Linter(surface)
    blocks = view_dict.get("blocks")
    if blocks is None:
        linter.add(("blocks",), "required")
    else:
        linter.blocks(blocks, ("blocks",), MAX_BLOCKS_VIEW)
    if surface == "modal":
        linter.text_object(view_dict.get("title"), ("title",), MODAL_TEXT_MAX, plain_only=True)
        linter.text_object(
            view_dict.get("close"), ("close",), MODAL_TEXT_MAX, plain_only=True, required=False
        )
        has_input = isinstance(blocks, list) and any(
            isinstance(b, Mapping) and b.get("type") == "input" for b in blocks
        )
        if has_input and view_dict.get("submit") is None:
            linter.add(("submit",), "required when the modal has input blocks")
        linter.text_object(
            view_dict.get("submit"), ("submit",), MODAL_TEXT_MAX, plain_only=True, required=False
        )
    linter.string(view_dict.get("private_metadata"), ("private_metadata",), PRIVATE_METADATA_MAX)
    linter.string(view_dict.get("callback_id"), ("callback_id",), ID_MAX)
    linter.string(view_dict.get("external_id"), ("external_id",), ID_MAX)
    for flag in ("clear_on_close", "notify_on_close", "submit_disabled"):
        if flag in view_dict and not isinstance(view_dict[flag], bool):
            linter.add((flag,), "must be true or false")
    size = len(json.dumps(view_dict, ensure_ascii=False).encode("utf-8"))
    if size > VIEW_MAX_BYTES:
        linter.add((), f"view is {size} bytes, limit {VIEW_MAX_BYTES}", code="view_too_large")
    return linter.issues


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


# --- implementation ------------------------------------------------------------------------------


def _as_mapping(obj: Any) -> dict[str, Any] | None:
    """Accept plain dicts and slack_sdk model objects (anything with ``to_dict``)."""
    if isinstance(obj, Mapping):
        return dict(obj)
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict):
        result = to_dict()
        if isinstance(result, Mapping):
            return dict(result)
    return None


class _Linter:
    """Collects issues for one surface; remembers ids to spot duplicates."""

    def __init__(self, surface: Surface) -> None:
        self.surface = surface
        self.issues: list[BlockKitIssue] = []
        self._block_ids: dict[str, tuple[PathPart, ...]] = {}
        # Slack wants an action_id unique within its block, not across the surface.
        self._action_ids: dict[tuple[tuple[PathPart, ...], str], tuple[PathPart, ...]] = {}
        self._markdown_total = 0

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
        self.string(value, (*path, "block_id"), ID_MAX, non_empty=True)
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
        self.string(value, (*path, "action_id"), ID_MAX, non_empty=True)
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
        self.text_object(value.get("title"), (*path, "title"), CONFIRM_TITLE_MAX, plain_only=True)
        self.text_object(value.get("text"), (*path, "text"), CONFIRM_TEXT_MAX)
        self.text_object(value.get("confirm"), (*path, "confirm"), CONFIRM_BUTTON_MAX, plain_only=True)
        self.text_object(value.get("deny"), (*path, "deny"), CONFIRM_BUTTON_MAX, plain_only=True)
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
        self.text_object(value.get("text"), (*path, "text"), OPTION_TEXT_MAX, plain_only=not allow_mrkdwn)
        self.string(value.get("value"), (*path, "value"), OPTION_VALUE_MAX, required=True)
        self.text_object(
            value.get("description"),
            (*path, "description"),
            OPTION_DESCRIPTION_MAX,
            plain_only=not allow_mrkdwn,
            required=False,
        )
        if allow_url:
            self.string(value.get("url"), (*path, "url"), URL_MAX)
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

    # --- blocks ----------------------------------------------------------------------------------

    def blocks(self, blocks: Any, path: tuple[PathPart, ...], limit: int) -> None:
        if isinstance(blocks, str) or not isinstance(blocks, Sequence):
            self.add(path, "must be an array of blocks")
            return
        if len(blocks) > limit:
            self.add(path, f"{len(blocks)} blocks, limit {limit}")
        converted: list[dict[str, Any]] = []
        for i, raw in enumerate(blocks):
            try:
                block = _as_mapping(raw)
            except Exception as exc:  # slack_sdk builders validate in to_dict()
                self.add((*path, i), f"could not serialise block: {exc}")
                continue
            if block is None:
                self.add((*path, i), f"must be a block object, got {type(raw).__name__}")
                continue
            converted.append(block)
            self.block(block, (*path, i))
        if self._markdown_total > MARKDOWN_BLOCK_MAX:
            self.add(
                path,
                f"markdown blocks total {self._markdown_total} characters, limit {MARKDOWN_BLOCK_MAX}",
            )
        if self.surface == "message":
            total = sum(len(t) for t in iter_text(converted))
            if total > MESSAGE_TEXT_BUDGET:
                self.add(
                    path,
                    f"{total} characters of text across blocks, limit about {MESSAGE_TEXT_BUDGET} "
                    "(Slack answers msg_blocks_too_long)",
                    code="msg_blocks_too_long",
                )

    def block(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        kind = block.get("type")
        if not isinstance(kind, str):
            self.add((*path, "type"), "required")
            return
        known = _BLOCKS_BY_SURFACE["message"] | _BLOCKS_BY_SURFACE["modal"]
        if kind not in known:
            self.add((*path, "type"), f"unknown block type {kind!r}")
            return
        if kind not in _BLOCKS_BY_SURFACE[self.surface]:
            self.add((*path, "type"), f"{kind!r} blocks are not allowed in a {self.surface}")
            return
        self.block_id(block, path)
        checker = getattr(self, f"_block_{kind}")
        checker(block, path)

    def _block_section(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        has_text = block.get("text") is not None
        has_fields = block.get("fields") is not None
        if not has_text and not has_fields:
            self.add(path, "a section needs text or fields")
        if has_text:
            self.text_object(block.get("text"), (*path, "text"), SECTION_TEXT_MAX)
        if has_fields:
            fields = self.array(
                block.get("fields"), (*path, "fields"), SECTION_FIELDS_MAX, "fields", minimum=1
            )
            for i, field in enumerate(fields or []):
                self.text_object(field, (*path, "fields", i), SECTION_FIELD_TEXT_MAX)
        if block.get("accessory") is not None:
            self.element(block["accessory"], (*path, "accessory"), _ACCESSORY_ELEMENTS, "a section accessory")

    def _block_header(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        self.text_object(block.get("text"), (*path, "text"), HEADER_TEXT_MAX, plain_only=True)

    def _block_divider(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        return None

    def _block_context(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        elements = self.array(
            block.get("elements"), (*path, "elements"), CONTEXT_ELEMENTS_MAX, "elements", minimum=1
        )
        for i, element in enumerate(elements or []):
            epath = (*path, "elements", i)
            if isinstance(element, Mapping) and element.get("type") == "image":
                self._element_image(element, epath)
            else:
                self.text_object(element, epath, TEXT_OBJECT_MAX)

    def _block_actions(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        elements = self.array(
            block.get("elements"), (*path, "elements"), ACTIONS_ELEMENTS_MAX, "elements", minimum=1
        )
        for i, element in enumerate(elements or []):
            self.element(element, (*path, "elements", i), _ACTIONS_ELEMENTS, "an actions block")

    def _block_input(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        self.text_object(block.get("label"), (*path, "label"), INPUT_LABEL_MAX, plain_only=True)
        self.text_object(block.get("hint"), (*path, "hint"), INPUT_HINT_MAX, plain_only=True, required=False)
        if block.get("element") is None:
            self.add((*path, "element"), "required")
        else:
            self.element(block["element"], (*path, "element"), _INPUT_ELEMENTS, "an input block")
        for flag in ("optional", "dispatch_action"):
            if flag in block and not isinstance(block[flag], bool):
                self.add((*path, flag), "must be true or false")

    def _block_image(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        self._image_source(block, path)
        self.string(
            block.get("alt_text"), (*path, "alt_text"), IMAGE_ALT_TEXT_MAX, required=True, non_empty=True
        )
        self.text_object(
            block.get("title"), (*path, "title"), IMAGE_TITLE_MAX, plain_only=True, required=False
        )

    def _block_rich_text(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        if not isinstance(block.get("elements"), list):
            self.add((*path, "elements"), "must be an array of rich text elements")

    def _block_video(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        self.string(
            block.get("alt_text"), (*path, "alt_text"), IMAGE_ALT_TEXT_MAX, required=True, non_empty=True
        )
        self.text_object(block.get("title"), (*path, "title"), VIDEO_TITLE_MAX, plain_only=True)
        self.string(block.get("video_url"), (*path, "video_url"), URL_MAX, required=True)
        self.string(block.get("thumbnail_url"), (*path, "thumbnail_url"), URL_MAX, required=True)

    def _block_file(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        self.string(block.get("external_id"), (*path, "external_id"), ID_MAX, required=True, non_empty=True)
        if block.get("source") != "remote":
            self.add((*path, "source"), "must be 'remote'")

    def _block_markdown(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        text = block.get("text")
        self.string(text, (*path, "text"), MARKDOWN_BLOCK_MAX, required=True, non_empty=True)
        if isinstance(text, str):
            self._markdown_total += len(text)

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
                element.get("placeholder"), (*path, "placeholder"), PLACEHOLDER_MAX, plain_only=True
            )
        if kind == "button":
            self._element_button(element, path)
        elif kind == "workflow_button":
            self.text_object(element.get("text"), (*path, "text"), BUTTON_TEXT_MAX, plain_only=True)
            self.style(element, path)
        elif kind == "image":
            self._element_image(element, path)
        elif kind in ("static_select", "multi_static_select"):
            self._element_static_select(element, path, multi=kind.startswith("multi_"))
        elif kind in _SELECTS | _MULTI_SELECTS:
            if kind.startswith("multi_"):
                self._max_selected(element, path)
        elif kind == "overflow":
            self.options(element, path, OVERFLOW_OPTIONS_MAX, allow_url=True)
        elif kind in ("radio_buttons", "checkboxes"):
            values = self.options(element, path, RADIO_CHECKBOX_OPTIONS_MAX, allow_mrkdwn=True)
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
        self.text_object(element.get("text"), (*path, "text"), BUTTON_TEXT_MAX, plain_only=True)
        self.string(element.get("value"), (*path, "value"), BUTTON_VALUE_MAX)
        self.string(element.get("url"), (*path, "url"), URL_MAX)
        self.string(element.get("accessibility_label"), (*path, "accessibility_label"), BUTTON_TEXT_MAX)
        self.style(element, path)

    def _element_image(self, element: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        self._image_source(element, path)
        self.string(
            element.get("alt_text"), (*path, "alt_text"), IMAGE_ALT_TEXT_MAX, required=True, non_empty=True
        )

    def _image_source(self, node: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        if node.get("image_url") is None and node.get("slack_file") is None:
            self.add((*path, "image_url"), "required (or slack_file)")
        self.string(node.get("image_url"), (*path, "image_url"), URL_MAX)

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
            values = self.options(element, path, OPTIONS_MAX)
        if has_groups:
            groups = self.array(
                element.get("option_groups"),
                (*path, "option_groups"),
                OPTION_GROUPS_MAX,
                "option groups",
                minimum=1,
            )
            for i, group in enumerate(groups or []):
                gpath = (*path, "option_groups", i)
                if not isinstance(group, Mapping):
                    self.add(gpath, "must be an option group object {label, options}")
                    continue
                self.text_object(group.get("label"), (*gpath, "label"), OPTION_TEXT_MAX, plain_only=True)
                values |= self.options(group, gpath, OPTIONS_MAX)
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
            not isinstance(min_length, int) or not 0 <= min_length <= PLAIN_TEXT_INPUT_LENGTH_MAX
        ):
            self.add((*path, "min_length"), f"must be an integer from 0 to {PLAIN_TEXT_INPUT_LENGTH_MAX}")
        if max_length is not None and (
            not isinstance(max_length, int) or not 1 <= max_length <= PLAIN_TEXT_INPUT_LENGTH_MAX
        ):
            self.add((*path, "max_length"), f"must be an integer from 1 to {PLAIN_TEXT_INPUT_LENGTH_MAX}")
        if isinstance(min_length, int) and isinstance(max_length, int) and min_length > max_length:
            self.add((*path, "min_length"), f"{min_length} is greater than max_length {max_length}")
        initial = element.get("initial_value")
        if initial is not None:
            limit = max_length if isinstance(max_length, int) else PLAIN_TEXT_INPUT_LENGTH_MAX
            self.string(initial, (*path, "initial_value"), limit)


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not _DATE_RE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
