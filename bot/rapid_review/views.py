"""Plain data for the rapid review's messages, modals and pack (pure: no database, no Slack).

The checklist message, the decision message, the returns list and the pack are rendered from these
and nothing else (bot.rapid_review.blocks, bot.rapid_review.modals, bot.rapid_review.export), so
what a message says is always what the database said when it was read (bot.rapid_review.checklist
and bot.rapid_review.loading read them fresh).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from bot.rapid_review.states import ItemStatus

# -- the checklist ------------------------------------------------------------------------------------

NOTE_LIMIT = 500
REASON_LIMIT = 200


class ItemOp(StrEnum):
    DONE = "done"
    REOPEN = "reopen"
    NOT_APPLICABLE = "na"
    ASSIGN = "assign"
    NOTE = "note"


@dataclass(frozen=True)
class ItemLine:
    pk: int
    item_id: str
    title: str
    window: str
    target_on: date | None
    status: ItemStatus
    na_reason: str | None
    assignee: str | None
    note: str | None
    done_on: date | None
    changed_by: str | None

    @property
    def is_open(self) -> bool:
        return self.status is ItemStatus.TODO


@dataclass(frozen=True)
class Group:
    key: str  # an agency id, or "role:<owner>"
    label: str
    items: list[ItemLine]

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.status is ItemStatus.DONE)

    @property
    def not_applicable(self) -> int:
        return sum(1 for i in self.items if i.status is ItemStatus.NOT_APPLICABLE)

    @property
    def open_items(self) -> list[ItemLine]:
        return [i for i in self.items if i.is_open]

    @property
    def finished(self) -> bool:
        return not self.open_items


@dataclass(frozen=True)
class ChecklistView:
    case_id: int
    reference: str
    title: str
    day_zero: date | None
    unit: str
    today: date
    groups: list[Group]
    returns_in: int = 0
    returns_total: int = 0
    stage: str = ""

    @property
    def items(self) -> list[ItemLine]:
        return [i for g in self.groups for i in g.items]

    def group(self, key: str) -> Group | None:
        return next((g for g in self.groups if g.key == key), None)


# -- the decision, its sign-offs and the agency returns --------------------------------------------------


class DecisionRecord(Protocol):
    """What a renderer reads of the decision (the row in bot.rapid_review.models has these columns)."""

    @property
    def version(self) -> int: ...
    @property
    def recommendation(self) -> str: ...
    @property
    def national_review(self) -> str: ...
    @property
    def rationale(self) -> str: ...
    @property
    def learning(self) -> str | None: ...
    @property
    def key_practice_episodes(self) -> list[str]: ...
    @property
    def parallel_processes(self) -> list[str]: ...
    @property
    def constraints(self) -> list[str]: ...
    @property
    def constraint_note(self) -> str | None: ...
    @property
    def recorded_by(self) -> str: ...
    @property
    def updated_by(self) -> str: ...
    @property
    def updated_at(self) -> datetime: ...


@dataclass(frozen=True)
class SignOffLine:
    agency_id: str
    agency_name: str
    signed_by: str | None = None
    signed_on: date | None = None
    version: int | None = None
    signer_label: str | None = None


@dataclass(frozen=True)
class ActionLine:
    action_id: int
    description: str
    owner: str
    due_on: date | None
    status: str


@dataclass(frozen=True)
class ReturnLine:
    return_id: int
    agency_id: str
    agency_name: str
    requested_on: date
    due_on: date | None
    received_on: date | None
    nil_return: bool
    added_later: bool

    @property
    def outstanding(self) -> bool:
        return self.received_on is None


@dataclass(frozen=True)
class DecisionView:
    case_id: int
    reference: str
    nation: str
    stage: str
    today: date
    decision: DecisionRecord | None
    actions: list[ActionLine]
    sign_offs: list[SignOffLine]
    voided: list[SignOffLine] = field(default_factory=list)
    panel_sent_on: date | None = None
    panel_response: str | None = None
    panel_response_on: date | None = None
    review_name: str | None = None  # the case's review, e.g. a Welsh case begun before SUSR stays a CPR
    national_body: str | None = None

    @property
    def all_signed(self) -> bool:
        return bool(self.sign_offs) and all(s.signed_by for s in self.sign_offs)


@dataclass(frozen=True)
class ReturnsView:
    case_id: int
    reference: str
    today: date
    returns: list[ReturnLine]
    addable: list[tuple[str, str]]  # (agency id, name) of the partnership's agencies not yet involved

    @property
    def received(self) -> int:
        return sum(1 for r in self.returns if not r.outstanding)
