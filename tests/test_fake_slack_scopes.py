"""The stand-in's OAuth scopes (x-oauth-scopes, missing_scope) and conversations.archive, as Slack does."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.fake_slack.scopes import ALL_BOT_SCOPES
from bot.slack.gateway import SlackGateway, required_scopes

PUBLIC, PRIVATE = "C0BOARD01", "G0UNIT001"
LACKING = required_scopes() - {"groups:read"}


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(scopes=LACKING) as slack:
        slack.add_channel(PUBLIC, "board", members=["U0BM00001"])
        slack.add_channel(PRIVATE, "unit", members=["U0BM00001"], is_private=True)
        yield slack


async def test_auth_test_lists_the_granted_scopes_in_the_header(fake: FakeSlack) -> None:
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
    response = await client.auth_test()
    assert set(response.headers["x-oauth-scopes"].split(",")) == LACKING
    gateway = SlackGateway.create(fake.bot_token, fake.api_url)
    identity = await gateway.auth_test()
    await gateway.close()
    assert identity.scopes == LACKING and identity.user_id == fake.bot_user_id


async def test_a_method_without_its_scope_answers_missing_scope(fake: FakeSlack) -> None:
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
    assert (await client.conversations_info(channel=PUBLIC))["channel"]["is_member"]  # channels:read: granted
    with pytest.raises(SlackApiError) as refused:
        await client.conversations_info(channel=PRIVATE)  # a private channel needs groups:read
    assert refused.value.response["error"] == "missing_scope"
    assert refused.value.response["needed"] == "groups:read"
    assert "groups:read" not in refused.value.response["provided"].split(",")


async def test_without_scopes_given_the_fake_grants_everything() -> None:
    async with FakeSlack() as fake:
        response = await AsyncWebClient(token=fake.bot_token, base_url=fake.api_url).auth_test()
    assert set(response.headers["x-oauth-scopes"].split(",")) == ALL_BOT_SCOPES


async def test_conversations_archive(fake: FakeSlack) -> None:
    gateway = SlackGateway.create(fake.bot_token, fake.api_url, pace_seconds=0)
    try:
        assert await gateway.archive_channel(PRIVATE) is True
        assert fake.channels[PRIVATE].is_archived
        assert await gateway.archive_channel(PRIVATE) is False  # already archived: nothing to do
        client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
        with pytest.raises(SlackApiError) as posting:
            await client.chat_postMessage(channel=PRIVATE, text="after archiving")
        assert posting.value.response["error"] == "is_archived"
    finally:
        await gateway.close()
