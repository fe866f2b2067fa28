"""Load the rule-set YAML shipped in this package, and pick the edition in force for a case.

Why a case's start date picks the edition: guidance changes (Wales: CPRs begun before 1 October 2024
finish as CPRs), so a case keeps the rules in force when it started (process-rules.md 10.1).

Within a family (the editions of one process), an edition is in force from its ``in_force_from`` until
the day before the next edition starts; the last edition's ``in_force_to``, if any, ends the family.
That lets a partnership move an edition's start (``edition_starts``) without editing the YAML of the
edition before it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, timedelta
from importlib import resources

import yaml
from pydantic import ValidationError

from bot.calendar.working_days import Nation
from bot.rules.models import RuleSet

# The families a nation's new case is checked against, in order of preference. England prefers the
# Panel system from 29 June 2018 (the new duty to notify) and falls back to legacy serious case
# reviews for earlier dates.
DEFAULT_FAMILIES: dict[Nation, tuple[str, ...]] = {
    Nation.ENGLAND: ("england", "england-legacy-scr"),
    Nation.WALES: ("wales",),
    Nation.SCOTLAND: ("scotland",),
    Nation.NORTHERN_IRELAND: ("northern-ireland",),
}


class RuleSetError(ValueError):
    """A rule-set file is missing or does not validate; the message names the file and the fix."""


def _package_files() -> dict[str, str]:
    """Rule-set ids (file stems) mapped to file names, read from the installed package."""
    root = resources.files("bot.rules")
    return {
        entry.name.removesuffix(".yaml"): entry.name
        for entry in root.iterdir()
        if entry.is_file() and entry.name.endswith(".yaml")
    }


def ruleset_ids() -> list[str]:
    """Every rule-set id shipped with ReviewBot, sorted."""
    return sorted(_package_files())


@functools.cache
def load_ruleset(ruleset_id: str) -> RuleSet:
    """The rule set with this id, validated. Cached: the files ship with the code and never change
    while it runs. Raises RuleSetError naming the known ids or the validation problem."""
    files = _package_files()
    if ruleset_id not in files:
        raise RuleSetError(f"no rule set {ruleset_id!r}; known rule sets: {', '.join(sorted(files))}")
    text = resources.files("bot.rules").joinpath(files[ruleset_id]).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
        ruleset = RuleSet.model_validate(data)
    except yaml.YAMLError as error:
        raise RuleSetError(f"bot/rules/{files[ruleset_id]} is not valid YAML: {error}") from error
    except ValidationError as error:
        raise RuleSetError(f"bot/rules/{files[ruleset_id]} does not validate:\n{error}") from error
    if ruleset.id != ruleset_id:
        raise RuleSetError(
            f"bot/rules/{files[ruleset_id]} declares id {ruleset.id!r}; the id must match the file name"
        )
    return ruleset


def all_rulesets() -> list[RuleSet]:
    """Every rule set, ordered by nation, family and in-force date."""
    nation_order = list(Nation)
    return sorted(
        (load_ruleset(ruleset_id) for ruleset_id in ruleset_ids()),
        key=lambda r: (nation_order.index(r.nation), r.family, r.in_force_from),
    )


def in_force_window(
    ruleset: RuleSet, edition_starts: Mapping[str, date] | None = None
) -> tuple[date, date | None]:
    """The first and last day (None: open-ended) on which ``ruleset`` is the edition in force."""
    for first, last, member in _windows(ruleset.family, edition_starts or {}):
        if member.id == ruleset.id:
            return first, last
    raise AssertionError("a rule set is always a member of its own family")


def select_ruleset(
    nation: Nation | str,
    on: date,
    *,
    edition_starts: Mapping[str, date] | None = None,
) -> RuleSet:
    """The edition in force on ``on`` for the nation's default family.

    ``edition_starts`` moves an edition's start (e.g. ``{"england-2023": date(2024, 12, 12)}`` for a
    partnership that treats its December 2024 arrangements as the switch to WT2023).
    """
    nation = Nation(nation)
    starts = dict(edition_starts or {})
    unknown = sorted(set(starts) - set(ruleset_ids()))
    if unknown:
        raise ValueError(f"edition_starts names unknown rule sets: {', '.join(unknown)}")
    for family_name in DEFAULT_FAMILIES[nation]:
        for first, last, ruleset in _windows(family_name, starts):
            if first <= on and (last is None or on <= last):
                return ruleset
    raise LookupError(f"no {nation.label} rule set is in force on {on.isoformat()}")


def _windows(family_name: str, edition_starts: Mapping[str, date]) -> list[tuple[date, date | None, RuleSet]]:
    """Each edition of a family with its first and last day in force, oldest first."""
    members = sorted(
        (
            (edition_starts.get(ruleset.id, ruleset.in_force_from), ruleset)
            for ruleset in all_rulesets()
            if ruleset.family == family_name
        ),
        key=lambda pair: pair[0],
    )
    windows: list[tuple[date, date | None, RuleSet]] = []
    for index, (first, ruleset) in enumerate(members):
        if index + 1 < len(members):
            last: date | None = members[index + 1][0] - timedelta(days=1)
        else:
            last = ruleset.in_force_to
        windows.append((first, last, ruleset))
    return windows
