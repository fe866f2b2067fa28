"""The shape of a rule set: statutory and expected timescales as data, each traceable to its source.

Why data and not code: the guidance changes by edition (England WT2018 -> WT2023, Wales CPR -> SUSR,
Scotland SCR -> Learning Review) and many figures are still unverified (process-rules.md tags them
[P] or [U]). Keeping them in versioned YAML, validated here with ``extra="forbid"``, lets a reviewer
read and correct a figure without reading Python, and lets a case keep the edition it started under.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from bot.calendar.working_days import Direction, Nation, Unit


class NotificationType(StrEnum):
    """What was notified; decides which deadlines apply (a care-leaver death has no rapid review)."""

    DEATH = "death"
    SERIOUS_HARM = "serious_harm"
    LOOKED_AFTER_CHILD_DEATH = "looked_after_child_death"
    CARE_LEAVER_DEATH = "care_leaver_death"
    RESIDENT_CHILD_ELSEWHERE = "resident_child_elsewhere"


class Anchor(StrEnum):
    """The events a deadline can be counted from. See ANCHOR_DESCRIPTIONS for what each one means."""

    INCIDENT = "incident"
    LA_AWARE = "la_aware"
    DEATH_KNOWN = "death_known"
    NOTIFICATION_SENT = "notification_sent"
    REFERRAL_RECEIVED = "referral_received"
    RAPID_REVIEW_SENT = "rapid_review_sent"
    LEAD_INFORMED = "lead_informed"
    REPORTS_REQUESTED = "reports_requested"
    REFERRAL = "referral"
    DECISION = "decision"
    REVIEW_STARTED = "review_started"
    FINAL_REPORT = "final_report"
    OUTCOME_RATIFIED = "outcome_ratified"
    INTENDED_PUBLICATION = "intended_publication"
    PUBLICATION = "publication"


ANCHOR_DESCRIPTIONS: dict[Anchor, str] = {
    Anchor.INCIDENT: "the incident itself happened (a child died or was seriously harmed)",
    Anchor.LA_AWARE: (
        "the notifying body became aware of the incident: in England the local authority "
        "(the national trigger for the 5-working-day notification)"
    ),
    Anchor.DEATH_KNOWN: (
        "the local authority learned of the death of a looked-after child (Scotland, 24 hours)"
    ),
    Anchor.NOTIFICATION_SENT: (
        "the notification was sent: in England the serious incident notification submitted to the Panel; "
        "elsewhere the notification to the LSCB, CPC or SBNI"
    ),
    Anchor.REFERRAL_RECEIVED: (
        "the partnership business unit received the copy of the notification that acts as the rapid review "
        "referral (Devon counts the rapid review from here; see conflict C1)"
    ),
    Anchor.RAPID_REVIEW_SENT: "the rapid review and the partners' decision were sent to the Panel",
    Anchor.LEAD_INFORMED: "the designated person first told the agreed lead about the case (Scotland 2015)",
    Anchor.REPORTS_REQUESTED: (
        "the committee's lead officer asked the agencies for their reports (Scotland 2015)"
    ),
    Anchor.REFERRAL: (
        "the case was referred to the board, committee or panel for a review (Wales, Scotland, NI)"
    ),
    Anchor.DECISION: "the decision on whether to hold a review was made",
    Anchor.REVIEW_STARTED: "the review formally started",
    Anchor.FINAL_REPORT: "the final report was agreed",
    Anchor.OUTCOME_RATIFIED: "the chief officers group ratified the outcome of the review (Scotland)",
    Anchor.INTENDED_PUBLICATION: "the date on which publication is planned",
    Anchor.PUBLICATION: "the report (or the information about improvements) was published",
}


class RuleStatus(StrEnum):
    """How binding a timescale is (process-rules.md section 0)."""

    STATUTORY = "statutory"  # an Act, regulations, or a "must" in statutory guidance
    EXPECTED = "expected"  # a "should", a Panel expectation, national non-statutory guidance
    LOCAL = "local"  # one partnership's own practice


class DeadlineKind(StrEnum):
    """A deadline to meet, a reminder to chase someone else, or a minimum period to keep something up."""

    DEADLINE = "deadline"
    CHASE = "chase"
    MINIMUM_PERIOD = "minimum_period"


class ResponsibleRole(StrEnum):
    """Who answers for a deadline: a partnership role, or the kind of agency that must act."""

    BUSINESS_MANAGER = "business_manager"
    CHAIR = "chair"
    AGENCY_LEAD = "agency_lead"
    SIGNATORY = "signatory"
    REVIEWER = "reviewer"
    MEMBER = "member"
    LOCAL_AUTHORITY = "local_authority"
    POLICE = "police"
    HEALTH = "health"
    EDUCATION = "education"


class VerificationTag(StrEnum):
    """process-rules.md tags: seen in the source, partly verified, or not verified."""

    V = "V"
    P = "P"
    U = "U"


class Basis(StrEnum):
    """Where a timescale's figure comes from: a published source, or ReviewBot's own default where no
    published timescale was found (Wales SUSR, Northern Ireland CMR). A default is shown as such, never
    with a URL as if the figure were sourced."""

    PUBLISHED = "published"
    REVIEWBOT_DEFAULT = "reviewbot_default"


REVIEWBOT_DEFAULT_TEXT = "ReviewBot default, no published timescale"


class Phase(StrEnum):
    """Which part of the process a deadline belongs to.

    notification: owed whatever happens next (the notification itself); rapid_review: the work up to
    and including the decision (only when a rapid review starts: abuse or neglect known or suspected
    where the nation requires it); review: only when the partners decide to hold the review.
    """

    NOTIFICATION = "notification"
    RAPID_REVIEW = "rapid_review"
    REVIEW = "review"


class CalendarChoice(StrEnum):
    """Which days count: the rule set's nation calendar (working days) or every day."""

    NATION = "nation"
    CALENDAR = "calendar"


_ROW = re.compile(r"^([A-Z]{1,2}\d{1,3}|local)$")


class Verification(BaseModel):
    """How sure we are of a figure, and where in process-rules.md to check it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tag: VerificationTag
    row: str = Field(
        description="the process-rules.md row id, e.g. E7; 'local' for a partnership's own milestone"
    )
    related_rows: list[str] = Field(default_factory=list, description="conflict or checklist rows, e.g. C1")

    @field_validator("row")
    @classmethod
    def _row_id(cls, value: str) -> str:
        if not _ROW.match(value):
            raise ValueError(f"row must be a process-rules.md row id such as 'E7' or 'local', got {value!r}")
        return value

    @field_validator("related_rows")
    @classmethod
    def _related_row_ids(cls, values: list[str]) -> list[str]:
        for value in values:
            if not _ROW.match(value):
                raise ValueError(f"related rows must be process-rules.md row ids such as 'C1', got {value!r}")
        return values

    def __str__(self) -> str:
        return f"[{self.tag.value}] {self.row}"


_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class DeadlineRule(BaseModel):
    """One timescale: counted from an anchor event, in a unit, on a calendar, owed by a role."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: str
    anchor: Anchor
    alternative_anchors: list[Anchor] = Field(
        default_factory=list,
        description="anchors a partnership may choose instead, where sources conflict (e.g. C1)",
    )
    amount: int = Field(ge=0)
    unit: Unit
    direction: Direction = Direction.AFTER
    calendar: CalendarChoice
    status: RuleStatus
    responsible_role: ResponsibleRole
    applies_to: list[NotificationType] = Field(
        default_factory=list, description="notification types this applies to; empty means all"
    )
    kind: DeadlineKind = DeadlineKind.DEADLINE
    phase: Phase = Phase.RAPID_REVIEW
    configurable: bool
    basis: Basis = Basis.PUBLISHED
    source_urls: list[str] = Field(
        min_length=1,
        description="where the figure is published; for a ReviewBot default, where the step is described",
    )
    verification: Verification
    note: str = ""
    override_note: str | None = Field(
        default=None, description="set by apply_overrides: what the partnership changed, for traceability"
    )

    @field_validator("id")
    @classmethod
    def _snake_case_id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(f"deadline id must be lower_snake_case, got {value!r}")
        return value

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Self:
        if (self.unit is Unit.WORKING_DAYS) != (self.calendar is CalendarChoice.NATION):
            raise ValueError(
                f"deadline {self.id!r}: working days count on the nation calendar (calendar: nation); "
                "every other unit counts every day (calendar: calendar)"
            )
        if self.verification.tag is not VerificationTag.V and not self.configurable:
            raise ValueError(
                f"deadline {self.id!r} is tagged [{self.verification.tag.value}] (not verified): "
                "it must be configurable: true"
            )
        if self.status is RuleStatus.LOCAL and not self.configurable:
            raise ValueError(f"deadline {self.id!r} is local practice: it must be configurable: true")
        if self.kind is DeadlineKind.MINIMUM_PERIOD and self.direction is not Direction.AFTER:
            raise ValueError(f"deadline {self.id!r}: a minimum period runs after its anchor")
        if self.anchor in self.alternative_anchors:
            raise ValueError(f"deadline {self.id!r}: alternative_anchors must not repeat the anchor")
        for url in self.source_urls:
            if url.startswith(("https://", "http://")):
                continue
            if url.startswith("local:") and self.status is RuleStatus.LOCAL:
                continue
            raise ValueError(f"deadline {self.id!r}: source {url!r} is not an http(s) URL")
        if (info.context or {}).get("snapshot"):
            # A case's frozen copy of an earlier version: read as it was written.
            return self
        if self.status is RuleStatus.STATUTORY and self.verification.tag is not VerificationTag.V:
            raise ValueError(
                f"deadline {self.id!r} is tagged [{self.verification.tag.value}]: an amount that is not "
                "verified in its source is never labelled statutory (use expected or local)"
            )
        if self.basis is Basis.REVIEWBOT_DEFAULT and (
            self.status is not RuleStatus.LOCAL or self.verification.tag is not VerificationTag.U
        ):
            raise ValueError(
                f"deadline {self.id!r}: a ReviewBot default is a local, unverified figure "
                "(status: local, tag: U)"
            )
        return self

    def applies(self, notification_type: NotificationType | str) -> bool:
        """Whether this deadline applies to a case notified as ``notification_type``."""
        return not self.applies_to or NotificationType(notification_type) in self.applies_to

    @property
    def is_default(self) -> bool:
        return self.basis is Basis.REVIEWBOT_DEFAULT

    def source_text(self) -> str:
        """What to show as the timescale's source: the URLs, or that it is ReviewBot's default."""
        if self.is_default:
            return REVIEWBOT_DEFAULT_TEXT
        return " ; ".join(self.source_urls)

    @property
    def moves_with_closures(self) -> bool:
        """Only a local target moves with a partnership's closure days; a statutory or expected date
        is counted on the nation's own calendar, whatever days the partnership closes."""
        return self.status is RuleStatus.LOCAL

    def timescale(self) -> str:
        """'5 working days after la_aware', 'at least 7 working days before intended_publication'."""
        if self.direction is Direction.BEFORE:
            return f"at least {self.unit.describe(self.amount)} before {self.anchor.value}"
        if self.kind is DeadlineKind.MINIMUM_PERIOD:
            return f"at least {self.unit.describe(self.amount)} from {self.anchor.value}"
        return f"{self.unit.describe(self.amount)} after {self.anchor.value}"


# -- after the decision: each nation's review as data ------------------------------------------------

STAGE_IDS = (
    "notified",
    "rapid_review",
    "decision",
    "local_review_commissioned",
    "no_further_review",
    "published",
    "actions",
    "closed",
)
"""The stages a case moves through (bot.cases.states.Stage has the same values; a test holds them equal)."""


class AutoTrigger(StrEnum):
    """A step elsewhere in ReviewBot that records an event by itself (nobody records it twice)."""

    OPENED = "opened"  # the case opened (the notifying body became aware)
    NOTIFICATION_SENT = "notification_sent"  # the notification recorded as sent
    DECISION_MADE = "decision_made"  # every partner signed off the decision (its instant: the last one)
    DECISION_SENT = "decision_sent"  # the decision sent to the national body (`/review panel sent`)
    NATIONAL_REPLY = "national_reply"  # the Panel's reply recorded (England)


class LifecycleEvent(BaseModel):
    """One event of a case's life that dates deadlines (its anchor) or meets them.

    Events without ``auto`` are recorded by `/review record <id> [DD/MM/YYYY] [link]`. Every date a
    person gives is checked: not in the future when ``must_be_past``, not before any event in ``after``
    that has been recorded.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: str = Field(min_length=3, max_length=120)
    anchor: Anchor | None = Field(default=None, description="the anchor this event dates, if any")
    auto: AutoTrigger | None = None
    must_be_past: bool = True
    after: list[str] = Field(default_factory=list, description="events it can't come before")
    link: bool = Field(default=False, description="asks for a link (a published report)")
    meets: list[str] = Field(default_factory=list, description="deadline ids met when it is recorded")
    moves_to: str | None = Field(default=None, description="the stage the case reaches with it")
    review_only: bool = Field(default=False, description="only when the partners hold the review")

    @field_validator("id")
    @classmethod
    def _event_id(cls, value: str) -> str:
        if not _ID.match(value) or len(value) > 40:
            raise ValueError(f"event id must be lower_snake_case (at most 40 characters), got {value!r}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.anchor is not None and self.anchor.value != self.id:
            raise ValueError(f"event {self.id!r}: an event that dates an anchor is named after it")
        if self.moves_to is not None and self.moves_to not in STAGE_IDS:
            raise ValueError(f"event {self.id!r}: unknown stage {self.moves_to!r}")
        return self


class Lifecycle(BaseModel):
    """A rule set's review after (and around) the decision: its names, stages and events."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    review_type: str = Field(description="a short id for statistics, e.g. lcspr, cpr, susr, learning_review")
    review_name: str = Field(description="the review the partners may decide to hold, as people call it")
    pre_decision: str = Field(description="what comes before the decision, e.g. 'Rapid review'")
    national_body: str = Field(description="who is told of the decision, e.g. 'the Panel'")
    national_review_question: bool = Field(
        default=False, description="whether the decision gives a view on a national review (England)"
    )
    national_reply: bool = Field(
        default=False, description="whether the national body replies before the case moves on (England)"
    )
    review_needs_abuse_or_neglect: bool = Field(
        description="whether a rapid review (and a review) only starts when abuse or neglect is known or "
        "suspected"
    )
    decision_rule: str | None = Field(default=None, description="the deadline the decision is judged by")
    timescale_rule: str | None = Field(
        default=None, description="the deadline 'published (or completed) within timescale' is judged by"
    )
    stage_labels: dict[str, str] = Field(default_factory=dict, description="this review's names for stages")
    sources: list[str] = Field(min_length=1)
    events: list[LifecycleEvent] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        ids = [e.id for e in self.events]
        if len(ids) != len(set(ids)):
            raise ValueError("lifecycle: an event id is used twice")
        for event in self.events:
            unknown = sorted(set(event.after) - set(ids))
            if unknown:
                raise ValueError(f"lifecycle event {event.id!r}: 'after' names unknown events {unknown}")
        unknown_stages = sorted(set(self.stage_labels) - set(STAGE_IDS))
        if unknown_stages:
            raise ValueError(f"lifecycle: unknown stages {unknown_stages}")
        for url in self.sources:
            if not url.startswith(("https://", "http://")):
                raise ValueError(f"lifecycle: source {url!r} is not an http(s) URL")
        return self

    def event(self, event_id: str) -> LifecycleEvent | None:
        return next((e for e in self.events if e.id == event_id), None)

    def recorded_by(self, trigger: AutoTrigger) -> list[LifecycleEvent]:
        return [e for e in self.events if e.auto is trigger]

    def by_command(self) -> list[LifecycleEvent]:
        """The events people record themselves, in the order they usually happen."""
        return [e for e in self.events if e.auto is None]


_RULESET_ID = re.compile(r"^[a-z][a-z0-9-]*$")


class RuleSet(BaseModel):
    """The deadlines of one nation's process in one edition of its guidance."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    nation: Nation
    family: str = Field(
        description="editions of the same process share a family; one edition is in force at a time"
    )
    edition: str
    in_force_from: date
    in_force_to: date | None = None
    version: int = Field(ge=1, description="bump whenever a figure, anchor or source changes")
    calendar_nation: Nation
    sources: list[str] = Field(min_length=1)
    notes: list[str] = Field(default_factory=list)
    deadlines: list[DeadlineRule] = Field(min_length=1)
    lifecycle: Lifecycle | None = None

    @field_validator("id", "family")
    @classmethod
    def _kebab_case(cls, value: str) -> str:
        if not _RULESET_ID.match(value):
            raise ValueError(f"rule set ids and families must be lower-kebab-case, got {value!r}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.in_force_to is not None and self.in_force_to < self.in_force_from:
            raise ValueError(f"rule set {self.id!r}: in_force_to is before in_force_from")
        seen: set[str] = set()
        for deadline in self.deadlines:
            if deadline.id in seen:
                raise ValueError(f"rule set {self.id!r}: deadline id {deadline.id!r} is used twice")
            seen.add(deadline.id)
        for url in self.sources:
            if not url.startswith(("https://", "http://")):
                raise ValueError(f"rule set {self.id!r}: source {url!r} is not an http(s) URL")
        if self.lifecycle is not None:
            self._check_lifecycle(self.lifecycle, seen)
        return self

    def _check_lifecycle(self, lifecycle: Lifecycle, deadline_ids: set[str]) -> None:
        for name in (lifecycle.decision_rule, lifecycle.timescale_rule):
            if name is not None and name not in deadline_ids:
                raise ValueError(f"rule set {self.id!r}: the lifecycle names unknown deadline {name!r}")
        for event in lifecycle.events:
            unknown = sorted(set(event.meets) - deadline_ids)
            if unknown:
                raise ValueError(
                    f"rule set {self.id!r}: lifecycle event {event.id!r} meets unknown deadlines {unknown}"
                )
        recorded = {e.anchor for e in lifecycle.events if e.anchor is not None}
        implicit = {Anchor.LA_AWARE, Anchor.INCIDENT, Anchor.DEATH_KNOWN, Anchor.NOTIFICATION_SENT}
        for deadline in self.deadlines:
            if deadline.anchor not in recorded | implicit:
                raise ValueError(
                    f"rule set {self.id!r}: deadline {deadline.id!r} is counted from "
                    f"{deadline.anchor.value}, which no lifecycle event records"
                )

    def deadline(self, deadline_id: str) -> DeadlineRule:
        """The deadline with this id; KeyError naming the known ids otherwise."""
        for deadline in self.deadlines:
            if deadline.id == deadline_id:
                return deadline
        known = ", ".join(d.id for d in self.deadlines)
        raise KeyError(f"rule set {self.id!r} has no deadline {deadline_id!r} (known: {known})")

    def deadlines_for(self, notification_type: NotificationType | str) -> list[DeadlineRule]:
        """The deadlines that apply to a case of this notification type, in rule-set order."""
        return [deadline for deadline in self.deadlines if deadline.applies(notification_type)]
