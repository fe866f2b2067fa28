"""The figures a partnership's annual report needs, and the themes of its findings (pure).

Counting conventions (said in the reply too, so nobody has to guess):
- a notification belongs to the year the local authority became aware;
- "on time" is judged against the statutory or expected date, never a revised target;
- a deadline still ahead and unmet is pending, not late, and is left out of the shares;
- a rapid review or publication belongs to the year its date falls in;
- a local review is counted in the year the case moved to "local review commissioned";
- a decision (to hold a review, another kind of review, or none) and the Panel's reply belong to the
  year of the decision;
- "decided on time" and "published within timescale" are judged by the deadlines each case's own
  rule set names for them (England's rapid review and publication, Scotland's decision and outcome
  notifications, the Welsh and Northern Irish decision and report), not by England's rule ids;
- an action belongs to the year it was due.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.actions.kinds import ActionStatus
from bot.actions.typology import TYPOLOGY, FindingKind
from bot.board.rows import DeadlineRow, Snapshot
from bot.board.summary import agency_label
from bot.clock import london_date
from bot.config.partnership import Partnership
from bot.errors import BadInput
from bot.slack.mrkdwn import echo

COMMISSIONED_STAGE = "local_review_commissioned"
PUBLISHED_STAGE = "published"


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date  # inclusive

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


_FINANCIAL = re.compile(r"(\d{4})\s*[-/–]\s*(\d{2}|\d{4})")


def parse_period(text: str, today: date) -> Period:
    """'2026' (a calendar year), '2026-27' or '2026/27' (April to March), or nothing (this year)."""
    raw = text.strip()
    if not raw:
        return Period(str(today.year), date(today.year, 1, 1), date(today.year, 12, 31))
    if raw.isdecimal() and len(raw) == 4:
        year = int(raw)
        return Period(raw, date(year, 1, 1), date(year, 12, 31))
    match = _FINANCIAL.fullmatch(raw)
    if match:
        first = int(match[1])
        second = int(match[2]) if len(match[2]) == 4 else (first // 100) * 100 + int(match[2])
        if second == first + 1:
            return Period(f"{first}–{str(second)[-2:]}", date(first, 4, 1), date(second, 3, 31))
    raise BadInput(
        f"'{echo(raw, 20)}' is not a year I understand.",
        "Write a calendar year (`2026`) or a financial year (`2026-27`, April to March).",
    )


@dataclass(frozen=True)
class Share:
    """How many were decided on time out of those decided; pending ones are left out."""

    on_time: int = 0
    late: int = 0
    pending: int = 0

    @property
    def decided(self) -> int:
        return self.on_time + self.late

    @property
    def percent(self) -> float | None:
        return round(100 * self.on_time / self.decided, 1) if self.decided else None

    def words(self) -> str:
        if not self.decided:
            return "none decided yet" + (f" ({self.pending} pending)" if self.pending else "")
        text = f"{self.percent:g}% ({self.on_time} of {self.decided})"
        return text + (f", {self.pending} pending" if self.pending else "")


@dataclass(frozen=True)
class AgencyActionRecord:
    agency: str
    due: int
    on_time: int
    late: int
    overdue: int
    not_doing: int
    not_yet_due: int

    @property
    def share(self) -> Share:
        return Share(self.on_time, self.late + self.overdue, self.not_yet_due)


@dataclass(frozen=True)
class AnnualStatistics:
    partnership_name: str
    period: Period
    notifications: int
    by_type: list[tuple[str, int]]
    notified_on_time: Share
    rapid_reviews_on_time: Share  # decisions made within their rule set's timescale
    local_reviews_commissioned: int
    published_on_time: Share  # reviews published (or completed) within their rule set's timescale
    actions: list[AgencyActionRecord] = field(default_factory=list)
    reviews_by_type: list[tuple[str, int]] = field(default_factory=list)  # decisions to hold each review
    other_reviews: int = 0  # decisions for another kind of local learning review
    decisions_not_to_review: int = 0
    national_replies: list[tuple[str, int]] = field(default_factory=list)  # the Panel agreeing or not


@dataclass(frozen=True)
class ReviewFacts:
    """A case's decision as the statistics see it, with the names and rules of its own rule set."""

    case_id: int
    review_name: str
    decided_on: date | None
    recommendation: str | None
    national_reply: str | None
    decision_rule: str | None
    timescale_rule: str | None


NATIONAL_REPLY_LABELS = {
    "agrees": "agreed with the partners",
    "disagrees": "disagreed",
    "national_review": "will hold a national review",
}


@dataclass(frozen=True)
class NotifiedCase:
    """A case as the statistics see it: when the local authority became aware and what was notified."""

    case_id: int
    la_aware_at: datetime
    notification_type: str


@dataclass(frozen=True)
class StageChange:
    case_id: int
    at: datetime
    stage: str


def _judge(day: date, met_on: date | None, today: date) -> str:
    if met_on is not None:
        return "on_time" if met_on <= day else "late"
    return "late" if day < today else "pending"


def _share(outcomes: list[str]) -> Share:
    counts = Counter(outcomes)
    return Share(counts["on_time"], counts["late"], counts["pending"])


def is_notification(d: DeadlineRow) -> bool:
    """Notification deadlines are counted from awareness (the same test the intake uses)."""
    return d.anchor == "la_aware" and d.kind == "deadline" and "notif" in d.rule_id


def annual_statistics(
    partnership: Partnership,
    snapshot: Snapshot,
    cases: list[NotifiedCase],
    stage_changes: list[StageChange],
    period: Period,
    today: date,
    type_labels: dict[str, str],
    reviews: list[ReviewFacts] | None = None,
) -> AnnualStatistics:
    notified = [c for c in cases if london_date(c.la_aware_at) in period]
    notified_ids = {c.case_id for c in notified}
    by_type = Counter(type_labels.get(c.notification_type, c.notification_type) for c in notified)

    first_notification: dict[int, DeadlineRow] = {}
    for d in snapshot.deadlines:
        if d.case_id in notified_ids and is_notification(d) and not d.not_applicable and d.statutory_day:
            current = first_notification.get(d.case_id)
            if current is None or (current.statutory_day or date.max) > d.statutory_day:
                first_notification[d.case_id] = d
    outcomes = []
    for d in first_notification.values():
        day = d.statutory_day
        assert day is not None
        outcomes.append(_judge(day, d.met_on, today))
    notified_share = _share(outcomes)

    reviews = reviews or []
    decision_rules = {r.case_id: r.decision_rule for r in reviews if r.decision_rule}
    timescale_rules = {r.case_id: r.timescale_rule for r in reviews if r.timescale_rule}

    def rule_share(rules: dict[int, str], met: dict[int, date]) -> Share:
        outcomes = []
        for d in snapshot.deadlines:
            day = d.statutory_day
            if rules.get(d.case_id) == d.rule_id and not d.not_applicable and day in period:
                assert day is not None
                outcomes.append(_judge(day, d.met_on or met.get(d.case_id), today))
        return _share(outcomes)

    decided = [r for r in reviews if r.decided_on in period and r.recommendation]
    held = Counter(r.review_name for r in decided if r.recommendation == "lcspr")
    replies = Counter(r.national_reply for r in decided if r.national_reply)

    published_on: dict[int, date] = {}
    commissioned: set[int] = set()
    for change in stage_changes:
        day = london_date(change.at)
        if change.stage == PUBLISHED_STAGE:
            published_on.setdefault(change.case_id, day)
        if change.stage == COMMISSIONED_STAGE and day in period:
            commissioned.add(change.case_id)

    return AnnualStatistics(
        partnership_name=partnership.name,
        period=period,
        notifications=len(notified),
        by_type=sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0])),
        notified_on_time=notified_share,
        rapid_reviews_on_time=rule_share(decision_rules, {}),
        local_reviews_commissioned=len(commissioned),
        published_on_time=rule_share(timescale_rules, published_on),
        actions=action_records(partnership, snapshot, period, today),
        reviews_by_type=sorted(held.items(), key=lambda kv: (-kv[1], kv[0])),
        other_reviews=sum(1 for r in decided if r.recommendation == "other_local_review"),
        decisions_not_to_review=sum(1 for r in decided if r.recommendation == "no_further_review"),
        national_replies=[
            (label, replies[key]) for key, label in NATIONAL_REPLY_LABELS.items() if replies[key]
        ],
    )


def action_records(
    partnership: Partnership, snapshot: Snapshot, period: Period, today: date
) -> list[AgencyActionRecord]:
    tallies: dict[str, Counter[str]] = {}
    for action in snapshot.actions:
        if action.due_on not in period:
            continue
        assert action.due_on is not None
        tally = tallies.setdefault(agency_label(partnership, action.owner_agency), Counter())
        tally["due"] += 1
        if action.status == ActionStatus.DONE.value:
            late = action.completed_on is not None and action.completed_on > action.due_on
            tally["late" if late else "on_time"] += 1
        elif action.status == ActionStatus.NOT_DOING.value:
            tally["not_doing"] += 1
        elif action.due_on < today:
            tally["overdue"] += 1
        else:
            tally["not_yet_due"] += 1
    return [
        AgencyActionRecord(
            agency, t["due"], t["on_time"], t["late"], t["overdue"], t["not_doing"], t["not_yet_due"]
        )
        for agency, t in sorted(tallies.items())
    ]


# -- themes ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingFacts:
    case_id: int
    typology: str
    kind: str
    created_at: datetime


@dataclass(frozen=True)
class Theme:
    category_id: str
    label: str
    verification: str
    findings: int
    cases: int
    recommendations: int
    board_issues: int


def themes(findings: list[FindingFacts], period: Period | None = None) -> list[Theme]:
    """Findings per typology category across the partnership's cases: every category, most first."""
    chosen = [f for f in findings if period is None or london_date(f.created_at) in period]
    out = []
    for category in TYPOLOGY:
        mine = [f for f in chosen if f.typology == category.id]
        out.append(
            Theme(
                category.id,
                category.label,
                category.verification,
                len(mine),
                len({f.case_id for f in mine}),
                sum(1 for f in mine if f.kind == FindingKind.RECOMMENDATION.value),
                sum(1 for f in mine if f.kind == FindingKind.BOARD_ISSUE.value),
            )
        )
    return sorted(out, key=lambda t: (-t.findings, -t.cases, t.label))
