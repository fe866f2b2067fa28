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
"""

from __future__ import annotations

import copy
import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from bot.clock import SystemClock
from bot.sandbox.fake_slack import FakeSlack

if TYPE_CHECKING:
    from slack_bolt.request.async_request import AsyncBoltRequest

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
_USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"
#: A response_url for builders used without a FakeSlack: port 9 (discard) on loopback refuses
#: connections, so a bot that posts to it fails fast and never reaches the internet.
_UNBOUND_RESPONSE_URL = "http://127.0.0.1:9/hooks/unbound"


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


# --- view state value helpers (Slack's shapes in view.state.values[block_id][action_id]) ----------


def _option(value: str, text: str | None = None) -> dict[str, Any]:
    return {
        "text": {"type": "plain_text", "text": text if text is not None else value, "emoji": True},
        "value": value,
    }


def text_value(value: str | None, *, type: str = "plain_text_input") -> dict[str, Any]:
    """State of a plain_text_input (or email/url/number input via ``type``); None means left empty."""
    return {"type": type, "value": value}


def static_select(value: str | None, text: str | None = None) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": _option(value, text) if value is not None else None}


def multi_static_select(values: Sequence[str] | Mapping[str, str]) -> dict[str, Any]:
    """``values`` is a list of option values, or a mapping value -> label."""
    items = values.items() if isinstance(values, Mapping) else ((v, v) for v in values)
    return {"type": "multi_static_select", "selected_options": [_option(v, t) for v, t in items]}


def datepicker(value: str | None) -> dict[str, Any]:
    """``value`` is ``YYYY-MM-DD`` (what Slack sends, with no time zone)."""
    return {"type": "datepicker", "selected_date": value}


def timepicker(value: str | None, *, timezone: str = "Europe/London") -> dict[str, Any]:
    """``value`` is ``HH:mm``; Slack adds the picker's time zone."""
    return {"type": "timepicker", "selected_time": value, "timezone": timezone}


def users_select(user_id: str | None) -> dict[str, Any]:
    return {"type": "users_select", "selected_user": user_id}


def multi_users_select(user_ids: Sequence[str]) -> dict[str, Any]:
    return {"type": "multi_users_select", "selected_users": list(user_ids)}


def conversations_select(channel_id: str | None) -> dict[str, Any]:
    return {"type": "conversations_select", "selected_conversation": channel_id}


def radio_buttons(value: str | None, text: str | None = None) -> dict[str, Any]:
    return {"type": "radio_buttons", "selected_option": _option(value, text) if value is not None else None}


def checkboxes(values: Sequence[str] | Mapping[str, str]) -> dict[str, Any]:
    items = values.items() if isinstance(values, Mapping) else ((v, v) for v in values)
    return {"type": "checkboxes", "selected_options": [_option(v, t) for v, t in items]}


class SlackRequestFactory:
    """Makes signed slash commands, interactions and events for one app and workspace.

    Every builder takes ``retry_num``/``retry_reason`` (``X-Slack-Retry-Num``/``-Reason`` headers, as on
    Events API redeliveries), ``stale_seconds`` (sign with a timestamp that many seconds old; Bolt
    refuses more than 300) and ``bad_signature`` (a signature that will not verify).
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

    # --- interactivity ---------------------------------------------------------------------------

    def block_action(
        self,
        action_id: str,
        *,
        user_id: str,
        value: str | None = None,
        block_id: str | None = None,
        channel_id: str | None = None,
        message_ts: str | None = None,
        view: dict[str, Any] | None = None,
        selected_user: str | None = None,
        selected_option: str | Mapping[str, Any] | None = None,
        state_values: dict[str, Any] | None = None,
        **options: Any,
    ) -> SignedRequest:
        """A click (or selection) on a Block Kit element in a message or a view.

        The element's type, text and block_id are taken from the real message/view in the FakeSlack
        when it can be found there; otherwise a button (or a select, when ``selected_user`` /
        ``selected_option`` is given) is described from the arguments.
        """
        message: dict[str, Any] | None = None
        if view is None and channel_id and message_ts and self.fake is not None:
            stored = self.fake.message(channel_id, message_ts)
            if stored is not None:
                message = stored.to_slack(self.team_id)
        if view is not None and self.fake is not None and view.get("id"):
            view = self.fake.view(str(view["id"])) or view
        container_blocks: list[Any] = (view or {}).get("blocks") or (message or {}).get("blocks") or []
        found_block_id, element = _find_element(container_blocks, action_id)
        action: dict[str, Any] = {
            "action_id": action_id,
            "block_id": block_id or found_block_id or "block",
            "action_ts": self._action_ts(),
        }
        if selected_user is not None:
            action.update({"type": "users_select", "selected_user": selected_user})
        elif selected_option is not None:
            option = (
                dict(selected_option)
                if isinstance(selected_option, Mapping)
                else _option(str(selected_option))
            )
            kind = (
                element.get("type") if element and "select" in str(element.get("type")) else "static_select"
            )
            if element and element.get("type") in ("overflow", "radio_buttons"):
                kind = element["type"]
            action.update({"type": kind, "selected_option": option})
        else:
            action["type"] = (element or {}).get("type", "button")
            text = (element or {}).get("text") or {"type": "plain_text", "text": action_id, "emoji": True}
            action["text"] = copy.deepcopy(text)
            if value is not None:
                action["value"] = value
            elif element is not None and "value" in element:
                action["value"] = element["value"]
            if element and element.get("style"):
                action["style"] = element["style"]
        payload = self._common("block_actions", user_id)
        payload["trigger_id"] = self._trigger_id(user_id)
        payload["actions"] = [action]
        if view is not None:
            full_view = _complete_view(view, self.team_id, self.api_app_id, self._bot_id)
            if state_values is not None:
                full_view["state"] = {"values": copy.deepcopy(state_values)}
            payload["container"] = {"type": "view", "view_id": full_view["id"]}
            payload["view"] = full_view
        else:
            channel = channel_id or "C0GENERAL"
            payload["container"] = {
                "type": "message",
                "message_ts": message_ts or self._action_ts(),
                "channel_id": channel,
                "is_ephemeral": message is None and message_ts is None,
            }
            payload["channel"] = {"id": channel, "name": self._channel_name(channel)}
            if message is not None:
                payload["message"] = message
            payload["state"] = {"values": copy.deepcopy(state_values or {})}
            payload["response_url"] = self._response_url(
                channel_id=channel, user_id=user_id, message_ts=message_ts
            )
        return self._interactive(payload, **options)

    def view_submission(
        self,
        callback_id: str,
        *,
        user_id: str,
        values: dict[str, Any],
        private_metadata: str = "",
        view_id: str | None = None,
        external_id: str | None = None,
        hash: str | None = None,
        view: dict[str, Any] | None = None,
        response_urls: list[dict[str, Any]] | None = None,
        **options: Any,
    ) -> SignedRequest:
        """A modal submission with ``values`` as ``{block_id: {action_id: state}}``.

        Build the states with :func:`text_value`, :func:`static_select` and friends. With a FakeSlack,
        the submitted view is the stored one (by ``view_id``, or the user's top modal when its
        callback_id matches), so blocks, hash and ids are what Slack would send.
        """
        base = self._stored_view(user_id, callback_id, view_id, view)
        full_view = _complete_view(base, self.team_id, self.api_app_id, self._bot_id)
        full_view["callback_id"] = callback_id
        full_view["state"] = {"values": copy.deepcopy(values)}
        if private_metadata or "private_metadata" not in base:
            full_view["private_metadata"] = private_metadata
        if view_id:
            full_view["id"] = view_id
        if external_id is not None:
            full_view["external_id"] = external_id
        if hash is not None:
            full_view["hash"] = hash
        payload = self._common("view_submission", user_id)
        payload["trigger_id"] = self._trigger_id(user_id)
        payload["view"] = full_view
        payload["response_urls"] = response_urls or []
        return self._interactive(payload, **options)

    def view_closed(
        self,
        callback_id: str,
        *,
        user_id: str,
        private_metadata: str = "",
        view_id: str | None = None,
        is_cleared: bool = False,
        **options: Any,
    ) -> SignedRequest:
        """Sent when a person closes a modal opened with ``notify_on_close``."""
        base = self._stored_view(user_id, callback_id, view_id, None)
        full_view = _complete_view(base, self.team_id, self.api_app_id, self._bot_id)
        full_view["callback_id"] = callback_id
        if private_metadata or "private_metadata" not in base:
            full_view["private_metadata"] = private_metadata
        payload = self._common("view_closed", user_id)
        payload["view"] = full_view
        payload["is_cleared"] = is_cleared
        return self._interactive(payload, **options)

    def global_shortcut(self, callback_id: str, *, user_id: str, **options: Any) -> SignedRequest:
        payload = self._common("shortcut", user_id)
        payload.update(
            {
                "callback_id": callback_id,
                "trigger_id": self._trigger_id(user_id),
                "action_ts": self._action_ts(),
            }
        )
        return self._interactive(payload, **options)

    def message_shortcut(
        self,
        callback_id: str,
        *,
        user_id: str,
        channel_id: str,
        message_ts: str,
        message_text: str = "(synthetic)",
        **options: Any,
    ) -> SignedRequest:
        """A message action; the message is taken from the FakeSlack when it is there."""
        message: dict[str, Any] = {"type": "message", "user": user_id, "ts": message_ts, "text": message_text}
        if self.fake is not None:
            stored = self.fake.message(channel_id, message_ts)
            if stored is not None:
                message = stored.to_slack(self.team_id)
        payload = self._common("message_action", user_id)
        payload.update(
            {
                "callback_id": callback_id,
                "trigger_id": self._trigger_id(user_id),
                "action_ts": self._action_ts(),
                "message_ts": message_ts,
                "message": message,
                "channel": {"id": channel_id, "name": self._channel_name(channel_id)},
                "response_url": self._response_url(
                    channel_id=channel_id, user_id=user_id, message_ts=message_ts
                ),
            }
        )
        return self._interactive(payload, **options)

    def block_suggestion(
        self,
        action_id: str,
        value: str,
        *,
        user_id: str,
        view: dict[str, Any] | None = None,
        block_id: str | None = None,
        **options: Any,
    ) -> SignedRequest:
        """A request for external_select options while the person types ``value``."""
        found_block_id, _ = _find_element((view or {}).get("blocks") or [], action_id)
        payload = self._common("block_suggestion", user_id)
        payload.update(
            {
                "action_id": action_id,
                "block_id": block_id or found_block_id or "block",
                "value": value,
                "action_ts": self._action_ts(),
            }
        )
        if view is not None:
            full_view = _complete_view(view, self.team_id, self.api_app_id, self._bot_id)
            payload["container"] = {"type": "view", "view_id": full_view["id"]}
            payload["view"] = full_view
        else:
            payload["container"] = {
                "type": "message",
                "message_ts": self._action_ts(),
                "channel_id": "C0GENERAL",
            }
        return self._interactive(payload, **options)

    def _stored_view(
        self, user_id: str, callback_id: str, view_id: str | None, view: dict[str, Any] | None
    ) -> dict[str, Any]:
        if view is not None:
            return copy.deepcopy(view)
        if self.fake is not None:
            if view_id:
                stored = self.fake.view(view_id)
                if stored is not None:
                    return stored
            stack = self.fake.view_stack(user_id)
            if stack and stack[-1].get("callback_id") == callback_id and not view_id:
                return stack[-1]
        return {}

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


def _find_element(blocks: Sequence[Any], action_id: str) -> tuple[str | None, dict[str, Any] | None]:
    """The block_id and element carrying ``action_id`` in a list of blocks, if present."""
    for block in blocks:
        if not isinstance(block, Mapping):
            continue
        candidates: list[Any] = []
        if block.get("type") == "actions":
            candidates = list(block.get("elements") or [])
        elif block.get("type") == "section" and block.get("accessory"):
            candidates = [block["accessory"]]
        elif block.get("type") == "input" and block.get("element"):
            candidates = [block["element"]]
        for element in candidates:
            if isinstance(element, Mapping) and element.get("action_id") == action_id:
                block_id = block.get("block_id")
                return (block_id if isinstance(block_id, str) else None), dict(element)
    return None, None


def _complete_view(view: Mapping[str, Any], team_id: str, app_id: str, bot_id: str) -> dict[str, Any]:
    """Fill the fields Slack always includes in a view inside a payload."""
    out = copy.deepcopy(dict(view))
    view_id = out.get("id") or "V0" + secrets.token_hex(4).upper()
    defaults: dict[str, Any] = {
        "id": view_id,
        "team_id": team_id,
        "type": "modal",
        "blocks": [],
        "private_metadata": "",
        "callback_id": "",
        "state": {"values": {}},
        "hash": f"{slack_server_time()}.{secrets.token_hex(4)}",
        "title": {"type": "plain_text", "text": "ReviewBot", "emoji": True},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": None,
        "submit": None,
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": app_id,
        "external_id": "",
        "app_installed_team_id": team_id,
        "bot_id": bot_id,
    }
    for key, default in defaults.items():
        if out.get(key) is None and default is not None:
            out[key] = default
        out.setdefault(key, default)
    return out
