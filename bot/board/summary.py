"""What a board sees, computed from a snapshot (pure: no database, no Slack, no clock).

A case summary (stage, deadlines in the next 10 working days, overdue items, outstanding actions by
agency) and a partnership summary (outstanding actions by agency, deadlines in the next 10 working
days, breaches this quarter, cases by stage). Both hold references, stage names, rule labels,
dates, counts and agency names only.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date

from bot.board.rows import ActionRow, DeadlineRow, Snapshot
from bot.calendar.working_days import WorkingCalendar
from bot.cases.states import STAGE_LABELS, Stage
from bot.config.partnership import Partnership

HORIZON_WORKING_DAYS = 10
NO_AGENCY = "Partnership (no agency)"


@dataclass(frozen=True)
class DueItem:
    """One dated thing to do, named by its rule's label (never by anything a person typed)."""

    case_id: int
    reference: str
    label: str
    day: date
    status_kind: str
    working_days: int  # left (positive), 0 on the day, negative when overdue
    late_met_on: date | None = None  # for breaches: met, but after the date


@dataclass(frozen=True)
class AgencyActions:
    agency: str
    outstanding: int
    overdue: int
    completed: int = 0


@dataclass(frozen=True)
class CaseSummary:
    case_id: int
    reference: str
    stage: str
    due_soon: list[DueItem]
    overdue: list[DueItem]
    actions: list[AgencyActions]

    @property
    def outstanding_actions(self) -> int:
        return sum(a.outstanding for a in self.actions)

    @property
    def overdue_actions(self) -> int:
        return sum(a.overdue for a in self.actions)

    def fingerprint(self) -> str:
        """Changes exactly when what the board message shows changes."""
        return hashlib.sha256(json.dumps(asdict(self), default=str, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class PartnershipSummary:
    name: str
    today: date
    quarter_start: date
    stages: list[tuple[str, int]]
    actions: list[AgencyActions]
    due_soon: list[DueItem]
    overdue: list[DueItem]
    breaches: list[DueItem]
    open_cases: int = field(default=0)


def agency_label(partnership: Partnership, agency_id: str | None) -> str:
    if agency_id is None:
        return NO_AGENCY
    agency = partnership.agency(agency_id)
    return agency.name if agency else agency_id


def stage_label(stage: str) -> str:
    try:
        return STAGE_LABELS[Stage(stage)]
    except ValueError:
        return stage.replace("_", " ")


def _item(snapshot: Snapshot, d: DeadlineRow, day: date, today: date, calendar: WorkingCalendar) -> DueItem:
    return DueItem(
        d.case_id,
        snapshot.reference(d.case_id),
        d.label,
        day,
        d.status_kind,
        calendar.working_days_between(today, day),
    )


def open_deadlines(snapshot: Snapshot) -> list[DeadlineRow]:
    """Outstanding deadlines of cases that are not closed."""
    return [
        d
        for d in snapshot.deadlines
        if d.outstanding and d.case_id in snapshot.cases and not snapshot.cases[d.case_id].closed
    ]


def due_within(
    snapshot: Snapshot, today: date, calendar: WorkingCalendar, working_days: int = HORIZON_WORKING_DAYS
) -> list[DueItem]:
    """Outstanding deadlines due from today up to ``working_days`` working days ahead."""
    until = calendar.add_working_days(today, working_days)
    items = []
    for d in open_deadlines(snapshot):
        assert d.target is not None
        if today <= d.target <= until:
            items.append(_item(snapshot, d, d.target, today, calendar))
    return sorted(items, key=lambda i: (i.day, i.reference, i.label))


def overdue_deadlines(snapshot: Snapshot, today: date, calendar: WorkingCalendar) -> list[DueItem]:
    items = []
    for d in open_deadlines(snapshot):
        assert d.target is not None
        if d.target < today:
            items.append(_item(snapshot, d, d.target, today, calendar))
    return sorted(items, key=lambda i: (i.day, i.reference, i.label))


def actions_by_agency(
    partnership: Partnership, actions: list[ActionRow], today: date, *, completed_since: date | None = None
) -> list[AgencyActions]:
    """Outstanding and overdue (and, with ``completed_since``, completed) actions per agency."""
    outstanding: Counter[str | None] = Counter()
    overdue: Counter[str | None] = Counter()
    completed: Counter[str | None] = Counter()
    for action in actions:
        if action.outstanding:
            outstanding[action.owner_agency] += 1
            if action.overdue(today):
                overdue[action.owner_agency] += 1
        elif (
            completed_since is not None
            and action.completed_on is not None
            and action.completed_on >= completed_since
        ):
            completed[action.owner_agency] += 1
    agencies = set(outstanding) | set(completed)
    rows = [
        AgencyActions(agency_label(partnership, a), outstanding[a], overdue[a], completed[a])
        for a in agencies
    ]
    return sorted(rows, key=lambda r: (-r.overdue, -r.outstanding, r.agency))


def quarter_start(today: date) -> date:
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def breaches_since(snapshot: Snapshot, start: date, today: date, calendar: WorkingCalendar) -> list[DueItem]:
    """Statutory or expected deadlines whose own date fell in [start, today) and was missed.

    Judged against the statutory date even when a revised target was agreed: a revised target
    explains a breach, it does not undo it.
    """
    items = []
    for d in snapshot.deadlines:
        day = d.statutory_day
        if (
            d.kind != "deadline"
            or d.status_kind not in ("statutory", "expected")
            or d.not_applicable
            or day is None
            or not start <= day < today
            or d.case_id not in snapshot.cases
        ):
            continue
        if d.met_on is None or d.met_on > day:
            items.append(
                DueItem(
                    d.case_id,
                    snapshot.reference(d.case_id),
                    d.label,
                    day,
                    d.status_kind,
                    calendar.working_days_between(today, day),
                    late_met_on=d.met_on,
                )
            )
    return sorted(items, key=lambda i: (i.day, i.reference, i.label))


def case_summary(
    snapshot: Snapshot, case_id: int, partnership: Partnership, today: date, calendar: WorkingCalendar
) -> CaseSummary:
    case = snapshot.cases[case_id]
    only = Snapshot(
        {case_id: case},
        [d for d in snapshot.deadlines if d.case_id == case_id],
        [a for a in snapshot.actions if a.case_id == case_id],
    )
    return CaseSummary(
        case_id=case_id,
        reference=case.reference,
        stage=stage_label(case.stage),
        due_soon=due_within(only, today, calendar),
        overdue=overdue_deadlines(only, today, calendar),
        actions=actions_by_agency(partnership, only.actions, today),
    )


def partnership_summary(
    snapshot: Snapshot, partnership: Partnership, today: date, calendar: WorkingCalendar
) -> PartnershipSummary:
    counts = Counter(c.stage for c in snapshot.cases.values())
    stages = [(STAGE_LABELS[s], counts[s.value]) for s in Stage if counts[s.value]]
    open_case_ids = {c.id for c in snapshot.cases.values() if not c.closed}
    start = quarter_start(today)
    return PartnershipSummary(
        name=partnership.name,
        today=today,
        quarter_start=start,
        stages=stages,
        actions=actions_by_agency(partnership, snapshot.actions, today),
        due_soon=due_within(snapshot, today, calendar),
        overdue=overdue_deadlines(snapshot, today, calendar),
        breaches=breaches_since(snapshot, start, today, calendar),
        open_cases=len(open_case_ids),
    )
