"""Home tab Block Kit (pure)."""

from __future__ import annotations

from typing import Any

from bot.home.service import HomeContent
from bot.slack.ids import ActionId


def home_view(content: HomeContent) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "ReviewBot"}},
    ]
    if not content.actors:
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "You are not set up in a safeguarding partnership yet. "
                    "Ask your business manager to add you.",
                },
            }
        )
        return {"type": "home", "blocks": blocks}
    if content.can_notify:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": ActionId.HOME_NEW_NOTIFICATION,
                        "style": "primary",
                        "text": {"type": "plain_text", "text": "New notification"},
                    }
                ],
            }
        )
    blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "*My cases*"}})
    if content.cases:
        lines = [f"• <#{channel}> {reference}: {stage}" for reference, stage, channel in content.cases]
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}})
    else:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": "No open cases."}]})
    return {"type": "home", "blocks": blocks}
