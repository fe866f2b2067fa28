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
* the cumulative text budget is checked conservatively (see
  :data:`bot.slack.blocks.MESSAGE_TEXT_BUDGET`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from bot.slack.blockkit_checks import (
    MULTI_SELECTS,
    SELECTS,
    BlockKitIssue,
    Checker,
    PathPart,
    as_mapping,
    format_path,
)
from bot.slack.blocks import (
    ACTIONS_ELEMENTS_LIMIT,
    CONTEXT_ELEMENTS_LIMIT,
    HEADER_TEXT_LIMIT,
    ID_LIMIT,
    IMAGE_ALT_TEXT_LIMIT,
    IMAGE_TITLE_LIMIT,
    INPUT_HINT_LIMIT,
    INPUT_LABEL_LIMIT,
    MARKDOWN_BLOCK_LIMIT,
    MESSAGE_BLOCKS_LIMIT,
    MESSAGE_TEXT_BUDGET,
    MODAL_TITLE_LIMIT,
    PRIVATE_METADATA_LIMIT,
    SECTION_FIELD_TEXT_LIMIT,
    SECTION_FIELDS_LIMIT,
    SECTION_TEXT_LIMIT,
    TEXT_OBJECT_LIMIT,
    URL_LIMIT,
    VIDEO_TITLE_LIMIT,
    VIEW_BLOCKS_LIMIT,
    VIEW_BYTES_LIMIT,
    iter_text,
)

__all__ = [
    "BlockKitError",
    "BlockKitIssue",
    "ensure_valid_message",
    "ensure_valid_view",
    "format_path",
    "iter_text",
    "lint_message",
    "lint_view",
    "validate_message",
    "validate_view",
]

Surface = Literal["message", "modal", "home"]

_ACCESSORY_ELEMENTS = (
    {"button", "checkboxes", "datepicker", "image", "overflow", "radio_buttons", "timepicker"}
    | {"workflow_button"}
    | SELECTS
    | MULTI_SELECTS
)
_ACTIONS_ELEMENTS = (
    {"button", "checkboxes", "datepicker", "datetimepicker", "overflow", "radio_buttons", "timepicker"}
    | {"workflow_button"}
    | SELECTS
    | MULTI_SELECTS
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
    | SELECTS
    | MULTI_SELECTS
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


class BlockKitError(ValueError):
    """Raised by :func:`ensure_valid_message` / :func:`ensure_valid_view` with every issue listed."""

    def __init__(self, issues: Sequence[BlockKitIssue]) -> None:
        self.issues = list(issues)
        super().__init__("; ".join(str(issue) for issue in self.issues))


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
    linter.blocks(blocks, ("blocks",), MESSAGE_BLOCKS_LIMIT)
    return linter.issues


def lint_view(view: Mapping[str, Any] | Any) -> list[BlockKitIssue]:
    """Structured form of :func:`validate_view`."""
    try:
        converted = as_mapping(view)
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
        linter.blocks(blocks, ("blocks",), VIEW_BLOCKS_LIMIT)
    if surface == "modal":
        linter.text_object(view_dict.get("title"), ("title",), MODAL_TITLE_LIMIT, plain_only=True)
        linter.text_object(
            view_dict.get("close"), ("close",), MODAL_TITLE_LIMIT, plain_only=True, required=False
        )
        has_input = isinstance(blocks, list) and any(
            isinstance(b, Mapping) and b.get("type") == "input" for b in blocks
        )
        if has_input and view_dict.get("submit") is None:
            linter.add(("submit",), "required when the modal has input blocks")
        linter.text_object(
            view_dict.get("submit"), ("submit",), MODAL_TITLE_LIMIT, plain_only=True, required=False
        )
    linter.string(view_dict.get("private_metadata"), ("private_metadata",), PRIVATE_METADATA_LIMIT)
    linter.string(view_dict.get("callback_id"), ("callback_id",), ID_LIMIT)
    linter.string(view_dict.get("external_id"), ("external_id",), ID_LIMIT)
    for flag in ("clear_on_close", "notify_on_close", "submit_disabled"):
        if flag in view_dict and not isinstance(view_dict[flag], bool):
            linter.add((flag,), "must be true or false")
    size = len(json.dumps(view_dict, ensure_ascii=False).encode("utf-8"))
    if size > VIEW_BYTES_LIMIT:
        linter.add((), f"view is {size} bytes, limit {VIEW_BYTES_LIMIT}", code="view_too_large")
    return linter.issues


class _Linter(Checker):
    """Collects issues for one surface, block by block."""

    def __init__(self, surface: Surface) -> None:
        super().__init__()
        self.surface = surface
        self._markdown_total = 0

    def blocks(self, blocks: Any, path: tuple[PathPart, ...], limit: int) -> None:
        if isinstance(blocks, str) or not isinstance(blocks, Sequence):
            self.add(path, "must be an array of blocks")
            return
        if len(blocks) > limit:
            self.add(path, f"{len(blocks)} blocks, limit {limit}")
        converted: list[dict[str, Any]] = []
        for i, raw in enumerate(blocks):
            try:
                block = as_mapping(raw)
            except Exception as exc:  # slack_sdk builders validate in to_dict()
                self.add((*path, i), f"could not serialise block: {exc}")
                continue
            if block is None:
                self.add((*path, i), f"must be a block object, got {type(raw).__name__}")
                continue
            converted.append(block)
            self.block(block, (*path, i))
        if self._markdown_total > MARKDOWN_BLOCK_LIMIT:
            self.add(
                path,
                f"markdown blocks total {self._markdown_total} characters, limit {MARKDOWN_BLOCK_LIMIT}",
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
            self.text_object(block.get("text"), (*path, "text"), SECTION_TEXT_LIMIT)
        if has_fields:
            fields = self.array(
                block.get("fields"), (*path, "fields"), SECTION_FIELDS_LIMIT, "fields", minimum=1
            )
            for i, field in enumerate(fields or []):
                self.text_object(field, (*path, "fields", i), SECTION_FIELD_TEXT_LIMIT)
        if block.get("accessory") is not None:
            self.element(block["accessory"], (*path, "accessory"), _ACCESSORY_ELEMENTS, "a section accessory")

    def _block_header(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        self.text_object(block.get("text"), (*path, "text"), HEADER_TEXT_LIMIT, plain_only=True)

    def _block_divider(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        return None

    def _block_context(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        elements = self.array(
            block.get("elements"), (*path, "elements"), CONTEXT_ELEMENTS_LIMIT, "elements", minimum=1
        )
        for i, element in enumerate(elements or []):
            epath = (*path, "elements", i)
            if isinstance(element, Mapping) and element.get("type") == "image":
                self._element_image(element, epath)
            else:
                self.text_object(element, epath, TEXT_OBJECT_LIMIT)

    def _block_actions(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        elements = self.array(
            block.get("elements"), (*path, "elements"), ACTIONS_ELEMENTS_LIMIT, "elements", minimum=1
        )
        for i, element in enumerate(elements or []):
            self.element(element, (*path, "elements", i), _ACTIONS_ELEMENTS, "an actions block")

    def _block_input(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        self.text_object(block.get("label"), (*path, "label"), INPUT_LABEL_LIMIT, plain_only=True)
        self.text_object(
            block.get("hint"), (*path, "hint"), INPUT_HINT_LIMIT, plain_only=True, required=False
        )
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
            block.get("alt_text"), (*path, "alt_text"), IMAGE_ALT_TEXT_LIMIT, required=True, non_empty=True
        )
        self.text_object(
            block.get("title"), (*path, "title"), IMAGE_TITLE_LIMIT, plain_only=True, required=False
        )

    def _block_rich_text(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        if not isinstance(block.get("elements"), list):
            self.add((*path, "elements"), "must be an array of rich text elements")

    def _block_video(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        self.string(
            block.get("alt_text"), (*path, "alt_text"), IMAGE_ALT_TEXT_LIMIT, required=True, non_empty=True
        )
        self.text_object(block.get("title"), (*path, "title"), VIDEO_TITLE_LIMIT, plain_only=True)
        self.string(block.get("video_url"), (*path, "video_url"), URL_LIMIT, required=True)
        self.string(block.get("thumbnail_url"), (*path, "thumbnail_url"), URL_LIMIT, required=True)

    def _block_file(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        self.string(block.get("external_id"), (*path, "external_id"), ID_LIMIT, required=True, non_empty=True)
        if block.get("source") != "remote":
            self.add((*path, "source"), "must be 'remote'")

    def _block_markdown(self, block: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        text = block.get("text")
        self.string(text, (*path, "text"), MARKDOWN_BLOCK_LIMIT, required=True, non_empty=True)
        if isinstance(text, str):
            self._markdown_total += len(text)
