"""What a chair's weekly digest says, composed from rows (pure: no database, no Slack).

What changed since the last digest (from the audit log: references, stages, rule labels and counts,
never free text), what is due in the next 10 working days, what is overdue, actions completed and
overdue by agency, and cases with no activity for longer than the partnership allows.
bot.digest.gather reads the rows at send time in a fixed number of queries and calls :func:`compose`,
which is tested without a database.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.board.rows import Snapshot
from bot.board.summary import (
    HORIZON_WORKING_DAYS,
    AgencyActions,
    DueItem,
    actions_by_agency,
    agency_label,
    due_within,
    overdue_deadlines,
    stage_label,
)
from bot.calendar.working_days import WorkingCalendar
from bot.clock import london_date
from bot.config.partnership import Partnership


@dataclass(frozen=True)
class CaseChanges:
    reference: str
    changes: list[str]


@dataclass(frozen=True)
class ActionDue:
    reference: str
    agency: str
    day: date
    working_days: int


@dataclass(frozen=True)
class IdleCase:
    reference: str
    stage: str
    last_activity: date
    working_days: int


@dataclass(frozen=True)
class Digest:
    partnership_name: str
    since: datetime
    today: date
    idle_after: int
    changes: list[CaseChanges] = field(default_factory=list)
    due_soon: list[DueItem] = field(default_factory=list)
    actions_due_soon: list[ActionDue] = field(default_factory=list)
    overdue: list[DueItem] = field(default_factory=list)
    actions: list[AgencyActions] = field(default_factory=list)
    idle: list[IdleCase] = field(default_factory=list)

    @property
    def overdue_actions(self) -> int:
        return sum(a.overdue for a in self.actions)

    @property
    def nothing_outstanding(self) -> bool:
        return not (
            self.due_soon or self.actions_due_soon or self.overdue or self.overdue_actions or self.idle
        )


@dataclass(frozen=True)
class Event:
    """One audit row, reduced to what the digest may use."""

    case_id: int | None
    action: str
    after: dict[str, Any] | None


def compose(
    partnership: Partnership,
    snapshot: Snapshot,
    events: list[Event],
    last_activity: dict[int, datetime],
    *,
    since: datetime,
    today: date,
    calendar: WorkingCalendar,
) -> Digest:
    until = calendar.add_working_days(today, HORIZON_WORKING_DAYS)
    actions_due = sorted(
        (
            ActionDue(
                snapshot.reference(a.case_id),
                agency_label(partnership, a.owner_agency),
                a.due_on,
                calendar.working_days_between(today, a.due_on),
            )
            for a in snapshot.actions
            if a.outstanding and a.due_on is not None and today <= a.due_on <= until
        ),
        key=lambda a: (a.day, a.reference, a.agency),
    )
    idle_after = partnership.digest.idle_working_days
    idle = []
    for case in snapshot.cases.values():
        if case.closed:
            continue
        last = max(filter(None, [last_activity.get(case.id), case.created_at]))
        quiet = calendar.working_days_between(london_date(last), today)
        if quiet > idle_after:
            idle.append(IdleCase(case.reference, stage_label(case.stage), london_date(last), quiet))
    return Digest(
        partnership_name=partnership.name,
        since=since,
        today=today,
        idle_after=idle_after,
        changes=changes_since(snapshot, events),
        due_soon=due_within(snapshot, today, calendar),
        actions_due_soon=actions_due,
        overdue=overdue_deadlines(snapshot, today, calendar),
        actions=actions_by_agency(partnership, snapshot.actions, today, completed_since=london_date(since)),
        idle=sorted(idle, key=lambda c: (-c.working_days, c.reference)),
    )


def changes_since(snapshot: Snapshot, events: list[Event]) -> list[CaseChanges]:
    """Per case, in words built only from references, stage names, rule labels, dates and counts."""
    labels = {(d.case_id, d.rule_id): d.label for d in snapshot.deadlines}
    words: dict[int, list[str]] = defaultdict(list)
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for event in events:
        if event.case_id is None or event.case_id not in snapshot.cases:
            continue
        after = event.after or {}
        label = labels.get((event.case_id, str(after.get("deadline", ""))), "a deadline")
        phrase = {
            "case.opened": "opened",
            "case.notification_sent": "notification sent",
            "case.stage_changed": f"moved to {stage_label(str(after.get('stage', '')))}",
            "deadline.met": f"{label}: done",
            "deadline.not_applicable": f"{label}: marked not applicable",
            "deadline.revised": f"{label}: revised target set",
        }.get(event.action)
        if phrase is not None:
            if phrase not in words[event.case_id]:
                words[event.case_id].append(phrase)
        elif event.action == "action.created":
            counts[event.case_id]["added"] += 1
        elif event.action == "action.updated" and after.get("status") == "done":
            counts[event.case_id]["completed"] += 1
        elif event.action == "finding.recorded":
            counts[event.case_id]["finding"] += 1
        else:
            counts[event.case_id]["other"] += 1
    out = []
    for case_id in sorted(set(words) | set(counts), key=lambda c: snapshot.cases[c].reference):
        phrases = list(words.get(case_id, []))
        phrases += [_counted(what, n) for what, n in sorted(counts[case_id].items())]
        out.append(CaseChanges(snapshot.cases[case_id].reference, phrases))
    return out


_COUNTED = {
    "added": ("action added", "actions added"),
    "completed": ("action completed", "actions completed"),
    "finding": ("finding recorded", "findings recorded"),
    "other": ("other update", "other updates"),
}


def _counted(what: str, n: int) -> str:
    singular, plural = _COUNTED[what]
    return f"{n} {singular if n == 1 else plural}"
