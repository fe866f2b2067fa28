"""A partnership's local changes to a national rule set, and the guard on what it may change.

Why a guard: partnerships legitimately add their own milestones (agency summaries by working day 10,
panel meeting by day 12, sign-off by day 14), choose an anchor where sources conflict (conflict C1:
rapid review from the notification or from the referral) and set figures the research could not
verify. They must not quietly shorten or stretch a verified statutory timescale, so
:func:`apply_overrides` refuses that with a message naming the deadline.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.calendar.working_days import Direction, Unit
from bot.rules.checklist_templates import ChecklistItemTemplate, KnownItemId
from bot.rules.models import (
    ANCHOR_DESCRIPTIONS,
    Anchor,
    CalendarChoice,
    DeadlineKind,
    DeadlineRule,
    NotificationType,
    RuleSet,
    RuleStatus,
)

LOCAL_SOURCE = "local:partnership-overrides"


class LocalMilestone(BaseModel):
    """A partnership's own target, e.g. "agency summaries by working day 10 after the notification"."""

    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    anchor: str
    amount: int = Field(ge=0)
    unit: str = "working_days"
    responsible_role: str = "business_manager"
    direction: str = "after"
    applies_to: list[NotificationType] = Field(default_factory=list)
    note: str = ""
    source_url: str | None = Field(default=None, description="the partnership's procedure page, if any")

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, value: str) -> str:
        if value not in {unit.value for unit in Unit}:
            raise ValueError(f"unit must be one of {', '.join(unit.value for unit in Unit)}; got {value!r}")
        return value

    @field_validator("direction")
    @classmethod
    def _known_direction(cls, value: str) -> str:
        if value not in {direction.value for direction in Direction}:
            raise ValueError(f"direction must be 'after' or 'before'; got {value!r}")
        return value


class RuleOverrides(BaseModel):
    """Everything a partnership may change about a national rule set, from its configuration file."""

    model_config = ConfigDict(extra="forbid")

    local_milestones: list[LocalMilestone] = Field(default_factory=list)
    anchors: dict[str, str] = Field(default_factory=dict, description="deadline id -> anchor to count from")
    amounts: dict[str, int] = Field(
        default_factory=dict, description="deadline id -> amount, configurable ones only"
    )
    extra_closure_days: list[date] = Field(default_factory=list)
    edition_starts: dict[str, date] = Field(
        default_factory=dict,
        description="rule set id -> the date the partnership treats as the edition's start (england-2023)",
    )
    checklist_items: list[ChecklistItemTemplate] = Field(
        default_factory=list,
        description="rapid review checklist items to add, or to replace the template's item with the same id",
    )
    checklist_removed: list[KnownItemId] = Field(
        default_factory=list, description="template checklist item ids the partnership does not use (e.g. R6)"
    )


def apply_overrides(ruleset: RuleSet, overrides: RuleOverrides) -> RuleSet:
    """``ruleset`` with the partnership's milestones, anchors and amounts applied.

    Raises ValueError, naming the deadline, for an unknown deadline id, an unknown anchor, an anchor
    change the sources do not allow, or an amount change on a deadline whose figure is verified
    (``configurable: false``). Every change is recorded in the deadline's ``override_note``.
    Extra closure days are not part of a rule set: pass them to the WorkingCalendar
    (see bot.rules.compute.calendar_for).
    """
    deadlines: dict[str, DeadlineRule] = {deadline.id: deadline for deadline in ruleset.deadlines}

    for milestone in overrides.local_milestones:
        if milestone.id in deadlines:
            raise ValueError(
                f"local milestone {milestone.id!r}: rule set {ruleset.id!r} already has a deadline with "
                "that id; choose another id"
            )
        deadlines[milestone.id] = _milestone_rule(milestone)

    for deadline_id, anchor_name in overrides.anchors.items():
        rule = _lookup(ruleset, deadlines, deadline_id, "anchor")
        anchor = _anchor(anchor_name, f"deadline {deadline_id!r}")
        if anchor is rule.anchor:
            continue
        if anchor not in rule.alternative_anchors and rule.status is not RuleStatus.LOCAL:
            allowed = ", ".join(a.value for a in rule.alternative_anchors) or "none"
            raise ValueError(
                f"deadline {deadline_id!r} ({rule.label}) is counted from {rule.anchor.value}; "
                f"the sources allow no other anchor than {allowed}, so it cannot be counted from "
                f"{anchor.value}"
            )
        alternatives = [a for a in rule.alternative_anchors if a is not anchor]
        if rule.status is not RuleStatus.LOCAL:
            alternatives.append(rule.anchor)
        deadlines[deadline_id] = _revalidate(
            rule,
            anchor=anchor,
            alternative_anchors=alternatives,
            override_note=_note(rule, f"counted from {anchor.value} instead of {rule.anchor.value}"),
        )

    for deadline_id, amount in overrides.amounts.items():
        rule = _lookup(ruleset, deadlines, deadline_id, "amount")
        if amount < 0:
            raise ValueError(f"deadline {deadline_id!r}: the amount must be zero or more, got {amount}")
        if amount == rule.amount:
            continue
        if not rule.configurable:
            raise ValueError(
                f"deadline {deadline_id!r} ({rule.label}) is a {rule.status.value} timescale verified in its "
                f"source ({rule.verification}): {rule.unit.describe(rule.amount)} cannot be changed to "
                f"{amount}. Add a local milestone for an earlier internal target instead"
            )
        deadlines[deadline_id] = _revalidate(
            rule,
            amount=amount,
            override_note=_note(rule, f"amount {rule.amount} changed to {amount} {rule.unit.value}"),
        )

    data = ruleset.model_dump()
    data["deadlines"] = [deadline.model_dump() for deadline in deadlines.values()]
    return RuleSet.model_validate(data)


def _lookup(
    ruleset: RuleSet, deadlines: dict[str, DeadlineRule], deadline_id: str, what: str
) -> DeadlineRule:
    if deadline_id not in deadlines:
        known = ", ".join(deadlines)
        raise ValueError(
            f"{what} override for unknown deadline {deadline_id!r}: rule set {ruleset.id!r} has {known}"
        )
    return deadlines[deadline_id]


def _anchor(name: str, where: str) -> Anchor:
    try:
        return Anchor(name)
    except ValueError:
        known = ", ".join(anchor.value for anchor in ANCHOR_DESCRIPTIONS)
        raise ValueError(f"{where}: unknown anchor {name!r}; known anchors: {known}") from None


def _note(rule: DeadlineRule, change: str) -> str:
    earlier = f"{rule.override_note}; " if rule.override_note else ""
    return f"{earlier}partnership override: {change}"


def _revalidate(rule: DeadlineRule, **changes: object) -> DeadlineRule:
    """model_copy does not validate; rebuilding does, so an override cannot produce a bad rule."""
    return DeadlineRule.model_validate({**rule.model_dump(), **changes})


def _milestone_rule(milestone: LocalMilestone) -> DeadlineRule:
    where = f"local milestone {milestone.id!r}"
    anchor = _anchor(milestone.anchor, where)
    unit = Unit(milestone.unit)
    try:
        return DeadlineRule.model_validate(
            {
                "id": milestone.id,
                "label": milestone.label,
                "anchor": anchor,
                "amount": milestone.amount,
                "unit": unit,
                "direction": milestone.direction,
                "calendar": CalendarChoice.NATION if unit is Unit.WORKING_DAYS else CalendarChoice.CALENDAR,
                "status": RuleStatus.LOCAL,
                "responsible_role": milestone.responsible_role,
                "applies_to": milestone.applies_to,
                "kind": DeadlineKind.DEADLINE,
                "configurable": True,
                "source_urls": [milestone.source_url or LOCAL_SOURCE],
                # The partnership's own file is the source of its own milestone.
                "verification": {"tag": "V", "row": "local"},
                "note": milestone.note or "Set by the partnership's configuration.",
                "override_note": "local milestone added by the partnership",
            }
        )
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}" for e in error.errors()
        )
        raise ValueError(f"{where}: {problems}") from None
