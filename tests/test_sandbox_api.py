"""The sandbox page's API without a browser: signed requests in, the stand-in's state out.

Runs in-process on the test database (SQLite, or PostgreSQL when REVIEWBOT_TEST_DATABASE_URL is set).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from bot.sandbox.browser.clock_control import _stops_between
from bot.sandbox.browser.serve import Sandbox, start_sandbox

BM = "U0BM00001"
OUTSIDER = "U0OUTSIDE01"
START = datetime(2026, 12, 18, 10, 0, tzinfo=UTC)  # Friday 18 December 2026, 10:00 in London


@pytest.fixture
async def sandbox(database_url: str) -> AsyncIterator[tuple[Sandbox, httpx.AsyncClient]]:
    sb = await start_sandbox(port=0, start=START, database_url=database_url, worker_interval=3600)
    client = httpx.AsyncClient(base_url=sb.url, trust_env=False, timeout=30)
    try:
        yield sb, client
    finally:
        await client.aclose()
        await sb.close()


async def test_the_workspace_names_people_by_label_and_serves_the_registrys_subcommands(sandbox) -> None:
    sb, client = sandbox
    workspace = (await client.get("/api/workspace")).json()
    labels = {p["user_id"]: p["label"] for p in workspace["people"]}
    assert labels[BM] == "Business manager, LA"
    assert labels[OUTSIDER] == "Someone outside the partnership"
    assert not any(re.search(r"U0[A-Z0-9]{5,}", label) for label in labels.values())
    assert [s["name"] for s in workspace["subcommands"]] == [
        s.name for s in sb.harness.features.router.listing()
    ]
    page = (await client.get("/")).text
    assert "/static/app.js" in page and "http://" not in page and "https://" not in page
    for name in ("app.js", "blocks.js", "modal.js", "style.css"):
        assert (await client.get(f"/static/{name}")).status_code == 200
    assert (await client.get("/static/../api.py")).status_code == 404


async def test_a_command_goes_to_the_bot_signed_and_its_answer_is_read_from_the_stand_in(sandbox) -> None:
    _, client = sandbox
    dm = (await client.get("/api/state", params={"user": BM})).json()["dm"]
    answer = await client.post("/api/command", json={"user": BM, "channel": dm, "text": "/review help"})
    assert answer.json() == {"ok": True}
    state = (await client.get("/api/state", params={"user": BM, "channel": dm})).json()
    replies = [m for m in state["conversation"]["messages"] if m["ephemeral"]]
    assert replies and "/review notify" in replies[-1]["text"]
    assert state["clock"]["label"] == "Fri 18 Dec 2026, 10:00"


async def test_bad_requests_change_nothing_and_say_why(sandbox) -> None:
    sb, client = sandbox
    before = len(sb.harness.fake.calls())
    assert (
        await client.post(
            "/api/command", json={"user": "U0NOBODY1", "channel": "C0GENERAL", "text": "/review"}
        )
    ).status_code == 400
    refused = await client.post(
        "/api/command", json={"user": BM, "channel": "C0NOPE", "text": "/review help"}
    )
    assert refused.json()["error"] == "Pick a channel first."
    other = await client.post("/api/command", json={"user": BM, "channel": "C0GENERAL", "text": "/remind me"})
    assert "not a command in this workspace" in other.json()["error"]
    closed = await client.post("/api/submit", json={"user": BM, "view_id": "V0GONE", "state": {}})
    assert closed.json()["error"] == "That window has closed."
    assert len(sb.harness.fake.calls()) == before


async def test_the_clock_moves_forward_only_through_working_days(sandbox) -> None:
    _, client = sandbox
    past = await client.post("/api/clock", json={"to": "date", "date": "2026-12-01"})
    assert past.status_code == 400 and "only moves forward" in past.json()["error"]
    bad = await client.post("/api/clock", json={"to": "date", "date": "18/12/2026"})
    assert bad.json()["error"] == "Give the date as YYYY-MM-DD."
    moved = (await client.post("/api/clock", json={"to": "next_working_day"})).json()
    assert moved["clock"]["label"] == "Mon 21 Dec 2026, 09:00"  # past the weekend
    moved = (await client.post("/api/clock", json={"to": "date", "date": "2027-06-01"})).json()
    assert moved["clock"]["label"] == "Tue 1 Jun 2027, 09:00" and moved["clock"]["zone"] == "BST"


def test_the_worker_runs_at_every_stop_on_the_way() -> None:
    stops = _stops_between(START, datetime(2026, 12, 21, 9, 0, tzinfo=UTC))
    assert [s.isoformat() for s in stops] == [
        "2026-12-18T17:00:00+00:00",
        "2026-12-19T08:30:00+00:00",
        "2026-12-19T09:00:00+00:00",
        "2026-12-19T17:00:00+00:00",
        "2026-12-20T08:30:00+00:00",
        "2026-12-20T09:00:00+00:00",
        "2026-12-20T17:00:00+00:00",
        "2026-12-21T08:30:00+00:00",
    ]


def test_browser_tests_fail_in_ci_without_chromium_and_skip_with_a_reason_elsewhere(monkeypatch) -> None:
    from tests import sandbox_browser_support as support

    monkeypatch.setattr(support, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run them"):
        support.require_chromium()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        support.require_chromium()


async def test_a_file_the_bot_uploads_can_be_downloaded_from_the_page(sandbox) -> None:
    _, client = sandbox
    await client.post("/api/command", json={"user": BM, "channel": "C0GENERAL", "text": "/review stats csv"})
    dm = (await client.get("/api/state", params={"user": BM})).json()["dm"]
    state = (await client.get("/api/state", params={"user": BM, "channel": dm})).json()
    files = [f for m in state["conversation"]["messages"] for f in m["files"]]
    assert [f["name"] for f in files] and files[0]["name"].endswith(".csv")
    download = await client.get(f"/files/{files[0]['id']}")
    assert download.status_code == 200 and b"," in download.content
    assert files[0]["name"] in download.headers["content-disposition"]
    assert (await client.get("/files/F0NOPE")).status_code == 404


async def test_a_pushed_modal_stacks_and_closing_it_goes_back(sandbox) -> None:
    """Slack's views.push, as the bot uses it: a saved finding's "Add an action" opens the action form
    on top; closing that one shows the finding again."""
    from bot.sandbox.demo_intake import notification_values
    from bot.sandbox.signed_requests import radio_buttons, static_select, text_value
    from bot.slack.ids import ActionId, CallbackId

    sb, client = sandbox
    dm = (await client.get("/api/state", params={"user": BM})).json()["dm"]
    await client.post("/api/command", json={"user": BM, "channel": dm, "text": "/review notify"})
    modal = (await client.get("/api/state", params={"user": BM})).json()["modal"]
    state = notification_values("Child A was taken to hospital; police attended the family home.")
    assert (
        await client.post("/api/submit", json={"user": BM, "view_id": modal["id"], "state": state})
    ).json()["ok"]
    [channel] = [c.id for c in sb.harness.fake.channels.values() if c.name.startswith("rr-")]
    await client.post("/api/command", json={"user": BM, "channel": channel, "text": "/review finding"})
    finding = (await client.get("/api/state", params={"user": BM})).json()["modal"]
    assert finding["callback_id"] == CallbackId.FINDING_MODAL
    values = {
        "typology": {"typology": static_select("human_management_system")},
        "finding_kind": {"finding_kind": radio_buttons("recommendation")},
        "recommendation_kind": {"recommendation_kind": static_select("local")},
        "summary": {"summary": text_value("Supervision did not test the plan against new information")},
    }
    saved = await client.post("/api/submit", json={"user": BM, "view_id": finding["id"], "state": values})
    assert saved.json() == {"ok": True, "errors": {}}
    shown = (await client.get("/api/state", params={"user": BM})).json()
    assert shown["modal_depth"] == 1 and ActionId.FINDING_ADD_ACTION in str(shown["modal"]["blocks"])

    await client.post(
        "/api/action",
        json={
            "user": BM,
            "action_id": ActionId.FINDING_ADD_ACTION,
            "view_id": shown["modal"]["id"],
            "state": {},
        },
    )
    pushed = (await client.get("/api/state", params={"user": BM})).json()
    assert pushed["modal_depth"] == 2 and pushed["modal"]["callback_id"] == CallbackId.ACTION_MODAL

    await client.post("/api/close", json={"user": BM, "view_id": pushed["modal"]["id"]})
    back = (await client.get("/api/state", params={"user": BM})).json()
    assert back["modal_depth"] == 1 and back["modal"]["id"] == shown["modal"]["id"]


async def test_someone_added_in_slack_can_be_chosen_at_once(sandbox) -> None:
    sb, client = sandbox
    newcomer = "U0NEWLEAD3"  # synthetic
    sb.harness.fake.add_user(newcomer)
    dm = (await client.get("/api/state", params={"user": BM})).json()["dm"]
    text = f"/review people add <@{newcomer}> police agency_lead"
    assert (await client.post("/api/command", json={"user": BM, "channel": dm, "text": text})).json()["ok"]
    people = {p["user_id"]: p["label"] for p in (await client.get("/api/workspace")).json()["people"]}
    assert people[newcomer] == "Agency lead, Police"
    assert (await client.get("/api/state", params={"user": newcomer})).status_code == 200
