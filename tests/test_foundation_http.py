"""The real HTTP endpoint with signed requests against the local Slack stand-in."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.audit import AuditEvent
from bot.sandbox.harness import Harness, ephemeral_text
from bot.slack.dedupe import SeenDelivery

BM = "U0BM00001"  # the example partnership's business manager (synthetic)


async def _row_counts(h: Harness) -> tuple[int, int]:
    async with h.services.db.session() as s:
        audit = (await s.execute(select(func.count()).select_from(AuditEvent))).scalar_one()
        seen = (await s.execute(select(func.count()).select_from(SeenDelivery))).scalar_one()
    return audit, seen


async def test_help_is_answered(harness: Harness) -> None:
    response = await harness.command("help", user=BM)
    assert response.status_code == 200
    text = ephemeral_text(response)
    assert "/review help" in text
    assert response.json()["response_type"] == "ephemeral"


async def test_empty_command_shows_help_and_unknown_is_explained(harness: Harness) -> None:
    assert "/review help" in ephemeral_text(await harness.command("", user=BM))
    text = ephemeral_text(await harness.command("frobnicate", user=BM))
    assert "don't know `/review frobnicate`" in text


async def test_bad_signature_is_refused_and_writes_nothing(harness: Harness) -> None:
    before = await _row_counts(harness)
    request = harness.slack.event({"type": "app_home_opened", "user": BM, "tab": "home"}, bad_signature=True)
    response = await harness.send(request)
    assert response.status_code == 401
    assert await _row_counts(harness) == before
    assert harness.fake.calls() == [] or all(c.method == "auth.test" for c in harness.fake.calls())


async def test_stale_timestamp_is_refused_and_writes_nothing(harness: Harness) -> None:
    before = await _row_counts(harness)
    request = harness.slack.event({"type": "app_home_opened", "user": BM, "tab": "home"}, stale_seconds=301)
    response = await harness.send(request)
    assert response.status_code == 401
    command = harness.slack.slash_command("/review", "help", user_id=BM, stale_seconds=600)
    assert (await harness.send(command)).status_code == 401
    assert await _row_counts(harness) == before


async def test_malformed_bodies_get_400(harness: Harness) -> None:
    import time

    from bot.sandbox.harness import SIGNING_SECRET
    from bot.sandbox.signed_requests import SignedRequest
    from bot.slack.signature import signature_for

    def signed(body: bytes, content_type: str) -> SignedRequest:
        ts = str(int(time.time()))
        sig = signature_for(SIGNING_SECRET, ts, body)
        return SignedRequest(
            body=body,
            headers={"content-type": content_type, "x-slack-request-timestamp": ts, "x-slack-signature": sig},
            content_type=content_type,
        )

    for body, ctype in [
        (b"not json", "application/json"),
        (b"[1, 2]", "application/json"),
        (b"payload=%7Bnot-json", "application/x-www-form-urlencoded"),
        (b"hello=world", "application/x-www-form-urlencoded"),
        (b"\xff\xfe\x00", "application/x-www-form-urlencoded"),
    ]:
        response = await harness.send(signed(body, ctype))
        assert response.status_code == 400, body
        assert "Traceback" not in response.text


async def test_retried_event_is_processed_once(harness: Harness) -> None:
    event = {"type": "app_home_opened", "user": BM, "tab": "home"}
    first = harness.slack.event(event, event_id="Ev0RETRY001")
    retry = harness.slack.event(event, event_id="Ev0RETRY001", retry_num=1, retry_reason="http_timeout")
    assert (await harness.send(first)).status_code == 200
    assert (await harness.send(retry)).status_code == 200
    assert len(harness.fake.calls("views.publish")) == 1


async def test_health_and_metrics(harness: Harness) -> None:
    health = await harness.http.get("/healthz")
    assert health.status_code == 200
    assert health.json()["database"] == "ok"
    await harness.command("help", user=BM)
    metrics = await harness.http.get("/metrics")
    assert metrics.status_code == 200
    assert 'reviewbot_requests_total{kind="command",outcome="ok",route="slack_events"} 1.0' in metrics.text
    assert "reviewbot_ack_latency_seconds_bucket" in metrics.text
    assert "reviewbot_reminder_queue_depth" in metrics.text


async def test_typed_text_repeated_back_is_escaped(harness: Harness) -> None:
    """What a person typed never becomes a mention, a link or a broadcast when it is repeated back."""
    for typed in ("<!channel>", "<@U0CHAIR01>", "<https://example.invalid|click>"):
        text = ephemeral_text(await harness.command(typed, user=BM))
        assert "<!channel>" not in text and "<@U0CHAIR01>" not in text and "<https" not in text
        assert "&lt;" in text
    text = ephemeral_text(await harness.command("stage <!here>", user=BM))
    assert "<!here>" not in text
