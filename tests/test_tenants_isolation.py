"""Two workspaces, two partnerships, one stand-in playing both teams: nothing of one partnership is
seen, changed or posted in the other's workspace, even where member ids collide (U0SAME0001 is
Northshire's business manager in one workspace and an ordinary Glenmoor member in the other)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.reminders.dispatch import dispatch_due
from bot.reminders.models import ReminderStatus
from bot.sandbox.harness import Harness
from tests.intake_helpers import all_cases, notify
from tests.reminder_helpers import notice, rows, seed
from tests.tenant_helpers import GLEN, NORTH, TWO_WORKSPACES, as_team, install

SAME = "U0SAME0001"  # Northshire's business manager in T0NORTH001; a Glenmoor member in T0GLEN0001


@pytest.fixture
async def h(database_url: str, clock: FakeClock) -> AsyncIterator[Harness]:
    harness = await Harness.start(
        database_url=database_url, config_path=TWO_WORKSPACES, clock=clock, oauth=True
    )
    harness.fake.add_team(NORTH, name="Northshire (synthetic)")
    harness.fake.add_team(GLEN, name="Glenmoor (synthetic)")
    for channel, team in (
        ("C0NSBU0001", NORTH),
        ("C0NSBOARD1", NORTH),
        ("C0GMBU0001", GLEN),
        ("C0GMBOARD1", GLEN),
    ):
        harness.fake.team_channel(channel, team)
    assert (await install(harness, NORTH)).status_code == 200
    assert (await install(harness, GLEN)).status_code == 200
    try:
        yield harness
    finally:
        await harness.close()


async def _north_case(h: Harness) -> tuple[str, str]:
    with as_team(h, NORTH):
        await notify(h, user=SAME)
    [case] = await all_cases(h)
    assert case.partnership_id == "northshire" and case.channel_id
    return case.reference, case.channel_id


async def test_a_case_is_made_and_posted_only_in_its_own_workspace(h: Harness) -> None:
    reference, channel = await _north_case(h)
    touching = [
        c for c in h.fake.calls() if c.params.get("channel") in (channel, None) and c.method != "views.open"
    ]
    assert touching and {c.team_id for c in h.fake.calls() if c.params.get("channel") == channel} == {NORTH}
    assert h.fake.channel_team(channel) == NORTH
    # Every call the notification caused was made with Northshire's token; none with Glenmoor's.
    assert {c.team_id for c in h.fake.calls() if c.method != "oauth.v2.access"} == {NORTH}
    assert reference


async def test_the_same_member_id_in_another_workspace_sees_and_changes_nothing(h: Harness) -> None:
    reference, channel = await _north_case(h)
    before = len(h.fake.calls())
    with as_team(h, GLEN):
        listing = await h.command("cases", user=SAME)
        in_channel = await h.command("stage strategy", user=SAME, channel=channel)
        await h.send(h.slack.app_home_opened(SAME))
    assert reference not in listing.text
    assert reference not in in_channel.text
    home = h.fake.home_view(SAME, GLEN)
    assert home is not None and reference not in str(home)
    # Whatever was said went to Glenmoor's workspace with Glenmoor's token.
    assert {c.team_id for c in h.fake.calls()[before:]} <= {GLEN}
    [case] = await all_cases(h)
    assert case.stage != "strategy"
    # In Northshire's workspace the same id is the business manager and sees the case.
    with as_team(h, NORTH):
        mine = await h.command("cases", user=SAME)
    assert reference in mine.text


async def test_someone_known_only_in_one_partnership_gets_nothing_in_the_other_workspace(h: Harness) -> None:
    reference, _channel = await _north_case(h)
    h.fake.add_user("U0GMBM0001")
    with as_team(h, NORTH):  # Glenmoor's business manager's id, in Northshire's workspace
        answer = await h.command("cases", user="U0GMBM0001")
    assert reference not in answer.text and "GM/LR" not in answer.text


async def test_reminders_go_out_with_each_teams_token(h: Harness, clock: FakeClock) -> None:
    now = clock.now()
    north_dm = notice("north-dm", now - timedelta(minutes=1), SAME, "Northshire reminder (synthetic)")
    north_dm["payload"] = {"text": "Northshire reminder (synthetic)"}
    glen_dm = notice("glen-dm", now - timedelta(minutes=1), SAME, "Glenmoor reminder (synthetic)")
    glen_dm |= {"partnership_id": "glenmoor", "payload": {"text": "Glenmoor reminder (synthetic)"}}
    north_channel = notice("north-bu", now - timedelta(minutes=1), "C0NSBU0001", "Northshire notice")
    glen_channel = notice("glen-bu", now - timedelta(minutes=1), "C0GMBU0001", "Glenmoor notice")
    glen_channel["partnership_id"] = "glenmoor"
    await seed(h, [north_dm, glen_dm, north_channel, glen_channel])
    before = len(h.fake.calls())
    report = await dispatch_due(h.services)
    assert report.sent == 4 and report.messages == 4  # the two people called U0SAME0001 are two people
    posts = [c for c in h.fake.calls()[before:] if c.method == "chat.postMessage"]
    by_text = {str(c.params.get("text")): c.team_id for c in posts}
    assert by_text == {
        "Northshire reminder (synthetic)": NORTH,
        "Glenmoor reminder (synthetic)": GLEN,
        "Northshire notice": NORTH,
        "Glenmoor notice": GLEN,
    }
    assert all(c.ok for c in posts)


async def test_a_partnership_whose_workspace_uninstalled_gets_no_post_with_any_token(
    h: Harness, clock: FakeClock
) -> None:
    with as_team(h, GLEN):
        await h.send(h.slack.event({"type": "app_uninstalled"}))
    now = clock.now()
    glen_channel = notice("glen-bu", now - timedelta(minutes=1), "C0GMBU0001", "Glenmoor notice")
    glen_channel["partnership_id"] = "glenmoor"
    await seed(h, [glen_channel])
    before = len(h.fake.calls())
    report = await dispatch_due(h.services)
    assert report.sent == 0
    assert h.fake.calls()[before:] == []
    [row] = await rows(h)
    assert row.status == ReminderStatus.PENDING.value and row.last_error == "not_installed"
