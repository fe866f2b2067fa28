"""No typed text in any log at any level: requests carrying a marker at LOG_LEVEL=DEBUG, over a real
uvicorn socket, and every byte written to the log streams is scanned for the marker.

Before the fix, slack_bolt's ``slack_bolt.AsyncApp`` logger wrote "Responding with status: 200 body:
..." with the answer (which can echo the typed text) at DEBUG, and uvicorn logged each unhandled
exception with its message ("Exception in ASGI application").
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from bot.clock import FakeClock
from bot.observability import LibraryRedaction, configure_logging
from bot.sandbox.harness import Harness
from bot.slack.ids import CallbackId
from bot.webhook.tokens import create_token
from tests.intake_helpers import BM, modal_values, open_modal
from tests.test_webhook import PAYLOAD

MARKER = "Qzvmarker"  # one made-up word; matched case-insensitively
SENTENCE = f"Seen with Wxq {MARKER} at home, DOB 01/02/2020"


def _scan(text: str) -> list[str]:
    return [line for line in text.splitlines() if MARKER.lower() in line.lower()]


@asynccontextmanager
async def debug_harness(database_url: str, clock: FakeClock, *, json_logs: bool) -> AsyncIterator[Harness]:
    """LOG_LEVEL=DEBUG first, then the app (bolt copies the root's level into its loggers when made).

    Called inside the test, not a fixture: pytest gives each test phase its own capture stream, and
    the log handlers must write to the one the test reads.
    """
    configure_logging("DEBUG", json=json_logs)
    h = await Harness.start(database_url=database_url, clock=clock, run_migrations=False, over_http=True)

    async def boom() -> None:
        raise ValueError(f"could not parse {SENTENCE!r}")

    h.api.add_api_route("/boom", boom, methods=["GET", "POST"])
    try:
        yield h
    finally:
        await h.close()
        configure_logging("INFO")
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi"):
            logging.getLogger(name).handlers.clear()


@pytest.mark.parametrize("json_logs", [False, True], ids=["console", "json"])
async def test_nothing_typed_reaches_any_log_at_debug(
    database_url: str, clock: FakeClock, capfd: pytest.CaptureFixture[str], json_logs: bool
) -> None:
    async with debug_harness(database_url, clock, json_logs=json_logs) as h:
        await _send_everything(h)
    out, err = capfd.readouterr()
    leaks = _scan(out + err)
    assert leaks == [], "\n".join(leaks)
    assert "http.failed" in err and "ValueError (message withheld)" in err
    assert "Exception in ASGI application" not in err  # answered inside the app, not re-raised
    assert "Logging error" not in err


async def _send_everything(h: Harness) -> None:
    assert logging.getLogger().isEnabledFor(logging.DEBUG)
    token = (await create_token(h.services, "northshire", "synthetic")).token
    auth = {"Authorization": f"Bearer {token}"}

    # Slack: commands echoing the text back, and a modal with it in free text
    for text in (f"status {MARKER}", MARKER, f"status RR-2026-999 {SENTENCE}", f"notify {SENTENCE}"):
        response = await h.command(text, user=BM)
        assert response.status_code == 200
    await open_modal(h)
    submission = h.slack.view_submission(
        CallbackId.NOTIFICATION_MODAL, user_id=BM, values=modal_values(summary=SENTENCE)
    )
    assert (await h.submit_view(submission, BM)).status_code == 200

    # the webhook: in a field, in an unknown field, in broken JSON, in headers
    responses = [
        await h.http.post("/api/v1/notifications", json={**PAYLOAD, "summary": SENTENCE}, headers=auth),
        await h.http.post("/api/v1/notifications", json={**PAYLOAD, MARKER: SENTENCE}, headers=auth),
        await h.http.post(
            "/api/v1/notifications",
            content=("{" + json.dumps(SENTENCE)).encode(),
            headers={**auth, "content-type": "application/json"},
        ),
        await h.http.post("/api/v1/notifications", json=PAYLOAD, headers={"Authorization": MARKER}),
        await h.http.post(
            "/api/v1/notifications", json=PAYLOAD, headers={"Authorization": f"Bearer rbt_{MARKER}"}
        ),
        await h.http.post(
            "/api/v1/notifications",
            json={**PAYLOAD, "la_aware_at": SENTENCE},
            headers={**auth, "Idempotency-Key": MARKER},
        ),
        await h.http.post("/slack/events", content=f"command=/review&text={MARKER}".encode()),
        await h.http.get(f"/{MARKER}", params={"q": SENTENCE}),
    ]
    assert [r.status_code for r in responses] == [422, 422, 400, 401, 401, 422, 401, 404]

    # an unexpected error carrying the text in its message: a 500 with a reference, logged our way
    crash = await h.http.post("/boom", content=SENTENCE.encode())
    assert crash.status_code == 500 and crash.json()["reference"].startswith("ERR-")
    assert MARKER not in crash.text
    await h.services.tasks.drain()


def test_library_records_are_held_at_every_level(capfd: pytest.CaptureFixture[str]) -> None:
    """The filter on its own: records a library makes after logging is configured, at any level."""
    configure_logging("DEBUG")
    try:
        # bolt makes its loggers at the root's level after configure_logging has run
        late = logging.getLogger("slack_bolt.SomeLaterApp")
        late.setLevel(logging.DEBUG)
        late.debug('Responding with status: 200 body: "%s"', SENTENCE)
        late.info(SENTENCE)
        late.warning("Failed to run listener function (error: %s)", SENTENCE)
        try:
            raise RuntimeError(SENTENCE)
        except RuntimeError:
            late.exception("Failed to run listener")
            logging.getLogger("uvicorn.error").error("Exception in ASGI application\n", exc_info=True)
            logging.getLogger("asyncio").error("Task exception was never retrieved", exc_info=True)
        out, err = capfd.readouterr()
        assert _scan(out + err) == []
        assert "slack_bolt.SomeLaterApp warning (library message withheld)" in err
        assert "RuntimeError (message withheld)" in err
        assert "Responding with status" not in err
    finally:
        configure_logging("INFO")


def test_redaction_passes_our_own_records_and_uvicorns_own_words() -> None:
    record = logging.LogRecord("bot.runtime.web", logging.DEBUG, __file__, 1, "http.ok %s", ("x",), None)
    assert LibraryRedaction().filter(record) and record.getMessage() == "http.ok x"
    words = "Invalid HTTP request received."
    record = logging.LogRecord("uvicorn.error", logging.WARNING, __file__, 1, words, None, None)
    assert LibraryRedaction().filter(record) and record.getMessage() == words
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, "%s", (SENTENCE,), None)
    assert not LibraryRedaction().filter(record)


async def test_no_500_leaves_a_traceback_in_the_body(database_url: str, clock: FakeClock) -> None:
    async with (
        debug_harness(database_url, clock, json_logs=False) as h,
        httpx.AsyncClient(base_url=h.url, trust_env=False) as client,
    ):
        crash = await client.get("/boom")
    body: Any = crash.json()
    assert crash.status_code == 500 and set(body) == {"error", "message", "reference"}
    assert "Traceback" not in crash.text and MARKER not in crash.text
