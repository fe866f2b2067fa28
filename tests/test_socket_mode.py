"""ReviewBot over Socket Mode (SLACK_APP_TOKEN set), against the local WebSocket fake."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.clock import FakeClock
from bot.sandbox.harness import APP_TOKEN, Harness
from bot.sandbox.socket_mode import FakeSocketModeServer
from tests.intake_helpers import BM


@pytest.fixture
async def socket_harness(
    database_url: str, clock: FakeClock
) -> AsyncIterator[tuple[Harness, FakeSocketModeServer]]:
    h = await Harness.start(database_url=database_url, clock=clock, run_migrations=False, socket_mode=True)
    async with FakeSocketModeServer(app_id=h.fake.app_id) as server:
        h.fake.attach_socket_mode(server)
        handler = AsyncSocketModeHandler(h.bolt_app, app_token=APP_TOKEN)
        await handler.connect_async()
        await server.wait_for_connection()
        try:
            yield h, server
        finally:
            await handler.close_async()
            await h.close()


async def test_help_over_socket_mode(socket_harness: tuple[Harness, FakeSocketModeServer]) -> None:
    h, server = socket_harness
    payload = h.slack.slash_command("/review", "help", user_id=BM).payload
    envelope = await server.send_envelope("slash_commands", payload)
    ack = await server.wait_for_ack(envelope)
    assert "/review notify" in ack["payload"]["text"]
    assert h.services.settings.socket_mode


async def test_redelivered_envelope_is_processed_once(
    socket_harness: tuple[Harness, FakeSocketModeServer],
) -> None:
    h, server = socket_harness
    event = h.slack.event(
        {"type": "app_home_opened", "user": BM, "tab": "home"}, event_id="Ev0SOCKET1"
    ).payload
    first = await server.send_envelope("events_api", event)
    await server.wait_for_ack(first)
    again = await server.send_envelope("events_api", event, retry_attempt=1, retry_reason="timeout")
    await server.wait_for_ack(again)
    await h.services.tasks.drain()
    assert len(h.fake.calls("views.publish")) == 1
