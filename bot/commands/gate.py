"""The one place that decides whether a Slack request may go ahead.

Every registration (subcommand, button, view submission, shortcut, event) declares what it needs:
a :class:`Needs` naming the permission and the :class:`Finder` that reads, from the request, the
case (or meeting, action, deadline...) it acts on. :func:`admit` runs before every listener:

1. the person, as the people store describes them (bot.people.store, read fresh for each request);
   someone in no partnership is refused here, before anything is looked up, so an outsider learns
   nothing about which cases exist;
2. the finder loads the target's access facts: its partnership, the case's members and agencies,
   the agency an item belongs to, who owns it;
3. :func:`bot.access.decide` with the declared permission. "There is no such case" and "you cannot
   see that case" get the same answer, so nobody can probe for references or ids;
4. the listener runs with an :class:`Allowed`: the actor and the facts it was admitted on. Services
   take those and do not decide again.

A refusal is counted (``reviewbot_access_refused_total``), logged without any typed text, and told
to the person in one sentence; nothing else happens.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.access import Actor, CaseFacts, Decision, Permission, decide
from bot.errors import NotAllowed, UserFacingError
from bot.observability import get_logger
from bot.people.store import refresh_people
from bot.runtime.services import Services
from bot.slack.requester import Requester

log = get_logger(__name__)

NOT_FOUND_OR_NO_ACCESS = (
    "I can't find that, or you don't have access to it. "
    "Check the reference, or ask your partnership's business manager for access."
)


class NotThere(UserFacingError):
    """The request names a record that does not exist, or one the person may not see: one answer."""

    def __init__(self) -> None:
        super().__init__(NOT_FOUND_OR_NO_ACCESS)


class OutOfDate(UserFacingError):
    """A button, menu or form whose payload cannot be read (old, or forged)."""

    def __init__(self, what: str = "That button or form") -> None:
        super().__init__(f"{what} is out of date.", "Run `/review help` to find the current one.")


@dataclass(frozen=True)
class Request:
    """What a finder may read: the raw body, who sent it, and a subcommand's arguments."""

    body: dict[str, Any]
    requester: Requester
    args: str = ""
    name: str = ""  # the subcommand, for messages ("`/review stage` works in a case channel")

    @property
    def user_id(self) -> str:
        return self.requester.user_id


@dataclass(frozen=True)
class Target:
    """The access facts of what a request acts on (no case: a partnership-level request)."""

    case: CaseFacts | None = None
    partnership_id: str | None = None
    target_agency: str | None = None
    target_agency_name: str | None = None
    assignee_user_ids: tuple[str, ...] = ()
    record_id: int | None = None  # the id the request named (an action, a deadline, an item...)
    also: Permission | None = None  # a finder may raise the bar (a new action needs MANAGE_ACTION too)

    @property
    def in_partnership(self) -> str | None:
        return self.case.partnership_id if self.case is not None else self.partnership_id


FindFn = Callable[[Services, Request], Awaitable[Target]]


@dataclass(frozen=True, eq=False)
class Finder:
    """How a kind of request names its target. ``reads`` says where, for people and for the sweep."""

    reads: str
    find: FindFn

    def __repr__(self) -> str:
        return f"Finder({self.reads})"


async def _nothing(services: Services, request: Request) -> Target:
    return Target()


NOTHING = Finder("nothing: a partnership-level request", _nothing)


@dataclass(frozen=True)
class Needs:
    """A declaration: ``permission`` on what ``finder`` finds; ``otherwise`` when it finds no case."""

    permission: Permission
    finder: Finder = NOTHING
    otherwise: Permission | None = None

    @property
    def public(self) -> bool:
        return self.permission is Permission.USE_HELP


PUBLIC = Needs(Permission.USE_HELP)


@dataclass(frozen=True)
class Variant:
    """A subcommand form with needs of its own, told apart by its arguments (``pattern`` on them).

    ``example`` is arguments of that form, used by the access sweep to reach it; ``{reference}``
    stands for a case reference.
    """

    pattern: str
    needs: Needs
    example: str

    def matches(self, args: str) -> bool:
        return re.match(self.pattern, args.strip(), re.IGNORECASE) is not None


@dataclass(frozen=True)
class Variants:
    """A subcommand whose forms need different things: the first matching variant, else ``default``."""

    default: Needs
    variants: tuple[Variant, ...] = ()
    default_example: str = ""

    def choose(self, args: str) -> Needs:
        return next((v.needs for v in self.variants if v.matches(args)), self.default)

    def forms(self) -> list[tuple[Needs, str]]:
        return [(self.default, self.default_example), *((v.needs, v.example) for v in self.variants)]


Declared = Needs | Variants


def needs_for(declared: Declared, args: str) -> Needs:
    return declared.choose(args) if isinstance(declared, Variants) else declared


@dataclass(frozen=True)
class Allowed:
    """What a listener is handed once admitted: who, and the facts they were admitted on."""

    actor: Actor
    target: Target
    actors: tuple[Actor, ...] = ()  # partnership-level requests: each partnership where it is allowed

    @property
    def case(self) -> CaseFacts:
        if self.target.case is None:  # a listener declared with a case finder always has one
            raise NotThere()
        return self.target.case

    @property
    def user_id(self) -> str:
        return self.actor.user_id


def _decide(actor: Actor, permission: Permission, target: Target) -> Decision:
    assignees = target.assignee_user_ids or (None,)
    decision = Decision(False)
    for assignee in assignees:  # an item owned jointly (a meeting's organiser and chair): any of them
        decision = decide(
            actor,
            permission,
            target.case,
            target_agency=target.target_agency,
            target_agency_name=target.target_agency_name,
            assignee_user_id=assignee,
        )
        if decision:
            return decision
    return decision


async def admit(services: Services, needs: Needs, request: Request) -> Allowed:
    """Admit the request or raise :class:`NotAllowed` / :class:`NotThere` / :class:`OutOfDate`."""
    user_id = request.user_id
    if needs.public:  # nothing to decide; /review help answers in the ack and must not wait on a read
        return Allowed(services.actor(user_id), Target())
    # People and roles as the store holds them (one small read, at most every people_recheck_seconds).
    await refresh_people(services, within=services.settings.people_recheck_seconds)
    actors = services.actors(user_id)
    if not actors:
        _refused(services, needs.permission, "not_in_partnership")
        raise NotAllowed.from_decision(decide(services.actor(user_id), needs.permission))
    try:
        target = await needs.finder.find(services, request)
    except NotThere:
        _refused(services, needs.permission, "not_there")
        raise
    except UserFacingError:
        _refused(services, needs.permission, "unreadable")
        raise
    permission = needs.permission if target.case is not None else (needs.otherwise or needs.permission)
    where = target.in_partnership
    if where is None:
        allowed = tuple(a for a in actors if _decide(a, permission, target))
        if not allowed:
            _refused(services, permission, "role")
            raise NotAllowed.from_decision(_decide(actors[0], permission, target))
        return Allowed(allowed[0], target, allowed)
    actor = next((a for a in actors if a.partnership_id == where), None)
    if actor is None:  # another partnership's case or record: the same answer as one that is not there
        _refused(services, permission, "other_partnership")
        raise NotThere()
    decision = _decide(actor, permission, target)
    if decision and target.also is not None:
        decision = _decide(actor, target.also, target)
    if not decision:
        if target.case is not None and not decide(actor, Permission.VIEW_CASE, target.case):
            _refused(services, permission, "cannot_see_case")
            raise NotThere()
        _refused(services, permission, "role")
        raise NotAllowed.from_decision(decision)
    return Allowed(actor, target, (actor,))


def _refused(services: Services, permission: Permission, why: str) -> None:
    services.metrics.access_refused.labels(permission=permission.value, why=why).inc()
    log.info("access.refused", permission=permission.value, why=why)
