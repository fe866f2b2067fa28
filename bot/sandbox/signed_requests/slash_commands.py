"""Slash commands: the form-encoded key/value pairs Slack POSTs when a person runs ``/review ...``."""

from __future__ import annotations

from typing import Any

from bot.sandbox.signed_requests.context import RequestContext
from bot.sandbox.signed_requests.signing import SignedRequest


class SlashCommandRequests(RequestContext):
    """Builds signed slash command invocations."""

    # --- slash commands --------------------------------------------------------------------------

    def slash_command(
        self,
        command: str = "/review",
        text: str = "",
        *,
        user_id: str,
        channel_id: str = "C0GENERAL",
        channel_name: str = "general",
        **options: Any,
    ) -> SignedRequest:
        """A slash command invocation, form-encoded like Slack's."""
        fields = {
            "token": self.verification_token,
            "team_id": self.team_id,
            "team_domain": self.team_domain,
            "channel_id": channel_id,
            "channel_name": channel_name,
            "user_id": user_id,
            "user_name": self._user_name(user_id),
            "command": command,
            "text": text,
            "api_app_id": self.api_app_id,
            "is_enterprise_install": "false",
            "response_url": self._response_url(channel_id=channel_id, user_id=user_id),
            "trigger_id": self._trigger_id(user_id),
        }
        return self._form(fields, **options)
