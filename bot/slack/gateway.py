"""The one module that calls Slack's Web API.

Everything the bot says to Slack goes through :class:`SlackGateway`: one AsyncWebClient whose
base URL comes from settings (so the local stand-in replaces Slack in tests and the demo), retries on
429 (honouring Retry-After), on 5xx and on connection errors with backoff, paces posts to about one a
second per channel, and turns Slack's error codes into typed exceptions.

One aiohttp session (a pool of keep-alive connections) serves every call, response_url post and
upload: slack_sdk otherwise opens and closes a session, and a TCP (and TLS) connection, per call.
It is created on first use in the running event loop and closed by :meth:`SlackGateway.close`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.observability import get_logger
from bot.slack.errors import RateLimited, SlackError, SlackUnavailable, error_for
from bot.slack.tenant import current_tenant

log = get_logger(__name__)

Sleep = Callable[[float], Awaitable[None]]

# The bot token scopes each Web API method needs, on the kinds of conversation the bot uses it on;
# app.yaml must grant exactly these (tested) and `reviewbot doctor` checks the token has them.
METHOD_SCOPES: dict[str, tuple[str, ...]] = {
    "auth.test": (),
    "api.test": (),
    "oauth.v2.access": (),  # client id and secret, no bot token
    "chat.postMessage": ("chat:write",),
    "chat.update": ("chat:write",),
    "chat.postEphemeral": ("chat:write",),
    "chat.delete": ("chat:write",),
    "conversations.open": ("im:write",),
    "conversations.create": ("groups:write",),
    "conversations.invite": ("groups:write",),
    "conversations.setTopic": ("groups:write",),
    "conversations.archive": ("groups:write",),  # case channels are private
    # Is the bot in the business unit and board channels (private or public)? `reviewbot doctor` asks.
    "conversations.info": ("channels:read", "groups:read"),
    "pins.add": ("pins:write",),
    "files.getUploadURLExternal": ("files:write",),
    "files.completeUploadExternal": ("files:write",),
    "views.open": (),
    "views.push": (),
    "views.update": (),
    "views.publish": (),
    # Slack Connect: sharing a case channel with a partner organisation's workspace.
    "conversations.inviteShared": ("conversations.connect:write",),
}
# Scopes granted without a Web API method of ours behind them (the slash command).
EXTRA_SCOPES: tuple[str, ...] = ("commands",)


def required_scopes() -> frozenset[str]:
    """Every bot token scope the bot needs: what app.yaml asks for."""
    return frozenset(scope for scopes in METHOD_SCOPES.values() for scope in scopes) | set(EXTRA_SCOPES)


@dataclass(frozen=True)
class PostedMessage:
    channel: str
    ts: str


@dataclass(frozen=True)
class BotIdentity:
    """Who the token is (auth.test), and the scopes Slack says it was granted (None: not said)."""

    user_id: str
    bot_id: str
    team_id: str
    team: str
    scopes: frozenset[str] | None


class SlackGateway:
    def __init__(
        self,
        client: AsyncWebClient,
        *,
        pace_seconds: float = 1.0,
        pace_burst: int = 2,
        max_attempts: int = 5,
        backoff_seconds: float = 0.5,
        max_retry_after: float = 120.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.client = client
        self.pace_seconds = pace_seconds
        self.pace_burst = max(1, pace_burst)
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds
        self.max_retry_after = max_retry_after
        self._sleep = sleep
        self._channel_locks: dict[str, asyncio.Lock] = {}
        self._buckets: dict[str, tuple[float, float]] = {}  # channel -> (tokens, when counted)
        self._dm_channels: dict[str, str] = {}
        self._http: aiohttp.ClientSession | None = None
        self._http_loop: asyncio.AbstractEventLoop | None = None
        # OAuth installs: every call must be made for a workspace (bot.slack.tenant); one made for
        # none is refused here, so a team that never installed gets nothing and no token is guessed.
        self.requires_tenant = False

    def http(self) -> aiohttp.ClientSession:
        """The shared HTTP session for this event loop (made on first use; the CLI may run several
        loops one after another, so a session from an earlier loop is never reused)."""
        loop = asyncio.get_running_loop()
        if self._http is None or self._http.closed or self._http_loop is not loop:
            self._http = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.client.timeout), trust_env=False
            )
            self._http_loop = loop
            self.client.session = self._http
        return self._http

    async def close(self) -> None:
        if self._http is not None and not self._http.closed:
            await self._http.close()
        self._http = self._http_loop = None
        self.client.session = None

    @classmethod
    def create(cls, token: str | None, api_url: str, **kwargs: Any) -> SlackGateway:
        # retry_handlers=[]: the gateway owns retries so it can pace, count and give up deliberately.
        client = AsyncWebClient(token=token, base_url=api_url, retry_handlers=[], timeout=10)
        return cls(client, **kwargs)

    # -- the retry loop -------------------------------------------------------------------------

    async def call(self, method: str, *, idempotent: bool = True, **params: Any) -> dict[str, Any]:
        """Call a Web API method with retries; return the response data or raise a SlackError.

        429 is always retried after Retry-After (Slack did nothing), and so is a refused connection
        (the request never left). A 5xx or a dropped/timed-out request is ambiguous: Slack may have
        acted. Those are retried here only for ``idempotent`` calls; for a post the caller decides
        (the reminder engine retries the row later, a person can press again).
        """
        response = await self._call(method, idempotent=idempotent, **params)
        return dict(response.data) if isinstance(response.data, dict) else {}

    async def _call(
        self, method: str, *, idempotent: bool = True, attempts: int | None = None, **params: Any
    ) -> AsyncSlackResponse:
        max_attempts = attempts or self.max_attempts
        tenant = current_tenant.get()
        if tenant is not None:
            params = {**params, "token": tenant.token}
        elif self.requires_tenant and method != "api.test":  # api.test needs no token
            log.warning("slack.no_installation", method=method)
            raise SlackError(method, "not_installed")
        attempt = 0
        while True:
            attempt += 1
            try:
                # The typed client methods encode each method's arguments the way Slack expects.
                self.http()
                bound = getattr(self.client, method.replace(".", "_"))
                response: AsyncSlackResponse = await bound(**_drop_none(params))
                return response
            except SlackApiError as exc:
                status = exc.response.status_code
                code = (
                    str(exc.response.get("error", "unknown_error")) if exc.response is not None else "unknown"
                )
                if status == 429:
                    retry_after = _retry_after(exc.response.headers)
                    if attempt >= max_attempts or retry_after > self.max_retry_after:
                        raise RateLimited(method, retry_after) from None
                    log.info("slack.rate_limited", method=method, retry_after=retry_after, attempt=attempt)
                    await self._sleep(retry_after)
                    continue
                if status >= 500:
                    if attempt >= max_attempts or not idempotent:
                        raise SlackUnavailable(method, f"http_{status}", status=status) from None
                    await self._sleep(self._backoff(attempt))
                    continue
                raise error_for(method, code, status) from None
            except (aiohttp.ClientError, TimeoutError, OSError, SlackClientError) as exc:
                never_sent = isinstance(exc, aiohttp.ClientConnectorError | ConnectionRefusedError)
                if attempt >= max_attempts or not (idempotent or never_sent):
                    raise SlackUnavailable(method, type(exc).__name__) from None
                log.info("slack.connection_retry", method=method, attempt=attempt, error=type(exc).__name__)
                await self._sleep(self._backoff(attempt))

    # -- who we are --------------------------------------------------------------------------------

    async def auth_test(self, *, attempts: int | None = None) -> BotIdentity:
        """auth.test: whether Slack takes the token, who it is, and its granted scopes.

        Slack lists the scopes in the ``x-oauth-scopes`` response header. ``attempts=1`` gives up at
        the first connection error (health checks and start-up must not wait).
        """
        response = await self._call("auth.test", attempts=attempts)
        data = response.data if isinstance(response.data, dict) else {}
        header = next((v for k, v in (response.headers or {}).items() if k.lower() == "x-oauth-scopes"), None)
        scopes = (
            frozenset(s.strip() for s in str(header).split(",") if s.strip()) if header is not None else None
        )
        return BotIdentity(
            user_id=str(data.get("user_id", "")),
            bot_id=str(data.get("bot_id", "")),
            team_id=str(data.get("team_id", "")),
            team=str(data.get("team", "")),
            scopes=scopes,
        )

    async def api_test(self, *, attempts: int | None = None) -> None:
        """api.test: whether Slack answers at all (no token: with OAuth installs there is no one token
        to test; each installation's is checked when it is used)."""
        await self._call("api.test", attempts=attempts)

    def _backoff(self, attempt: int) -> float:
        return float(min(self.backoff_seconds * (2 ** (attempt - 1)), 30.0))

    async def _paced(self, pace_key: str, method: str, **params: Any) -> dict[str, Any]:
        """One post at a time per channel, at one per ``pace_seconds`` after a burst of
        ``pace_burst`` (a token bucket).

        Slack allows about one message a second per channel with "short bursts" (the stand-in: three).
        Posts are counted from when they leave, so a slow answer does not slow the channel down, and
        the burst is kept one below Slack's: the spare allowance absorbs network jitter, which would
        otherwise bring a 429 whenever two posts arrive closer together than they left.
        """
        if self.pace_seconds <= 0:
            return await self.call(method, **params)
        tenant = current_tenant.get()
        if tenant is not None:  # lanes per workspace and channel: channel ids are not unique across them
            pace_key = f"{tenant.key}:{pace_key}"
        lock = self._channel_locks.setdefault(pace_key, asyncio.Lock())
        async with lock:
            now = time.monotonic()
            tokens, updated = self._buckets.get(pace_key, (float(self.pace_burst), now))
            tokens = min(float(self.pace_burst), tokens + (now - updated) / self.pace_seconds)
            if tokens < 1.0:
                await self._sleep((1.0 - tokens) * self.pace_seconds)
                tokens, now = 1.0, time.monotonic()
            self._buckets[pace_key] = (tokens - 1.0, now)
            return await self.call(method, **params)

    # -- messages --------------------------------------------------------------------------------

    async def post_message(
        self,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]] | None = None,
        *,
        thread_ts: str | None = None,
        unfurl: bool = False,
    ) -> PostedMessage:
        data = await self._paced(
            channel,
            "chat.postMessage",
            idempotent=False,
            channel=channel,
            text=text,
            blocks=blocks,
            thread_ts=thread_ts,
            unfurl_links=unfurl,
            unfurl_media=unfurl,
        )
        return PostedMessage(channel=str(data.get("channel", channel)), ts=str(data["ts"]))

    async def update_message(
        self, channel: str, ts: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> None:
        await self._paced(channel, "chat.update", channel=channel, ts=ts, text=text, blocks=blocks)

    async def post_ephemeral(
        self, channel: str, user: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> None:
        await self.call("chat.postEphemeral", channel=channel, user=user, text=text, blocks=blocks)

    async def send_dm(
        self, user: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> PostedMessage:
        return await self.post_message(await self.open_dm(user), text, blocks)

    async def open_dm(self, user: str) -> str:
        tenant = current_tenant.get()
        key = f"{tenant.key}:{user}" if tenant is not None else user  # member ids may repeat across teams
        if key not in self._dm_channels:
            data = await self.call("conversations.open", users=user)
            self._dm_channels[key] = str(data["channel"]["id"])
        return self._dm_channels[key]

    async def delete_message(self, channel: str, ts: str) -> None:
        await self.call("chat.delete", channel=channel, ts=ts)

    async def respond(self, response_url: str, payload: dict[str, Any]) -> None:
        """Answer through a response_url (slash commands and buttons); no bearer token involved."""
        try:
            async with self.http().post(response_url, json=payload) as resp:
                if resp.status >= 400:
                    raise SlackError("response_url", f"http_{resp.status}", status=resp.status)
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:  # typed, never taken for the database
            raise SlackUnavailable("response_url", type(exc).__name__) from None

    # -- views -----------------------------------------------------------------------------------

    async def open_view(self, trigger_id: str, view: dict[str, Any]) -> dict[str, Any]:
        data = await self.call("views.open", trigger_id=trigger_id, view=view)
        return dict(data.get("view", {}))

    async def push_view(self, trigger_id: str, view: dict[str, Any]) -> dict[str, Any]:
        data = await self.call("views.push", trigger_id=trigger_id, view=view)
        return dict(data.get("view", {}))

    async def update_view(self, view_id: str, view: dict[str, Any], *, hash: str | None = None) -> None:
        await self.call("views.update", view_id=view_id, view=view, hash=hash)

    async def publish_home(self, user: str, view: dict[str, Any]) -> None:
        await self.call("views.publish", user_id=user, view=view)

    # -- channels --------------------------------------------------------------------------------

    async def create_private_channel(self, name: str) -> str:
        data = await self.call("conversations.create", name=name, is_private=True)
        return str(data["channel"]["id"])

    async def invite(self, channel: str, users: list[str]) -> None:
        if users:
            await self.call("conversations.invite", channel=channel, users=",".join(users))

    async def set_topic(self, channel: str, topic: str) -> None:
        await self.call("conversations.setTopic", channel=channel, topic=topic)

    async def pin(self, channel: str, ts: str) -> None:
        await self.call("pins.add", channel=channel, timestamp=ts)

    async def channel_info(self, channel: str) -> dict[str, Any]:
        """conversations.info: the channel as the bot sees it (``is_member``, ``is_archived``...)."""
        data = await self.call("conversations.info", channel=channel)
        return dict(data.get("channel", {}))

    async def archive_channel(self, channel: str) -> bool:
        """conversations.archive; False when it was archived already (nothing left to do)."""
        try:
            await self.call("conversations.archive", channel=channel)
        except SlackError as exc:
            if exc.code == "already_archived":
                return False
            raise
        return True

    async def invite_shared(
        self, channel: str, *, emails: list[str] | None = None, user_ids: list[str] | None = None
    ) -> str | None:
        """conversations.inviteShared (Slack Connect): invite a partner organisation to a channel by
        email or member id; returns the invite id Slack gives."""
        data = await self.call(
            "conversations.inviteShared",
            idempotent=False,
            channel=channel,
            emails=",".join(emails) if emails else None,
            user_ids=",".join(user_ids) if user_ids else None,
        )
        invite_id = data.get("invite_id")
        return str(invite_id) if invite_id else None

    async def oauth_v2_access(self, **params: Any) -> dict[str, Any]:
        """oauth.v2.access: exchange an install's code, or refresh a rotating token. Authenticated
        with the client id and secret (never a bot token), so no workspace is needed for it."""
        # A client without a bot token: Slack takes the client id and secret as HTTP Basic auth, and
        # aiohttp refuses a request with both that and a bearer header.
        client = AsyncWebClient(
            base_url=self.client.base_url, retry_handlers=[], timeout=self.client.timeout, session=self.http()
        )
        fields = _drop_none(params)
        credentials = {"client_id": str(fields["client_id"]), "client_secret": str(fields["client_secret"])}
        try:
            # The credentials as HTTP Basic auth (what slack_sdk sends) and as form fields too: Slack
            # accepts either, and so does any stand-in that reads only one of them.
            response = await client.api_call("oauth.v2.access", data=fields, auth=credentials)
        except SlackApiError as exc:
            code = str(exc.response.get("error", "unknown_error")) if exc.response is not None else "unknown"
            raise error_for("oauth.v2.access", code, exc.response.status_code) from None
        except (aiohttp.ClientError, TimeoutError, OSError, SlackClientError) as exc:
            raise SlackUnavailable("oauth.v2.access", type(exc).__name__) from None
        return dict(response.data) if isinstance(response.data, dict) else {}

    # -- files -----------------------------------------------------------------------------------

    async def upload_file(
        self, channel: str, filename: str, content: bytes, *, title: str, comment: str | None = None
    ) -> str:
        """Slack's two-step upload: get an upload URL, POST the bytes, then complete and share."""
        data = await self.call("files.getUploadURLExternal", filename=filename, length=len(content))
        upload_url, file_id = str(data["upload_url"]), str(data["file_id"])
        try:
            async with self.http().post(upload_url, data=content) as resp:
                if resp.status >= 400:
                    raise SlackError("files.upload", f"http_{resp.status}", status=resp.status)
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise SlackUnavailable("files.upload", type(exc).__name__) from None
        await self.call(
            "files.completeUploadExternal",
            files=[{"id": file_id, "title": title}],
            channel_id=channel,
            initial_comment=comment,
        )
        return file_id


def _drop_none(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if v is not None}


def _retry_after(headers: Any) -> float:
    try:
        value = headers.get("Retry-After") or headers.get("retry-after")
        return max(float(value), 0.0) if value is not None else 1.0
    except (TypeError, ValueError):
        return 1.0
