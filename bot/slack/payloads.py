"""What our buttons, menus and modals carry back to us, read in one typed place.

Slack returns a button's ``value``, a menu option's ``value`` and a modal's ``private_metadata``
exactly as we sent them, and anyone can forge them. Everything here parses into a typed, validated
model (pydantic) or returns ``None``; callers turn ``None`` into one "out of date" answer. Ids are
positive and fit a 64-bit column, so a 20-digit id is refused here and never reaches the database.

Modal metadata is versioned JSON (``{"v": 1, ...}``) with readable keys; the one-letter keys of
earlier releases are still read, so a modal opened before an upgrade can still be submitted.
Button values stay compact ids (``"12"``, ``"12|police"``, ``"done|12|all|2"``): version 1 of the
button format, parsed by :func:`leading_id` and :func:`id_at`.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError

MAX_ID = 2**63 - 1
_ID = re.compile(r"^[1-9][0-9]{0,18}$")

RecordId = int


def as_id(raw: object) -> int | None:
    """A database id from text or an int: positive, at most 19 digits and within a BIGINT."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 0 < raw <= MAX_ID else None
    text = str(raw or "").strip()
    if not _ID.match(text):
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def action_of(body: dict[str, Any]) -> dict[str, Any]:
    actions = body.get("actions")
    first = actions[0] if isinstance(actions, list) and actions else None
    return first if isinstance(first, dict) else {}


def action_value(body: dict[str, Any]) -> str:
    """A button's value, or the chosen option's value of a menu (empty if neither is there)."""
    action = action_of(body)
    option = action.get("selected_option")
    raw = option.get("value") if isinstance(option, dict) else action.get("value")
    return raw if isinstance(raw, str) else ""


def view_values(body: dict[str, Any]) -> dict[str, Any]:
    """A submitted modal's input values ({} if the view or its state is not what Slack sends)."""
    view = body.get("view")
    state = view.get("state") if isinstance(view, dict) else None
    values = state.get("values") if isinstance(state, dict) else None
    return values if isinstance(values, dict) else {}


def id_at(raw: str, position: int, separators: str = ":|") -> int | None:
    """The id at ``position`` among the parts of a compact value (``"12:34"``, ``"done|12"``)."""
    parts = re.split(f"[{re.escape(separators)}]", raw)
    return as_id(parts[position]) if 0 <= position < len(parts) else None


def leading_id(raw: str) -> int | None:
    return id_at(raw, 0)


class Metadata(BaseModel):
    """Base of every modal's private_metadata: versioned, unknown keys ignored, ids validated."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    v: int = 1

    def dump(self) -> str:
        return self.model_dump_json(exclude_none=True)


class CaseMetadata(Metadata):
    """A modal about one case (a finding, a decision, a new meeting)."""

    case: int = Field(gt=0, le=MAX_ID, validation_alias=AliasChoices("case", "c"))


class MeetingMetadata(Metadata):
    meeting: int = Field(gt=0, le=MAX_ID, validation_alias=AliasChoices("meeting", "m"))
    sequence: int | None = Field(default=None, ge=0, validation_alias=AliasChoices("sequence", "s"))


class EpisodeMetadata(CaseMetadata):
    """The key practice episode modal: its case (what the gate admits on) and, when editing, the episode
    (the service checks it belongs to that case)."""

    episode: int | None = Field(default=None, gt=0, le=MAX_ID)


class DeadlineMetadata(Metadata):
    deadline: int = Field(gt=0, le=MAX_ID, validation_alias=AliasChoices("deadline", "d"))


class ChecklistItemMetadata(Metadata):
    """A checklist item's small modal; a private page to redraw afterwards rides along."""

    item: int = Field(gt=0, le=MAX_ID, validation_alias=AliasChoices("item", "i"))
    scope: str | None = Field(default=None, max_length=80, validation_alias=AliasChoices("scope", "s"))
    page: int = Field(default=1, ge=1, le=10_000, validation_alias=AliasChoices("page", "p"))
    response_url: str | None = Field(
        default=None, max_length=500, validation_alias=AliasChoices("response_url", "u")
    )


class PartnershipMetadata(Metadata):
    """A modal about a partnership as a whole (adding a person)."""

    partnership: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")


class PersonMetadata(Metadata):
    """A modal about one person of a partnership (removing them), by their people-table id."""

    person: int = Field(gt=0, le=MAX_ID)


M = TypeVar("M", bound=Metadata)


def read_metadata(model: type[M], body: dict[str, Any]) -> M | None:
    """The modal's private_metadata as ``model``, or None if it is missing, not JSON or not valid."""
    view = body.get("view")
    raw = view.get("private_metadata") if isinstance(view, dict) else None
    if not isinstance(raw, str) or not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    try:
        return model.model_validate(data)
    except ValidationError:
        return None
