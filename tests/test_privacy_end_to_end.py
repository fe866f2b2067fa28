"""Identifying text is refused, and none of it reaches the database or the logs."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from bot.db.all_models import metadata
from bot.sandbox.harness import Harness
from tests.intake_helpers import all_cases, notify

IDENTIFYING = "Child A lives at 14 Sample Street with Mrs Exampleton, NHS 943 476 5919, call 07700 900123."
FRAGMENTS = ["14 Sample Street", "Exampleton", "943 476 5919", "07700 900123", "9434765919"]


async def _everything_in_the_database(h: Harness) -> str:
    dump = []
    async with h.services.db.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in (await conn.execute(text(f"SELECT * FROM {table.name}"))).all():
                dump.append(repr(tuple(row)))
    return "\n".join(dump)


async def test_identifying_summary_is_refused_and_never_stored_or_logged(
    harness: Harness, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    ack = await notify(harness, summary=IDENTIFYING)
    assert ack["response_action"] == "errors"
    message = ack["errors"]["summary"]
    assert "street address" in message and "name" in message
    assert await all_cases(harness) == []
    database = await _everything_in_the_database(harness)
    captured = capsys.readouterr()
    logs = caplog.text + captured.out + captured.err
    for fragment in FRAGMENTS:
        assert fragment not in message
        assert fragment not in database
        assert fragment not in logs
    # and the same through the webhook
    from bot.webhook.tokens import create_token

    token = (await create_token(harness.services, "northshire", "test")).token
    payload = {
        "notification_type": "death",
        "la_aware_at": "2026-12-18T09:00:00Z",
        "children": [{"pseudonym": "Child A"}],
        "summary": IDENTIFYING,
    }
    response = await harness.http.post(
        "/api/v1/notifications", json=payload, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422
    database = await _everything_in_the_database(harness)
    captured = capsys.readouterr()
    for fragment in FRAGMENTS:
        assert fragment not in response.text
        assert fragment not in database
        assert fragment not in caplog.text + captured.out + captured.err


async def test_a_name_as_pseudonym_is_refused(harness: Harness) -> None:
    ack = await notify(harness, children=[("Oliver Testcase", "5_9", "none")])
    assert "pseudonym" in ack["errors"]["child_0_pseudonym"]
    assert "Oliver" not in await _everything_in_the_database(harness)


async def test_warn_mode_accepts_and_warns(harness: Harness) -> None:
    partnership = harness.services.config.partnerships[0]
    from bot.privacy.findings import GuardMode

    object.__setattr__(partnership, "identifier_guard", GuardMode.WARN)
    ack = await notify(harness, summary="Seen by Dr Samplewell at the clinic.")
    assert ack["response_action"] == "update"
    assert "name" in str(ack["view"])
    assert len(await all_cases(harness)) == 1
