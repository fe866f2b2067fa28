"""A failure reaching Slack is never reported to a person as the database being down."""

from __future__ import annotations

import socket

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.db.unavailable import is_database_unavailable
from bot.slack.errors import SlackUnavailable
from bot.slack.gateway import SlackGateway


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_http_client_errors_are_not_database_outages() -> None:
    assert not is_database_unavailable(aiohttp.ClientOSError(111, "Connect call failed"))
    assert not is_database_unavailable(aiohttp.ServerTimeoutError("timed out"))
    assert is_database_unavailable(ConnectionRefusedError(111, "Connect call failed"))  # asyncpg's


async def test_an_unreachable_response_url_is_slack_unavailable() -> None:
    gateway = SlackGateway(AsyncWebClient(token="xoxb-test", base_url="http://127.0.0.1:9/api/"))
    try:
        with pytest.raises(SlackUnavailable):
            await gateway.respond(f"http://127.0.0.1:{_closed_port()}/commands/T0/1/hook", {"text": "x"})
    finally:
        await gateway.close()
