"""The signed request factory: Slack's shapes, a signature Slack's verifier accepts, and Bolt acks them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import FakeClock
from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.signed_requests import (
    SignedRequest,
    SlackRequestFactory,
    checkboxes,
    conversations_select,
    datepicker,
    multi_static_select,
    multi_users_select,
    radio_buttons,
    static_select,
    text_value,
    timepicker,
    users_select,
)

SECRET = "test-signing-secret"
ALICE = "U0BM0001"
BOB = "U0BM0002"
BOARD = "C0BOARD01"


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    for var in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock(datetime(2026, 12, 18, 10, 0, tzinfo=UTC))


@pytest.fixture
async def fake(fake_clock: FakeClock) -> AsyncIterator[FakeSlack]:
    slack = FakeSlack(clock=fake_clock)
    await slack.start()
    slack.add_user(ALICE, name="alice.bm")
    slack.add_user(BOB)
    slack.add_channel(BOARD, "safeguarding-board", members=[ALICE, BOB])
    yield slack
    await slack.stop()


@pytest.fixture
def factory(fake: FakeSlack) -> SlackRequestFactory:
    return SlackRequestFactory(SECRET, fake=fake)


@pytest.fixture
def app(fake: FakeSlack) -> AsyncApp:
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
    return AsyncApp(client=client, signing_secret=SECRET, process_before_response=True)


def verifies(request: SignedRequest, secret: str = SECRET) -> bool:
    return SignatureVerifier(secret).is_valid(
        body=request.body,
        timestamp=request.headers["X-Slack-Request-Timestamp"],
        signature=request.headers["X-Slack-Signature"],
    )


def interactive_payload(request: SignedRequest) -> dict[str, Any]:
    fields = parse_qs(request.text)
    assert list(fields) == ["payload"]
    payload: dict[str, Any] = json.loads(fields["payload"][0])
    assert payload == request.payload
    return payload


def all_builders(factory: SlackRequestFactory, **options: Any) -> list[SignedRequest]:
    return [
        factory.slash_command("/review", "help", user_id=ALICE, **options),
        factory.block_action("case_open", user_id=ALICE, value="2026-001", channel_id=BOARD, **options),
        factory.view_submission("notify", user_id=ALICE, values={}, **options),
        factory.view_closed("notify", user_id=ALICE, **options),
        factory.global_shortcut("new_notification", user_id=ALICE, **options),
        factory.message_shortcut(
            "flag", user_id=ALICE, channel_id=BOARD, message_ts="1798000000.000100", **options
        ),
        factory.block_suggestion("agency", "pol", user_id=ALICE, **options),
        factory.event({"type": "app_mention", "user": ALICE, "text": "hi", "channel": BOARD}, **options),
        factory.app_home_opened(ALICE, **options),
        factory.url_verification("challenge-token", **options),
    ]


# --- signatures ------------------------------------------------------------------------------------


def test_every_builder_signs_correctly(factory: SlackRequestFactory) -> None:
    for request in all_builders(factory):
        assert verifies(request), request.payload.get("type")
        assert request.headers["X-Slack-Signature"].startswith("v0=")
        assert request.headers["Content-Type"] == request.content_type
        assert verifies(request, "another-secret") is False


def test_stale_and_bad_signatures_fail_verification(factory: SlackRequestFactory) -> None:
    for request in all_builders(factory, stale_seconds=301):
        assert not verifies(request)
    for request in all_builders(factory, bad_signature=True):
        assert not verifies(request)
        assert len(request.headers["X-Slack-Signature"]) == len("v0=") + 64


def test_fixed_timestamp_source_gives_reproducible_signatures() -> None:
    factory = SlackRequestFactory(SECRET, timestamp_source=lambda: 1_798_000_000)
    request = factory.url_verification("abc")
    assert request.headers["X-Slack-Request-Timestamp"] == "1798000000"
    expected = SignatureVerifier(SECRET).generate_signature(timestamp="1798000000", body=request.body)
    assert request.headers["X-Slack-Signature"] == expected


def test_retry_headers(factory: SlackRequestFactory) -> None:
    request = factory.event({"type": "app_mention"}, retry_num=2, retry_reason="http_timeout")
    assert request.headers["X-Slack-Retry-Num"] == "2"
    assert request.headers["X-Slack-Retry-Reason"] == "http_timeout"
    assert "X-Slack-Retry-Num" not in factory.event({"type": "app_mention"}).headers


# --- shapes ----------------------------------------------------------------------------------------


def test_slash_command_is_form_encoded_with_fake_issued_urls(
    factory: SlackRequestFactory, fake: FakeSlack
) -> None:
    request = factory.slash_command("/review", "notify 2026-001", user_id=ALICE, channel_id=BOARD)
    assert request.content_type == "application/x-www-form-urlencoded"
    fields = {k: v[0] for k, v in parse_qs(request.text, keep_blank_values=True).items()}
    assert fields["command"] == "/review" and fields["text"] == "notify 2026-001"
    assert fields["user_id"] == ALICE and fields["user_name"] == "alice.bm"
    assert fields["team_id"] == "T0TEST" and fields["channel_id"] == BOARD
    assert fields["response_url"].startswith(fake.url + "/hooks/")
    assert fields["trigger_id"] in {t for t in fake._triggers}
    assert request.payload == fields


def test_block_action_from_a_real_message(factory: SlackRequestFactory, fake: FakeSlack) -> None:
    blocks = [
        {
            "type": "actions",
            "block_id": "case_actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "sign_off",
                    "text": {"type": "plain_text", "text": "Sign off"},
                    "value": "2026-001",
                    "style": "primary",
                }
            ],
        }
    ]
    msg = fake.post_user_message(BOARD, ALICE, "Sign-off needed", blocks=blocks)
    payload = interactive_payload(
        factory.block_action("sign_off", user_id=BOB, channel_id=BOARD, message_ts=msg.ts)
    )
    assert payload["type"] == "block_actions"
    assert payload["user"]["id"] == BOB and payload["team"]["id"] == "T0TEST"
    assert payload["container"] == {
        "type": "message",
        "message_ts": msg.ts,
        "channel_id": BOARD,
        "is_ephemeral": False,
    }
    assert payload["message"]["blocks"] == blocks and payload["message"]["ts"] == msg.ts
    (action,) = payload["actions"]
    assert action["type"] == "button" and action["block_id"] == "case_actions"
    assert action["text"]["text"] == "Sign off" and action["value"] == "2026-001"
    assert payload["channel"] == {"id": BOARD, "name": "safeguarding-board"}


async def test_block_action_in_a_view_and_selects(factory: SlackRequestFactory, fake: FakeSlack) -> None:
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Notify"},
        "blocks": [
            {
                "type": "section",
                "block_id": "lead",
                "text": {"type": "mrkdwn", "text": "Lead"},
                "accessory": {"type": "users_select", "action_id": "lead_user"},
            }
        ],
    }
    opened = (await client.views_open(trigger_id=fake.issue_trigger_id(ALICE), view=view))["view"]
    payload = interactive_payload(
        factory.block_action("lead_user", user_id=ALICE, view=opened, selected_user=BOB)
    )
    assert payload["container"] == {"type": "view", "view_id": opened["id"]}
    assert payload["view"]["id"] == opened["id"] and payload["view"]["hash"] == opened["hash"]
    assert payload["actions"][0] == {
        **payload["actions"][0],
        "type": "users_select",
        "selected_user": BOB,
        "block_id": "lead",
    }
    assert "response_url" not in payload
    option = interactive_payload(factory.block_action("agency", user_id=ALICE, selected_option="police"))
    assert option["actions"][0]["selected_option"]["value"] == "police"


def test_view_submission_state_values(factory: SlackRequestFactory) -> None:
    values = {
        "ref": {"ref_value": text_value("2026-001")},
        "nation": {"nation_value": static_select("england", "England")},
        "agencies": {"agencies_value": multi_static_select({"police": "Police", "health": "Health"})},
        "date": {"date_value": datepicker("2026-12-18")},
        "time": {"time_value": timepicker("09:30")},
        "lead": {"lead_value": users_select(ALICE)},
        "panel": {"panel_value": multi_users_select([ALICE, BOB])},
        "channel": {"channel_value": conversations_select(BOARD)},
        "urgent": {"urgent_value": radio_buttons("yes", "Yes")},
        "checks": {"checks_value": checkboxes(["consent"])},
    }
    request = factory.view_submission("notify", user_id=ALICE, values=values, private_metadata='{"case":1}')
    payload = interactive_payload(request)
    view = payload["view"]
    assert payload["type"] == "view_submission" and view["callback_id"] == "notify"
    assert view["private_metadata"] == '{"case":1}'
    state = view["state"]["values"]
    assert state["ref"]["ref_value"] == {"type": "plain_text_input", "value": "2026-001"}
    assert state["nation"]["nation_value"]["selected_option"] == {
        "text": {"type": "plain_text", "text": "England", "emoji": True},
        "value": "england",
    }
    assert [o["value"] for o in state["agencies"]["agencies_value"]["selected_options"]] == [
        "police",
        "health",
    ]
    assert state["date"]["date_value"] == {"type": "datepicker", "selected_date": "2026-12-18"}
    assert state["time"]["time_value"]["selected_time"] == "09:30"
    assert state["lead"]["lead_value"] == {"type": "users_select", "selected_user": ALICE}
    assert state["panel"]["panel_value"]["selected_users"] == [ALICE, BOB]
    assert state["channel"]["channel_value"]["selected_conversation"] == BOARD
    assert state["urgent"]["urgent_value"]["selected_option"]["value"] == "yes"
    assert state["checks"]["checks_value"]["selected_options"][0]["value"] == "consent"
    for key in ("id", "hash", "root_view_id", "team_id", "app_id", "bot_id", "title"):
        assert view[key], key
    assert payload["response_urls"] == [] and payload["trigger_id"]


async def test_view_submission_uses_the_open_modal(factory: SlackRequestFactory, fake: FakeSlack) -> None:
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
    view = {
        "type": "modal",
        "callback_id": "notify",
        "title": {"type": "plain_text", "text": "Notify"},
        "submit": {"type": "plain_text", "text": "Save"},
        "private_metadata": "case-7",
        "blocks": [
            {
                "type": "input",
                "block_id": "ref",
                "label": {"type": "plain_text", "text": "Ref"},
                "element": {"type": "plain_text_input", "action_id": "ref_value"},
            }
        ],
    }
    opened = (await client.views_open(trigger_id=fake.issue_trigger_id(ALICE), view=view))["view"]
    payload = interactive_payload(
        factory.view_submission("notify", user_id=ALICE, values={"ref": {"ref_value": text_value("x")}})
    )
    assert payload["view"]["id"] == opened["id"] and payload["view"]["hash"] == opened["hash"]
    assert payload["view"]["private_metadata"] == "case-7"
    assert payload["view"]["blocks"] == opened["blocks"]


def test_event_envelope(factory: SlackRequestFactory, fake: FakeSlack) -> None:
    first = factory.event(
        {"type": "app_mention", "user": ALICE, "text": "<@U0BOT0001> help", "channel": BOARD}
    )
    second = factory.event({"type": "app_mention", "user": ALICE, "text": "again", "channel": BOARD})
    assert first.content_type == "application/json"
    body = json.loads(first.body)
    assert (
        body["type"] == "event_callback" and body["team_id"] == "T0TEST" and body["api_app_id"] == "A0TESTAPP"
    )
    assert body["authorizations"][0]["user_id"] == "U0BOT0001" and body["authorizations"][0]["is_bot"] is True
    assert body["event"]["event_ts"] and isinstance(body["event_time"], int)
    assert body["event_id"] != json.loads(second.body)["event_id"]
    assert json.loads(factory.event({"type": "x"}, event_id="Ev0FIXED").body)["event_id"] == "Ev0FIXED"


async def test_app_home_opened_carries_the_published_view(
    factory: SlackRequestFactory, fake: FakeSlack
) -> None:
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
    await client.views_publish(user_id=ALICE, view={"type": "home", "blocks": [{"type": "divider"}]})
    event = json.loads(factory.app_home_opened(ALICE).body)["event"]
    assert event["type"] == "app_home_opened" and event["tab"] == "home"
    assert event["channel"] == fake.dm_channel(ALICE)
    assert event["view"]["id"] == fake.home_view(ALICE)["id"]  # type: ignore[index]


def test_without_a_fake_nothing_points_at_slack() -> None:
    factory = SlackRequestFactory(SECRET)
    request = factory.slash_command(user_id=ALICE)
    fields = parse_qs(request.text)
    assert "slack.com" not in fields["response_url"][0]
    assert fields["response_url"][0].startswith("http://127.0.0.1:")


# --- bolt acks them --------------------------------------------------------------------------------


async def dispatch(app: AsyncApp, request: SignedRequest) -> Any:
    return await app.async_dispatch(AsyncBoltRequest(body=request.text, headers=request.headers))


async def test_bolt_acks_a_slash_command_and_can_open_a_modal(
    app: AsyncApp, factory: SlackRequestFactory, fake: FakeSlack
) -> None:
    seen: dict[str, Any] = {}

    @app.command("/review")
    async def review(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack(text="Opening the notification form")
        seen.update(body)
        view = {
            "type": "modal",
            "callback_id": "notify",
            "title": {"type": "plain_text", "text": "Notify"},
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}],
        }
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    response = await dispatch(
        app, factory.slash_command("/review", "notify", user_id=ALICE, channel_id=BOARD)
    )
    assert response.status == 200
    assert response.body == "Opening the notification form"  # bolt sends a text-only ack as plain text
    assert seen["text"] == "notify" and seen["user_id"] == ALICE
    assert [v["callback_id"] for v in fake.view_stack(ALICE)] == ["notify"]
    assert fake.calls("auth.test")  # bolt identified itself against the fake


async def test_bolt_acks_a_block_action(app: AsyncApp, factory: SlackRequestFactory) -> None:
    seen: list[dict[str, Any]] = []

    @app.action("case_open")
    async def open_case(ack: Any, action: dict[str, Any]) -> None:
        await ack()
        seen.append(action)

    response = await dispatch(
        app, factory.block_action("case_open", user_id=ALICE, value="2026-001", channel_id=BOARD)
    )
    assert response.status == 200
    assert seen[0]["value"] == "2026-001" and seen[0]["type"] == "button"


async def test_bolt_acks_a_view_submission_with_errors(app: AsyncApp, factory: SlackRequestFactory) -> None:
    @app.view("notify")
    async def submit(ack: Any, view: dict[str, Any]) -> None:
        reference = view["state"]["values"]["ref"]["ref_value"]["value"]
        if not reference:
            await ack(response_action="errors", errors={"ref": "Enter the case reference"})
        else:
            await ack()

    empty = factory.view_submission("notify", user_id=ALICE, values={"ref": {"ref_value": text_value(None)}})
    response = await dispatch(app, empty)
    assert response.status == 200
    assert json.loads(response.body) == {
        "response_action": "errors",
        "errors": {"ref": "Enter the case reference"},
    }
    filled = factory.view_submission(
        "notify", user_id=ALICE, values={"ref": {"ref_value": text_value("2026-001")}}
    )
    response = await dispatch(app, filled)
    assert response.status == 200 and response.body == ""


async def test_bolt_acks_an_event_and_sees_retry_headers(app: AsyncApp, factory: SlackRequestFactory) -> None:
    seen: list[tuple[str, str | None]] = []

    @app.event("app_home_opened")
    async def home(event: dict[str, Any], body: dict[str, Any], request: Any) -> None:
        retry = request.headers.get("x-slack-retry-num", [None])[0]
        seen.append((body["event_id"], retry))

    first = factory.app_home_opened(ALICE, event_id="Ev0HOME01")
    retried = factory.app_home_opened(ALICE, event_id="Ev0HOME01", retry_num=1, retry_reason="http_timeout")
    assert (await dispatch(app, first)).status == 200
    assert (await dispatch(app, retried)).status == 200
    assert seen == [("Ev0HOME01", None), ("Ev0HOME01", "1")]


async def test_bolt_acks_shortcuts_suggestions_and_view_closed(
    app: AsyncApp, factory: SlackRequestFactory
) -> None:
    handled: list[str] = []

    @app.shortcut("new_notification")
    async def global_shortcut(ack: Any) -> None:
        await ack()
        handled.append("global")

    @app.shortcut("flag")
    async def message_shortcut(ack: Any, shortcut: dict[str, Any]) -> None:
        await ack()
        handled.append("message:" + shortcut["message"]["text"])

    @app.options("agency")
    async def agency_options(ack: Any, body: dict[str, Any]) -> None:
        await ack(options=[{"text": {"type": "plain_text", "text": "Police"}, "value": "police"}])
        handled.append("options:" + body["value"])

    @app.view_closed("notify")
    async def closed(ack: Any) -> None:
        await ack()
        handled.append("closed")

    requests = [
        factory.global_shortcut("new_notification", user_id=ALICE),
        factory.message_shortcut("flag", user_id=ALICE, channel_id=BOARD, message_ts="1798000000.000100"),
        factory.block_suggestion("agency", "pol", user_id=ALICE),
        factory.view_closed("notify", user_id=ALICE),
    ]
    for request in requests:
        assert (await dispatch(app, request)).status == 200
    assert handled == ["global", "message:(synthetic)", "options:pol", "closed"]


async def test_bolt_answers_url_verification(app: AsyncApp, factory: SlackRequestFactory) -> None:
    response = await dispatch(
        app, factory.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
    )
    assert response.status == 200
    assert json.loads(response.body)["challenge"] == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"


async def test_bolt_refuses_stale_and_bad_signatures(app: AsyncApp, factory: SlackRequestFactory) -> None:
    handled: list[str] = []

    @app.command("/review")
    async def review(ack: Any) -> None:
        await ack()
        handled.append("ran")

    for request in (
        factory.slash_command(user_id=ALICE, stale_seconds=301),
        factory.slash_command(user_id=ALICE, bad_signature=True),
    ):
        assert (await dispatch(app, request)).status == 401
    assert handled == []
    assert (await dispatch(app, factory.slash_command(user_id=ALICE, stale_seconds=200))).status == 200


def test_as_bolt_request(factory: SlackRequestFactory) -> None:
    request = factory.slash_command(user_id=ALICE).as_bolt_request()
    assert request.headers["x-slack-signature"][0].startswith("v0=")
    assert request.body["user_id"] == ALICE
