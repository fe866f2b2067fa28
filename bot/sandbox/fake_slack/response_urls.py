"""response_url hooks: the URLs interaction payloads carry, and what posting to one does.

A response_url (``{url}/hooks/{id}``) takes 5 posts within 30 minutes of the injected clock. A post is
checked like a chat.* message and has Slack's effects: an ephemeral reply to the person, an
``in_channel`` post, ``replace_original`` or ``delete_original``. Every post is recorded, refused or not.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from bot.sandbox.fake_slack.records import Ephemeral, ResponseUrlPost
from bot.sandbox.fake_slack.wire import _FORM_CT, JsonDict, _blocks_error, _truthy
from bot.sandbox.fake_slack.workspace import Workspace
from bot.slack.blockkit import lint_message

RESPONSE_URL_TTL = timedelta(minutes=30)
RESPONSE_URL_MAX_USES = 5


@dataclass
class _ResponseUrl:
    id: str
    issued_at: datetime
    channel_id: str | None
    user_id: str | None
    message_ts: str | None
    uses: int = 0


class ResponseUrlMixin(Workspace):
    """Issuing response_urls, the ``/hooks/{id}`` endpoint and the effects of a post."""

    def _init_activity(self) -> None:
        super()._init_activity()
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._responses: list[ResponseUrlPost] = []

    def _add_routes(self, router: web.UrlDispatcher) -> None:
        super()._add_routes(router)
        router.add_post("/hooks/{hook_id}", self._handle_hook)

    def issue_response_url(
        self, *, channel_id: str | None = None, user_id: str | None = None, message_ts: str | None = None
    ) -> str:
        """A response_url (``{url}/hooks/{id}``): 5 posts within 30 minutes of the fake's clock.

        With ``channel_id``/``user_id``/``message_ts`` the fake applies the effects Slack would:
        ephemeral replies to the user, ``in_channel`` posts, ``replace_original`` and ``delete_original``.
        """
        hook_id = secrets.token_urlsafe(12)
        self._response_urls[hook_id] = _ResponseUrl(
            hook_id, self.clock.now(), channel_id, user_id, message_ts
        )
        return f"{self.url}/hooks/{hook_id}"

    @property
    def responses(self) -> list[ResponseUrlPost]:
        return list(self._responses)

    # --- response_url ----------------------------------------------------------------------------

    async def _handle_hook(self, request: web.Request) -> web.Response:
        hook = self._response_urls.get(request.match_info["hook_id"])
        raw = await request.read()
        body: JsonDict = {}
        try:
            if request.content_type == _FORM_CT:
                form = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
                parsed = json.loads(form.get("payload", "{}"))
            else:
                parsed = json.loads(raw) if raw.strip() else {}
            if isinstance(parsed, dict):
                body = parsed
        except ValueError:
            return self._hook_reply(hook, request, {}, 400, "invalid_payload")
        if hook is None:
            return self._hook_reply(hook, request, body, 404, "no_such_url")
        if self.clock.now() - hook.issued_at > RESPONSE_URL_TTL:
            return self._hook_reply(hook, request, body, 404, "expired_url")
        if hook.uses >= RESPONSE_URL_MAX_USES:
            return self._hook_reply(hook, request, body, 404, "used_up")
        delete_original = _truthy(body.get("delete_original"))
        text = body.get("text") if isinstance(body.get("text"), str) else ""
        blocks = body.get("blocks")
        if blocks is not None and not isinstance(blocks, list):
            return self._hook_reply(hook, request, body, 400, "invalid_blocks")
        if not delete_original:
            if not text and not blocks:
                return self._hook_reply(hook, request, body, 400, "no_text")
            if blocks:
                issues = lint_message(blocks, text or None)
                if issues:
                    err = _blocks_error(issues)
                    return self._hook_reply(
                        hook, request, body, 400, err.code, errors=[str(i) for i in issues]
                    )
        hook.uses += 1
        self._apply_hook(hook, body, text or "", blocks or [])
        return self._hook_reply(hook, request, body, 200, None)

    def _hook_reply(
        self,
        hook: _ResponseUrl | None,
        request: web.Request,
        body: JsonDict,
        status: int,
        error: str | None,
        *,
        errors: list[str] | None = None,
    ) -> web.Response:
        self._responses.append(
            ResponseUrlPost(
                hook_id=request.match_info["hook_id"],
                at=self.clock.now(),
                body=body,
                status=status,
                error=error,
                channel_id=hook.channel_id if hook else None,
                user_id=hook.user_id if hook else None,
            )
        )
        payload: JsonDict = {"ok": error is None}
        if error:
            payload["error"] = error
        if errors:
            payload["errors"] = errors
        return web.json_response(payload, status=status)

    def _apply_hook(self, hook: _ResponseUrl, body: JsonDict, text: str, blocks: list[Any]) -> None:
        channel = self._channels.get(hook.channel_id or "")
        original = self._messages.get(channel.id, {}).get(hook.message_ts or "") if channel else None
        if channel is not None:
            self._remember_text(channel.id, text, blocks)
        if _truthy(body.get("delete_original")):
            if original is not None and channel is not None:
                del self._messages[channel.id][original.ts]
                self._deleted.append(original)
            return
        if _truthy(body.get("replace_original")) and original is not None:
            original.text = text
            original.blocks = self._normalise_blocks(blocks)
            original.edited += 1
            original.last_edited_ts = self._next_ts()
            return
        if channel is None:
            return
        if body.get("response_type") == "in_channel":
            thread_ts = body.get("thread_ts") if isinstance(body.get("thread_ts"), str) else None
            self._bot_message(channel.id, text, blocks, thread_ts=thread_ts)
        elif hook.user_id:
            self._ephemerals.append(
                Ephemeral(
                    channel.id,
                    hook.user_id,
                    self._next_ts(),
                    text,
                    self._normalise_blocks(blocks),
                    source="response_url",
                )
            )
