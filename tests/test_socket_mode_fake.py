"""The fake Socket Mode server drives bolt's real AsyncSocketModeHandler end to end."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.signed_requests import SlackRequestFactory
from bot.sandbox.socket_mode import FakeSocketModeServer

ALICE = "U0BM0001"
BOARD = "C0BOARD01"


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as slack:
        slack.add_user(ALICE)
        slack.add_channel(BOARD, "safeguarding-board", members=[ALICE])
        yield slack


@pytest.fixture
async def server(fake: FakeSlack) -> AsyncIterator[FakeSocketModeServer]:
    async with FakeSocketModeServer(app_id=fake.app_id) as socket_server:
        fake.attach_socket_mode(socket_server)
        yield socket_server


@pytest.fixture
def app(fake: FakeSlack) -> AsyncApp:
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
    return AsyncApp(client=client, signing_secret="unused-in-socket-mode")


@pytest.fixture
async def handler(
    app: AsyncApp, fake: FakeSlack, server: FakeSocketModeServer
) -> AsyncIterator[AsyncSocketModeHandler]:
    socket_handler = AsyncSocketModeHandler(app, app_token=fake.app_token)
    await socket_handler.connect_async()
    await server.wait_for_connection()
    yield socket_handler
    await socket_handler.close_async()


async def test_connections_open_returns_the_socket_url(fake: FakeSlack, server: FakeSocketModeServer) -> None:
    response = await AsyncWebClient(base_url=fake.api_url).apps_connections_open(app_token=fake.app_token)
    assert response["url"].startswith(server.url + "/?ticket=")
    assert fake.calls("apps.connections.open")[0].headers["Authorization"] == f"Bearer {fake.app_token}"


async def test_hello_then_slash_command_ack(
    app: AsyncApp, handler: AsyncSocketModeHandler, server: FakeSocketModeServer, fake: FakeSlack
) -> None:
    @app.command("/review")
    async def review(ack: Any, command: dict[str, Any]) -> None:
        await ack(text=f"Got {command['text']}")

    payload = SlackRequestFactory("unused", fake=fake).slash_command("/review", "help", user_id=ALICE).payload
    envelope_id = await server.send_envelope("slash_commands", payload)
    ack = await server.wait_for_ack(envelope_id)
    assert ack["envelope_id"] == envelope_id
    assert ack["payload"] == {"text": "Got help"}
    assert server.connection_count == 1


async def test_retry_attempt_becomes_the_retry_header(
    app: AsyncApp, handler: AsyncSocketModeHandler, server: FakeSocketModeServer, fake: FakeSlack
) -> None:
    seen: list[tuple[str | None, str | None]] = []

    @app.event("app_mention")
    async def mention(request: Any) -> None:
        headers = request.headers
        seen.append(
            (headers.get("x-slack-retry-num", [None])[0], headers.get("x-slack-retry-reason", [None])[0])
        )

    factory = SlackRequestFactory("unused", fake=fake)
    event = {"type": "app_mention", "user": ALICE, "text": "<@U0BOT0001> help", "channel": BOARD}
    first = await server.send_envelope("events_api", factory.event(event, event_id="Ev0SM01").payload)
    await server.wait_for_ack(first)
    retry = await server.send_envelope(
        "events_api",
        factory.event(event, event_id="Ev0SM01").payload,
        retry_attempt=1,
        retry_reason="timeout",
        accepts_response_payload=False,
    )
    ack = await server.wait_for_ack(retry)
    assert ack == {"envelope_id": retry}
    for _ in range(100):  # events are acked before the listener runs
        if len(seen) == 2:
            break
        await asyncio.sleep(0.01)
    assert seen == [("0", ""), ("1", "timeout")]
    assert server.envelopes[retry].to_wire()["retry_attempt"] == 1


async def test_interactive_envelope_with_view_submission_errors(
    app: AsyncApp, handler: AsyncSocketModeHandler, server: FakeSocketModeServer, fake: FakeSlack
) -> None:
    @app.view("notify")
    async def submit(ack: Any) -> None:
        await ack(response_action="errors", errors={"ref": "Enter the case reference"})

    payload = (
        SlackRequestFactory("unused", fake=fake).view_submission("notify", user_id=ALICE, values={}).payload
    )
    ack = await server.wait_for_ack(await server.send_envelope("interactive", payload))
    assert ack["payload"] == {"response_action": "errors", "errors": {"ref": "Enter the case reference"}}


async def test_reconnects_after_disconnect(
    app: AsyncApp, handler: AsyncSocketModeHandler, server: FakeSocketModeServer, fake: FakeSlack
) -> None:
    @app.command("/review")
    async def review(ack: Any) -> None:
        await ack()

    await server.disconnect_all("refresh_requested")
    await server.wait_for_connection(timeout=5.0)  # the client reconnected on the warning alone
    payload = SlackRequestFactory("unused", fake=fake).slash_command(user_id=ALICE).payload
    ack = await server.wait_for_ack(await server.send_envelope("slash_commands", payload), timeout=5.0)
    assert ack["envelope_id"]
    assert server.connection_count == 2
    assert server.connections == 1  # the client closed the old socket itself
    assert len(fake.calls("apps.connections.open")) == 2


async def test_abrupt_close_is_survived(
    app: AsyncApp, handler: AsyncSocketModeHandler, server: FakeSocketModeServer, fake: FakeSlack
) -> None:
    @app.command("/review")
    async def review(ack: Any) -> None:
        await ack()

    await server.disconnect_all("link_disabled", close_after=0)
    await server.wait_for_connection(timeout=5.0)
    # The SDK may reconnect twice (on the warning and on the close): wait until it has settled.
    stable, last = 0, -1
    for _ in range(250):
        await asyncio.sleep(0.02)
        stable = stable + 1 if server.connection_count == last and server.connections == 1 else 0
        last = server.connection_count
        if stable >= 10:
            break
    payload = SlackRequestFactory("unused", fake=fake).slash_command(user_id=ALICE).payload
    ack = await server.wait_for_ack(await server.send_envelope("slash_commands", payload), timeout=5.0)
    assert ack["envelope_id"]


async def test_unticketed_connections_are_refused(server: FakeSocketModeServer) -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await session.ws_connect(server.url)
        async with session.ws_connect(server.issue_url()) as ws:
            hello = json.loads((await ws.receive()).data)
    assert hello["type"] == "hello" and hello["connection_info"]["app_id"] == "A0TESTAPP"


async def test_missing_ack_fails_fast(server: FakeSocketModeServer) -> None:
    async with aiohttp.ClientSession() as session, session.ws_connect(server.issue_url()) as ws:
        await ws.receive()  # hello
        envelope_id = await server.send_envelope("events_api", {"type": "event_callback"})
        with pytest.raises(AssertionError, match="no ack for events_api envelope"):
            await server.wait_for_ack(envelope_id, timeout=0.1)
