"""People managed in Slack, end to end through the HTTP endpoint: the business manager adds someone,
who can at once do what their role allows; a change of roles applies at once; a removed person is
refused at once, after their open items were handed over; another process (the worker) sees every
change before its next tick; `reviewbot people import` is idempotent and keeps people added in Slack.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.actions.changes import ActionForm, add_action
from bot.actions.models import Action
from bot.audit import AuditEvent
from bot.cases.models import Case
from bot.cli import main
from bot.clock import FakeClock
from bot.config.loading import load_config
from bot.people import store
from bot.people.models import PeopleRevision, PersonRecord
from bot.reminders.models import Reminder
from bot.reminders.scheduler import tick
from bot.runtime.assembly import build_services
from bot.runtime.services import Services
from bot.sandbox.harness import Harness, ephemeral_text
from bot.sandbox.signed_requests import multi_static_select, static_select, text_value, users_select
from bot.settings import BUNDLED_EXAMPLE_CONFIG
from bot.slack.ids import ActionId, CallbackId
from bot.slack.payloads import PartnershipMetadata, PersonMetadata
from tests.intake_helpers import BM, CHAIR, POLICE_LEAD
from tests.rapid_review_helpers import item_menu, items, open_rapid_review, review_of

NEW = "U0NEWLEAD1"  # synthetic: a second police lead the business manager adds in Slack
NEW_CHAIR = "U0NEWCHR01"  # synthetic: the incoming chair


async def _checklist(h: Harness, case: Case, user: str) -> str:
    return ephemeral_text(await h.command("checklist", user=user, channel=case.channel_id or ""))


async def _audit(h: Harness, action: str) -> list[AuditEvent]:
    async with h.services.db.read() as s:
        return list((await s.execute(select(AuditEvent).where(AuditEvent.action == action))).scalars())


async def _row(h: Harness, user: str) -> PersonRecord:
    async with h.services.db.read() as s:
        row = await store.person_row(s, "northshire", user)
    assert row is not None
    return row


async def test_first_start_imports_the_file_once_and_people_are_listed_by_label(harness: Harness) -> None:
    h = harness
    reply = await h.command("people", user=BM)
    text = str(reply.json().get("blocks"))
    assert "*Business manager, LA*" in text and "Detective inspector, public protection" in text
    assert "Northshire Constabulary" in text and "agency lead, signatory" in text
    async with h.services.db.read() as s:
        rows = list((await s.execute(select(PersonRecord))).scalars())
        [revision] = list((await s.execute(select(PeopleRevision))).scalars())
    file_people = load_config(BUNDLED_EXAMPLE_CONFIG).partnerships[0].people
    assert {r.slack_user_id for r in rows} == {p.slack_user_id for p in file_people}
    assert {r.source for r in rows} == {"file"} and revision.revision == 1
    [imported] = await _audit(h, "people.imported")
    assert imported.actor == "reviewbot" and imported.after == {
        "added": len(file_people),
        "changed": 0,
        "unchanged": 0,
        "not_in_file": 0,
        "removed": 0,
    }
    # only the business manager manages people
    refused = ephemeral_text(await h.command("people", user=POLICE_LEAD))
    assert refused.startswith("Only a business manager can manage people")
    assert store.label_of(h.services, "northshire", CHAIR) == "Independent chair and scrutineer"
    assert store.label_of(h.services, "northshire", "U0NOBODY01") == "someone not in the partnership"


async def test_add_change_roles_and_remove_take_effect_at_once(harness: Harness, clock: FakeClock) -> None:
    h = harness
    h.fake.add_user(NEW)
    case = await open_rapid_review(h)
    assert "not set up in a safeguarding partnership" in await _checklist(h, case, NEW)

    # add: Slack's mention format, the display name after the bar is dropped
    reply = ephemeral_text(await h.command(f"people add <@{NEW}|dc.someone> police agency_lead", user=BM))
    assert "Added *Agency lead, Police*" in reply and "dc.someone" not in reply
    row = await _row(h, NEW)
    assert (row.agency_id, row.roles, row.label, row.source, row.added_by) == (
        "police",
        ["agency_lead"],
        None,
        "slack",
        BM,
    )
    assert "The checklist for RR-2026-001" in await _checklist(h, case, NEW)  # no restart: at once
    assert "RR-2026-001" in str(h.fake.home_view(NEW))  # their Home tab was redrawn with the case
    police_item = next(i for i in (await items(h, case.id)).values() if i.owner_agency == "police")
    rr = await review_of(h, case.id)
    await h.send(item_menu(h, case, rr.checklist_ts or "", police_item, "done", NEW))
    assert (await items(h, case.id))[police_item.item_id].status == "done"

    # roles: a member cannot see the case; back to agency lead, they can again
    reply = ephemeral_text(await h.command(f"people roles <@{NEW}> member", user=BM))
    assert "is now member" in reply
    assert "don't have access" in await _checklist(h, case, NEW) or "can't find" in await _checklist(
        h, case, NEW
    )
    await h.command(f"people roles <@{NEW}> agency_lead,signatory", user=BM)
    assert "The checklist for RR-2026-001" in await _checklist(h, case, NEW)

    # give them open items: a checklist item assigned to them and an action they own
    r7 = (await items(h, case.id))["R7"]
    await h.send(item_menu(h, case, rr.checklist_ts or "", r7, "assign", BM))
    modal = h.fake.view_stack(BM)[-1]
    await h.submit_view(
        h.slack.view_submission(
            CallbackId.CHECKLIST_ASSIGN_MODAL,
            user_id=BM,
            values={"assignee": {"assignee": users_select(NEW)}},
            view_id=modal["id"],
            private_metadata=modal.get("private_metadata", ""),
        ),
        BM,
    )
    assert (await items(h, case.id))["R7"].assignee_user_id == NEW
    changed = await add_action(
        h.services,
        case_id=case.id,
        actor_user_id=BM,
        form=ActionForm(
            description="Synthetic follow-up",
            owner_agency="police",
            owner_user_id=NEW,
            due_on=date(2027, 3, 1),
        ),
    )

    # remove: the open items are offered for hand-over first; nothing is removed yet
    reply = (await h.command(f"people remove <@{NEW}>", user=BM)).json()
    shown = str(reply["blocks"])
    assert "still has open items" in shown and "checklist item" in shown
    assert f"action #{changed.action_id}" in shown
    assert (await _row(h, NEW)).active
    [button] = [
        b["accessory"]
        for b in reply["blocks"]
        if b.get("accessory", {}).get("action_id") == ActionId.PEOPLE_REASSIGN_OPEN
    ]
    await h.send(h.slack.block_action(ActionId.PEOPLE_REASSIGN_OPEN, user_id=BM, value=button["value"]))
    modal = h.fake.view_stack(BM)[-1]
    assert modal["callback_id"] == CallbackId.PEOPLE_REMOVE_MODAL
    # handing over to someone outside the partnership is refused in the form, changing nothing
    ack = await h.submit_view(
        h.slack.view_submission(
            CallbackId.PEOPLE_REMOVE_MODAL,
            user_id=BM,
            values={"to": {"to": users_select("U0OUTSIDE01")}},
            view_id=modal["id"],
            private_metadata=modal["private_metadata"],
        ),
        BM,
    )
    assert "must be in the partnership" in ack.json()["errors"]["to"]
    assert (await _row(h, NEW)).active
    await h.submit_view(
        h.slack.view_submission(
            CallbackId.PEOPLE_REMOVE_MODAL,
            user_id=BM,
            values={"to": {"to": users_select(POLICE_LEAD)}},
            view_id=modal["id"],
            private_metadata=modal["private_metadata"],
        ),
        BM,
    )
    assert not (await _row(h, NEW)).active
    assert (await items(h, case.id))["R7"].assignee_user_id == POLICE_LEAD
    async with h.services.db.read() as s:
        action = await s.get(Action, changed.action_id)
    assert action is not None and action.owner_user_id == POLICE_LEAD
    assert "not set up in a safeguarding partnership" in await _checklist(h, case, NEW)  # refused at once
    assert any("Removed *Agency lead, signatory, Police*" in m.text for m in h.fake.messages(BM))

    # every change is in the audit log
    assert len(await _audit(h, "person.added")) == 1
    assert len(await _audit(h, "person.roles_changed")) == 2
    [handed] = await _audit(h, "person.items_reassigned")
    assert handed.after is not None and handed.after["actions"] == [changed.action_id]
    assert handed.after["checklist_items"] == [r7.id] and handed.actor == BM
    [removed] = await _audit(h, "person.removed")
    assert removed.before == {
        "user": NEW,
        "agency": "police",
        "roles": ["agency_lead", "signatory"],
        "active": True,
    }


async def test_remove_with_a_typed_hand_over_and_without_open_items(harness: Harness) -> None:
    h = harness
    h.fake.add_user(NEW)
    await h.command(f"people add {NEW} police agency_lead Second police lead", user=BM)
    assert store.label_of(h.services, "northshire", NEW) == "Second police lead, Police"
    reply = ephemeral_text(await h.command(f"people remove <@{NEW}>", user=BM))
    assert reply.startswith("Removed *Second police lead, Police*")
    assert "not set up" in ephemeral_text(await h.command("cases", user=NEW))
    # added again later: the same row comes back, audited as an addition
    await h.command(f"people add <@{NEW}> police member", user=BM)
    row = await _row(h, NEW)
    assert row.active and row.roles == ["member"]
    # the business manager cannot remove themselves or drop their own role
    assert "can't remove yourself" in ephemeral_text(await h.command(f"people remove <@{BM}>", user=BM))
    assert "can't take the business manager role" in ephemeral_text(
        await h.command(f"people roles <@{BM}> chair", user=BM)
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("add @dc.someone police agency_lead", "can't tell who"),
        (f"add <@{NEW}> fire_service agency_lead", "not one of this partnership's agencies"),
        (f"add <@{NEW}> police overlord", "Roles are"),
        (f"add <@{NEW}> police agency_lead Jane Smith", "looks like a person's name"),
        (f"add <@{BM}> la business_manager", "already in the partnership"),
        (f"roles <@{NEW}> chair", "not in your partnership"),
        (f"remove <@{NEW}>", "not in your partnership"),
        (f"remove <@{POLICE_LEAD}> to <@U0OUTSIDE01>", "must be in the partnership"),
        ("promote everyone", "has no"),
        (f"add <@{NEW}>", "I need the person, their agency and their roles"),
    ],
)
async def test_bad_input_is_told_plainly_and_changes_nothing(
    harness: Harness, args: str, expected: str
) -> None:
    h = harness
    await h.command("people", user=BM)  # first start: the file is imported
    async with h.services.db.read() as s:
        before = [
            (r.slack_user_id, r.roles, r.active) for r in (await s.execute(select(PersonRecord))).scalars()
        ]
    reply = ephemeral_text(await h.command(f"people {args}", user=BM))
    assert expected in reply
    async with h.services.db.read() as s:
        after = [
            (r.slack_user_id, r.roles, r.active) for r in (await s.execute(select(PersonRecord))).scalars()
        ]
    assert after == before
    assert "Jane Smith" not in reply


async def test_the_add_form(harness: Harness) -> None:
    h = harness
    h.fake.add_user(NEW)
    await h.command("people add", user=BM)
    modal = h.fake.view_stack(BM)[-1]
    assert modal["callback_id"] == CallbackId.PEOPLE_ADD_MODAL

    def values(label: str | None) -> dict[str, Any]:
        return {
            "who": {"who": users_select(NEW)},
            "agency": {"agency": static_select("icb")},
            "roles": {"roles": multi_static_select(["signatory", "agency_lead"])},
            "label": {"label": text_value(label)},
        }

    async def submit(label: str | None) -> Any:
        return await h.submit_view(
            h.slack.view_submission(
                CallbackId.PEOPLE_ADD_MODAL,
                user_id=BM,
                values=values(label),
                view_id=modal["id"],
                private_metadata=modal["private_metadata"],
            ),
            BM,
        )

    ack = await submit("Mr John Brown")
    assert "name" in ack.json()["errors"]["label"]
    await submit("Deputy designated nurse")
    row = await _row(h, NEW)
    assert (row.agency_id, row.roles, row.label) == (
        "icb",
        ["agency_lead", "signatory"],
        "Deputy designated nurse",
    )
    # a forged form for another partnership is refused like one that is not there
    forged = await h.send(
        h.slack.view_submission(
            CallbackId.PEOPLE_ADD_MODAL,
            user_id=BM,
            values=values(None),
            private_metadata=PartnershipMetadata(partnership="glenmoor").dump(),
        )
    )
    assert "I can't find that, or you don't have access to it" in str(forged.json())
    assert store.label_of(h.services, "glenmoor", NEW) == "someone not in the partnership"


async def test_the_worker_sees_a_new_chair_before_its_next_tick(harness: Harness, clock: FakeClock) -> None:
    h = harness
    h.fake.add_user(NEW_CHAIR)
    worker: Services = build_services(h.services.settings, clock=clock)  # another process
    try:
        await tick(worker)
        assert {r.recipient for r in await _digests(worker)} == {CHAIR}
        await h.command(f"people add <@{NEW_CHAIR}> none chair", user=BM)
        await h.command(f"people roles <@{CHAIR}> member", user=BM)
        assert worker.config.partnerships[0].person(NEW_CHAIR) is None  # not re-read yet
        await tick(worker)
        assert {r.recipient for r in await _digests(worker) if r.status == "pending"} >= {NEW_CHAIR}
        clock.advance(timedelta(days=3))  # Monday 21 December, after half past eight
        await tick(worker)
        await h.services.tasks.drain()
        assert any("Weekly digest" in m.text for m in h.fake.messages(NEW_CHAIR))
        assert not any("Weekly digest" in m.text for m in h.fake.messages(CHAIR))
    finally:
        await worker.gateway.close()
        await worker.db.dispose()


async def _digests(services: Services) -> list[Reminder]:
    async with services.db.read() as s:
        return list((await s.execute(select(Reminder).where(Reminder.kind == "chair_digest"))).scalars())


async def test_people_import_is_idempotent_and_keeps_people_added_in_slack(
    harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    h = harness
    h.fake.add_user(NEW)
    await h.command(f"people add <@{NEW}> police agency_lead", user=BM)
    monkeypatch.setenv("DATABASE_URL", h.services.settings.database_url)
    edited = tmp_path / "partnership.yaml"
    edited.write_text(
        BUNDLED_EXAMPLE_CONFIG.read_text().replace("roles: [reviewer]", "roles: [reviewer, member]"), "utf-8"
    )
    assert await _cli(["check-config", str(edited)]) == 0
    assert await _cli(["people", "import", "--config", str(edited)]) == 0
    out = capsys.readouterr().out
    assert "northshire: 0 added, 1 changed, 8 unchanged" in out and "changed: U0REVIEW1" in out
    assert f"not in the file (added in Slack), kept: {NEW}" in out
    assert await _cli(["people", "import", "--config", str(edited)]) == 0
    assert "northshire: 0 added, 0 changed, 9 unchanged" in capsys.readouterr().out
    # the running server sees the import at its next request
    reply = str((await h.command("people", user=BM)).json()["blocks"])
    assert "reviewer, member" in reply
    assert await _cli(["people", "import", "--config", str(edited), "--prune", "--dry-run"]) == 0
    assert f"removed: {NEW}" in capsys.readouterr().out and (await _row(h, NEW)).active
    assert await _cli(["people", "import", "--config", str(edited), "--prune"]) == 0
    assert not (await _row(h, NEW)).active
    assert "not set up" in ephemeral_text(await h.command("cases", user=NEW))
    assert len(await _audit(h, "people.imported")) == 3  # first start, the change, the prune
    bad = tmp_path / "bad.yaml"
    bad.write_text(BUNDLED_EXAMPLE_CONFIG.read_text().replace("roles: [chair]", "roles: [emperor]"), "utf-8")
    assert await _cli(["people", "import", "--config", str(bad)]) == 2
    assert await _cli(["check-config", str(bad)]) == 2


async def _cli(argv: list[str]) -> int:
    return await asyncio.to_thread(main, argv)  # the command line runs its own event loop


async def test_a_forged_removal_form_for_someone_elsewhere_is_not_there(harness: Harness) -> None:
    h = harness
    await h.command("people", user=BM)
    ack = await h.send(
        h.slack.view_submission(
            CallbackId.PEOPLE_REMOVE_MODAL,
            user_id=BM,
            values={"to": {"to": users_select(POLICE_LEAD)}},
            private_metadata=PersonMetadata(person=99999).dump(),
        )
    )
    assert ack.status_code == 200
    async with h.services.db.read() as s:
        assert all(r.active for r in (await s.execute(select(PersonRecord))).scalars())


@pytest.mark.parametrize("value", ["", "abc", "0", "-3", "99999999999999999999", "1e3", "99999"])
async def test_forged_hand_over_buttons_are_out_of_date_and_change_nothing(
    harness: Harness, value: str
) -> None:
    h = harness
    async with h.services.db.read() as s:
        before = [(r.slack_user_id, r.active) for r in (await s.execute(select(PersonRecord))).scalars()]
    response = await h.send(h.slack.block_action(ActionId.PEOPLE_REASSIGN_OPEN, user_id=BM, value=value))
    assert response.status_code == 200
    told = " ".join(r.text for r in h.fake.responses) + " ".join(e.text for e in h.fake.ephemerals())
    assert "out of date" in told or "can't find that" in told
    assert not [v for v in h.fake.view_stack(BM) if v.get("callback_id") == CallbackId.PEOPLE_REMOVE_MODAL]
    async with h.services.db.read() as s:
        after = [(r.slack_user_id, r.active) for r in (await s.execute(select(PersonRecord))).scalars()]
    assert after == before


@pytest.mark.parametrize(
    "args",
    [
        f"add <@{NEW}|<!channel>> police agency_lead",
        "add <@U0NEWLEAD1 police agency_lead",
        f"add <@{NEW}> police " + ",".join(["agency_lead"] * 500 + ["x"]),
        f"add <@{NEW}> police agency_lead " + "Lead " * 1000,
        "roles <!everyone> chair",
        "remove `drop table people`",
        "add \u0000 \u202e police agency_lead",
    ],
)
async def test_hostile_people_commands_are_refused_plainly(harness: Harness, args: str) -> None:
    h = harness
    reply = ephemeral_text(await h.command(f"people {args}", user=BM))
    assert reply and "went wrong on our side" not in reply
    assert "<!channel>" not in reply and "<!everyone>" not in reply
    async with h.services.db.read() as s:
        assert await store.person_row(s, "northshire", NEW) is None


async def test_a_restart_keeps_what_was_changed_in_slack(harness: Harness, clock: FakeClock) -> None:
    h = harness
    h.fake.add_user(NEW)
    await h.command(f"people add <@{NEW}> police agency_lead", user=BM)
    await h.command(f"people remove <@{POLICE_LEAD}>", user=BM)
    restarted: Services = build_services(h.services.settings, clock=clock)  # reads the file again
    try:
        assert restarted.config.partnerships[0].person(POLICE_LEAD) is not None  # the file, until read
        await store.refresh_people(restarted)
        people = restarted.config.partnerships[0]
        assert people.person(POLICE_LEAD) is None and people.person(NEW) is not None
        assert [a.roles for a in restarted.actors(NEW)] == [frozenset({"agency_lead"})]
        assert len(await _audit(h, "people.imported")) == 1  # the file was not imported a second time
    finally:
        await restarted.gateway.close()
        await restarted.db.dispose()


async def test_a_business_manager_manages_only_their_own_partnership(
    database_url: str, clock: FakeClock
) -> None:
    config = Path(__file__).parent / "fixtures" / "two_partnerships.yaml"
    h = await Harness.start(database_url=database_url, clock=clock, run_migrations=False, config_path=config)
    try:
        northshire_lead, glenmoor_bm = "U0NSIC0001", "U0GMBM0001"
        listed = str((await h.command("people", user=glenmoor_bm)).json()["blocks"])
        assert northshire_lead not in listed and glenmoor_bm in listed
        reply = ephemeral_text(await h.command(f"people roles <@{northshire_lead}> member", user=glenmoor_bm))
        assert "not in your partnership" in reply
        reply = ephemeral_text(await h.command(f"people remove <@{northshire_lead}>", user=glenmoor_bm))
        assert "not in your partnership" in reply
        roles = [a.roles for a in h.services.actors(northshire_lead)]
        assert roles == [frozenset({"agency_lead", "signatory"})]
    finally:
        await h.close()
