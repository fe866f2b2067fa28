"""The who and where every request carries: the person, the team, the channel, trigger_id and response_url.

With a :class:`~bot.sandbox.fake_slack.FakeSlack`, names come from its directory and ``trigger_id`` /
``response_url`` values are issued by it (so expiry and single use are enforced); without one, they are
made up, and response_urls point at a loopback port that refuses connections.
"""

from __future__ import annotations

import secrets
from typing import Any

from bot.sandbox.signed_requests.signing import RequestSigner

#: A response_url for builders used without a FakeSlack: port 9 (discard) on loopback refuses
#: connections, so a bot that posts to it fails fast and never reaches the internet.
_UNBOUND_RESPONSE_URL = "http://127.0.0.1:9/hooks/unbound"


class RequestContext(RequestSigner):
    """The pieces Slack puts in every payload kind, built from the FakeSlack when there is one."""

    # --- shared pieces ---------------------------------------------------------------------------

    def _user_name(self, user_id: str) -> str:
        if self.fake is not None:
            user = self.fake.users.get(user_id)
            if user is not None:
                return user.name
        return user_id.lower()

    def _user(self, user_id: str) -> dict[str, Any]:
        name = self._user_name(user_id)
        return {"id": user_id, "username": name, "name": name, "team_id": self.team_id}

    def _team(self) -> dict[str, Any]:
        return {"id": self.team_id, "domain": self.team_domain}

    def _trigger_id(self, user_id: str) -> str:
        if self.fake is not None:
            return self.fake.issue_trigger_id(user_id)
        return f"{self.timestamp_source()}.{secrets.randbelow(10**10)}.{secrets.token_hex(16)}"

    def _response_url(self, *, channel_id: str | None, user_id: str, message_ts: str | None = None) -> str:
        if self.fake is not None:
            return self.fake.issue_response_url(channel_id=channel_id, user_id=user_id, message_ts=message_ts)
        return _UNBOUND_RESPONSE_URL

    def _channel_name(self, channel_id: str) -> str:
        if self.fake is not None:
            channel = self.fake.channels.get(channel_id)
            if channel is not None:
                return channel.name if not channel.is_im else "directmessage"
        return channel_id.lower()

    def _action_ts(self) -> str:
        return f"{self.timestamp_source()}.{secrets.randbelow(10**6):06d}"

    def _common(self, kind: str, user_id: str) -> dict[str, Any]:
        return {
            "type": kind,
            "user": self._user(user_id),
            "api_app_id": self.api_app_id,
            "token": self.verification_token,
            "team": self._team(),
            "enterprise": None,
            "is_enterprise_install": False,
        }
