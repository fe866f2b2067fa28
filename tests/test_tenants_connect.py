"""Slack Connect: the business manager shares a case channel with a partner organisation's
workspace (conversations.inviteShared) where the partnership allows it; external members are known
by (team, member id) and may do only what their entry in the partnership file allows; unknown
external users nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.audit import AuditEvent
from bot.clock import FakeClock
from bot.sandbox.harness import Harness
from tests.intake_helpers import all_cases, notify
from tests.tenant_helpers import GLEN, NORTH, TWO_WORKSPACES, as_team, install

PARTNER = "T0PARTNER1"
BM = "U0SAME0001"
EXTERNAL = "U0EXTPO001"  # the partner police lead, from T0PARTNER1 (an agency lead in Northshire's file)


@pytest.fixture
async def h(database_url: str, clock: FakeClock) -> AsyncIterator[Harness]:
    harness = await Harness.start(
        database_url=database_url, config_path=TWO_WORKSPACES, clock=clock, oauth=True
    )
    for team in (NORTH, GLEN, PARTNER):
        harness.fake.add_team(team)
        assert (await install(harness, team)).status_code == 200
    try:
        yield harness
    finally:
        await harness.close()


async def _case_channel(h: Harness) -> tuple[str, str]:
    with as_team(h, NORTH):
        await notify(h, user=BM)
    [case] = await all_cases(h)
    assert case.channel_id
    return case.reference, case.channel_id


async def test_the_business_manager_shares_a_case_channel_with_a_partner_workspace(h: Harness) -> None:
    reference, channel = await _case_channel(h)
    with as_team(h, NORTH):
        answer = await h.command(f"share {PARTNER}", user=BM, channel=channel)
    assert "Invitation sent" in answer.text
    [invite] = h.fake.shared_invites
    assert invite.channel == channel and invite.team_id == NORTH and invite.user_ids == [EXTERNAL]
    [call] = h.fake.calls("conversations.inviteShared")
    assert call.team_id == NORTH and call.ok
    async with h.services.db.session() as session:
        rows = (
            (await session.execute(select(AuditEvent).where(AuditEvent.action == "case.channel_shared")))
            .scalars()
            .all()
        )
    assert len(rows) == 1 and "T0PARTNER1" in str(rows[0].after)
    # By email too; the address is neither stored nor logged.
    with as_team(h, NORTH):
        by_email = await h.command("share reviewer@partner.example", user=BM, channel=channel)
    assert "Invitation sent" in by_email.text
    assert h.fake.shared_invites[-1].emails == ["reviewer@partner.example"]
    async with h.services.db.session() as session:
        stored = str([r.after for r in (await session.execute(select(AuditEvent))).scalars()])
    assert "partner.example" not in stored
    assert reference


@pytest.mark.parametrize(
    ("user", "args"),
    [
        ("U0NSLA0001", f"share {PARTNER}"),  # an agency lead: not theirs to share
        (BM, "share T0NOTLIST1"),  # a workspace the partnership file does not name
        (BM, f"share {GLEN}"),  # another partnership's workspace
        (BM, "share"),  # nothing said
    ],
)
async def test_sharing_is_refused_and_nothing_is_sent(h: Harness, user: str, args: str) -> None:
    _reference, channel = await _case_channel(h)
    with as_team(h, NORTH):
        await h.command(args, user=user, channel=channel)
    assert h.fake.calls("conversations.inviteShared") == []
    assert h.fake.shared_invites == []


async def test_external_members_do_what_their_role_allows_and_unknown_ones_nothing(h: Harness) -> None:
    reference, channel = await _case_channel(h)
    with as_team(h, NORTH):
        await h.command(f"share {PARTNER}", user=BM, channel=channel)
    h.fake.accept_shared_invite(h.fake.shared_invites[0].invite_id, PARTNER)
    h.fake.add_user(EXTERNAL)
    h.fake.add_user("U0EXTUNK01")
    with as_team(h, PARTNER):
        known = await h.command("cases", user=EXTERNAL)
        moved = await h.command("stage strategy", user=EXTERNAL, channel=channel)
        unknown = await h.command("cases", user="U0EXTUNK01")
        same_id_as_the_bm = await h.command("cases", user=BM)  # U0SAME0001 in the partner's workspace
    assert reference in known.text  # a member of an involved agency sees the case
    [case] = await all_cases(h)
    assert case.stage != "strategy" and reference not in moved.text.split("moved to")[0]
    assert reference not in unknown.text
    assert reference not in same_id_as_the_bm.text
    # The same member id in Northshire's own workspace is someone else: not the partner's reviewer.
    h.fake.add_user(EXTERNAL)
    with as_team(h, NORTH):
        impostor = await h.command("cases", user=EXTERNAL)
    assert reference not in impostor.text


async def test_a_partnership_that_does_not_allow_slack_connect_shares_nothing(h: Harness) -> None:
    with as_team(h, GLEN):
        answer = await h.command("share T0PARTNER1", user="U0GMBM0001", channel="C0GMBU0001")
    assert h.fake.calls("conversations.inviteShared") == []
    assert "Invitation sent" not in answer.text


async def test_help_lists_share_within_slacks_block_limits(h: Harness) -> None:
    from bot.slack.blockkit import lint_message

    with as_team(h, NORTH):
        answer = await h.command("help", user=BM)
    body = answer.json()
    assert "/review share" in body["text"]
    assert lint_message(body["blocks"], body["text"]) == []
