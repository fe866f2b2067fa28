"""Rapid review checklist templates: one YAML file per rule set (in bot/rules/checklists), validated here.

Why data and not code: the checklist is the partnership's working list (process-rules.md 2.3) and its
owners and target days are partly local practice ([P] rows). A reviewer should be able to read and
correct an item without reading Python, and a partnership can add, replace or remove items in its own
file (``rules.checklist_items`` / ``rules.checklist_removed``) without a release.

A target day is a working day counted from the template's anchor (day 0: the notification being
sent), the same convention as the deadlines (process-rules.md 5.3). ``before`` means "before day 0";
no day means the guidance gives no timescale, and ``when`` says in words when it happens instead.
"""

from __future__ import annotations

import functools
import re
from enum import StrEnum
from importlib import resources
from typing import Annotated, Literal, Self

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from bot.rules.models import Anchor, NotificationType

TEMPLATE_PACKAGE = "bot.rules"
TEMPLATE_FOLDER = "checklists"
TITLE_LIMIT = 120


class Owner(StrEnum):
    """Who answers for an item: a kind of agency (mapped to the case's agency of that kind) or a role."""

    LOCAL_AUTHORITY = "local_authority"
    POLICE = "police"
    HEALTH = "health"
    EDUCATION = "education"
    OTHER = "other"
    BUSINESS_MANAGER = "business_manager"
    CHAIR = "chair"
    SIGNATORY = "signatory"

    @property
    def is_agency_kind(self) -> bool:
        return self in AGENCY_OWNERS


AGENCY_OWNERS = frozenset({Owner.LOCAL_AUTHORITY, Owner.POLICE, Owner.HEALTH, Owner.EDUCATION, Owner.OTHER})

OWNER_LABELS: dict[Owner, str] = {
    Owner.LOCAL_AUTHORITY: "Local authority",
    Owner.POLICE: "Police",
    Owner.HEALTH: "Health",
    Owner.EDUCATION: "Education",
    Owner.OTHER: "Other agencies",
    Owner.BUSINESS_MANAGER: "Business unit",
    Owner.CHAIR: "Chair",
    Owner.SIGNATORY: "Safeguarding partners",
}


class CompletedBy(StrEnum):
    """An event elsewhere in the rapid review that ticks the item by itself (nobody ticks it twice)."""

    NOTIFICATION_SENT = "notification_sent"  # the case's notification recorded as sent (day 0)
    AGENCY_RETURN = "agency_return"  # the owning agency's return received (or a nil return)
    DECISION_RECORDED = "decision_recorded"
    ALL_SIGNED_OFF = "all_signed_off"
    SENT_TO_PANEL = "sent_to_panel"
    PANEL_RESPONSE = "panel_response"


def _invalid(kind: str, message: str, fix: str) -> PydanticCustomError:
    # Same shape as bot.config.problems' errors, so check-config shows the message and the fix as written.
    return PydanticCustomError(kind, "{message}", {"message": message, "fix": fix})


_ITEM_ID = re.compile(r"^(?:[A-Z]{1,3}\d{1,3}|[a-z][a-z0-9_]{0,15})$")


def _item_id(value: str) -> str:
    if not _ITEM_ID.match(value):
        raise _invalid(
            "checklist_item_id",
            f"{value!r} is not a checklist item id",
            "use the process-rules id such as 'R7', or a short lower_snake_case id for a local item",
        )
    return value


ItemId = Annotated[str, AfterValidator(_item_id)]


class ChecklistItemTemplate(BaseModel):
    """One line of the checklist as the template (or the partnership's file) describes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: ItemId
    title: str = Field(min_length=3, max_length=TITLE_LIMIT)
    owner: Owner
    day: int | Literal["before"] | None = Field(
        default=None, description="target working day after day 0; 'before' day 0; none: no timescale"
    )
    from_day: int | None = Field(
        default=None, ge=0, description="first day of the window, e.g. 2 for days 2-10"
    )
    when: str | None = Field(default=None, max_length=40, description="for items with no day: when, in words")
    applies_to: list[NotificationType] = Field(default_factory=list)
    completed_by: CompletedBy | None = None
    source: str = Field(default="local", min_length=2, max_length=80, description="process-rules tag and row")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if isinstance(self.day, int) and self.day < 0:
            raise _invalid("checklist_day", f"item {self.id}: day must be 0 or more", "write e.g. day: 10")
        if self.from_day is not None and not (isinstance(self.day, int) and self.from_day <= self.day):
            raise _invalid(
                "checklist_window",
                f"item {self.id}: from_day needs a later or equal day",
                "write e.g. from_day: 2 and day: 10 for 'working days 2 to 10'",
            )
        if self.completed_by is CompletedBy.AGENCY_RETURN and not self.owner.is_agency_kind:
            raise _invalid(
                "checklist_completed_by",
                f"item {self.id}: only an agency's item can be ticked by its agency return",
                "give it an agency owner (local_authority, police, health, education, other)",
            )
        return self

    def applies(self, notification_type: str) -> bool:
        return not self.applies_to or NotificationType(notification_type) in self.applies_to


class ChecklistTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    extends: str | None = Field(default=None, description="take the items of another template")
    anchor: Anchor = Anchor.NOTIFICATION_SENT
    unit: Literal["working_days", "calendar_days"] = "working_days"
    source: str
    notes: list[str] = Field(default_factory=list)
    items: list[ChecklistItemTemplate] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        seen: set[str] = set()
        for item in self.items:
            if item.id in seen:
                raise ValueError(f"checklist {self.id!r}: item id {item.id!r} is used twice")
            seen.add(item.id)
        if not self.items and not self.extends:
            raise ValueError(f"checklist {self.id!r} has no items")
        return self


class TemplateError(ValueError):
    """A template file is missing or does not validate; the message names the file."""


def _files() -> dict[str, str]:
    root = resources.files(TEMPLATE_PACKAGE).joinpath(TEMPLATE_FOLDER)
    if not root.is_dir():
        return {}
    return {
        e.name.removesuffix(".yaml"): e.name
        for e in root.iterdir()
        if e.is_file() and e.name.endswith(".yaml")
    }


def template_ids() -> list[str]:
    return sorted(_files())


@functools.cache
def load_template(ruleset_id: str) -> ChecklistTemplate | None:
    """The checklist for a rule set (its ``extends`` resolved), or None if the rule set has none."""
    files = _files()
    if ruleset_id not in files:
        return None
    path = f"bot/rules/{TEMPLATE_FOLDER}/{files[ruleset_id]}"
    text = resources.files(TEMPLATE_PACKAGE).joinpath(TEMPLATE_FOLDER, files[ruleset_id]).read_text("utf-8")
    try:
        template = ChecklistTemplate.model_validate(yaml.safe_load(text))
    except (yaml.YAMLError, ValidationError) as error:
        raise TemplateError(f"{path} does not validate:\n{error}") from error
    if template.id != ruleset_id:
        raise TemplateError(f"{path} declares id {template.id!r}; the id must match the file name")
    if template.extends:
        base = load_template(template.extends)
        if base is None:
            raise TemplateError(f"{path} extends {template.extends!r}, which has no checklist")
        own = {item.id: item for item in template.items}
        items = [own.pop(item.id, item) for item in base.items] + list(own.values())
        template = template.model_copy(update={"items": items, "anchor": base.anchor, "unit": base.unit})
    return template


@functools.cache
def known_item_ids() -> frozenset[str]:
    """Every item id in every shipped template (for checking ``checklist_removed``)."""
    return frozenset(item.id for tid in template_ids() if (t := load_template(tid)) for item in t.items)


def _known_item(value: str) -> str:
    if value not in known_item_ids():
        raise _invalid(
            "unknown_checklist_item",
            f"no checklist has an item {value!r} to remove",
            "use an id from the rule set's checklist in bot/rules/checklists/ (e.g. 'R6')",
        )
    return value


KnownItemId = Annotated[str, AfterValidator(_known_item)]


def items_for(
    template: ChecklistTemplate,
    notification_type: str,
    *,
    added: list[ChecklistItemTemplate] | None = None,
    removed: list[str] | None = None,
) -> list[ChecklistItemTemplate]:
    """The template's items for one case: the partnership's removals and additions applied, then
    the items that do not apply to this kind of notification (e.g. R6, looked-after child deaths) left out.

    An added item with the id of a template item replaces it in place; a new id goes at the end.
    """
    gone = set(removed or [])
    extra = {item.id: item for item in added or []}
    items = [extra.pop(item.id, item) for item in template.items if item.id not in gone]
    items += list(extra.values())
    return [item for item in items if item.applies(notification_type)]


def describe_window(day: int | None, from_day: int | None, when: str | None, *, before: bool = False) -> str:
    """'day 10', 'days 2-10', 'before day 0', or the words for an undated item ('after the decision')."""
    if before:
        return "before day 0"
    if day is not None:
        return f"days {from_day}-{day}" if from_day is not None and from_day != day else f"day {day}"
    return when or "no set day"
