"""A fake Socket Mode WebSocket server, so the Socket Mode wiring is tested without slack.com.

Slack's Socket Mode works like this: the app calls ``apps.connections.open`` with its app-level token,
gets a ``wss://.../link/?ticket=...`` URL, connects, receives ``{"type": "hello"}``, and then gets
envelopes (``slash_commands``, ``interactive``, ``events_api``) that it must ack on the same socket
with ``{"envelope_id": ..., "payload": ...}`` within 3 seconds. This server plays Slack's side: attach
it to :class:`~bot.sandbox.fake_slack.FakeSlack` and ``apps.connections.open`` returns its URL.

It follows bolt-python's ``tests/adapter_tests/socket_mode/mock_socket_mode_server.py`` in spirit but
runs on aiohttp inside the test's own event loop and records acks for assertions.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import WSMsgType, web

log = logging.getLogger(__name__)

EnvelopeType = Literal["slash_commands", "interactive", "events_api"]


@dataclass
class Envelope:
    """An envelope sent to the app, and its ack once it arrives."""

    envelope_id: str
    type: str
    payload: dict[str, Any]
    retry_attempt: int
    retry_reason: str
    accepts_response_payload: bool
    ack: dict[str, Any] | None = None
    acked: asyncio.Event = field(default_factory=asyncio.Event)

    def to_wire(self) -> dict[str, Any]:
        """The JSON Slack sends: retry fields always on events_api, elsewhere only for retries."""
        message: dict[str, Any] = {
            "envelope_id": self.envelope_id,
            "payload": self.payload,
            "type": self.type,
            "accepts_response_payload": self.accepts_response_payload,
        }
        if self.type == "events_api" or self.retry_attempt or self.retry_reason:
            message["retry_attempt"] = self.retry_attempt
            message["retry_reason"] = self.retry_reason
        return message


class FakeSocketModeServer:
    """Slack's side of Socket Mode on ``ws://127.0.0.1:PORT/link``.

    ``require_ticket`` (default True) accepts only URLs handed out by :meth:`issue_url` (which
    ``apps.connections.open`` on an attached FakeSlack calls), as Slack does; set it False to connect
    to :attr:`url` directly.
    """

    def __init__(self, *, app_id: str = "A0TESTAPP", require_ticket: bool = True) -> None:
        self.app_id = app_id
        self.require_ticket = require_ticket
        self._host = "127.0.0.1"
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        self._tickets: set[str] = set()
        self._connections: list[web.WebSocketResponse] = []
        self._connected = asyncio.Event()
        self._next_connection = 0
        self._tasks: set[asyncio.Future[None]] = set()
        self.envelopes: dict[str, Envelope] = {}
        #: Every text frame the app sent that was not an ack (kept for debugging).
        self.other_messages: list[Any] = []
        self.connection_count = 0

    # --- lifecycle -------------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        if self._runner is not None:
            raise RuntimeError("FakeSocketModeServer is already running")
        self._host = host
        app = web.Application()
        app.router.add_get("/link", self._handle_link)
        app.router.add_get("/link/", self._handle_link)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        self._port = site.port

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for ws in list(self._connections):
            await ws.close(code=1001, message=b"server shutting down")
        self._connections.clear()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> FakeSocketModeServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """The bare WebSocket URL, ``ws://127.0.0.1:PORT/link``."""
        if self._port is None:
            raise RuntimeError("FakeSocketModeServer has not been started")
        return f"ws://{self._host}:{self._port}/link"

    def issue_url(self) -> str:
        """A ticketed URL like the one apps.connections.open returns."""
        ticket = secrets.token_hex(16)
        self._tickets.add(ticket)
        return f"{self.url}/?ticket={ticket}&app_id={self.app_id}"

    @property
    def connections(self) -> int:
        """How many app connections are open right now."""
        return sum(1 for ws in self._connections if not ws.closed)

    async def wait_for_connection(self, timeout: float = 2.0) -> None:  # noqa: ASYNC109
        """Wait until the app has connected (the hello has been sent)."""
        try:
            await asyncio.wait_for(self._connected.wait(), timeout)
        except TimeoutError:
            raise AssertionError(f"FakeSocketModeServer: no app connected within {timeout}s") from None

    # --- Slack -> app ----------------------------------------------------------------------------

    async def send_envelope(
        self,
        type: EnvelopeType,
        payload: dict[str, Any],
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
        accepts_response_payload: bool = True,
        timeout: float = 2.0,  # noqa: ASYNC109
    ) -> str:
        """Deliver an envelope to one connected app (Slack picks any one connection); return its id."""
        if type not in ("slash_commands", "interactive", "events_api"):
            raise ValueError(f"unknown envelope type {type!r}")
        await self.wait_for_connection(timeout)
        envelope = Envelope(
            envelope_id=str(uuid.uuid4()),
            type=type,
            payload=payload,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
            accepts_response_payload=accepts_response_payload,
        )
        self.envelopes[envelope.envelope_id] = envelope
        ws = self._pick_connection()
        await ws.send_str(json.dumps(envelope.to_wire()))
        log.debug("FakeSocketModeServer sent %s envelope %s", type, envelope.envelope_id)
        return envelope.envelope_id

    async def wait_for_ack(self, envelope_id: str, timeout: float = 2.0) -> dict[str, Any]:  # noqa: ASYNC109
        """The app's ack (``{"envelope_id": ..., "payload": ...}``), or AssertionError after ``timeout``."""
        envelope = self.envelopes.get(envelope_id)
        if envelope is None:
            raise KeyError(f"unknown envelope {envelope_id}")
        try:
            await asyncio.wait_for(envelope.acked.wait(), timeout)
        except TimeoutError:
            raise AssertionError(
                f"FakeSocketModeServer: no ack for {envelope.type} envelope {envelope_id} within {timeout}s"
            ) from None
        assert envelope.ack is not None
        return envelope.ack

    async def disconnect_all(self, reason: str = "refresh_requested", *, close_after: float = 10.0) -> None:
        """Send Slack's ``disconnect`` message to every connection, closing them ``close_after`` s later.

        Slack warns first and drops the socket a few seconds later, so a well-behaved client opens a
        new connection (via apps.connections.open) and closes the old one itself. ``close_after=0``
        drops the sockets at once, as a network failure would.
        """
        message = json.dumps({"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-fake"}})
        doomed = [ws for ws in self._connections if not ws.closed]
        self._connected.clear()
        for ws in doomed:
            await ws.send_str(message)
        if close_after <= 0:
            for ws in doomed:
                await ws.close()
            return
        task = asyncio.ensure_future(self._close_later(doomed, close_after))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _close_later(self, doomed: list[web.WebSocketResponse], delay: float) -> None:
        await asyncio.sleep(delay)
        for ws in doomed:
            if not ws.closed:
                await ws.close()

    def _pick_connection(self) -> web.WebSocketResponse:
        open_connections = [ws for ws in self._connections if not ws.closed]
        if not open_connections:
            raise AssertionError("FakeSocketModeServer: no open connection")
        ws = open_connections[self._next_connection % len(open_connections)]
        self._next_connection += 1
        return ws

    # --- the WebSocket endpoint ------------------------------------------------------------------

    async def _handle_link(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket")
        if self.require_ticket and ticket not in self._tickets:
            return web.Response(status=401, text="invalid ticket")
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._connections.append(ws)
        self.connection_count += 1
        await ws.send_str(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": self.connections,
                    "debug_info": {
                        "host": "applink-fake",
                        "build_number": 1,
                        "approximate_connection_time": 18060,
                    },
                    "connection_info": {"app_id": self.app_id},
                }
            )
        )
        self._connected.set()
        try:
            async for frame in ws:
                if frame.type == WSMsgType.TEXT:
                    self._receive(frame.data)
                elif frame.type == WSMsgType.ERROR:
                    break
        finally:
            if ws in self._connections:
                self._connections.remove(ws)
            if not any(not c.closed for c in self._connections):
                self._connected.clear()
        return ws

    def _receive(self, data: str) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            self.other_messages.append(data)
            return
        envelope_id = message.get("envelope_id") if isinstance(message, dict) else None
        envelope = self.envelopes.get(envelope_id) if isinstance(envelope_id, str) else None
        if envelope is None:
            self.other_messages.append(message)
            return
        envelope.ack = message
        envelope.acked.set()
