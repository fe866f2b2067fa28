"""The access sweep: every registered listener, sent by people who must be refused.

The sweep enumerates the registry (so a listener added later is swept without anyone remembering
to), builds a request that reaches each one through the real HTTP endpoint, and sends it as

- an outsider (in no partnership),
- a member of the case's partnership who cannot see the case (an agency lead whose agency is not
  involved), and
- someone from another partnership.

Whenever the pure access decision says the person may not, the gate must refuse: the refusal is
counted once, nothing in the database changes, and Slack hears nothing but the refusal itself.

The removal test then weakens each declaration in turn to "anyone" and checks that the sweep
notices; and a registration without a declaration does not even start.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.access import can_view_case, decide
from bot.actions.changes import ActionForm, add_action
from bot.actions.modal import ActionModalContext
from bot.cases.models import Case
from bot.cases.service import case_facts
from bot.clock import FakeClock
from bot.commands import actions, checklist, deadlines, finders, meeting, notify, people, returns, signoff
from bot.commands.gate import PUBLIC, Finder, Needs, Variants
from bot.commands.registry import Features, Registration
from bot.db.all_models import metadata
from bot.deadlines.models import Deadline
from bot.meetings.kinds import MeetingKind
from bot.meetings.modals import MeetingRequest
from bot.meetings.service import schedule
from bot.notifications.modal import ModalContext
from bot.people.store import person_row
from bot.rapid_review.models import AgencyReturn, ChecklistItem
from bot.sandbox.harness import OUTSIDER, Harness
from bot.sandbox.signed_requests import SignedRequest
from bot.slack.ids import ActionId
from bot.slack.payloads import (
    CaseMetadata,
    ChecklistItemMetadata,
    DeadlineMetadata,
    MeetingMetadata,
    PartnershipMetadata,
    PersonMetadata,
)
from tests.intake_helpers import all_cases
from tests.intake_helpers import notify as notify_case

CONFIG = Path(__file__).parent / "fixtures" / "two_partnerships.yaml"
BM = "U0NSBM0001"  # northshire business manager (synthetic)
NO_ACCESS = "U0NSIC0001"  # northshire ICB lead; the ICB is not involved in the swept case
OTHER = "U0GMBM0001"  # glenmoor's business manager
PROBES = {"outsider": OUTSIDER, "member without access": NO_ACCESS, "other partnership": OTHER}


@dataclass
class World:
    case: Case
    item: ChecklistItem
    agency_return: AgencyReturn
    deadline: Deadline
    meeting_id: int
    action_id: int
    person_id: int  # the swept partnership's business manager in the people table


async def _world(h: Harness, clock: FakeClock) -> World:
    await notify_case(h, user=BM, sent="2026-12-18", agencies=["la", "police"])
    [case] = await all_cases(h)
    assert case.channel_id
    async with h.services.db.read() as s:
        item = (
            (await s.execute(select(ChecklistItem).where(ChecklistItem.case_id == case.id))).scalars().first()
        )
        ret = (await s.execute(select(AgencyReturn).where(AgencyReturn.case_id == case.id))).scalars().first()
        deadline = (await s.execute(select(Deadline).where(Deadline.case_id == case.id))).scalars().first()
    assert item and ret and deadline
    starts = clock.now() + timedelta(days=2)
    request = MeetingRequest(MeetingKind.CASE_GROUP, starts, 60, "Online", (BM,), None, None)
    scheduled = await schedule(h.services, case.id, request, user_id=BM, view_id=None)
    changed = await add_action(
        h.services,
        case_id=case.id,
        actor_user_id=BM,
        form=ActionForm(
            description="Synthetic action for the sweep", owner_agency="la", due_on=date(2027, 3, 1)
        ),
    )
    await h.services.tasks.drain()
    clock.advance(timedelta(days=3))  # the meeting has started: attendance can be recorded
    async with h.services.db.read() as s:
        person = await person_row(s, "northshire", NO_ACCESS)
    assert person is not None
    return World(case, item, ret, deadline, scheduled.meeting_id, changed.action_id, person.id)


# How each finder is reached: (action_id override, button value, selected option, metadata, channel).
@dataclass(frozen=True)
class Locator:
    value: str | None = None
    option: str | None = None
    metadata: str = ""
    action_id: str | None = None
    in_case_channel: bool = False


def _locators(w: World) -> dict[Finder, Locator]:
    case_id = w.case.id
    return {
        finders.CASE_HERE: Locator(in_case_channel=True),
        finders.CASE_HERE_IF_ANY: Locator(in_case_channel=True),
        finders.CASE_HERE_OR_NAMED: Locator(in_case_channel=True),
        finders.CASE_NAMED_SECOND: Locator(),
        finders.CASE_ON_BUTTON: Locator(value=f"{case_id}|all|1"),
        finders.CASE_IN_METADATA: Locator(metadata=CaseMetadata(case=case_id).dump()),
        checklist.ITEM_ON_MENU: Locator(
            option=f"done|{w.item.id}", action_id=f"{ActionId.CHECKLIST_ITEM}:{w.item.id}"
        ),
        checklist.ITEM_IN_METADATA: Locator(metadata=ChecklistItemMetadata(item=w.item.id).dump()),
        deadlines.DEADLINE_ON_BUTTON: Locator(value=str(w.deadline.id)),
        deadlines.DEADLINE_IN_METADATA: Locator(metadata=DeadlineMetadata(deadline=w.deadline.id).dump()),
        returns.RETURN_ON_BUTTON: Locator(value=str(w.agency_return.id)),
        returns.RETURN_NAMED_HERE: Locator(in_case_channel=True),
        signoff.SIGN_OFF_ON_BUTTON: Locator(value=str(case_id), action_id=f"{ActionId.SIGN_OFF}:la"),
        meeting.MEETING_ON_BUTTON: Locator(value=str(w.meeting_id)),
        meeting.MEETING_IN_METADATA: Locator(metadata=MeetingMetadata(meeting=w.meeting_id).dump()),
        meeting.LATEST_MEETING_HERE: Locator(in_case_channel=True),
        actions.ACTION_ON_BUTTON: Locator(value=str(w.action_id)),
        actions.ACTION_IN_MODAL: Locator(metadata=ActionModalContext(case_id, w.action_id).dump()),
        notify.PARTNERSHIP_IN_MODAL: Locator(metadata=ModalContext("northshire").dump()),
        people.PERSON_ON_BUTTON: Locator(value=str(w.person_id)),
        people.PERSON_IN_METADATA: Locator(metadata=PersonMetadata(person=w.person_id).dump()),
        people.PEOPLE_PARTNERSHIP_IN_METADATA: Locator(
            metadata=PartnershipMetadata(partnership="northshire").dump()
        ),
    }


# Pattern-keyed buttons (one action_id per record) need a concrete action_id.
def _pattern_action_id(key: str, w: World) -> str:
    concrete = {
        checklist.ITEM_ACTION.pattern: f"{ActionId.CHECKLIST_ITEM}:{w.item.id}",
        returns.RECEIVED_ACTION.pattern: f"{ActionId.RETURN_RECEIVED}:{w.agency_return.id}",
        returns.NIL_ACTION.pattern: f"{ActionId.RETURN_NIL}:{w.agency_return.id}",
        signoff.SIGN_OFF_ACTION.pattern: f"{ActionId.SIGN_OFF}:la",
    }
    if key in concrete:
        return concrete[key]
    if key.startswith("^"):
        raise AssertionError(f"no probe for the button pattern {key!r}: add one to the sweep")
    return key


@dataclass(frozen=True)
class Probe:
    registration: Registration
    needs: Needs
    build: Callable[[str], SignedRequest]
    label: str


def _probes(h: Harness, w: World) -> list[Probe]:
    locators = _locators(w)
    out: list[Probe] = []
    for reg in h.features.registrations:
        forms = reg.needs.forms() if isinstance(reg.needs, Variants) else [(reg.needs, "")]
        for needs, example in forms:
            if needs.public:
                continue
            if needs.finder.reads.startswith("nothing"):
                where = Locator()
            else:
                assert needs.finder in locators, f"no probe for {needs.finder!r}: add one to the sweep"
                where = locators[needs.finder]
            out.append(
                Probe(reg, needs, _builder(h, w, reg, where, example), f"{reg.kind} {reg.key} {example}")
            )
    return out


def _builder(
    h: Harness, w: World, reg: Registration, where: Locator, example: str
) -> Callable[[str], SignedRequest]:
    channel = (w.case.channel_id if where.in_case_channel else None) or "C0GENERAL"
    args = example.replace("{reference}", w.case.reference)

    def build(user: str) -> SignedRequest:
        if reg.kind == "subcommand":
            return h.slack.slash_command(
                "/review", f"{reg.key} {args}".strip(), user_id=user, channel_id=channel
            )
        if reg.kind == "button":
            if "/" in reg.key:  # an action inside a modal, by block and action id
                block_id, action_id = reg.key.split("/", 1)
                return h.slack.block_action(
                    action_id,
                    user_id=user,
                    block_id=block_id,
                    selected_option="northshire",
                    view={"id": "V0SWEEP", "type": "modal", "private_metadata": where.metadata},
                )
            action_id = where.action_id or _pattern_action_id(reg.key, w)
            return h.slack.block_action(
                action_id, user_id=user, value=where.value, selected_option=where.option, channel_id=channel
            )
        if reg.kind == "view":
            return h.slack.view_submission(reg.key, user_id=user, values={}, private_metadata=where.metadata)
        if reg.kind == "global_shortcut":
            return h.slack.global_shortcut(reg.key, user_id=user)
        if reg.kind == "message_shortcut":
            return h.slack.message_shortcut(
                reg.key, user_id=user, channel_id=channel, message_ts="1700000000.000100"
            )
        if reg.kind == "event":
            return h.slack.event({"type": reg.key, "user": user})
        raise AssertionError(f"the sweep does not know how to send a {reg.kind}")

    return build


_PARTNERSHIP_FINDERS = (
    notify.PARTNERSHIP_IN_MODAL,
    people.PERSON_ON_BUTTON,
    people.PERSON_IN_METADATA,
    people.PEOPLE_PARTNERSHIP_IN_METADATA,
)


def _expect_refused(h: Harness, user: str, needs: Needs, w: World, facts: Any) -> bool:
    """The oracle: the pure decision, with no gate in between."""
    actors = h.services.actors(user)
    if not actors:
        return True
    if needs.finder in _PARTNERSHIP_FINDERS:  # partnership-level: northshire's people
        return not any(a.partnership_id == "northshire" and decide(a, needs.permission) for a in actors)
    if needs.finder.reads.startswith("nothing"):
        return not any(decide(a, needs.permission) for a in actors)
    here = [a for a in actors if a.partnership_id == facts.partnership_id]
    return not here or not can_view_case(here[0], facts)


async def _database_digest(h: Harness) -> str:
    digest = hashlib.sha256()
    async with h.services.db.read() as s:
        for table in metadata.sorted_tables:
            rows = (await s.execute(select(table))).all()
            digest.update(f"{table.name}:{sorted(map(repr, rows))}".encode())
    return digest.hexdigest()


def _refusals(h: Harness) -> float:
    return sum(
        sample.value
        for metric in h.services.metrics.access_refused.collect()
        for sample in metric.samples
        if sample.name.endswith("_total")
    )


# Listeners anyone may reach: routing, help, and the Home tab (which shows only what the person may see).
OPEN_TO_EVERYONE = {
    ("command", "/review"),
    ("subcommand", "help"),
    ("event", "app_home_opened"),
    ("button", ActionId.HOME_PAGE.value),
    ("button", ActionId.HOME_PAGE_BACK.value),
    ("button", ActionId.HOME_PAGE_FEWER.value),
}
QUIET = {"chat.postEphemeral", "chat.postMessage", "conversations.open"}  # how a refusal is told


async def sweep(h: Harness, w: World) -> tuple[list[str], int]:
    """Every probe that was not refused as it must be (an empty list: the sweep holds), and how many
    refusals were checked."""
    checked = 0
    async with h.services.db.read() as s:
        facts = await case_facts(s, w.case.id)
    failures: list[str] = []
    for probe in _probes(h, w):
        for who, user in PROBES.items():
            if not _expect_refused(h, user, probe.needs, w, facts):
                continue
            checked += 1
            before_db, before_refused = await _database_digest(h), _refusals(h)
            before_calls, before_posts = len(h.fake.calls()), len(h.fake.responses)
            response = await h.send(probe.build(user))
            problems = []
            if response.status_code != 200:
                problems.append(f"HTTP {response.status_code}")
            if _refusals(h) != before_refused + 1:
                problems.append("the gate did not refuse it")
            if await _database_digest(h) != before_db:
                problems.append("the database changed")
            loud = [c.method for c in h.fake.calls()[before_calls:] if c.method not in QUIET]
            if loud or len(h.fake.responses) - before_posts > 1:
                problems.append(f"Slack heard more than the refusal: {loud}")
            if problems:
                failures.append(f"{probe.label} as {who}: {', '.join(problems)}")
    return failures, checked


@pytest.fixture
async def swept(database_url: str, clock: FakeClock):  # type: ignore[no-untyped-def]
    h = await Harness.start(database_url=database_url, clock=clock, run_migrations=False, config_path=CONFIG)
    world = await _world(h, clock)
    yield h, world
    await h.close()


async def test_every_listener_refuses_outsiders_members_without_access_and_other_partnerships(
    swept: tuple[Harness, World],
) -> None:
    h, w = swept
    public = {
        (r.kind, r.key) for r in h.features.registrations if isinstance(r.needs, Needs) and r.needs.public
    }
    assert public == OPEN_TO_EVERYONE, "a listener open to everyone must be added here deliberately"
    non_public = [r for r in h.features.registrations if (r.kind, r.key) not in public]
    assert len(non_public) >= 50, "the sweep should reach every registered listener"
    probes = _probes(h, w)
    assert {p.registration.key for p in probes} == {r.key for r in non_public}
    failures, checked = await sweep(h, w)
    assert failures == []
    print(f"\naccess sweep: {len(non_public)} listeners, {len(probes)} forms, {checked} refusals checked")
    assert checked >= 2 * len(probes)


async def test_weakening_any_one_declaration_is_caught_by_the_sweep(
    swept: tuple[Harness, World], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each declaration in turn becomes "anyone may": the sweep must fail for that listener."""
    h, w = swept
    from bot.commands import gate

    originals = {id(p.needs): p for p in _probes(h, w)}
    real_admit = gate.admit
    unnoticed = []
    for probe in originals.values():
        weakened = probe.needs

        async def admit(services: Any, needs: Needs, request: Any, _weak: Needs = weakened) -> Any:
            return await real_admit(services, PUBLIC if needs is _weak else needs, request)

        monkeypatch.setattr("bot.commands.registry.admit", admit)
        monkeypatch.setattr("bot.commands.root.admit", admit)
        failures = [f for f in await _sweep_one(h, w, probe) if f]
        if not failures:
            unnoticed.append(probe.label)
    monkeypatch.undo()
    assert unnoticed == []


async def _sweep_one(h: Harness, w: World, probe: Probe) -> list[str]:
    async with h.services.db.read() as s:
        facts = await case_facts(s, w.case.id)
    out = []
    user = OUTSIDER
    assert _expect_refused(h, user, probe.needs, w, facts)
    before = _refusals(h)
    await h.send(probe.build(user))
    if _refusals(h) == before:
        out.append(f"{probe.label}: not refused")
    return out


def test_a_registration_without_a_declaration_does_not_start(swept: tuple[Harness, World]) -> None:
    h, _ = swept
    features: Features = h.features
    with pytest.raises(TypeError):
        features.action("an_undeclared_button")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        features.view("an_undeclared_view")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        features.subcommand("undeclared", "undeclared", "no needs", lambda ctx: None)  # type: ignore[call-arg,arg-type,return-value]
    with pytest.raises(TypeError):
        features.event("app_mention")  # type: ignore[call-arg]



