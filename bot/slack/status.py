"""What the bot last learnt about Slack, for `/healthz` and start-up: does Slack take the bot token
(auth.test), and is Socket Mode connected.

Slack being unreachable, or refusing the token, makes the bot *degraded*, not down: it still takes the
webhook, keeps its database and queues reminders, which go out once Slack answers. Health therefore
reports Slack beside the database, and never waits long for it: the answer is cached, refreshed in the
background once it is older than :data:`MAX_AGE_SECONDS`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum

from bot.observability import get_logger
from bot.slack.errors import RateLimited, SlackError, SlackUnavailable
from bot.slack.gateway import BotIdentity, SlackGateway
from bot.slack.tenant import current_tenant

log = get_logger(__name__)

MAX_AGE_SECONDS = 30.0
CHECK_TIMEOUT_SECONDS = 3.0

# Slack's answers that mean the token itself is no good (as opposed to Slack being away).
TOKEN_REFUSED = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "not_allowed_token_type",
    }
)


class SlackState(StrEnum):
    UNKNOWN = "not checked yet"
    OK = "ok"
    UNREACHABLE = "unreachable"
    TOKEN_REFUSED = "token refused"  # noqa: S105 - a state's name, not a secret
    FAILING = "failing"


@dataclass
class SlackStatus:
    state: SlackState = SlackState.UNKNOWN
    code: str | None = None  # Slack's error code, or the connection error's type
    identity: BotIdentity | None = None
    checked_at: float | None = None  # time.monotonic()
    # Set when Socket Mode is in use: answers whether its WebSocket is connected now.
    socket_mode: Callable[[], Awaitable[bool]] | None = None
    _refresh: asyncio.Task[SlackState] | None = field(default=None, repr=False)

    @property
    def described(self) -> str:
        if self.code and self.state is not SlackState.OK:
            return f"{self.state.value} ({self.code})"
        return self.state.value

    @property
    def ok(self) -> bool:
        return self.state is SlackState.OK

    async def check(self, gateway: SlackGateway, *, timeout: float = CHECK_TIMEOUT_SECONDS) -> SlackState:  # noqa: ASYNC109
        """Ask Slack (auth.test, one attempt, at most ``timeout`` seconds) and remember the answer."""
        if gateway.requires_tenant and current_tenant.get() is None:
            return await self._check_reachable(gateway, timeout)
        try:
            identity = await asyncio.wait_for(gateway.auth_test(attempts=1), timeout)
        except (SlackUnavailable, RateLimited) as exc:
            self._set(SlackState.UNREACHABLE, exc.code)
        except TimeoutError:
            self._set(SlackState.UNREACHABLE, "timeout")
        except SlackError as exc:
            refused = exc.code in TOKEN_REFUSED
            self._set(SlackState.TOKEN_REFUSED if refused else SlackState.FAILING, exc.code)
        else:
            self.identity = identity
            self._set(SlackState.OK, None)
        return self.state

    async def _check_reachable(self, gateway: SlackGateway, timeout: float) -> SlackState:  # noqa: ASYNC109
        """OAuth installs: no one token to test, so only whether Slack answers (api.test)."""
        try:
            await asyncio.wait_for(gateway.api_test(attempts=1), timeout)
        except (SlackUnavailable, RateLimited) as exc:
            self._set(SlackState.UNREACHABLE, exc.code)
        except TimeoutError:
            self._set(SlackState.UNREACHABLE, "timeout")
        except SlackError as exc:
            self._set(SlackState.FAILING, exc.code)
        else:
            self._set(SlackState.OK, None)
        return self.state

    def _set(self, state: SlackState, code: str | None) -> None:
        if state is not self.state or code != self.code:
            log.info("slack.status", state=state.name.lower(), code=code)
        self.state, self.code, self.checked_at = state, code, time.monotonic()

    def stale(self) -> bool:
        return self.checked_at is None or time.monotonic() - self.checked_at > MAX_AGE_SECONDS

    async def current(self, gateway: SlackGateway) -> SlackState:
        """The state for a health check: asked once if never asked, else the cached answer (refreshed
        in the background when stale, so a health check never waits on Slack twice)."""
        if self.state is SlackState.UNKNOWN and self._refresh is None:
            return await self.check(gateway)
        if self.stale() and (self._refresh is None or self._refresh.done()):
            self._refresh = asyncio.create_task(self.check(gateway), name="slack-status")
        return self.state

    async def socket_mode_connected(self) -> bool | None:
        """None when Socket Mode is not in use."""
        if self.socket_mode is None:
            return None
        try:
            return await self.socket_mode()
        except Exception:  # a probe of a closing connection: not connected
            return False
