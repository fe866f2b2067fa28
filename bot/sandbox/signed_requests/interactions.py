"""Interactivity: block actions, view submissions and closures, shortcuts and external-select suggestions.

Slack sends these as a form body with one ``payload`` field holding JSON. With a FakeSlack, a block
action carries the real message or view its element lives in, and a submitted or closed view is the
stored one, so blocks, hash and ids are what Slack would send.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from bot.sandbox.signed_requests.context import RequestContext
from bot.sandbox.signed_requests.signing import SignedRequest, slack_server_time
from bot.sandbox.signed_requests.state_values import _option


class InteractionRequests(RequestContext):
    """Builds signed block_actions, view_submission, view_closed, shortcut and block_suggestion payloads."""

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
        selected_options: Sequence[str | Mapping[str, Any]] | None = None,
        selected_date: str | None = None,
        **options: Any,
    ) -> SignedRequest:
        """A click (or selection) on a Block Kit element in a message or a view.

        The element's type, text and block_id are taken from the real message/view in the FakeSlack
        when it can be found there; otherwise a button (or a select, when ``selected_user`` /
        ``selected_option`` is given) is described from the arguments. ``selected_options`` is a
        multi-select's choice and ``selected_date`` (``YYYY-MM-DD``) a date picker's.
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
        elif selected_options is not None:
            chosen = [dict(o) if isinstance(o, Mapping) else _option(str(o)) for o in selected_options]
            kind = (element or {}).get("type", "multi_static_select")
            action.update({"type": kind, "selected_options": chosen})
        elif selected_date is not None:
            action.update({"type": "datepicker", "selected_date": selected_date})
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
