"""A safeguarding partnership as configured, and the whole partnership file (:class:`Config`).

A partnership names its nation (which sets the rule set and bank holidays), its channels, agencies
and people, how case references look, and how reminders and the digest run. :class:`Config` holds
every partnership in the file and answers "which partnerships is this Slack user in?".
"""

from __future__ import annotations

import re
import string
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationInfo, model_validator

from bot.calendar.working_days import Nation
from bot.config.agencies import Agency
from bot.config.cross_checks import cross_check
from bot.config.fields import ChannelId, Section, Slug
from bot.config.people import Person, Role
from bot.config.problems import choose, invalid, where
from bot.config.schedules import DigestSchedule, ReminderSettings
from bot.privacy.guard import GuardMode
from bot.retention import Retention
from bot.rules.loader import ruleset_ids
from bot.rules.overrides import RuleOverrides

#: The validation context key with which the loader says it has run the cross checks itself.
CROSS_CHECKED = "reviewbot.config.cross_checked"

_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_/-]{0,39}")


def _reference_pattern(value: str) -> str:
    fix = 'write it like "RR-{year}-{seq:03d}": {seq} is the case number, {year} is optional'
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError:
        raise invalid(
            "reference_pattern", "the case reference pattern has an unmatched { or }", fix
        ) from None
    if "seq" not in fields:
        raise invalid("reference_pattern", "the case reference pattern has no {seq} placeholder", fix)
    unknown = sorted(fields - {"year", "seq"})
    if unknown:
        shown = ", ".join("{" + name + "}" for name in unknown)
        raise invalid(
            "reference_pattern", f"the case reference pattern uses unknown placeholder {shown}", fix
        )
    try:
        sample = value.format(year=2026, seq=7)
    except (ValueError, IndexError, KeyError):
        raise invalid(
            "reference_pattern",
            "the case reference pattern cannot be formatted (check what follows ':')",
            fix,
        ) from None
    if not _REFERENCE.fullmatch(sample):
        raise invalid(
            "reference_pattern",
            f"the case reference pattern gives {sample!r}, which has spaces or other symbols or is too long",
            "references go into channel names: use letters, digits, '-', '_' or '/', at most 40 characters",
        )
    return value


def _known_ruleset(value: str) -> str:
    known = ruleset_ids()
    if value not in known:
        raise invalid(
            "unknown_ruleset",
            f"{value!r} is not a rule set ReviewBot knows",
            choose(value, known) + " (or leave 'ruleset' out to pick by nation and date)",
        )
    return value


class Channels(Section):
    business_unit: ChannelId
    board: ChannelId


class Partnership(Section):
    id: Slug
    name: str = Field(min_length=1)
    nation: Nation
    ruleset: Annotated[str, AfterValidator(_known_ruleset)] | None = None
    case_reference_pattern: Annotated[str, AfterValidator(_reference_pattern)] = "RR-{year}-{seq:03d}"
    identifier_guard: GuardMode = GuardMode.REFUSE
    channels: Channels
    agencies: list[Agency] = Field(min_length=1)
    people: list[Person] = Field(min_length=1)
    sign_off_agencies: list[str] | None = None
    digest: DigestSchedule = Field(default_factory=DigestSchedule)
    reminders: ReminderSettings = Field(default_factory=ReminderSettings)
    closure_days: list[date] = Field(default_factory=list)
    rules: RuleOverrides = Field(default_factory=RuleOverrides)
    retention: Retention | None = None  # unset: closed cases are kept until someone decides

    def person(self, slack_user_id: str) -> Person | None:
        """The person with this Slack id, or None: unknown people get no access (default deny)."""
        return next((p for p in self.people if p.slack_user_id == slack_user_id), None)

    def agency(self, agency_id: str | None) -> Agency | None:
        """The agency with this id; None for None (a person outside any agency) or an unknown id."""
        return next((a for a in self.agencies if a.id == agency_id), None)

    def label_of(self, slack_user_id: str) -> str | None:
        """How ReviewBot's own screens name someone: the role label and agency, e.g. "Business
        manager, LA" (never a person's name; Slack shows each reader the real one). None: not here."""
        person = self.person(slack_user_id)
        if person is None:
            return None
        label = person.label or ", ".join(role.replace("_", " ") for role in person.roles).capitalize()
        if person.agency is None:
            return label
        agency = person.agency.replace("_", " ")
        return f"{label}, {agency.upper() if len(agency) <= 3 else agency.capitalize()}"

    def people_with_role(self, role: Role | str, agency: str | None = None) -> list[Person]:
        """People holding ``role``, optionally only those in one agency, in file order."""
        wanted = Role(role)
        return [p for p in self.people if wanted in p.roles and (agency is None or p.agency == agency)]

    def signatory_agencies(self) -> list[Agency]:
        """Agencies that must sign off a rapid review: as listed, else every statutory partner."""
        if self.sign_off_agencies is None:
            return [a for a in self.agencies if a.statutory_partner]
        return [a for a in (self.agency(i) for i in self.sign_off_agencies) if a is not None]

    def case_reference(self, year: int, seq: int) -> str:
        """A case reference in this partnership's format, e.g. RR-2026-007."""
        return self.case_reference_pattern.format(year=year, seq=seq)

    def allowed_terms(self) -> tuple[str, ...]:
        """Names the identifier guard should not mistake for a person's or school's name."""
        return (self.name, *(a.name for a in self.agencies))


class Config(Section):
    partnerships: list[Partnership] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Config:
        # load_config runs the same checks on the raw YAML (so they can be reported with line numbers
        # alongside other errors) and asks us not to repeat them.
        if info.context and info.context.get(CROSS_CHECKED):
            return self
        issues = list(cross_check(self.model_dump()))
        if issues:
            raise ValueError("; ".join(f"{where(i.loc)}: {i.message} (fix: {i.fix})" for i in issues))
        return self

    def partnership(self, partnership_id: str) -> Partnership:
        """The partnership with this id. Raises KeyError: ids come from our own records, so a
        missing one means the file changed under a live case and should not be papered over."""
        for partnership in self.partnerships:
            if partnership.id == partnership_id:
                return partnership
        raise KeyError(f"no partnership {partnership_id!r} in the partnership file")

    def memberships(self, slack_user_id: str) -> list[tuple[Partnership, Person]]:
        """Every partnership this Slack user belongs to, with their entry in it."""
        out: list[tuple[Partnership, Person]] = []
        for partnership in self.partnerships:
            person = partnership.person(slack_user_id)
            if person is not None:
                out.append((partnership, person))
        return out
