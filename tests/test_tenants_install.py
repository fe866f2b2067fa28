"""OAuth install against the stand-in: the flow end to end, each request with its own team's token,
nothing for a team that never installed, uninstall and revoke, token rotation, Enterprise Grid, and
no token in the clear in the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.sandbox.fake_slack import InstallRequest
from bot.sandbox.harness import Harness
from bot.tenants.models import Installation
from tests.tenant_helpers import (
    GLEN,
    NORTH,
    TWO_WORKSPACES,
    as_team,
    database_file_bytes,
    database_text,
    install,
    select,
    state_of,
)


@pytest.fixture
async def h(database_url: str, clock: FakeClock) -> AsyncIterator[Harness]:
    harness = await Harness.start(
        database_url=database_url, config_path=TWO_WORKSPACES, clock=clock, oauth=True
    )
    harness.fake.add_team(NORTH, name="Northshire (synthetic)")
    harness.fake.add_team(GLEN, name="Glenmoor (synthetic)")
    try:
        yield harness
    finally:
        await harness.close()


def _publishes(h: Harness) -> list:
    return [c for c in h.fake.calls() if c.method == "views.publish"]


async def test_install_then_home_is_published_with_that_teams_token(h: Harness) -> None:
    done = await install(h, NORTH)
    assert done.status_code == 200 and "installed" in done.text
    token = next(iter(h.fake.tokens_of(NORTH)))

    with as_team(h, NORTH):
        await h.send(h.slack.app_home_opened("U0SAME0001"))
    [publish] = _publishes(h)
    assert publish.ok and publish.team_id == NORTH
    assert publish.headers["Authorization"] == f"Bearer {token}"
    assert "not set up" not in str(h.fake.home_view("U0SAME0001", NORTH))

    # The token is nowhere in the database in the clear: not in any row, not in the file's bytes.
    assert token not in await database_text(h)
    assert token.encode() not in database_file_bytes(h)
    async with h.services.db.session() as session:
        row = (await session.execute(select(Installation))).scalar_one()
    assert row.team_id == NORTH and row.bot_token_encrypted.startswith("gAAAA")


async def test_a_team_that_never_installed_gets_nothing(h: Harness) -> None:
    await install(h, NORTH)
    before = len(h.fake.calls())
    with as_team(h, GLEN):
        response = await h.send(h.slack.app_home_opened("U0GMBM0001"))
        command = await h.command("help", user="U0GMBM0001")
    assert response.status_code == 200 and command.status_code == 200
    assert h.fake.calls()[before:] == []  # no Web API call, with any token
    assert h.fake.responses == []  # not even an answer through the command's response_url


async def test_state_is_one_time_and_checked(h: Harness) -> None:
    bogus = await h.http.get("/slack/oauth_redirect", params={"code": "code-1", "state": "made-up"})
    assert bogus.status_code == 400
    page = await h.http.get("/slack/install")
    state = state_of(page)
    code = h.fake.issue_code(InstallRequest(NORTH))
    first = await h.http.get("/slack/oauth_redirect", params={"code": code, "state": state})
    again = await h.http.get("/slack/oauth_redirect", params={"code": code, "state": state})
    assert first.status_code == 200 and again.status_code == 400


async def test_state_expires(h: Harness, clock: FakeClock) -> None:
    state = state_of(await h.http.get("/slack/install"))
    clock.advance(timedelta(minutes=11))
    late = await h.http.get(
        "/slack/oauth_redirect", params={"code": h.fake.issue_code(InstallRequest(NORTH)), "state": state}
    )
    assert late.status_code == 400
    assert [c for c in h.fake.calls() if c.method == "oauth.v2.access"] == []


@pytest.mark.parametrize("event", ["app_uninstalled", "tokens_revoked"])
async def test_uninstall_and_revoke_disable_the_installation(h: Harness, event: str) -> None:
    await install(h, NORTH)
    inner = {"type": event}
    if event == "tokens_revoked":
        inner["tokens"] = {"oauth": [], "bot": ["U0BOTH001"]}
    with as_team(h, NORTH):
        await h.send(h.slack.event(inner))
        before = len(h.fake.calls())
        await h.send(h.slack.app_home_opened("U0SAME0001"))
    assert h.fake.calls()[before:] == []
    async with h.services.db.session() as session:
        row = (await session.execute(select(Installation))).scalar_one()
    assert row.disabled_at is not None and row.disabled_reason == event
    # Installing again brings it back.
    await install(h, NORTH)
    with as_team(h, NORTH):
        await h.send(h.slack.app_home_opened("U0SAME0001"))
    assert _publishes(h)[-1].ok and _publishes(h)[-1].team_id == NORTH


async def test_token_rotation_refreshes_before_expiry(h: Harness, clock: FakeClock) -> None:
    h.fake.token_rotation = True
    await install(h, NORTH)
    first = next(iter(h.fake.tokens_of(NORTH)))
    assert first.startswith("xoxe.xoxb-")
    clock.advance(timedelta(hours=11, minutes=55))  # 12-hour tokens: inside the 10-minute margin
    with as_team(h, NORTH):
        await h.send(h.slack.app_home_opened("U0SAME0001"))
    refreshes = [c for c in h.fake.calls() if c.method == "oauth.v2.access" and c.params.get("grant_type")]
    assert len(refreshes) == 1 and refreshes[0].ok
    publish = _publishes(h)[-1]
    assert publish.ok and publish.headers["Authorization"] != f"Bearer {first}"
    second = publish.headers["Authorization"].removeprefix("Bearer ")
    text = await database_text(h)
    assert first not in text and second not in text
    # The new token holds until it too nears expiry: no second refresh.
    with as_team(h, NORTH):
        await h.send(h.slack.app_home_opened("U0SAME0001"))
    assert (
        len([c for c in h.fake.calls() if c.method == "oauth.v2.access" and c.params.get("grant_type")]) == 1
    )


async def test_enterprise_grid_org_wide_install(h: Harness) -> None:
    h.fake.add_team("T0ORGWS001", name="Org workspace (synthetic)", enterprise_id="E0ORG00001")
    done = await install(h, None, enterprise_id="E0ORG00001", org_wide=True)
    assert done.status_code == 200
    async with h.services.db.session() as session:
        row = (await session.execute(select(Installation))).scalar_one()
    assert row.is_enterprise_install and row.team_id is None and row.enterprise_id == "E0ORG00001"
    h.fake.add_user("U0ORGUSER1")
    await h.send(_org_wide_home_opened(h, "U0ORGUSER1", "T0ORGWS001", "E0ORG00001"))
    publish = _publishes(h)[-1]
    assert publish.ok and publish.team_id == "E:E0ORG00001"
    assert "not bound to a safeguarding partnership" in str(h.fake.home_view("U0ORGUSER1"))
    # Another organisation that never installed gets nothing.
    before = len(h.fake.calls())
    await h.send(_org_wide_home_opened(h, "U0ORGUSER1", "T0OTHER001", "E0NOTHERE1"))
    assert h.fake.calls()[before:] == []


def _org_wide_home_opened(h: Harness, user: str, team_id: str, enterprise_id: str):  # type: ignore[no-untyped-def]
    """app_home_opened as Slack sends it to an org-wide install: the workspace in team_id, the
    organisation in enterprise_id, and the authorisation for the whole organisation."""
    with as_team(h, team_id):
        body = h.slack.app_home_opened(user).payload
    body["enterprise_id"] = enterprise_id
    body["authorizations"][0].update(enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True)
    return h.slack._json(body)


async def test_a_button_from_a_team_that_never_installed_gets_nothing(h: Harness) -> None:
    from bot.slack.ids import ActionId

    await install(h, NORTH)
    before = len(h.fake.calls())
    with as_team(h, GLEN):
        click = h.slack.block_action(ActionId.HOME_PAGE.value, user_id="U0GMBM0001", value="{}")
        response = await h.send(click)
    assert response.status_code == 200 and not response.content
    assert h.fake.calls()[before:] == [] and h.fake.responses == []


async def test_revoking_only_user_tokens_leaves_the_installation(h: Harness) -> None:
    await install(h, NORTH)
    with as_team(h, NORTH):
        await h.send(
            h.slack.event({"type": "tokens_revoked", "tokens": {"oauth": ["U0SAME0001"], "bot": []}})
        )
        await h.send(h.slack.app_home_opened("U0SAME0001"))
    async with h.services.db.session() as session:
        row = (await session.execute(select(Installation))).scalar_one()
    assert row.disabled_at is None
    assert _publishes(h)[-1].ok and _publishes(h)[-1].team_id == NORTH
