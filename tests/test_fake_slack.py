"""FakeSlack answers the real slack_sdk client in Slack's shapes, with Slack's errors and limits."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Awaitable
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.clock import FakeClock
from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.render import render_blocks_as_text

ALICE = "U0BM0001"
BOB = "U0BM0002"
CAROL = "U0BM0003"
BOARD = "C0BOARD01"
TS_RE = re.compile(r"^\d{10}\.\d{6}$")


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    # slack_sdk honours proxy variables and ignores NO_PROXY.
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock(datetime(2026, 12, 18, 10, 0, tzinfo=UTC))


@pytest.fixture
async def fake(fake_clock: FakeClock) -> AsyncIterator[FakeSlack]:
    slack = FakeSlack(clock=fake_clock)
    await slack.start()
    slack.add_user(ALICE)
    slack.add_user(BOB)
    slack.add_user(CAROL)
    slack.add_channel(BOARD, "safeguarding-board", members=[ALICE, BOB])
    yield slack
    await slack.stop()


@pytest.fixture
def client(fake: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)


async def slack_error(call: Awaitable[Any]) -> SlackApiError:
    with pytest.raises(SlackApiError) as info:
        await call
    return info.value


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def modal(title: str = "Case review", **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": [section("hi")],
        **extra,
    }


# --- basics: shape, auth, unknown methods ----------------------------------------------------------


async def test_auth_test_identifies_the_bot(client: AsyncWebClient, fake: FakeSlack) -> None:
    response = await client.auth_test()
    assert response["ok"] is True
    assert response["team_id"] == "T0TEST"
    assert response["user_id"] == "U0BOT0001"
    assert response["bot_id"] == "B0BOT0001"
    assert "slack.com" not in response["url"]
    call = fake.calls("auth.test")[0]
    assert call.headers["Authorization"] == f"Bearer {fake.bot_token}"
    assert call.status == 200 and call.ok


async def test_unknown_method(client: AsyncWebClient) -> None:
    error = await slack_error(client.api_call("reviews.frobnicate"))
    assert error.response["error"] == "unknown_method"


async def test_bearer_token_is_enforced(fake: FakeSlack) -> None:
    missing = AsyncWebClient(token=None, base_url=fake.api_url)
    assert (await slack_error(missing.auth_test())).response["error"] == "not_authed"
    wrong = AsyncWebClient(token="xoxb-someone-else", base_url=fake.api_url)
    assert (await slack_error(wrong.auth_test())).response["error"] == "invalid_auth"
    app_level = AsyncWebClient(token=fake.app_token, base_url=fake.api_url)
    assert (await slack_error(app_level.auth_test())).response["error"] == "not_allowed_token_type"
    bot = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
    assert (await slack_error(bot.apps_connections_open(app_token=fake.bot_token))).response[
        "error"
    ] == "not_allowed_token_type"


async def test_form_body_with_token_parameter_and_json_string_blocks(fake: FakeSlack) -> None:
    form = {
        "token": fake.bot_token,
        "channel": BOARD,
        "text": "Case ref 2026-001",
        "blocks": json.dumps([section("*Case* 2026-001")]),
    }
    async with aiohttp.ClientSession() as session:
        async with session.post(fake.api_url + "chat.postMessage", data=form) as resp:
            body = await resp.json()
        assert body["ok"] is True
        assert fake.messages(BOARD)[0].blocks[0]["text"]["text"] == "*Case* 2026-001"
        # Slack ignores a token inside a JSON body: it must come as a bearer header.
        async with session.post(fake.api_url + "auth.test", json={"token": fake.bot_token}) as resp:
            assert (await resp.json())["error"] == "not_authed"


# --- chat ------------------------------------------------------------------------------------------


async def test_post_message_shape_and_monotonic_ts(client: AsyncWebClient, fake: FakeSlack) -> None:
    first = await client.chat_postMessage(
        channel=BOARD, text="Case 2026-001 opened", blocks=[section("*2026-001*")]
    )
    assert first["channel"] == BOARD
    assert TS_RE.match(first["ts"])
    message = first["message"]
    assert message["type"] == "message"
    assert message["bot_id"] == "B0BOT0001" and message["user"] == "U0BOT0001"
    assert message["ts"] == first["ts"] and message["text"] == "Case 2026-001 opened"
    assert message["blocks"][0]["block_id"]  # Slack fills in missing block ids
    stamps = [first["ts"]]
    for n in range(3):  # the fake clock does not move: ts must still be unique and increasing
        stamps.append((await client.chat_postMessage(channel=BOARD, text=f"n{n}"))["ts"])
    assert stamps == sorted(stamps) and len(set(stamps)) == 4
    assert stamps[0].startswith(str(int(datetime(2026, 12, 18, 10, tzinfo=UTC).timestamp())))


async def test_post_to_user_id_goes_to_dm(client: AsyncWebClient, fake: FakeSlack) -> None:
    response = await client.chat_postMessage(channel=ALICE, text="Your action is due")
    assert response["channel"] == fake.dm_channel(ALICE)
    assert response["channel"].startswith("D")
    assert [m.text for m in fake.messages(ALICE)] == ["Your action is due"]
    opened = await client.conversations_open(users=ALICE)
    assert opened["channel"]["id"] == response["channel"]
    assert opened["already_open"] is True


async def test_threads(client: AsyncWebClient, fake: FakeSlack) -> None:
    parent = await client.chat_postMessage(channel=BOARD, text="parent")
    reply = await client.chat_postMessage(channel=BOARD, text="reply", thread_ts=parent["ts"])
    assert reply["message"]["thread_ts"] == parent["ts"]
    messages = fake.messages(BOARD)
    assert [(m.text, m.thread_ts, m.is_reply) for m in messages] == [
        ("parent", parent["ts"], False),
        ("reply", parent["ts"], True),
    ]
    assert messages[0].reply_count == 1


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing:UserWarning")
async def test_post_message_errors(client: AsyncWebClient, fake: FakeSlack) -> None:
    assert (await slack_error(client.chat_postMessage(channel="C0NOPE", text="x"))).response[
        "error"
    ] == "channel_not_found"
    fake.add_channel("C0PUBLIC1", "general-chat", members=[ALICE], bot_is_member=False)
    fake.add_channel("C0PRIV01", "secret", members=[ALICE], is_private=True, bot_is_member=False)
    assert (await slack_error(client.chat_postMessage(channel="C0PUBLIC1", text="x"))).response[
        "error"
    ] == "not_in_channel"
    assert (await slack_error(client.chat_postMessage(channel="C0PRIV01", text="x"))).response[
        "error"
    ] == "channel_not_found"
    assert (await slack_error(client.chat_postMessage(channel=BOARD, text=""))).response["error"] == "no_text"
    assert fake.messages(BOARD) == []


async def test_chat_update_keeps_ts(client: AsyncWebClient, fake: FakeSlack) -> None:
    posted = await client.chat_postMessage(channel=BOARD, text="v1", blocks=[section("v1 block")])
    updated = await client.chat_update(channel=BOARD, ts=posted["ts"], text="v2")
    assert updated["ts"] == posted["ts"] and updated["text"] == "v2"
    (message,) = fake.messages(BOARD)
    assert message.ts == posted["ts"] and message.text == "v2" and message.edited == 1
    assert message.blocks[0]["text"]["text"] == "v1 block"  # blocks not sent -> kept, as Slack documents
    await client.chat_update(channel=BOARD, ts=posted["ts"], text="v3", blocks=[])
    assert fake.messages(BOARD)[0].blocks == [] and fake.messages(BOARD)[0].edited == 2
    error = await slack_error(client.chat_update(channel=BOARD, ts="1700000000.000001", text="x"))
    assert error.response["error"] == "message_not_found"


async def test_ephemeral_is_recorded_per_user(client: AsyncWebClient, fake: FakeSlack) -> None:
    response = await client.chat_postEphemeral(channel=BOARD, user=ALICE, text="Only you can see this")
    assert TS_RE.match(response["message_ts"])
    assert [e.text for e in fake.ephemerals(ALICE)] == ["Only you can see this"]
    assert fake.ephemerals(BOB) == []
    assert fake.messages(BOARD) == []
    error = await slack_error(client.chat_postEphemeral(channel=BOARD, user=CAROL, text="x"))
    assert error.response["error"] == "user_not_in_channel"


async def test_chat_delete(client: AsyncWebClient, fake: FakeSlack) -> None:
    posted = await client.chat_postMessage(channel=BOARD, text="oops")
    deleted = await client.chat_delete(channel=BOARD, ts=posted["ts"])
    assert deleted["ts"] == posted["ts"] and deleted["channel"] == BOARD
    assert fake.messages(BOARD) == []
    assert [m.text for m in fake.deleted_messages] == ["oops"]
    assert (await slack_error(client.chat_delete(channel=BOARD, ts=posted["ts"]))).response[
        "error"
    ] == "message_not_found"


# --- Block Kit validation --------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing:UserWarning")
async def test_message_block_limits_are_refused(client: AsyncWebClient, fake: FakeSlack) -> None:
    ok = await client.chat_postMessage(channel=BOARD, text="fifty", blocks=[{"type": "divider"}] * 50)
    assert ok["ok"]
    error = await slack_error(
        client.chat_postMessage(channel=BOARD, text="x", blocks=[{"type": "divider"}] * 51)
    )
    assert error.response["error"] == "invalid_blocks"
    assert error.response["errors"] == ["blocks: 51 blocks, limit 50"]
    assert error.response["response_metadata"]["messages"] == [
        "[ERROR] 51 blocks, limit 50 [json-pointer:/blocks]"
    ]
    error = await slack_error(client.chat_postMessage(channel=BOARD, text="x", blocks=[section("y" * 3001)]))
    assert error.response["errors"] == ["blocks[0].text.text: 3001 characters, limit 3000"]
    error = await slack_error(client.chat_postMessage(channel=BOARD, blocks=[section("no fallback")]))
    assert error.response["error"] == "invalid_blocks"
    assert error.response["errors"][0].startswith("text: fallback text is required")
    too_long = [section("z" * 2500) for _ in range(6)]
    error = await slack_error(client.chat_postMessage(channel=BOARD, text="x", blocks=too_long))
    assert error.response["error"] == "msg_blocks_too_long"
    assert len(fake.messages(BOARD)) == 1


async def test_update_and_ephemeral_validate_blocks(client: AsyncWebClient) -> None:
    posted = await client.chat_postMessage(channel=BOARD, text="v1")
    bad = [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}]
    error = await slack_error(client.chat_update(channel=BOARD, ts=posted["ts"], text="v2", blocks=bad))
    assert error.response["errors"] == ["blocks[0].text.text: 151 characters, limit 150"]
    error = await slack_error(client.chat_postEphemeral(channel=BOARD, user=ALICE, text="x", blocks=bad))
    assert error.response["error"] == "invalid_blocks"


async def test_view_limits_are_refused(client: AsyncWebClient, fake: FakeSlack) -> None:
    fake.issue_trigger_id(ALICE)
    big = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "T"},
        "blocks": [{"type": "divider"}] * 101,
    }
    error = await slack_error(client.views_open(trigger_id=fake.issue_trigger_id(ALICE), view=big))
    assert error.response["error"] == "invalid_arguments"
    assert error.response["errors"] == ["blocks: 101 blocks, limit 100"]
    assert error.response["response_metadata"]["messages"] == [
        "[ERROR] 101 blocks, limit 100 [json-pointer:/view/blocks]"
    ]
    home = {"type": "home", "blocks": [{"type": "divider"}] * 101}
    assert (await slack_error(client.views_publish(user_id=ALICE, view=home))).response["error"] == (
        "invalid_arguments"
    )
    long_title = modal(title="A title that is far too long")
    error = await slack_error(client.views_open(trigger_id=fake.issue_trigger_id(ALICE), view=long_title))
    assert error.response["errors"] == ["title.text: 28 characters, limit 24"]
    assert fake.view_stack(ALICE) == []


# --- views -----------------------------------------------------------------------------------------


async def test_views_open_shape(client: AsyncWebClient, fake: FakeSlack) -> None:
    response = await client.views_open(
        trigger_id=fake.issue_trigger_id(ALICE), view=modal(callback_id="notify", private_metadata='{"v":1}')
    )
    view = response["view"]
    assert view["id"].startswith("V") and view["root_view_id"] == view["id"]
    assert view["callback_id"] == "notify" and view["private_metadata"] == '{"v":1}'
    assert view["state"] == {"values": {}} and view["hash"]
    assert view["team_id"] == "T0TEST" and view["previous_view_id"] is None
    assert [v["id"] for v in fake.view_stack(ALICE)] == [view["id"]]


async def test_trigger_id_expires_after_three_seconds(
    client: AsyncWebClient, fake: FakeSlack, fake_clock: FakeClock
) -> None:
    trigger = fake.issue_trigger_id(ALICE)
    fake_clock.advance(seconds=4)
    error = await slack_error(client.views_open(trigger_id=trigger, view=modal()))
    assert error.response["error"] == "expired_trigger_id"
    fresh = fake.issue_trigger_id(ALICE)
    fake_clock.advance(seconds=3)  # exactly 3 s is still in time
    assert (await client.views_open(trigger_id=fresh, view=modal()))["ok"]


async def test_trigger_id_is_single_use(client: AsyncWebClient, fake: FakeSlack) -> None:
    trigger = fake.issue_trigger_id(ALICE)
    await client.views_open(trigger_id=trigger, view=modal())
    error = await slack_error(client.views_open(trigger_id=trigger, view=modal()))
    assert error.response["error"] == "trigger_exchanged"
    error = await slack_error(client.views_open(trigger_id="123.456.not-issued", view=modal()))
    assert error.response["error"] == "invalid_trigger_id"


async def test_views_push_stack_of_three(client: AsyncWebClient, fake: FakeSlack) -> None:
    root = (await client.views_open(trigger_id=fake.issue_trigger_id(ALICE), view=modal("Root")))["view"]
    second = (await client.views_push(trigger_id=fake.issue_trigger_id(ALICE), view=modal("Second")))["view"]
    assert second["root_view_id"] == root["id"] and second["previous_view_id"] == root["id"]
    await client.views_push(trigger_id=fake.issue_trigger_id(ALICE), view=modal("Third"))
    error = await slack_error(
        client.views_push(trigger_id=fake.issue_trigger_id(ALICE), view=modal("Fourth"))
    )
    assert error.response["error"] == "push_limit_reached"
    assert [v["title"]["text"] for v in fake.view_stack(ALICE)] == ["Root", "Second", "Third"]
    assert fake.view_stack(BOB) == []


async def test_views_update_by_id_external_id_and_hash(client: AsyncWebClient, fake: FakeSlack) -> None:
    opened = (
        await client.views_open(
            trigger_id=fake.issue_trigger_id(ALICE), view=modal(external_id="case-2026-001")
        )
    )["view"]
    updated = (await client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal("Updated")))[
        "view"
    ]
    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    assert updated["external_id"] == "case-2026-001"
    error = await slack_error(
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal("Stale"))
    )
    assert error.response["error"] == "hash_conflict"
    again = (await client.views_update(external_id="case-2026-001", view=modal("By external id")))["view"]
    assert again["id"] == opened["id"]
    assert fake.view_stack(ALICE)[0]["title"]["text"] == "By external id"
    assert (await slack_error(client.views_update(view_id="V0NOPE", view=modal()))).response[
        "error"
    ] == "not_found"
    error = await slack_error(
        client.views_open(trigger_id=fake.issue_trigger_id(BOB), view=modal(external_id="case-2026-001"))
    )
    assert error.response["error"] == "duplicate_external_id"


async def test_views_publish_home(client: AsyncWebClient, fake: FakeSlack) -> None:
    home = {"type": "home", "blocks": [section("Your cases")]}
    first = (await client.views_publish(user_id=ALICE, view=home))["view"]
    assert first["type"] == "home"
    again = (await client.views_publish(user_id=ALICE, view=home, hash=first["hash"]))["view"]
    assert again["id"] == first["id"]
    home_view = fake.home_view(ALICE)
    assert home_view is not None and home_view["blocks"][0]["text"]["text"] == "Your cases"
    assert fake.home_view(BOB) is None
    error = await slack_error(client.views_publish(user_id=ALICE, view=home, hash=first["hash"]))
    assert error.response["error"] == "hash_conflict"
    assert (await slack_error(client.views_publish(user_id="U0NOBODY", view=home))).response[
        "error"
    ] == "user_not_found"
    assert (await slack_error(client.views_publish(user_id=ALICE, view=modal()))).response[
        "error"
    ] == "invalid_arguments"


async def test_view_submission_ack_is_applied_to_the_stack(client: AsyncWebClient, fake: FakeSlack) -> None:
    await client.views_open(trigger_id=fake.issue_trigger_id(ALICE), view=modal("Root"))
    await client.views_push(trigger_id=fake.issue_trigger_id(ALICE), view=modal("Step 2"))
    stack = fake.apply_view_submission_ack(ALICE, {"response_action": "update", "view": modal("Step 2b")})
    assert [v["title"]["text"] for v in stack] == ["Root", "Step 2b"]
    assert (
        fake.apply_view_submission_ack(ALICE, {"response_action": "errors", "errors": {"b": "no"}}) == stack
    )
    assert [v["title"]["text"] for v in fake.apply_view_submission_ack(ALICE, None)] == ["Root"]
    assert fake.apply_view_submission_ack(ALICE, {"response_action": "clear"}) == []


# --- conversations, pins, users --------------------------------------------------------------------


async def test_conversations_create(client: AsyncWebClient, fake: FakeSlack) -> None:
    created = await client.conversations_create(name="case-2026-001", is_private=True)
    channel = created["channel"]
    assert channel["name"] == "case-2026-001" and channel["is_private"] is True
    assert channel["id"].startswith("C") and channel["is_member"] is True
    assert fake.channels[channel["id"]].members == ["U0BOT0001"]
    public = await client.conversations_create(name="case_2026_002")
    assert public["channel"]["is_private"] is False
    for name, error in [
        ("Case 2026", "invalid_name_specials"),
        ("CaseRef", "invalid_name_specials"),
        ("x" * 81, "invalid_name_maxlength"),
        ("case-2026-001", "name_taken"),
        ("---", "invalid_name_punctuation"),
    ]:
        assert (await slack_error(client.conversations_create(name=name))).response["error"] == error, name
    assert (await client.conversations_create(name="y" * 80))["ok"]


async def test_conversations_invite(client: AsyncWebClient, fake: FakeSlack) -> None:
    channel_id = (await client.conversations_create(name="case-2026-003", is_private=True))["channel"]["id"]
    invited = await client.conversations_invite(channel=channel_id, users=f"{ALICE},{BOB}")
    assert invited["channel"]["id"] == channel_id
    assert fake.channels[channel_id].members == ["U0BOT0001", ALICE, BOB]
    assert (await slack_error(client.conversations_invite(channel=channel_id, users=ALICE))).response[
        "error"
    ] == "already_in_channel"
    assert (await slack_error(client.conversations_invite(channel=channel_id, users="U0NOBODY"))).response[
        "error"
    ] == "user_not_found"
    assert (await slack_error(client.conversations_invite(channel="C0NOPE", users=CAROL))).response[
        "error"
    ] == "channel_not_found"
    members = await client.conversations_members(channel=channel_id)
    assert members["members"] == ["U0BOT0001", ALICE, BOB]
    assert members["response_metadata"]["next_cursor"] == ""


async def test_conversations_members_paginates(client: AsyncWebClient) -> None:
    first = await client.conversations_members(channel=BOARD, limit=2)
    assert first["members"] == ["U0BOT0001", ALICE]
    second = await client.conversations_members(
        channel=BOARD, limit=2, cursor=first["response_metadata"]["next_cursor"]
    )
    assert second["members"] == [BOB] and second["response_metadata"]["next_cursor"] == ""


async def test_conversations_info_open_and_topic(client: AsyncWebClient, fake: FakeSlack) -> None:
    info = await client.conversations_info(channel=BOARD, include_num_members=True)
    assert info["channel"]["name"] == "safeguarding-board" and info["channel"]["num_members"] == 3
    opened = await client.conversations_open(users=BOB)
    assert opened["channel"]["id"] == fake.dm_channel(BOB)
    await client.conversations_setTopic(channel=BOARD, topic="Case ref 2026-001")
    assert fake.channels[BOARD].topic == "Case ref 2026-001"
    assert (await client.conversations_info(channel=BOARD))["channel"]["topic"][
        "value"
    ] == "Case ref 2026-001"
    assert (await slack_error(client.conversations_setTopic(channel=BOARD, topic="t" * 251))).response[
        "error"
    ] == "too_long"
    assert (await slack_error(client.conversations_info(channel="C0NOPE"))).response[
        "error"
    ] == "channel_not_found"


async def test_pins(client: AsyncWebClient, fake: FakeSlack) -> None:
    posted = await client.chat_postMessage(channel=BOARD, text="Pinned summary")
    await client.pins_add(channel=BOARD, timestamp=posted["ts"])
    assert fake.messages(BOARD)[0].pinned is True
    assert (await slack_error(client.pins_add(channel=BOARD, timestamp=posted["ts"]))).response[
        "error"
    ] == "already_pinned"
    assert (await slack_error(client.pins_add(channel=BOARD, timestamp="1700000000.000100"))).response[
        "error"
    ] == "message_not_found"


async def test_users_info(client: AsyncWebClient, fake: FakeSlack, fake_clock: FakeClock) -> None:
    user = (await client.users_info(user=ALICE))["user"]
    assert user["id"] == ALICE and user["tz"] == "Europe/London"
    assert user["tz_offset"] == 0 and user["tz_label"] == "Greenwich Mean Time"
    assert "locale" not in user  # Slack only sends it when asked
    assert (await client.users_info(user=ALICE, include_locale=True))["user"]["locale"] == "en-GB"
    fake_clock.set(datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    summer = (await client.users_info(user=ALICE))["user"]
    assert summer["tz_offset"] == 3600 and summer["tz_label"] == "British Summer Time"
    fake.add_user("U0BM0009", tz="America/New_York")
    assert (await client.users_info(user="U0BM0009"))["user"]["tz"] == "America/New_York"
    assert (await slack_error(client.users_info(user="U0NOBODY"))).response["error"] == "user_not_found"


# --- files -----------------------------------------------------------------------------------------


async def test_two_step_file_upload_stores_the_bytes(client: AsyncWebClient, fake: FakeSlack) -> None:
    content = b"Synthetic rapid review summary for case 2026-001\n"
    response = await client.files_upload_v2(
        channel=BOARD,
        content=content,
        filename="summary.txt",
        title="Rapid review summary",
        initial_comment="Here",
    )
    (uploaded,) = fake.files
    assert response["file"]["id"] == uploaded.id
    assert uploaded.content == content and uploaded.size == len(content) == uploaded.length
    assert uploaded.name == "summary.txt" and uploaded.title == "Rapid review summary"
    assert uploaded.channel_id == BOARD and uploaded.completed
    (message,) = fake.messages(BOARD)
    assert message.files[0]["id"] == uploaded.id and message.text == "Here"
    assert [c.method for c in fake.calls()] == ["files.getUploadURLExternal", "files.completeUploadExternal"]


async def test_complete_upload_without_bytes_is_refused(client: AsyncWebClient) -> None:
    ticket = await client.files_getUploadURLExternal(filename="a.txt", length=3)
    assert ticket["upload_url"].startswith("http://127.0.0.1:")
    error = await slack_error(
        client.files_completeUploadExternal(files=[{"id": ticket["file_id"], "title": "A"}], channel_id=BOARD)
    )
    assert error.response["error"] == "file_not_found"


# --- response_url ----------------------------------------------------------------------------------


async def test_response_url_allows_five_posts(fake: FakeSlack) -> None:
    url = fake.issue_response_url(channel_id=BOARD, user_id=ALICE)
    assert url.startswith(fake.url + "/hooks/")
    webhook = AsyncWebhookClient(url)
    for n in range(5):
        response = await webhook.send(text=f"reply {n}")
        assert response.status_code == 200, response.body
    refused = await webhook.send(text="sixth")
    assert refused.status_code == 404 and json.loads(refused.body)["error"] == "used_up"
    assert [r.ok for r in fake.responses] == [True] * 5 + [False]
    assert [e.text for e in fake.ephemerals(ALICE)] == [f"reply {n}" for n in range(5)]
    assert all(e.source == "response_url" for e in fake.ephemerals(ALICE))


async def test_response_url_expires_after_thirty_minutes(fake: FakeSlack, fake_clock: FakeClock) -> None:
    url = fake.issue_response_url(channel_id=BOARD, user_id=ALICE)
    fake_clock.advance(timedelta(minutes=31))
    response = await AsyncWebhookClient(url).send(text="late")
    assert response.status_code == 404 and json.loads(response.body)["error"] == "expired_url"


async def test_response_url_effects_and_validation(client: AsyncWebClient, fake: FakeSlack) -> None:
    posted = await client.chat_postMessage(channel=BOARD, text="Sign-off requested")
    url = fake.issue_response_url(channel_id=BOARD, user_id=ALICE, message_ts=posted["ts"])
    webhook = AsyncWebhookClient(url)
    await webhook.send(text="Signed off by police", replace_original=True)
    (message,) = fake.messages(BOARD)
    assert message.ts == posted["ts"] and message.text == "Signed off by police" and message.edited == 1
    await webhook.send(text="Everyone can see this", response_type="in_channel")
    assert [m.text for m in fake.messages(BOARD)] == ["Signed off by police", "Everyone can see this"]
    bad = await webhook.send(text="x", blocks=[{"type": "divider"}] * 51)
    assert bad.status_code == 400 and json.loads(bad.body)["error"] == "invalid_blocks"
    await webhook.send(delete_original=True)
    assert [m.text for m in fake.messages(BOARD)] == ["Everyone can see this"]
    recorded = fake.responses
    assert recorded[0].replace_original and recorded[1].response_type == "in_channel"
    assert recorded[-1].delete_original


# --- faults ----------------------------------------------------------------------------------------


async def test_fail_next_429_carries_retry_after(client: AsyncWebClient, fake: FakeSlack) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=2)
    error = await slack_error(client.chat_postMessage(channel=BOARD, text="x"))
    assert error.response.status_code == 429
    assert error.response.headers["Retry-After"] == "2"
    assert error.response["error"] == "ratelimited"
    assert (await client.chat_postMessage(channel=BOARD, text="x"))["ok"]


async def test_rate_limit_retry_handler_succeeds_after_429(fake: FakeSlack) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=1)
    client = AsyncWebClient(
        token=fake.bot_token,
        base_url=fake.api_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
    )
    started = time.monotonic()
    response = await client.chat_postMessage(channel=BOARD, text="Digest")
    assert response["ok"]
    assert time.monotonic() - started >= 1.0  # it honoured Retry-After
    assert [c.status for c in fake.calls("chat.postMessage")] == [429, 200]
    assert [m.text for m in fake.messages(BOARD)] == ["Digest"]


async def test_fail_next_server_errors_times_and_slack_errors(fake: FakeSlack) -> None:
    client = AsyncWebClient(
        token=fake.bot_token,
        base_url=fake.api_url,
        retry_handlers=[AsyncServerErrorRetryHandler(max_retry_count=2)],
    )
    fake.fail_next("chat.postMessage", status=503, times=2)
    assert (await client.chat_postMessage(channel=BOARD, text="x"))["ok"]
    assert [c.status for c in fake.calls("chat.postMessage")] == [503, 503, 200]
    fake.fail_next("*", status=200, error="channel_not_found")
    plain_client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
    assert (await slack_error(plain_client.auth_test())).response["error"] == "channel_not_found"
    fake.fail_next("auth.test", status=500)
    error = await slack_error(plain_client.auth_test())
    assert error.response.status_code == 500 and error.response["error"] == "fatal_error"


async def test_fail_next_delay_times_out_the_client(fake: FakeSlack) -> None:
    fake.fail_next("auth.test", status=500, delay=1.0)
    impatient = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url, timeout=0.2)  # type: ignore[arg-type]
    with pytest.raises(TimeoutError):
        await impatient.auth_test()
    fake.slow_next("auth.test", 0.3)
    started = time.monotonic()
    assert (await AsyncWebClient(token=fake.bot_token, base_url=fake.api_url).auth_test())["ok"]
    assert time.monotonic() - started >= 0.3


async def test_magic_tokens(fake: FakeSlack) -> None:
    limited = await slack_error(AsyncWebClient(token="xoxb-ratelimited", base_url=fake.api_url).auth_test())
    assert limited.response.status_code == 429 and limited.response.headers["Retry-After"] == "1"
    broken = await slack_error(AsyncWebClient(token="xoxb-500", base_url=fake.api_url).auth_test())
    assert broken.response.status_code == 500


async def test_per_channel_rate_limit(fake_clock: FakeClock) -> None:
    async with FakeSlack(clock=fake_clock, rate_limit_per_channel=1.0) as fake:
        fake.add_channel(BOARD, "board", members=[ALICE])
        fake.add_channel("C0OTHER01", "other", members=[ALICE])
        client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
        for n in range(fake.rate_limit_burst):  # the documented burst allowance (3) goes through
            await client.chat_postMessage(channel=BOARD, text=f"burst {n}")
        error = await slack_error(client.chat_postMessage(channel=BOARD, text="one too many"))
        assert error.response.status_code == 429
        assert int(error.response.headers["Retry-After"]) >= 1
        assert (await client.chat_postMessage(channel="C0OTHER01", text="other channel"))["ok"]
        await asyncio.sleep(1.05)  # the sustained rate is measured in real time
        assert (await client.chat_postMessage(channel=BOARD, text="after waiting"))["ok"]
        assert [m.text for m in fake.messages(BOARD)] == ["burst 0", "burst 1", "burst 2", "after waiting"]


async def test_go_down_and_come_back(client: AsyncWebClient, fake: FakeSlack) -> None:
    await client.chat_postMessage(channel=BOARD, text="before")
    url = fake.url
    await fake.go_down()
    assert fake.is_down
    with pytest.raises(aiohttp.ClientConnectorError):
        await client.chat_postMessage(channel=BOARD, text="while down")
    await fake.come_back()
    assert fake.url == url
    assert (await client.chat_postMessage(channel=BOARD, text="after"))["ok"]
    assert [m.text for m in fake.messages(BOARD)] == ["before", "after"]


# --- assertions API --------------------------------------------------------------------------------


async def test_wait_for(client: AsyncWebClient, fake: FakeSlack) -> None:
    async def later() -> None:
        await asyncio.sleep(0.05)
        await client.chat_postMessage(channel=BOARD, text="later")

    task = asyncio.create_task(later())
    calls = await fake.wait_for("chat.postMessage", count=1, timeout=2.0)
    await task
    assert calls[0].params["channel"] == BOARD
    with pytest.raises(
        AssertionError, match=r"expected at least 2 answered chat.postMessage call\(s\) within 0.1s"
    ):
        await fake.wait_for("chat.postMessage", count=2, timeout=0.1)


async def test_all_text_for_channel_keeps_every_version(client: AsyncWebClient, fake: FakeSlack) -> None:
    posted = await client.chat_postMessage(
        channel=BOARD,
        text="Case ref 2026-001",
        blocks=[
            section("Child A review"),
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "open",
                        "text": {"type": "plain_text", "text": "Open"},
                        "value": "2026-001",
                    }
                ],
            },
        ],
    )
    await client.chat_update(channel=BOARD, ts=posted["ts"], text="Case ref 2026-001 (closed)")
    await client.chat_postEphemeral(channel=BOARD, user=ALICE, text="private note")
    text = fake.all_text_for_channel(BOARD)
    for expected in ["Case ref 2026-001", "Child A review", "Open", "(closed)", "private note"]:
        assert expected in text
    assert "section" not in text.split()  # structural keys are not text
    assert fake.all_text_for_channel("safeguarding-board") == text


async def test_reset_keeps_directory(client: AsyncWebClient, fake: FakeSlack) -> None:
    await client.chat_postMessage(channel=BOARD, text="x")
    fake.reset()
    assert fake.calls() == [] and fake.messages(BOARD) == []
    assert BOARD in fake.channels and ALICE in fake.users
    fake.reset(keep_directory=False)
    assert fake.channels == {} and list(fake.users) == ["U0BOT0001"]


async def test_connections_open_without_socket_mode(fake: FakeSlack) -> None:
    app_client = AsyncWebClient(base_url=fake.api_url)
    error = await slack_error(app_client.apps_connections_open(app_token=fake.app_token))
    assert error.response["error"] == "internal_error"


def test_render_blocks_as_text() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Rapid review"}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "Due <!date^1797588000^{date}|a fallback>"},
            "fields": [{"type": "mrkdwn", "text": "*Lead:* <@U0BM0001>"}],
        },
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "ref 2026-001"}]},
        {
            "type": "actions",
            "elements": [
                {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "Sign off"}},
                {"type": "button", "action_id": "b", "text": {"type": "plain_text", "text": "Snooze"}},
            ],
        },
        {
            "type": "input",
            "label": {"type": "plain_text", "text": "Reason"},
            "element": {"type": "plain_text_input", "action_id": "r"},
            "optional": True,
        },
    ]
    assert render_blocks_as_text(blocks) == "\n".join(
        [
            "RAPID REVIEW",
            "============",
            "Due 18 December 2026",
            "  *Lead:* @U0BM0001",
            "-" * 40,
            "  ref 2026-001",
            "[Sign off] [Snooze]",
            "Reason (optional): [____]",
        ]
    )
