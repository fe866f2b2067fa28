"""Signed modal payloads whose view is not shaped as Slack sends it: a plain 400, never a 500, and
nothing stored (bolt's matchers read the view before any listener runs)."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.sandbox.harness import SIGNING_SECRET, Harness
from bot.slack.ids import CallbackId
from bot.slack.signature import signature_for
from tests.intake_helpers import BM, all_cases, modal_values, open_modal


def _signed(payload: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    body = urlencode({"payload": json.dumps(payload)}).encode()
    stamp = str(int(time.time()))
    return body, {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature_for(SIGNING_SECRET, stamp, body),
        "Content-Type": "application/x-www-form-urlencoded",
    }


def _broken(view: dict[str, Any]) -> list[tuple[str, Any]]:
    return [
        ("view is null", None),
        ("view is a string", "modal"),
        ("view without a type", {k: v for k, v in view.items() if k != "type"}),
        ("view without a callback_id", {k: v for k, v in view.items() if k != "callback_id"}),
        ("state is a list", {**view, "state": []}),
        ("state is a string", {**view, "state": "x"}),
        ("values is a list", {**view, "state": {"values": [1, 2]}}),
        ("a block is a string", {**view, "state": {"values": {"summary": "x"}}}),
        ("an element is a number", {**view, "state": {"values": {"summary": {"summary": 5}}}}),
        ("private_metadata is an object", {**view, "private_metadata": {"p": "northshire"}}),
        ("private_metadata is a number", {**view, "private_metadata": 7}),
    ]


@pytest.mark.parametrize("kind", ["view_submission", "view_closed"])
async def test_misshapen_views_are_a_plain_400(harness: Harness, kind: str) -> None:
    await open_modal(harness)
    good = harness.slack.view_submission(CallbackId.NOTIFICATION_MODAL, user_id=BM, values=modal_values())
    payload = {**good.payload, "type": kind}
    for what, view in _broken(payload["view"]):
        body, headers = _signed({**payload, "view": view})
        response = await harness.http.post("/slack/events", content=body, headers=headers)
        assert response.status_code == 400, (what, response.status_code, response.text)
        assert "Traceback" not in response.text
    assert await all_cases(harness) == []


async def test_an_event_callback_without_an_event_object_is_a_400(harness: Harness) -> None:
    for event in (None, 3, "text"):
        body = {"type": "event_callback", "team_id": "T0TEST", "api_app_id": "A0TESTAPP", "event": event}
        request = harness.slack.sign(json.dumps(body).encode(), "application/json")
        response = await harness.http.post("/slack/events", content=request.body, headers=request.headers)
        assert response.status_code == 400, (event, response.text)
