"""The rows a board summary or a chair digest is computed from (pure: plain data, no database).

bot.board.snapshot reads them in a fixed number of queries; bot.board.summary, bot.digest.content and
bot.statistics.compute compute from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.actions.kinds import OPEN_ACTION_STATUSES
from bot.cases.states import Stage
from bot.clock import london_date

# Kinds of deadline somebody has to act on ("keep it published a year" is not one).
CHASED_KINDS = frozenset({"deadline", "chase", "milestone"})


@dataclass(frozen=True)
class CaseRow:
    id: int
    reference: str
    stage: str
    created_at: datetime

    @property
    def closed(self) -> bool:
        return self.stage == Stage.CLOSED.value


@dataclass(frozen=True)
class DeadlineRow:
    id: int
    case_id: int
    rule_id: str
    label: str
    status_kind: str
    kind: str
    anchor: str
    responsible_role: str
    due_on: date | None
    due_at: datetime | None
    revised_due_on: date | None
    met_on: date | None
    not_applicable: bool

    @property
    def statutory_day(self) -> date | None:
        """The UK day of the statutory (or expected) date, which never moves."""
        if self.due_at is not None:
            return london_date(self.due_at)
        return self.due_on

    @property
    def target(self) -> date | None:
        """The day people are working to: a revised target if one was agreed."""
        return self.revised_due_on or self.statutory_day

    @property
    def outstanding(self) -> bool:
        return (
            self.kind in CHASED_KINDS
            and self.met_on is None
            and not self.not_applicable
            and self.target is not None
        )


@dataclass(frozen=True)
class ActionRow:
    id: int
    case_id: int | None
    owner_agency: str | None
    owner_user_id: str | None
    due_on: date | None
    status: str
    completed_on: date | None

    @property
    def outstanding(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def overdue(self, today: date) -> bool:
        return self.outstanding and self.due_on is not None and self.due_on < today


@dataclass
class Snapshot:
    cases: dict[int, CaseRow] = field(default_factory=dict)
    deadlines: list[DeadlineRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)

    def reference(self, case_id: int | None) -> str:
        case = self.cases.get(case_id) if case_id is not None else None
        return case.reference if case else "partnership"
