"""The partnership file: who is in each safeguarding partnership, in which role, and how it works.

Configuration as code: one YAML file, validated by pydantic with ``extra="forbid"`` everywhere so a
misspelt setting is an error instead of a silently ignored line. :func:`load_config` reports every
mistake in one run with the file, line and a fix, because the person editing this file is usually a
business manager, not a developer, and one round trip per typo wastes their afternoon.

The checks that span several settings (a person's agency exists, every sign-off agency has a
signatory, ...) are written once, over plain dicts, so they run on the raw YAML even when other
parts of the file do not validate: fixing three mistakes should take one run, not three.
"""

from __future__ import annotations

import difflib
import re
import string
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PositiveInt,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from bot.calendar.working_days import Nation
from bot.privacy.guard import GuardMode, scan
from bot.retention import Retention
from bot.rules.loader import DEFAULT_FAMILIES, all_rulesets, load_ruleset, ruleset_ids
from bot.rules.overrides import RuleOverrides, apply_overrides

__all__ = [
    "Agency",
    "AgencyKind",
    "Channels",
    "Config",
    "ConfigError",
    "DigestSchedule",
    "Escalation",
    "Ladder",
    "Partnership",
    "Person",
    "Problem",
    "ReminderSettings",
    "Role",
    "format_problems",
    "load_config",
    "parse_config",
]


class Role(StrEnum):
    BUSINESS_MANAGER = "business_manager"
    CHAIR = "chair"
    AGENCY_LEAD = "agency_lead"
    SIGNATORY = "signatory"
    REVIEWER = "reviewer"
    MEMBER = "member"


class AgencyKind(StrEnum):
    LOCAL_AUTHORITY = "local_authority"
    POLICE = "police"
    HEALTH = "health"
    EDUCATION = "education"
    OTHER = "other"


Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday"]

_EXAMPLE_FILE = "bot/examples/partnership.example.yaml"


# --- field types with plain-English errors ----------------------------------------------------------


def _invalid(kind: str, message: str, fix: str) -> PydanticCustomError:
    """A validation error whose message and fix reach the person editing the file verbatim.

    The text travels in the context rather than the template so braces in it ("{seq}") are safe.
    """
    return PydanticCustomError(kind, "{message}", {"message": message, "fix": fix})


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{8,}")
_USER_ID = re.compile(r"[UW][A-Z0-9]{8,}")
_CLOCK_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_/-]{0,39}")


def _slug(value: str) -> str:
    if not _SLUG.fullmatch(value):
        raise _invalid(
            "slug",
            f"{value!r} is not a valid id",
            "use lower-case letters, digits and hyphens only, e.g. 'northshire' or 'nhs-trust'",
        )
    return value


def _channel_id(value: str) -> str:
    if not _CHANNEL_ID.fullmatch(value):
        raise _invalid(
            "slack_channel_id",
            f"{value!r} is not a Slack channel id",
            "copy the id from the bottom of the channel's 'About' tab in Slack: C or G followed by at "
            "least 8 capital letters or digits, e.g. C0123ABCD (not the #channel-name)",
        )
    return value


def _user_id(value: str) -> str:
    if not _USER_ID.fullmatch(value):
        raise _invalid(
            "slack_user_id",
            f"{value!r} is not a Slack member id",
            "copy it from the person's Slack profile (⋮ > 'Copy member ID'): U or W followed by at "
            "least 8 capital letters or digits, e.g. U0123ABCD",
        )
    return value


def _clock_time(value: object) -> object:
    if isinstance(value, time):
        return value
    if isinstance(value, str) and (m := _CLOCK_TIME.fullmatch(value.strip())):
        return time(int(m[1]), int(m[2]))
    raise _invalid(
        "clock_time",
        f"{value!r} is not a time of day",
        'write a 24-hour time as HH:MM in quotes, e.g. "09:00"',
    )


def _role_label(value: str) -> str:
    # Never echo the label: if it is a name, repeating it in an error would spread it further.
    if scan(value):
        raise _invalid(
            "label_looks_identifying",
            "this label looks like a person's name or contact details",
            "labels describe the role, not the person: write e.g. 'Business manager' or 'Police lead' "
            "(the Slack id already says who it is)",
        )
    return value


def _reference_pattern(value: str) -> str:
    fix = 'write it like "RR-{year}-{seq:03d}": {seq} is the case number, {year} is optional'
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError:
        raise _invalid(
            "reference_pattern", "the case reference pattern has an unmatched { or }", fix
        ) from None
    if "seq" not in fields:
        raise _invalid("reference_pattern", "the case reference pattern has no {seq} placeholder", fix)
    unknown = sorted(fields - {"year", "seq"})
    if unknown:
        shown = ", ".join("{" + name + "}" for name in unknown)
        raise _invalid(
            "reference_pattern", f"the case reference pattern uses unknown placeholder {shown}", fix
        )
    try:
        sample = value.format(year=2026, seq=7)
    except (ValueError, IndexError, KeyError):
        raise _invalid(
            "reference_pattern",
            "the case reference pattern cannot be formatted (check what follows ':')",
            fix,
        ) from None
    if not _REFERENCE.fullmatch(sample):
        raise _invalid(
            "reference_pattern",
            f"the case reference pattern gives {sample!r}, which has spaces or other symbols or is too long",
            "references go into channel names: use letters, digits, '-', '_' or '/', at most 40 characters",
        )
    return value


def _known_ruleset(value: str) -> str:
    known = ruleset_ids()
    if value not in known:
        raise _invalid(
            "unknown_ruleset",
            f"{value!r} is not a rule set ReviewBot knows",
            _choose(value, known) + " (or leave 'ruleset' out to pick by nation and date)",
        )
    return value


Slug = Annotated[str, AfterValidator(_slug)]
ChannelId = Annotated[str, AfterValidator(_channel_id)]
SlackUserId = Annotated[str, AfterValidator(_user_id)]
ClockTime = Annotated[
    time, BeforeValidator(_clock_time), PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str)
]


# --- models -----------------------------------------------------------------------------------------


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Channels(_Section):
    business_unit: ChannelId
    board: ChannelId


class Agency(_Section):
    id: Slug
    name: str = Field(min_length=1)
    kind: AgencyKind
    statutory_partner: bool = False


class Person(_Section):
    """Someone who uses ReviewBot, known by Slack id; ``label`` is a role ("Police lead"), never a name."""

    slack_user_id: SlackUserId
    label: Annotated[str, AfterValidator(_role_label)] | None = None
    agency: str | None = None
    roles: list[Role] = Field(min_length=1)

    def has_role(self, role: Role | str) -> bool:
        return Role(role) in self.roles


class DigestSchedule(_Section):
    weekday: Weekday = "monday"
    time: ClockTime = time(8, 30)
    idle_working_days: PositiveInt = 10


class Ladder(_Section):
    """When to remind about one kind of deadline, counted in working days."""

    before_working_days: list[PositiveInt] = Field(default_factory=lambda: [5, 2, 1])
    on_due_day: bool = True
    overdue_every_working_days: PositiveInt = 1

    @field_validator("before_working_days")
    @classmethod
    def _furthest_first(cls, days: list[int]) -> list[int]:
        # Order in the file carries no meaning; a fixed order keeps reminder keys stable.
        return sorted(set(days), reverse=True)


class Escalation(_Section):
    business_manager_after_working_days: PositiveInt = 1
    chair_after_working_days: PositiveInt = 3


class ReminderSettings(_Section):
    delivery_time: ClockTime = time(9, 0)
    ladders: dict[str, Ladder] = Field(default_factory=lambda: {"default": Ladder()})
    escalation: Escalation = Field(default_factory=Escalation)

    @field_validator("ladders")
    @classmethod
    def _with_default(cls, ladders: dict[str, Ladder]) -> dict[str, Ladder]:
        # Every deadline kind without its own ladder uses "default", so it must always exist.
        return ladders if "default" in ladders else {"default": Ladder(), **ladders}

    def ladder(self, kind: str) -> Ladder:
        """The ladder for one kind of deadline, falling back to the default ladder."""
        return self.ladders.get(kind, self.ladders["default"])


class Partnership(_Section):
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


class Config(_Section):
    partnerships: list[Partnership] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Config:
        # load_config runs the same checks on the raw YAML (so they can be reported with line numbers
        # alongside other errors) and asks us not to repeat them.
        if info.context and info.context.get(_CROSS_CHECKED):
            return self
        issues = list(_cross_check(self.model_dump()))
        if issues:
            raise ValueError("; ".join(f"{_where(i.loc)}: {i.message} (fix: {i.fix})" for i in issues))
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


_CROSS_CHECKED = "reviewbot.config.cross_checked"


# --- checks across settings (run on plain data) -----------------------------------------------------

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class _Issue:
    loc: Loc
    message: str
    fix: str


def _choose(value: object, options: Sequence[str]) -> str:
    """A fix that suggests the closest option, or lists them all."""
    close = difflib.get_close_matches(str(value), list(options), n=1)
    listed = ", ".join(options) if options else "(none defined)"
    return f"did you mean '{close[0]}'? (choices: {listed})" if close else f"use one of: {listed}"


def _items(value: object) -> list[tuple[int, dict[str, Any]]]:
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _cross_check(data: object) -> Iterator[_Issue]:
    """Checks that span several settings, tolerant of any shape the YAML might have."""
    if not isinstance(data, dict):
        return
    seen: set[str] = set()
    for i, partnership in _items(data.get("partnerships")):
        base: Loc = ("partnerships", i)
        pid = partnership.get("id")
        if isinstance(pid, str):
            if pid in seen:
                yield _Issue(
                    (*base, "id"), f"partnership id '{pid}' is used twice", "give each partnership its own id"
                )
            seen.add(pid)
        yield from _check_partnership(partnership, base)


def _check_partnership(p: dict[str, Any], base: Loc) -> Iterator[_Issue]:
    agency_ids: list[str] = []
    for j, agency in _items(p.get("agencies")):
        aid = agency.get("id")
        if not isinstance(aid, str):
            continue
        if aid in agency_ids:
            yield _Issue(
                (*base, "agencies", j, "id"),
                f"agency id '{aid}' is used twice in this partnership",
                "give each agency its own id (people and sign_off_agencies refer to agencies by id)",
            )
        else:
            agency_ids.append(aid)

    people = _items(p.get("people"))
    seen_users: set[str] = set()
    for k, person in people:
        uid = person.get("slack_user_id")
        if isinstance(uid, str):
            if uid in seen_users:
                yield _Issue(
                    (*base, "people", k, "slack_user_id"),
                    f"Slack user {uid} is listed twice in this partnership",
                    "list each person once, with all their roles in one 'roles' list",
                )
            seen_users.add(uid)
        person_agency = person.get("agency")
        if person_agency is not None and person_agency not in agency_ids:
            yield _Issue(
                (*base, "people", k, "agency"),
                f"agency '{person_agency}' is not one of this partnership's agencies",
                _choose(person_agency, agency_ids) + ", or add it under 'agencies'",
            )

    def roles_of(person: dict[str, Any]) -> set[str]:
        roles = person.get("roles")
        return {str(r) for r in roles} if isinstance(roles, list) else set()

    sign_off = p.get("sign_off_agencies")
    required: list[tuple[Loc, str]] = []
    if isinstance(sign_off, list):
        for j, aid in enumerate(sign_off):
            if aid in agency_ids:
                required.append(((*base, "sign_off_agencies", j), aid))
            else:
                yield _Issue(
                    (*base, "sign_off_agencies", j),
                    f"sign-off agency '{aid}' is not one of this partnership's agencies",
                    _choose(aid, agency_ids),
                )
    elif sign_off is None:
        required = [
            ((*base, "agencies", j, "statutory_partner"), a["id"])
            for j, a in _items(p.get("agencies"))
            if a.get("statutory_partner") is True and a.get("id") in agency_ids
        ]
    for loc, aid in required:
        if not any(
            person.get("agency") == aid and Role.SIGNATORY in roles_of(person) for _, person in people
        ):
            yield _Issue(
                loc,
                f"no one can sign off for agency '{aid}'",
                f"give a person in agency '{aid}' the signatory role (roles: [signatory])",
            )

    if people:  # an empty or unreadable list is reported by validation; "no chair" would only repeat it
        for role in (Role.BUSINESS_MANAGER, Role.CHAIR):
            if not any(role in roles_of(person) for _, person in people):
                yield _Issue(
                    (*base, "people"),
                    f"this partnership has no {role}",
                    f"add '{role}' to the roles of at least one person",
                )

    yield from _check_ruleset_nation(p, base)
    yield from _check_rule_overrides(p, base)


def _check_rule_overrides(p: dict[str, Any], base: Loc) -> Iterator[_Issue]:
    """Apply the partnership's rule changes to every rule set it may use, as opening a case will."""
    from pydantic import ValidationError as _ValidationError

    raw = p.get("rules")
    nation = p.get("nation")
    if not raw or nation not in set(Nation):
        return
    try:
        overrides = RuleOverrides.model_validate(raw)
    except _ValidationError:
        return  # reported, with its line, by the model validation
    ruleset = p.get("ruleset")
    if ruleset in ruleset_ids():
        candidates = [load_ruleset(ruleset)]
    else:  # the edition new cases use now: the latest of each of the nation's families
        newest: dict[str, Any] = {}
        for candidate in all_rulesets():
            if candidate.family in set(DEFAULT_FAMILIES[Nation(nation)]):
                if (
                    candidate.family not in newest
                    or candidate.in_force_from > newest[candidate.family].in_force_from
                ):
                    newest[candidate.family] = candidate
        candidates = list(newest.values())
    for candidate in candidates:
        try:
            apply_overrides(candidate, overrides)
        except ValueError as exc:
            yield _Issue(
                (*base, "rules"),
                f"with rule set '{candidate.id}': {exc}",
                "correct the deadline id, anchor or amount under 'rules' (reviewbot rules show "
                f"{candidate.id} lists them)",
            )
            return


def _check_ruleset_nation(p: dict[str, Any], base: Loc) -> Iterator[_Issue]:
    ruleset, nation = p.get("ruleset"), p.get("nation")
    if ruleset not in ruleset_ids() or nation not in set(Nation):
        return
    ruleset_nation = load_ruleset(ruleset).nation
    if str(ruleset_nation) != nation:
        yield _Issue(
            (*base, "ruleset"),
            f"rule set '{ruleset}' is for {ruleset_nation}, but this partnership is in {nation}",
            "name a rule set for the partnership's nation, or leave 'ruleset' out",
        )


# --- loading and reporting --------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One mistake in the partnership file: where it is, what is wrong, and what to do."""

    file: str
    line: int | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.message.rstrip('.')}. Fix: {self.fix}"


class ConfigError(Exception):
    """The partnership file cannot be used; ``problems`` lists every mistake found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(format_problems(problems))
        self.problems = problems


def format_problems(problems: Sequence[Problem]) -> str:
    """One line per problem: ``path:LINE: message. Fix: ...``."""
    return "\n".join(str(p) for p in problems)


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps values a person would not expect YAML 1.1 to reinterpret.

    Unquoted ``12:30`` is a base-60 integer (750) in YAML 1.1 and ``2026-02-30`` crashes the date
    constructor with no line number; both stay strings here so validation reports them in place.
    """

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        if ":" in str(node.value):
            return self.construct_scalar(node)
        return super().construct_yaml_int(node)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def load_config(path: str | Path) -> Config:
    """Read and validate a partnership file; raise ConfigError listing every problem found."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise ConfigError(
            [
                Problem(
                    name,
                    None,
                    f"cannot read the partnership file ({reason})",
                    "check the path, or set REVIEWBOT_CONFIG to your partnership file",
                )
            ]
        ) from None
    return parse_config(text, file=name)


def parse_config(text: str, *, file: str = "<partnership file>") -> Config:
    """Validate partnership YAML given as text; ``file`` is only used to name it in problems."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or "it could not be read"
        if exc.context and exc.context_mark:
            what += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
        raise ConfigError(
            [
                Problem(
                    file,
                    mark.line + 1 if mark else None,
                    f"this is not valid YAML: {what}",
                    "check the indentation and quotes on this line and the one above",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(
            [Problem(file, None, f"this is not valid YAML: {exc}", "check the indentation and quotes")]
        ) from None
    finally:
        loader.dispose()
    if root is None or data is None:
        raise ConfigError([Problem(file, 1, "the partnership file is empty", f"start from {_EXAMPLE_FILE}")])

    located: list[tuple[Loc, str, str]] = []
    config: Config | None = None
    try:
        config = Config.model_validate(data, context={_CROSS_CHECKED: True})
    except ValidationError as exc:
        located.extend((tuple(e["loc"]), *_describe(e)) for e in exc.errors(include_url=False))
    located.extend((i.loc, i.message, i.fix) for i in _cross_check(data))

    problems = list(_duplicate_keys(root, file))
    problems.extend(
        Problem(file, _line_of(root, loc), f"{_where(loc)}: {message}" if loc else message, fix)
        for loc, message, fix in located
    )
    if problems or config is None:
        problems.sort(key=lambda p: p.line or 0)
        raise ConfigError(problems)
    return config


def _where(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _line_of(root: yaml.Node, loc: Loc) -> int:
    """The line of the deepest node on ``loc``: the key for mappings, the item for lists.

    Where the path runs out (a missing setting) this is the line of the section that lacks it.
    """
    node, marker = root, root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = next(
                ((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)),
                None,
            )
            if found is None:
                break
            marker, node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = marker = node.value[part]
        else:
            break
    return int(marker.start_mark.line) + 1


def _duplicate_keys(root: yaml.Node, file: str) -> Iterator[Problem]:
    """YAML lets a repeated key silently replace the first; in a partnership file that loses people."""
    stack, visited = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in keys:
                        yield Problem(
                            file,
                            key.start_mark.line + 1,
                            f"'{key.value}' appears twice in the same section; the later one would "
                            "silently replace the earlier",
                            "merge the two into one entry",
                        )
                    keys.add(key.value)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _field_names_at(loc: Loc) -> list[str]:
    """The settings allowed in the section at ``loc`` (for "did you mean" on a misspelt key)."""
    annotation: Any = Config
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return []
            annotation = field.annotation
        elif get_origin(annotation) is list and isinstance(part, int):
            annotation = get_args(annotation)[0]
        elif get_origin(annotation) is dict:
            annotation = get_args(annotation)[1]
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated[...] and Optional[...] down to the type that holds the settings."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            options = [a for a in get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


_GENERIC: Mapping[str, tuple[str, str]] = {
    "bool_type": ("must be true or false", "write true or false"),
    "bool_parsing": ("must be true or false", "write true or false"),
    "int_type": ("must be a whole number", "write a number such as 5, without quotes"),
    "int_parsing": ("must be a whole number", "write a number such as 5, without quotes"),
    "int_from_float": ("must be a whole number", "write a number such as 5, without a decimal point"),
    "greater_than": ("must be a positive whole number", "use 1 or more"),
    "date_type": ("is not a date", "write dates as YYYY-MM-DD, e.g. 2026-12-24"),
    "date_parsing": ("is not a date", "write dates as YYYY-MM-DD, e.g. 2026-12-24"),
    "date_from_datetime_parsing": ("is not a date", "write dates as YYYY-MM-DD, e.g. 2026-12-24"),
    "date_from_datetime_inexact": ("is not a date", "write dates as YYYY-MM-DD, e.g. 2026-12-24"),
    "list_type": ("must be a list", "write a list as [a, b] or as one '- item' line per entry"),
    "dict_type": ("must be a section of 'name: value' settings", "indent the settings under this key"),
    "model_type": ("must be a section of 'name: value' settings", "indent the settings under this key"),
    "string_type": ("must be text", "put the value in quotes"),
    "string_too_short": ("must not be empty", "write a value after the colon"),
}


def _describe(error: ErrorDetails) -> tuple[str, str]:
    """A pydantic error as (message, fix) in words a business manager can act on."""
    kind, loc = error["type"], tuple(error["loc"])
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if "fix" in ctx:
        return str(ctx["message"]), str(ctx["fix"])
    if not loc:
        return (
            "the file must be a section of settings",
            f"start the file with 'partnerships:' as in {_EXAMPLE_FILE}",
        )
    if kind == "missing":
        return f"the required setting '{loc[-1]}' is missing", f"add '{loc[-1]}:' here (see {_EXAMPLE_FILE})"
    if kind == "extra_forbidden":
        return f"'{loc[-1]}' is not a setting here", _choose(loc[-1], _field_names_at(loc[:-1]))
    if kind in ("enum", "literal_error"):
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"{_shown(error.get('input'))} is not one of the choices here", _choose(
            error.get("input"), options
        )
    if kind == "too_short":
        minimum = ctx.get("min_length", 1)
        return f"needs at least {minimum} entr{'y' if minimum == 1 else 'ies'}", "add the missing entries"
    if kind in _GENERIC:
        message, fix = _GENERIC[kind]
        # A label may hold a name typed by mistake: say what is wrong with it without repeating it.
        shown = "this value" if loc and loc[-1] == "label" else _shown(error.get("input"))
        return f"{shown} {message}", fix
    return str(error["msg"]), f"compare this part with {_EXAMPLE_FILE}"
