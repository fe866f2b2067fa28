"""Build requests exactly as Slack sends them to the app's Request URL, correctly signed.

The app-level tests drive the real Bolt app (signature check, retries, routing) with these, over the
ASGI adapter or ``AsyncApp.async_dispatch``. Field shapes follow real payloads as captured in
bolt-python's scenario tests (slack-notes §1.1/§1.2): slash commands are form-encoded key/value pairs,
interactivity is a form body with one ``payload`` field holding JSON, and Events API deliveries are
JSON. The signature is ``v0=HMAC-SHA256(secret, "v0:{timestamp}:{raw body}")`` as made by
``slack_sdk.signature.SignatureVerifier``.

When a :class:`~bot.sandbox.fake_slack.FakeSlack` is given, ``trigger_id`` and ``response_url`` values
are issued by it (so expiry and single use are enforced), user names come from its directory, and
``block_actions`` payloads carry the real message or view the button lives in.

:class:`SlackRequestFactory` is put together from one part per request kind: :mod:`.slash_commands`,
:mod:`.interactions` and :mod:`.events`, on top of :mod:`.signing` (the signature and
:class:`SignedRequest`) and :mod:`.context` (person, team, trigger_id, response_url). The view state
helpers (:func:`text_value`, :func:`static_select`, ...) are in :mod:`.state_values`.
"""

from __future__ import annotations

from bot.sandbox.signed_requests.events import EventRequests
from bot.sandbox.signed_requests.interactions import InteractionRequests
from bot.sandbox.signed_requests.signing import FORM, JSON, SignedRequest, slack_server_time
from bot.sandbox.signed_requests.slash_commands import SlashCommandRequests
from bot.sandbox.signed_requests.state_values import (
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

__all__ = [
    "FORM",
    "JSON",
    "SignedRequest",
    "SlackRequestFactory",
    "checkboxes",
    "conversations_select",
    "datepicker",
    "multi_static_select",
    "multi_users_select",
    "radio_buttons",
    "slack_server_time",
    "static_select",
    "text_value",
    "timepicker",
    "users_select",
]


class SlackRequestFactory(SlashCommandRequests, InteractionRequests, EventRequests):
    """Makes signed slash commands, interactions and events for one app and workspace.

    Every builder takes ``retry_num``/``retry_reason`` (``X-Slack-Retry-Num``/``-Reason`` headers, as on
    Events API redeliveries), ``stale_seconds`` (sign with a timestamp that many seconds old; Bolt
    refuses more than 300) and ``bad_signature`` (a signature that will not verify).

    Its constructor is :class:`~bot.sandbox.signed_requests.signing.RequestSigner`'s.
    """
