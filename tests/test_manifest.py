"""app.yaml (the Slack app manifest) and the registered listeners must match exactly."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.sandbox.harness import Harness
from bot.slack.gateway import METHOD_SCOPES, required_scopes

MANIFEST = yaml.safe_load((Path(__file__).parent.parent / "app.yaml").read_text())


async def test_manifest_matches_listeners(harness: Harness) -> None:
    features = harness.features
    commands = {c["command"] for c in MANIFEST["features"]["slash_commands"]}
    assert commands == features.commands == {"/review"}
    shortcuts = MANIFEST["features"].get("shortcuts", [])
    assert {s["callback_id"] for s in shortcuts if s["type"] == "global"} == features.global_shortcuts
    assert {s["callback_id"] for s in shortcuts if s["type"] == "message"} == features.message_shortcuts
    assert set(MANIFEST["settings"]["event_subscriptions"]["bot_events"]) == features.events


def test_manifest_scopes_are_least_privilege() -> None:
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == required_scopes()
    assert "user" not in MANIFEST["oauth_config"]["scopes"]


def test_every_gateway_method_has_a_scope_entry() -> None:
    import re

    source = (Path(__file__).parent.parent / "bot" / "slack" / "gateway.py").read_text()
    called = set(re.findall(r'"([a-z]+\.[a-zA-Z]+)"', source)) - {"files.upload"}
    assert called <= set(METHOD_SCOPES), called - set(METHOD_SCOPES)


def test_manifest_urls_point_at_the_one_endpoint() -> None:
    settings = MANIFEST["settings"]
    assert settings["interactivity"]["request_url"].endswith("/slack/events")
    assert settings["event_subscriptions"]["request_url"].endswith("/slack/events")
    for command in MANIFEST["features"]["slash_commands"]:
        assert command["url"].endswith("/slack/events")


def test_manifest_asks_for_slack_connect_and_the_oauth_redirect() -> None:
    assert "conversations.connect:write" in MANIFEST["oauth_config"]["scopes"]["bot"]
    assert {"app_uninstalled", "tokens_revoked"} <= set(
        MANIFEST["settings"]["event_subscriptions"]["bot_events"]
    )
    assert all(url.endswith("/slack/oauth_redirect") for url in MANIFEST["oauth_config"]["redirect_urls"])


async def test_oauth_mode_listens_to_the_same_events(database_url: str) -> None:
    oauth = await Harness.start(database_url=database_url, oauth=True)
    try:
        assert set(MANIFEST["settings"]["event_subscriptions"]["bot_events"]) == oauth.features.events
        assert {c["command"] for c in MANIFEST["features"]["slash_commands"]} == oauth.features.commands
    finally:
        await oauth.close()
