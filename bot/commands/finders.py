"""Finders shared by several features: where a request names its case.

Each reads only what the request carries (the channel, the arguments, a button's value, a modal's
metadata) and loads the case's access facts in one statement; it never decides anything. Features
with their own records (actions, deadlines, meetings, checklist items...) keep their finders with
their listeners.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.cases.models import Case
from bot.cases.service import case_facts
from bot.commands.gate import Allowed, Finder, NotThere, OutOfDate, Request, Target
from bot.errors import BadInput
from bot.runtime.services import Services
from bot.slack.payloads import CaseMetadata, action_value, leading_id, read_metadata


async def facts_target(services: Services, case_id: int | None, **extra: object) -> Target:
    """The case's access facts as a target; a missing case is :class:`NotThere`."""
    if case_id is None:
        raise NotThere()
    async with services.db.read() as session:
        facts = await case_facts(session, case_id)
    if facts is None:
        raise NotThere()
    return Target(case=facts, **extra)  # type: ignore[arg-type]


async def admitted_case(services: Services, allowed: Allowed) -> Case:
    """The case the gate admitted a request on, loaded whole (for listeners that need more than facts)."""
    async with services.db.read() as session:
        case = await session.get(Case, allowed.case.case_id)
    if case is None:
        raise NotThere()
    return case


async def _case_id_here(services: Services, channel_id: str | None) -> int | None:
    if not channel_id:
        return None
    async with services.db.read() as session:
        found = await session.scalar(select(Case.id).where(Case.channel_id == channel_id))
    return int(found) if found is not None else None


async def _case_id_named(services: Services, reference: str) -> int | None:
    async with services.db.read() as session:
        found = await session.scalar(select(Case.id).where(Case.reference == reference.strip().upper()[:40]))
    return int(found) if found is not None else None


async def _here(services: Services, request: Request) -> Target:
    case_id = await _case_id_here(services, request.requester.channel_id)
    if case_id is None:
        what = f"`/review {request.name}`" if request.name else "That"
        raise BadInput(f"{what} works in a case channel.", "Run it in the channel of the case.")
    return await facts_target(services, case_id)


async def _here_or_named(services: Services, request: Request) -> Target:
    reference = request.args.strip()
    if reference:
        return await facts_target(services, await _case_id_named(services, reference.split()[0]))
    case_id = await _case_id_here(services, request.requester.channel_id)
    return await facts_target(services, case_id) if case_id is not None else Target()


async def _named_second(services: Services, request: Request) -> Target:
    words = request.args.split()
    if len(words) < 2:
        raise BadInput("Name the case, e.g. `/review actions case RR-2026-001`.")
    return await facts_target(services, await _case_id_named(services, words[1]))


async def _here_if_any(services: Services, request: Request) -> Target:
    case_id = await _case_id_here(services, request.requester.channel_id)
    return await facts_target(services, case_id) if case_id is not None else Target()


async def _on_button(services: Services, request: Request) -> Target:
    case_id = leading_id(action_value(request.body))
    if case_id is None:
        raise OutOfDate()
    return await facts_target(services, case_id)


async def _in_metadata(services: Services, request: Request) -> Target:
    meta = read_metadata(CaseMetadata, request.body)
    if meta is None:
        raise OutOfDate("This form")
    return await facts_target(services, meta.case)


CASE_HERE = Finder("the case whose channel the command was typed in", _here)
CASE_HERE_IF_ANY = Finder("the case of this channel, if it is a case channel", _here_if_any)
CASE_HERE_OR_NAMED = Finder("the case named by reference, else this channel's case, if any", _here_or_named)
CASE_NAMED_SECOND = Finder("the case named by reference after a word (`case RR-2026-001`)", _named_second)
CASE_ON_BUTTON = Finder("the case id leading a button's or option's value", _on_button)
CASE_IN_METADATA = Finder("the case in a modal's private_metadata", _in_metadata)
