"""A serious incident notification as submitted, and the checks it must pass before a case opens.

The modal and the webhook both produce a :class:`NotificationForm` and both call
:func:`problems_with`, so the same input gets the same answer whichever way it arrives. Problems are
keyed by field name (``children.0.pseudonym``) so each surface can show them beside the field.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.clock import ensure_utc, london_date
from bot.privacy.findings import GuardMode
from bot.privacy.guard import guard
from bot.privacy.pseudonyms import check_length, looks_like_pseudonym
from bot.rules.models import NotificationType

MAX_CHILDREN = 4
SUMMARY_LIMIT = 500
PSEUDONYM_LIMIT = 24

NOTIFICATION_TYPE_LABELS: dict[NotificationType, str] = {
    NotificationType.DEATH: "Death of a child",
    NotificationType.SERIOUS_HARM: "Serious harm to a child",
    NotificationType.LOOKED_AFTER_CHILD_DEATH: "Death of a looked-after child",
    NotificationType.CARE_LEAVER_DEATH: "Death of a care leaver (up to 24)",
    NotificationType.RESIDENT_CHILD_ELSEWHERE: "Child normally resident here, harmed or died elsewhere",
}


class AbuseOrNeglect(StrEnum):
    KNOWN = "known"
    SUSPECTED = "suspected"
    NOT_SUSPECTED = "not_suspected"


class YesNoNotKnown(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_KNOWN = "not_known"


class AgeBand(StrEnum):
    UNDER_1 = "under_1"
    AGE_1_4 = "1_4"
    AGE_5_9 = "5_9"
    AGE_10_15 = "10_15"
    AGE_16_17 = "16_17"
    AGE_18_24 = "18_24"
    NOT_KNOWN = "not_known"


AGE_BAND_LABELS = {
    AgeBand.UNDER_1: "Under 1",
    AgeBand.AGE_1_4: "1 to 4",
    AgeBand.AGE_5_9: "5 to 9",
    AgeBand.AGE_10_15: "10 to 15",
    AgeBand.AGE_16_17: "16 or 17",
    AgeBand.AGE_18_24: "18 to 24",
    AgeBand.NOT_KNOWN: "Not known",
}


class LegalStatus(StrEnum):
    CHILD_PROTECTION_PLAN = "child_protection_plan"
    CHILD_IN_NEED = "child_in_need"
    LOOKED_AFTER = "looked_after"
    NONE = "none"
    NOT_KNOWN = "not_known"


LEGAL_STATUS_LABELS = {
    LegalStatus.CHILD_PROTECTION_PLAN: "Child protection plan",
    LegalStatus.CHILD_IN_NEED: "Child in need",
    LegalStatus.LOOKED_AFTER: "Looked after",
    LegalStatus.NONE: "None",
    LegalStatus.NOT_KNOWN: "Not known",
}


class ChildEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pseudonym: str = Field(min_length=1, max_length=PSEUDONYM_LIMIT, examples=["Child A"])
    age_band: AgeBand = AgeBand.NOT_KNOWN
    legal_status: LegalStatus = LegalStatus.NOT_KNOWN

    @field_validator("pseudonym")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


class NotificationForm(BaseModel):
    """What the person (or the other system) tells us. Never a name, date of birth or address."""

    model_config = ConfigDict(extra="forbid")

    notification_type: NotificationType
    la_aware_at: datetime = Field(
        description="when the local authority became aware (aware instant, with zone)"
    )
    incident_on: date | None = None
    abuse_or_neglect: AbuseOrNeglect = AbuseOrNeglect.SUSPECTED
    children: list[ChildEntry] = Field(min_length=1, max_length=MAX_CHILDREN)
    agencies: list[str] = Field(default_factory=list, description="agency ids from the partnership file")
    police_investigation: YesNoNotKnown = YesNoNotKnown.NOT_KNOWN
    media_interest: bool = False
    notification_sent_at: datetime | None = Field(
        default=None, description="when the notification was sent to the Panel, if it has been"
    )
    summary: str | None = Field(default=None, max_length=SUMMARY_LIMIT)

    @field_validator("la_aware_at", "notification_sent_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("give a time zone, e.g. 2026-12-18T09:30:00Z or +00:00")
        return ensure_utc(value)

    @field_validator("summary")
    @classmethod
    def _blank_summary(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        return value or None


Problems = dict[str, str]


def problems_with(
    form: NotificationForm,
    *,
    now: datetime,
    known_agencies: set[str],
    guard_mode: GuardMode,
    allowed_terms: list[str],
) -> tuple[Problems, list[str]]:
    """Field problems that stop the notification, and warnings (identifier guard in warn mode).

    The messages never repeat the person's text: a refused value must not reach a log or a store.
    """
    problems: Problems = {}
    warnings: list[str] = []
    today = london_date(now)
    if form.la_aware_at > now:
        problems["la_aware_at"] = "This is in the future. Give the date the local authority became aware."
    if form.incident_on is not None:
        if form.incident_on > today:
            problems["incident_on"] = "The incident date can't be in the future."
        elif london_date(form.la_aware_at) < form.incident_on:
            problems["la_aware_at"] = (
                "The local authority can't have become aware before the incident happened."
            )
    if form.notification_sent_at is not None:
        if form.notification_sent_at > now:
            problems["notification_sent_at"] = "The notification can't have been sent in the future."
        elif london_date(form.notification_sent_at) < london_date(form.la_aware_at):
            problems["notification_sent_at"] = (
                "The notification can't have been sent before the local authority was aware."
            )
    seen: set[str] = set()
    for index, child in enumerate(form.children):
        key = f"children.{index}.pseudonym"
        if not looks_like_pseudonym(child.pseudonym):
            problems[key] = "Use a pseudonym such as 'Child A' or 'Sibling 1', never the child's name."
        elif child.pseudonym.lower() in seen:
            problems[key] = "Each child needs a different pseudonym."
        seen.add(child.pseudonym.lower())
    unknown = [a for a in form.agencies if a not in known_agencies]
    if unknown:
        problems["agencies"] = "Unknown agency: " + ", ".join(sorted(unknown)[:5]) + ". Choose from the list."
    if form.summary is not None:
        too_long = check_length(form.summary, SUMMARY_LIMIT)
        if too_long:
            problems["summary"] = too_long
        else:
            verdict = guard(form.summary, mode=guard_mode, allowed_terms=allowed_terms)
            if not verdict.ok:
                problems["summary"] = verdict.message
            elif verdict.findings:
                warnings.append(verdict.message)
    return problems, warnings
