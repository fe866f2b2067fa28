"""POST /api/v1/notifications: token, validation, idempotency, same service as the modal."""

from __future__ import annotations

import pytest

from bot.sandbox.harness import Harness
from bot.webhook.tokens import create_token, revoke_token
from tests.intake_helpers import all_cases

PAYLOAD = {
    "notification_type": "serious_harm",
    "la_aware_at": "2026-12-18T09:30:00Z",
    "incident_on": "2026-12-17",
    "abuse_or_neglect": "suspected",
    "children": [
        {"pseudonym": "Child A", "age_band": "1_4", "legal_status": "child_protection_plan"},
        {"pseudonym": "Sibling 1", "age_band": "5_9", "legal_status": "child_in_need"},
    ],
    "agencies": ["la", "police"],
    "police_investigation": "yes",
    "media_interest": False,
    "notification_sent_at": "2026-12-18T09:45:00Z",
    "summary": "Child A was admitted to hospital with injuries; police attended.",
}


@pytest.fixture
async def token(harness: Harness) -> str:
    return (await create_token(harness.services, "northshire", "case management system (synthetic)")).token


async def test_same_idempotency_key_twice_gives_one_case(harness: Harness, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "cms-4711"}
    first = await harness.http.post("/api/v1/notifications", json=PAYLOAD, headers=headers)
    await harness.services.tasks.drain()
    second = await harness.http.post("/api/v1/notifications", json=PAYLOAD, headers=headers)
    assert first.status_code == 201, first.text
    assert second.status_code == 200
    assert first.json()["reference"] == second.json()["reference"] == "RR-2026-001"
    deadlines = {d["id"]: d for d in first.json()["deadlines"]}
    assert deadlines["serious_incident_notification"]["due"] == "2026-12-29"
    assert deadlines["serious_incident_notification"]["status"] == "met_on_time"
    assert deadlines["rapid_review"]["due"] == "2027-01-13"
    assert len(await all_cases(harness)) == 1
    assert len(harness.fake.calls("conversations.create")) == 1
    # the same key with a different body is a conflict, not a silent second case
    changed = {**PAYLOAD, "media_interest": True}
    conflict = await harness.http.post("/api/v1/notifications", json=changed, headers=headers)
    assert conflict.status_code == 409


async def test_bad_payload_gets_422_naming_each_field(harness: Harness, token: str) -> None:
    bad = {
        **PAYLOAD,
        "notification_type": "unknown",
        "la_aware_at": "yesterday",
        "children": [{"pseudonym": "Child A", "age_band": "ancient"}],
        "colour": "blue",
    }
    response = await harness.http.post(
        "/api/v1/notifications", json=bad, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422
    fields = {f["field"] for f in response.json()["fields"]}
    assert {"notification_type", "la_aware_at", "children.0.age_band", "colour"} <= fields
    # domain checks too: dates in the future, unknown agency, identifying summary
    bad = {
        **PAYLOAD,
        "la_aware_at": "2027-06-01T09:00:00Z",
        "agencies": ["la", "fire"],
        "summary": "Seen at 12 Example Road, Northtown NT1 1AA.",
    }
    response = await harness.http.post(
        "/api/v1/notifications", json=bad, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422
    fields = {f["field"]: f["message"] for f in response.json()["fields"]}
    # aware in the future, and (so) the notification "sent before awareness": both reported
    assert set(fields) == {"la_aware_at", "notification_sent_at", "agencies", "summary"}
    assert "12 Example Road" not in response.text and "NT1 1AA" not in response.text
    assert await all_cases(harness) == []


async def test_wrong_or_revoked_token_gets_401(harness: Harness, token: str) -> None:
    for auth in (None, "Bearer nope", "Bearer rbt_wrong", "Basic abc"):
        headers = {"Authorization": auth} if auth else {}
        response = await harness.http.post("/api/v1/notifications", json=PAYLOAD, headers=headers)
        assert response.status_code == 401
    async with harness.services.db.session() as s:
        from sqlalchemy import select

        from bot.webhook.models import WebhookToken

        row = (await s.execute(select(WebhookToken))).scalar_one()
        assert token not in (row.token_hash, row.name)
    await revoke_token(harness.services, row.id)
    response = await harness.http.post(
        "/api/v1/notifications", json=PAYLOAD, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401
    assert await all_cases(harness) == []


async def test_malformed_json_and_openapi(harness: Harness, token: str) -> None:
    response = await harness.http.post(
        "/api/v1/notifications",
        content=b"{not json",
        headers={"Authorization": f"Bearer {token}", "content-type": "application/json"},
    )
    assert response.status_code == 400
    spec = (await harness.http.get("/openapi.json")).json()
    assert "/api/v1/notifications" in spec["paths"]
    assert "NotificationForm" in str(spec)


async def test_two_identical_requests_at_once_give_one_case(harness: Harness, token: str) -> None:
    import asyncio

    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "race-1"}
    first, second = await asyncio.gather(
        harness.http.post("/api/v1/notifications", json=PAYLOAD, headers=headers),
        harness.http.post("/api/v1/notifications", json=PAYLOAD, headers=headers),
    )
    await harness.services.tasks.drain()
    assert {first.status_code, second.status_code} <= {200, 201}
    assert first.json()["reference"] == second.json()["reference"]
    assert len(await all_cases(harness)) == 1
