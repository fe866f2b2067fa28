"""One plausible-date rule (not before 2000, not in the future where the date must be past) on the
webhook and the notification form, and the webhook's refusals of hostile input: never a 500.

Payload values are synthetic; tokens come from the harness's own token store.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.calendar.plausible import EARLIEST_PLAUSIBLE_DATE, date_problem, instant_problem
from bot.sandbox.harness import Harness
from bot.webhook.api import bearer_token
from bot.webhook.tokens import create_token
from tests.intake_helpers import all_cases, modal_values, open_modal, submit
from tests.test_webhook import PAYLOAD

TODAY = date(2026, 12, 18)  # the harness clock's date (tests/conftest.py)

# --- the rule itself ----------------------------------------------------------------------------------


def test_rule_bounds() -> None:
    assert date_problem(EARLIEST_PLAUSIBLE_DATE, today=TODAY) is None
    assert date_problem(TODAY, today=TODAY) is None
    before = date_problem(date(1999, 12, 31), today=TODAY, what="The incident date")
    assert before == (
        "The incident date is before 1 January 2000, which can't be right here. Please check the year."
    )
    future = date_problem(TODAY + timedelta(days=1), today=TODAY)
    assert future == "This date is in the future. Give a date on or before today (18 December 2026)."
    assert date_problem(date(2030, 1, 1), today=TODAY, must_be_past=False) is None
    assert date_problem(date(1, 1, 1), today=TODAY, must_be_past=False) is not None


@pytest.mark.parametrize("offset", [-14, -5, 0, 5, 14])
def test_instants_at_the_ends_of_time_never_overflow(offset: int) -> None:
    zone = timezone(timedelta(hours=offset))
    for extreme in (datetime.min, datetime.max, datetime(1900, 1, 1), datetime(1970, 1, 1)):
        assert instant_problem(extreme.replace(tzinfo=zone), today=TODAY) is not None
    assert instant_problem(datetime(2026, 12, 18, 9, 30, tzinfo=zone), today=TODAY) is None


@settings(max_examples=200, deadline=None)
@given(st.dates())
def test_rule_is_a_pure_total_function(day: date) -> None:
    problem = date_problem(day, today=TODAY)
    assert (problem is None) == (EARLIEST_PLAUSIBLE_DATE <= day <= TODAY)
    assert problem is None or day.isoformat() not in problem


# --- the webhook --------------------------------------------------------------------------------------


@pytest.fixture
async def token(harness: Harness) -> str:
    return (await create_token(harness.services, "northshire", "case management system (synthetic)")).token


async def post(harness: Harness, token: str, body: Any, **headers: str) -> Any:
    return await harness.http.post(
        "/api/v1/notifications",
        content=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "content-type": "application/json", **headers},
    )


def fields_of(response: Any) -> dict[str, str]:
    return {f["field"]: f["message"] for f in response.json()["fields"]}


@pytest.mark.parametrize("field", ["la_aware_at", "notification_sent_at"])
@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00Z",
        "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:59:59-05:00",
        "9999-12-31T23:59:59Z",
        "1900-01-01T00:00:00Z",
        "1999-12-31T23:59:59Z",
        "1900-01-01",
        "2030-01-01T00:00:00Z",
        "20260101",
        "0",
        0,
        -1,
        1.5,
        1e20,
        True,
        {"date": "2026-12-18"},
        ["2026-12-18T09:30:00Z"],
    ],
)
async def test_implausible_instants_are_a_clear_422(
    harness: Harness, token: str, field: str, value: Any
) -> None:
    response = await post(harness, token, {**PAYLOAD, field: value})
    assert response.status_code == 422, response.text
    fields = fields_of(response)
    assert field in fields, fields
    message = fields[field]
    assert any(
        hint in message for hint in ("before 1 January 2000", "in the future", "ISO 8601", "time zone")
    ), message
    assert await all_cases(harness) == []


@pytest.mark.parametrize("value", ["0001-01-01", "1900-01-01", "1999-12-31", "2030-01-01", 0, -1, 1.5, "0"])
async def test_implausible_incident_dates_are_a_clear_422(harness: Harness, token: str, value: Any) -> None:
    response = await post(harness, token, {**PAYLOAD, "incident_on": value})
    assert response.status_code == 422, response.text
    message = fields_of(response)["incident_on"]
    assert "before 1 January 2000" in message or "future" in message or "ISO 8601" in message
    assert await all_cases(harness) == []


async def test_an_implausible_date_is_reported_with_every_other_problem(harness: Harness, token: str) -> None:
    body = {**PAYLOAD, "la_aware_at": "0001-01-01T00:00:00Z", "agencies": ["la", "fire"], "colour": "x"}
    response = await post(harness, token, body)
    assert response.status_code == 422
    assert {"la_aware_at", "colour"} <= set(fields_of(response))


async def test_plausible_dates_still_open_a_case(harness: Harness, token: str) -> None:
    body = {**PAYLOAD, "la_aware_at": "2000-01-03T09:00:00+00:00", "incident_on": "2000-01-01"}
    body["notification_sent_at"] = "2026-12-18T09:45:00Z"
    response = await post(harness, token, body)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "body",
    [
        {**PAYLOAD, "summary": "Child A was seen\x00 at home."},
        {**PAYLOAD, "summary": "\x00"},
        {**PAYLOAD, "children": [{"pseudonym": "Child\x00A"}]},
        {**PAYLOAD, "agencies": ["la\x00"]},
        {**PAYLOAD, "summ\x00ary": "x"},
        {**PAYLOAD, "summary": "bell \x07 and escape \x1b[31m"},
    ],
)
async def test_control_characters_are_refused_cleanly(harness: Harness, token: str, body: Any) -> None:
    response = await post(harness, token, body)
    assert response.status_code == 422, response.text
    assert "control character" in response.text
    assert await all_cases(harness) == []


async def test_lone_surrogates_are_refused_cleanly(harness: Harness, token: str) -> None:
    raw = json.dumps(PAYLOAD).replace('"Child A was admitted', '"\\ud800 Child A was admitted').encode()
    response = await harness.http.post(
        "/api/v1/notifications",
        content=raw,
        headers={"Authorization": f"Bearer {token}", "content-type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert await all_cases(harness) == []


# --- Authorization: Bearer only -----------------------------------------------------------------------


def test_bearer_token_parsing() -> None:
    assert bearer_token("Bearer rbt_abc") == ("rbt_abc", None)
    assert bearer_token("bearer   rbt_abc ") == ("rbt_abc", None)
    for header in (
        None,
        "",
        "rbt_abc",
        "Basic cmJ0X2FiYw==",
        "Token rbt_abc",
        "Bearer",
        "Bearer   ",
        "Bearerrbt",
    ):
        token, message = bearer_token(header)
        assert token is None and message and "Authorization: Bearer <token>" in message


async def test_a_token_without_the_bearer_scheme_is_refused(harness: Harness, token: str) -> None:
    for header in (token, f"Token {token}", f"Basic {token}", f"Bearer{token}"):
        response = await harness.http.post(
            "/api/v1/notifications", json=PAYLOAD, headers={"Authorization": header}
        )
        assert response.status_code == 401, header
        assert "Bearer" in response.json()["message"]
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert token not in response.text
    assert await all_cases(harness) == []
    response = await harness.http.post(
        "/api/v1/notifications", json=PAYLOAD, headers={"Authorization": f"bearer {token}"}
    )
    assert response.status_code == 201, response.text


# --- the notification form ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "block"),
    [
        ({"aware": "0001-01-01"}, "aware_date"),
        ({"aware": "1999-12-31"}, "aware_date"),
        ({"aware": "9999-12-31"}, "aware_date"),
        ({"incident": "0001-01-01"}, "incident_date"),
        ({"incident": "1900-01-01"}, "incident_date"),
        ({"sent": "0001-01-01"}, "sent_date"),
        ({"sent": "9999-12-31"}, "sent_date"),
    ],
)
async def test_the_form_refuses_implausible_dates_beside_the_field(
    harness: Harness, overrides: dict[str, str], block: str
) -> None:
    await open_modal(harness)
    ack = await submit(harness, modal_values(**overrides))  # type: ignore[arg-type]
    assert ack["response_action"] == "errors"
    message = ack["errors"][block]
    assert "before 1 January 2000" in message or "in the future" in message
    assert await all_cases(harness) == []


async def test_the_form_refuses_a_nul_byte_in_free_text(harness: Harness) -> None:
    """A NUL byte would fail on PostgreSQL: the guard refuses it beside the field, in either mode."""
    await open_modal(harness)
    ack = await submit(harness, modal_values(summary="Child A was seen\x00 at home."))
    assert ack["response_action"] == "errors"
    assert "control character" in ack["errors"]["summary"]
    assert await all_cases(harness) == []


async def test_dates_typed_in_commands_follow_the_same_rule(harness: Harness) -> None:
    """The returns, Panel and revise commands and the due-date calculator refuse a date before 2000
    (and, where the date must have happened, one in the future) with the shared rule's message."""
    from tests.intake_helpers import BM
    from tests.rapid_review_helpers import open_rapid_review

    case = await open_rapid_review(harness)
    assert case.channel_id
    for text, expected in [
        ("returns police received 01/01/1999", "before 1 January 2000"),
        ("returns police received 01/01/2030", "is in the future"),
        ("panel sent 31/12/1999", "before 1 January 2000"),
        ("revise rapid_review 01/01/1999 synthetic reason agreed by the Panel", "before 1 January 2000"),
        ("due 5 working days from 01/01/1995", "before 1 January 2000"),
    ]:
        reply = await harness.command(text, user=BM, channel=case.channel_id)
        assert expected in reply.json()["text"], (text, reply.json()["text"])
