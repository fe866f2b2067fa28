"""Slack's request signing, and the signed request it produces.

Slack stamps what it sends to the app's Request URL with its own clock and signs it with
``v0=HMAC-SHA256(secret, "v0:{timestamp}:{raw body}")``, as ``slack_sdk.signature.SignatureVerifier``
makes it; Bolt checks both. :class:`RequestSigner` does the same for a body of any kind, and can sign
with a stale timestamp or a wrong digest to exercise Bolt's refusals.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from bot.clock import SystemClock

if TYPE_CHECKING:
    from slack_bolt.request.async_request import AsyncBoltRequest

    from bot.sandbox.fake_slack import FakeSlack

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
_USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"


def slack_server_time() -> int:
    """Seconds since the epoch from the real wall clock.

    This imitates Slack's servers, which stamp each request with their own clock; Bolt checks the stamp
    against the real wall clock (a 5-minute window), so an injected fake clock cannot be used here.
    """
    return int(SystemClock().now().timestamp())


@dataclass
class SignedRequest:
    """A request as Slack would send it: raw body bytes and headers (signature included).

    ``payload`` is the decoded content (form fields or JSON) for sending the same request over Socket
    Mode, where nothing is signed.
    """

    body: bytes
    headers: dict[str, str]
    content_type: str
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def as_bolt_request(self) -> AsyncBoltRequest:
        """The same request for ``await app.async_dispatch(...)`` (no web server in between)."""
        from slack_bolt.request.async_request import AsyncBoltRequest

        return AsyncBoltRequest(body=self.text, headers=dict(self.headers))


class RequestSigner:
    """One app's signing secret and identity in one workspace; signs bodies the way Slack does.

    The base of :class:`~bot.sandbox.signed_requests.SlackRequestFactory`, whose constructor this is.
    """

    def __init__(
        self,
        signing_secret: str,
        *,
        fake: FakeSlack | None = None,
        team_id: str = "T0TEST",
        timestamp_source: Callable[[], int] = slack_server_time,
        api_app_id: str | None = None,
        team_domain: str = "t0test",
        verification_token: str = "legacy-verification-token",  # noqa: S107 - deprecated field Slack still sends
    ) -> None:
        self.signing_secret = signing_secret
        self.fake = fake
        self.team_id = team_id
        self.team_domain = team_domain
        self.timestamp_source = timestamp_source
        self.api_app_id = api_app_id or (fake.app_id if fake else "A0TESTAPP")
        self.verification_token = verification_token
        self._verifier = SignatureVerifier(signing_secret)
        self._event_counter = 0
        self._bot_id = fake.bot_id if fake else "B0BOT0001"

    # --- signing ---------------------------------------------------------------------------------

    def sign(
        self,
        body: bytes,
        content_type: str,
        *,
        payload: dict[str, Any] | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        stale_seconds: int = 0,
        bad_signature: bool = False,
    ) -> SignedRequest:
        """Sign a raw body the way Slack does and wrap it with Slack's headers."""
        timestamp = str(self.timestamp_source() - stale_seconds)
        signature = self._verifier.generate_signature(timestamp=timestamp, body=body)
        if signature is None:  # slack_sdk returns None only for a missing timestamp or body
            raise ValueError("could not sign the request")
        if bad_signature:
            # Same length and prefix, wrong digest: what a forged or corrupted request looks like.
            digest = signature[3:]
            signature = "v0=" + ("0" if digest[0] != "0" else "1") + digest[1:]
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": signature,
            "User-Agent": _USER_AGENT,
        }
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
        elif retry_reason is not None:
            headers["X-Slack-Retry-Reason"] = retry_reason
        return SignedRequest(body=body, headers=headers, content_type=content_type, payload=payload or {})

    def _form(self, fields: dict[str, str], **options: Any) -> SignedRequest:
        return self.sign(urlencode(fields).encode("utf-8"), FORM, payload=dict(fields), **options)

    def _interactive(self, payload: dict[str, Any], **options: Any) -> SignedRequest:
        body = urlencode({"payload": json.dumps(payload)}).encode("utf-8")
        return self.sign(body, FORM, payload=payload, **options)

    def _json(self, payload: dict[str, Any], **options: Any) -> SignedRequest:
        return self.sign(json.dumps(payload).encode("utf-8"), JSON, payload=payload, **options)
