"""Who sent a Slack request and where to answer them privately."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.slack.gateway import SlackGateway


@dataclass(frozen=True)
class Requester:
    user_id: str
    channel_id: str | None = None
    response_url: str | None = None
    trigger_id: str | None = None

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> Requester:
        user = body.get("user_id") or (body.get("user") or {}).get("id") or ""
        channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
        if channel is None and isinstance(body.get("container"), dict):
            channel = body["container"].get("channel_id")
        response_url = body.get("response_url")
        if response_url is None:
            urls = body.get("response_urls") or []
            response_url = urls[0].get("response_url") if urls else None
        return cls(
            user_id=str(user),
            channel_id=channel,
            response_url=response_url,
            trigger_id=body.get("trigger_id"),
        )

    async def tell(
        self, gateway: SlackGateway, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> None:
        """Say something only this person sees: through the response_url, in the channel, or by DM."""
        if self.response_url:
            payload: dict[str, Any] = {"response_type": "ephemeral", "replace_original": False, "text": text}
            if blocks:
                payload["blocks"] = blocks
            await gateway.respond(self.response_url, payload)
        elif self.channel_id:
            await gateway.post_ephemeral(self.channel_id, self.user_id, text, blocks)
        else:
            await gateway.send_dm(self.user_id, text, blocks)
