"""The Web API wire protocol as the fake speaks it: typed parameters in, Slack-shaped answers and errors out.

A method handler reads its arguments through :class:`_Params` (which turns bad input into Slack's error
codes), raises :class:`_ApiError` for ``{"ok": false, "error": ...}`` answers and returns the rest of an
``ok`` body; :class:`_Reply` is what finally goes back over HTTP. Nothing here holds state.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.slack.blockkit import BlockKitIssue

_JSON_CT = "application/json"
_FORM_CT = "application/x-www-form-urlencoded"
_MULTIPART_CT = "multipart/form-data"

JsonDict = dict[str, Any]


@dataclass
class _Reply:
    status: int
    body: JsonDict
    headers: dict[str, str] = field(default_factory=dict)


class _ApiError(Exception):
    """Raised inside a method handler to answer ``{"ok": false, "error": code, ...}``."""

    def __init__(
        self,
        code: str,
        *,
        status: int = 200,
        extra: JsonDict | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.status = status
        self.extra = extra or {}
        self.headers = headers or {}

    def reply(self) -> _Reply:
        return _Reply(self.status, {"ok": False, "error": self.code, **self.extra}, dict(self.headers))


class _Params:
    """Typed access to a merged parameter dict, turning bad input into Slack's error codes."""

    def __init__(self, values: JsonDict, *, is_json: bool) -> None:
        self.values = values
        self.is_json = is_json

    def __contains__(self, key: str) -> bool:
        return key in self.values and self.values[key] is not None

    def get_str(self, key: str, *, missing: str | None = None) -> str | None:
        """The value as a string; ``missing`` is the error code when absent or empty."""
        value = self.values.get(key)
        if value is None or value == "":
            if missing:
                raise _ApiError(missing)
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return str(value)
        if isinstance(value, str):
            return value
        raise _ApiError("invalid_arguments", extra=_metadata(f"{key} must be a string"))

    def get_bool(self, key: str) -> bool:
        return _truthy(self.values.get(key))

    def get_int(self, key: str, default: int) -> int:
        value = self.values.get(key)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise _ApiError("invalid_arguments", extra=_metadata(f"{key} must be an integer")) from None

    def get_json(self, key: str, *, bad: str) -> Any:
        """A structured argument (blocks, view, files) sent either as JSON or as a JSON string."""
        value = self.values.get(key)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise _ApiError(bad, extra=_metadata(f"{key} is not valid JSON")) from None
        return value


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def _metadata(*messages: str) -> JsonDict:
    return {"response_metadata": {"messages": [f"[ERROR] {m}" for m in messages]}}


Handler = Callable[[_Params, "_Context"], Awaitable[JsonDict]]


@dataclass
class _Context:
    token: str
    request: web.Request


def _blocks_error(issues: list[BlockKitIssue]) -> _ApiError:
    """chat.* answer for invalid blocks, shaped like Slack's (error + errors + response_metadata)."""
    only_size = all(i.code == "msg_blocks_too_long" for i in issues)
    code = "msg_blocks_too_long" if only_size else "invalid_blocks"
    return _ApiError(
        code,
        extra={
            "errors": [str(i) for i in issues],
            "response_metadata": {
                "messages": [f"[ERROR] {i.message} [json-pointer:{i.json_pointer}]" for i in issues]
            },
        },
    )


def _view_error(issues: list[BlockKitIssue]) -> _ApiError:
    """views.* answer for an invalid view: Slack says invalid_arguments (or view_too_large)."""
    only_size = all(i.code == "view_too_large" for i in issues)
    code = "view_too_large" if only_size else "invalid_arguments"
    return _ApiError(
        code,
        extra={
            "errors": [str(i) for i in issues],
            "response_metadata": {
                "messages": [f"[ERROR] {i.message} [json-pointer:/view{i.json_pointer}]" for i in issues]
            },
        },
    )
