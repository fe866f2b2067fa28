"""Checks that span several settings: a person's agency exists, every sign-off agency has a
signatory, ids are not used twice, the rule set suits the nation, the rule changes apply.

They are written once, over plain dicts, so :func:`cross_check` runs on the raw YAML even when other
parts of the file do not validate: fixing three mistakes should take one run, not three. The
:class:`~bot.config.partnership.Config` model runs the same checks when it is built from data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bot.calendar.working_days import Nation
from bot.config.people import Role
from bot.config.problems import Loc, choose
from bot.rules.loader import DEFAULT_FAMILIES, all_rulesets, load_ruleset, ruleset_ids
from bot.rules.overrides import RuleOverrides, apply_overrides


@dataclass(frozen=True)
class Issue:
    """One inconsistency between settings, with where it is and the fix."""

    loc: Loc
    message: str
    fix: str


def _items(value: object) -> list[tuple[int, dict[str, Any]]]:
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def cross_check(data: object) -> Iterator[Issue]:
    """Checks that span several settings, tolerant of any shape the YAML might have."""
    if not isinstance(data, dict):
        return
    seen: set[str] = set()
    for i, partnership in _items(data.get("partnerships")):
        base: Loc = ("partnerships", i)
        pid = partnership.get("id")
        if isinstance(pid, str):
            if pid in seen:
                yield Issue(
                    (*base, "id"), f"partnership id '{pid}' is used twice", "give each partnership its own id"
                )
            seen.add(pid)
        yield from _check_partnership(partnership, base)


def _check_partnership(p: dict[str, Any], base: Loc) -> Iterator[Issue]:
    agency_ids: list[str] = []
    for j, agency in _items(p.get("agencies")):
        aid = agency.get("id")
        if not isinstance(aid, str):
            continue
        if aid in agency_ids:
            yield Issue(
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
                yield Issue(
                    (*base, "people", k, "slack_user_id"),
                    f"Slack user {uid} is listed twice in this partnership",
                    "list each person once, with all their roles in one 'roles' list",
                )
            seen_users.add(uid)
        person_agency = person.get("agency")
        if person_agency is not None and person_agency not in agency_ids:
            yield Issue(
                (*base, "people", k, "agency"),
                f"agency '{person_agency}' is not one of this partnership's agencies",
                choose(person_agency, agency_ids) + ", or add it under 'agencies'",
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
                yield Issue(
                    (*base, "sign_off_agencies", j),
                    f"sign-off agency '{aid}' is not one of this partnership's agencies",
                    choose(aid, agency_ids),
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
            yield Issue(
                loc,
                f"no one can sign off for agency '{aid}'",
                f"give a person in agency '{aid}' the signatory role (roles: [signatory])",
            )

    if people:  # an empty or unreadable list is reported by validation; "no chair" would only repeat it
        for role in (Role.BUSINESS_MANAGER, Role.CHAIR):
            if not any(role in roles_of(person) for _, person in people):
                yield Issue(
                    (*base, "people"),
                    f"this partnership has no {role}",
                    f"add '{role}' to the roles of at least one person",
                )

    yield from _check_ruleset_nation(p, base)
    yield from _check_rule_overrides(p, base)
    yield from _check_workspaces(p, base)


def _check_rule_overrides(p: dict[str, Any], base: Loc) -> Iterator[Issue]:
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
            yield Issue(
                (*base, "rules"),
                f"with rule set '{candidate.id}': {exc}",
                "correct the deadline id, anchor or amount under 'rules' (reviewbot rules show "
                f"{candidate.id} lists them)",
            )
            return


def _check_ruleset_nation(p: dict[str, Any], base: Loc) -> Iterator[Issue]:
    ruleset, nation = p.get("ruleset"), p.get("nation")
    if ruleset not in ruleset_ids() or nation not in set(Nation):
        return
    ruleset_nation = load_ruleset(ruleset).nation
    if str(ruleset_nation) != nation:
        yield Issue(
            (*base, "ruleset"),
            f"rule set '{ruleset}' is for {ruleset_nation}, but this partnership is in {nation}",
            "name a rule set for the partnership's nation, or leave 'ruleset' out",
        )


def _check_workspaces(p: dict[str, Any], base: Loc) -> Iterator[Issue]:
    """A person's workspace (``team_id``) is the partnership's own or a Slack Connect partner's, and a
    partner's workspace is not also the partnership's own."""
    own = {t for t in p.get("team_ids") or [] if isinstance(t, str)}
    raw_connect = p.get("slack_connect")
    connect: dict[str, Any] = raw_connect if isinstance(raw_connect, dict) else {}
    partners = {t for t in connect.get("teams") or [] if isinstance(t, str)}
    for k, team in enumerate(connect.get("teams") or []):
        if team in own:
            yield Issue(
                (*base, "slack_connect", "teams", k),
                f"workspace {team} is the partnership's own (team_ids), not a partner's",
                "list only partner organisations' workspaces under slack_connect.teams",
            )
    for j, person in _items(p.get("people")):
        team = person.get("team_id")
        if isinstance(team, str) and team not in own | partners:
            yield Issue(
                (*base, "people", j, "team_id"),
                f"workspace {team} is neither this partnership's (team_ids) nor a Slack Connect partner's",
                "add it to team_ids, or to slack_connect.teams (allowed: true) for a partner organisation",
            )
        elif isinstance(team, str) and team in partners and connect.get("allowed") is not True:
            yield Issue(
                (*base, "people", j, "team_id"),
                f"this person is in partner workspace {team}, but slack_connect.allowed is not true",
                "set slack_connect: {allowed: true} to let partner organisations take part",
            )
