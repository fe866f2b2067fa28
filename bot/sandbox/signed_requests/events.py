"""Events API deliveries: ``event_callback`` envelopes (app_home_opened among them) and url_verification.

Slack sends these as JSON bodies, each event with a unique ``event_id``.
"""

from __future__ import annotations

import copy
import secrets
from typing import Any

from bot.sandbox.signed_requests.context import RequestContext
from bot.sandbox.signed_requests.signing import SignedRequest


class EventRequests(RequestContext):
    """Builds signed Events API deliveries and the url_verification handshake."""

    # --- events ----------------------------------------------------------------------------------

    def event(self, event: dict[str, Any], *, event_id: str | None = None, **options: Any) -> SignedRequest:
        """An Events API delivery (``event_callback``) wrapping ``event``, with a unique event_id."""
        self._event_counter += 1
        now = self.timestamp_source()
        inner = copy.deepcopy(event)
        inner.setdefault("event_ts", f"{now}.{self._event_counter:06d}")
        bot_user_id = self.fake.bot_user_id if self.fake else "U0BOT0001"
        payload = {
            "token": self.verification_token,
            "team_id": self.team_id,
            "context_team_id": self.team_id,
            "context_enterprise_id": None,
            "api_app_id": self.api_app_id,
            "event": inner,
            "type": "event_callback",
            "event_id": event_id or f"Ev0{now:X}{self._event_counter:04d}{secrets.token_hex(2).upper()}",
            "event_time": now,
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-{secrets.token_urlsafe(24)}",
        }
        return self._json(payload, **options)

    def app_home_opened(self, user_id: str, *, tab: str = "home", **options: Any) -> SignedRequest:
        """The event sent when a person opens the app's Home tab (with the published view, if any)."""
        channel = (
            self.fake.dm_channel(user_id) if self.fake and user_id in self.fake.users else "D" + user_id[1:]
        )
        event: dict[str, Any] = {"type": "app_home_opened", "user": user_id, "channel": channel, "tab": tab}
        if self.fake is not None:
            home = self.fake.home_view(user_id)
            if home is not None:
                event["view"] = home
        return self.event(event, **options)

    def url_verification(self, challenge: str, **options: Any) -> SignedRequest:
        """The handshake Slack sends when the Request URL is saved."""
        return self._json(
            {"token": self.verification_token, "challenge": challenge, "type": "url_verification"}, **options
        )
