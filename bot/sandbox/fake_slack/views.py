"""Modals: trigger_ids, views.open/push/update and the stack of modals Slack keeps for each person.

A trigger_id lives 3 s of the injected clock and works once; a stack holds at most 3 views; views are
checked by :mod:`bot.slack.blockkit` (``invalid_arguments`` otherwise). Tests drive the person's side
with :meth:`ViewsMixin.apply_view_submission_ack` and :meth:`ViewsMixin.close_view`.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.sandbox.fake_slack.wire import (
    Handler,
    JsonDict,
    _ApiError,
    _Context,
    _metadata,
    _Params,
    _view_error,
)
from bot.sandbox.fake_slack.workspace import Workspace
from bot.slack.blockkit import lint_view

TRIGGER_TTL = timedelta(seconds=3)
VIEW_STACK_MAX = 3


@dataclass
class _Trigger:
    id: str
    user_id: str | None
    issued_at: datetime
    used: bool = False


class ViewsMixin(Workspace):
    """Trigger ids, modal views and each person's modal stack; the views store the Home tab shares."""

    def _init_activity(self) -> None:
        super()._init_activity()
        self._triggers: dict[str, _Trigger] = {}
        self._views: dict[str, JsonDict] = {}
        self._view_owner: dict[str, str] = {}
        self._stacks: dict[str, list[str]] = {}
        self._external_ids: dict[str, str] = {}

    def _web_api_methods(self) -> dict[str, Handler]:
        return {
            **super()._web_api_methods(),
            "views.open": self._m_views_open,
            "views.push": self._m_views_push,
            "views.update": self._m_views_update,
        }

    # --- trigger ids -----------------------------------------------------------------------------

    def issue_trigger_id(self, user_id: str | None = None) -> str:
        """A trigger_id as Slack puts in interaction payloads: valid 3 s of the fake's clock, once."""
        self._counter += 1
        trigger_id = f"{self._epoch()}.{self._counter}.{secrets.token_hex(16)}"
        self._triggers[trigger_id] = _Trigger(trigger_id, user_id, self.clock.now())
        return trigger_id

    # --- modal stacks ----------------------------------------------------------------------------

    def view_stack(self, user: str) -> list[JsonDict]:
        """The user's open modal views, root first."""
        return [copy.deepcopy(self._views[v]) for v in self._stacks.get(user, [])]

    def view(self, view_id: str) -> JsonDict | None:
        view = self._views.get(view_id)
        return copy.deepcopy(view) if view else None

    def close_view(self, user: str, *, clear: bool = False) -> None:
        """Close the user's top modal (or all of them), as Slack does after a plain submission ack."""
        stack = self._stacks.get(user, [])
        if clear:
            stack.clear()
        elif stack:
            stack.pop()

    def apply_view_submission_ack(self, user: str, ack_body: Mapping[str, Any] | None) -> list[JsonDict]:
        """Apply a view_submission ack body to the user's modal stack as Slack would; return the stack.

        No ``response_action`` closes the current view; ``clear`` closes all; ``update`` replaces the
        current view; ``push`` pushes one; ``errors`` leaves the stack as it is. Invalid views raise
        ValueError (Slack would show the person an error instead of the modal).
        """
        action = (ack_body or {}).get("response_action")
        stack = self._stacks.setdefault(user, [])
        if action in (None, ""):
            self.close_view(user)
        elif action == "clear":
            self.close_view(user, clear=True)
        elif action == "errors":
            pass
        elif action in ("update", "push"):
            view = (ack_body or {}).get("view")
            issues = lint_view(view)
            if issues:
                raise ValueError("; ".join(str(i) for i in issues))
            assert isinstance(view, Mapping)
            if action == "update" and stack:
                current = self._views[stack[-1]]
                stored = self._build_view(
                    dict(view),
                    view_id=current["id"],
                    root=current["root_view_id"],
                    previous=current["previous_view_id"],
                )
                self._views[current["id"]] = stored
            else:
                if len(stack) >= VIEW_STACK_MAX:
                    raise ValueError("push_limit_reached: a modal stack holds at most 3 views")
                previous = stack[-1] if stack else None
                root = stack[0] if stack else None
                stored = self._build_view(dict(view), root=root, previous=previous)
                self._views[stored["id"]] = stored
                self._view_owner[stored["id"]] = user
                stack.append(stored["id"])
        else:
            raise ValueError(f"unknown response_action {action!r}")
        return self.view_stack(user)

    # --- methods: views --------------------------------------------------------------------------

    def _view_arg(self, p: _Params) -> JsonDict:
        view = p.get_json("view", bad="invalid_arguments")
        if view is None:
            raise _ApiError("invalid_arguments", extra=_metadata("missing required field: view"))
        if not isinstance(view, dict):
            raise _ApiError("invalid_arguments", extra=_metadata("view must be an object"))
        issues = lint_view(view)
        if issues:
            raise _view_error(issues)
        return view

    def _exchange_trigger(self, p: _Params) -> _Trigger:
        trigger_id = p.get_str("trigger_id") or p.get_str("interactivity_pointer")
        if not trigger_id:
            raise _ApiError("invalid_arguments", extra=_metadata("missing required field: trigger_id"))
        trigger = self._triggers.get(trigger_id)
        if trigger is None:
            raise _ApiError("invalid_trigger_id")
        if trigger.used:
            raise _ApiError("trigger_exchanged")
        if self.clock.now() - trigger.issued_at > TRIGGER_TTL:
            raise _ApiError("expired_trigger_id")
        trigger.used = True
        return trigger

    def _check_external_id(self, view: Mapping[str, Any], own_id: str | None = None) -> None:
        external_id = view.get("external_id")
        if external_id:
            existing = self._external_ids.get(external_id)
            if existing is not None and existing != own_id and existing in self._views:
                raise _ApiError("duplicate_external_id")

    def _build_view(
        self,
        view: JsonDict,
        *,
        view_id: str | None = None,
        root: str | None = None,
        previous: str | None = None,
    ) -> JsonDict:
        new_id = view_id or self._new_id("V")
        stored: JsonDict = {
            "id": new_id,
            "team_id": self._acting_team(),
            "type": view["type"],
            "blocks": self._normalise_blocks(view.get("blocks") or []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{self._epoch()}.{secrets.token_hex(4)}",
            "title": copy.deepcopy(view.get("title")),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "close": copy.deepcopy(view.get("close")),
            "submit": copy.deepcopy(view.get("submit")),
            "previous_view_id": previous,
            "root_view_id": root or new_id,
            "app_id": self.app_id,
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": self._acting_team(),
            "bot_id": self.bot_id,
        }
        if stored["external_id"]:
            self._external_ids[stored["external_id"]] = new_id
        return stored

    def _remember_view_text(self, user: str, view: JsonDict) -> None:
        # Views are private to one person; keep their text under the DM so privacy scans can reach it.
        if user in self._users:
            self._remember_text(self._ensure_dm(user).id, view.get("title"), view.get("blocks"))

    async def _m_views_open(self, p: _Params, ctx: _Context) -> JsonDict:
        view = self._view_arg(p)
        if view.get("type") != "modal":
            raise _ApiError("invalid_arguments", extra=_metadata("views.open only opens modal views"))
        self._check_external_id(view)
        trigger = self._exchange_trigger(p)
        user = trigger.user_id or ""
        stored = self._build_view(view)
        self._views[stored["id"]] = stored
        self._view_owner[stored["id"]] = user
        # A new views.open starts a new stack: Slack only lets a person see one modal stack at a time.
        self._stacks[user] = [stored["id"]]
        self._remember_view_text(user, stored)
        return {"view": copy.deepcopy(stored)}

    async def _m_views_push(self, p: _Params, ctx: _Context) -> JsonDict:
        view = self._view_arg(p)
        if view.get("type") != "modal":
            raise _ApiError("invalid_arguments", extra=_metadata("views.push only pushes modal views"))
        trigger_id = p.get_str("trigger_id") or p.get_str("interactivity_pointer") or ""
        pending = self._triggers.get(trigger_id)
        user = (pending.user_id or "") if pending else ""
        stack = self._stacks.get(user, [])
        if pending is not None and not pending.used and len(stack) >= VIEW_STACK_MAX:
            raise _ApiError("push_limit_reached")
        self._check_external_id(view)
        trigger = self._exchange_trigger(p)
        user = trigger.user_id or ""
        stack = self._stacks.setdefault(user, [])
        if not stack:
            # Undocumented in Slack; a push needs a trigger from inside an open modal.
            raise _ApiError(
                "invalid_arguments", extra=_metadata("no modal is open for this user; use views.open")
            )
        stored = self._build_view(view, root=stack[0], previous=stack[-1])
        self._views[stored["id"]] = stored
        self._view_owner[stored["id"]] = user
        stack.append(stored["id"])
        self._remember_view_text(user, stored)
        return {"view": copy.deepcopy(stored)}

    async def _m_views_update(self, p: _Params, ctx: _Context) -> JsonDict:
        view_id = p.get_str("view_id")
        external_id = p.get_str("external_id")
        if not view_id and not external_id:
            raise _ApiError("invalid_arguments", extra=_metadata("either view_id or external_id is required"))
        if not view_id and external_id:
            view_id = self._external_ids.get(external_id)
        current = self._views.get(view_id or "")
        if current is None:
            raise _ApiError("not_found")
        view = self._view_arg(p)
        view_hash = p.get_str("hash")
        if view_hash and view_hash != current["hash"]:
            raise _ApiError("hash_conflict")
        if view.get("type") != current["type"]:
            raise _ApiError("invalid_arguments", extra=_metadata("a view cannot change its type"))
        self._check_external_id(view, own_id=current["id"])
        if current.get("external_id") and not view.get("external_id"):
            view = {**view, "external_id": current["external_id"]}
        stored = self._build_view(
            view, view_id=current["id"], root=current["root_view_id"], previous=current["previous_view_id"]
        )
        self._views[current["id"]] = stored
        self._remember_view_text(self._view_owner.get(current["id"], ""), stored)
        return {"view": copy.deepcopy(stored)}
