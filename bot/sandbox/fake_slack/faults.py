"""Fault injection: the ways the fake can be made to fail, as Slack sometimes does.

Programmed faults (``fail_next``, ``slow_next``), magic tokens that always fail (``xoxb-ratelimited``,
``xoxb-500``, ``xoxb-timeout``) and the per-channel rate limit of chat.postMessage, measured in real time
because it is about throughput. The HTTP server consults these before it runs a method.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass

from bot.sandbox.fake_slack.wire import _ApiError, _Params, _Reply
from bot.sandbox.fake_slack.workspace import Workspace


@dataclass
class _Fault:
    status: int
    retry_after: int
    error: str | None
    remaining: int
    delay: float
    then_handle: bool = False


@dataclass
class _Bucket:
    tokens: float
    updated: float


class FaultsMixin(Workspace):
    """Programmed faults, magic failing tokens and the per-channel rate limit."""

    def _init_activity(self) -> None:
        super()._init_activity()
        self._faults: dict[str, list[_Fault]] = {}
        self._buckets: dict[str, _Bucket] = {}

    # --- fault injection -------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 500,
        retry_after: int = 1,
        error: str | None = None,
        times: int = 1,
        delay: float = 0,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (``"*"`` for any) fail.

        ``status=429`` answers ``ratelimited`` with ``Retry-After: retry_after``; 500 answers
        ``fatal_error``; 503 answers ``service_unavailable``; ``status=200`` with ``error=...`` answers a
        Slack-level error such as ``channel_not_found``. ``delay`` holds the answer that many real
        seconds first (to exercise client timeouts). Calls with a bad token fail auth before any fault.
        """
        default_errors = {
            429: "ratelimited",
            500: "fatal_error",
            502: "bad_gateway",
            503: "service_unavailable",
        }
        code = error or default_errors.get(status, "fatal_error")
        self._faults.setdefault(method, []).append(
            _Fault(
                status=status, retry_after=max(1, int(retry_after)), error=code, remaining=times, delay=delay
            )
        )

    def slow_next(self, method: str, delay: float, *, times: int = 1) -> None:
        """Hold the next ``times`` calls of ``method`` for ``delay`` real seconds, then answer normally."""
        self._faults.setdefault(method, []).append(
            _Fault(status=200, retry_after=1, error=None, remaining=times, delay=delay, then_handle=True)
        )

    async def _magic_token_reply(self, token: str | None) -> _Reply | None:
        """Tokens that always fail, copied from the slack_sdk/bolt mock servers (slack-notes §1.1)."""
        if token == "xoxb-ratelimited":  # noqa: S105 - a test fixture name, not a secret
            return _Reply(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
        if token == "xoxb-500":  # noqa: S105
            return _Reply(500, {"ok": False, "error": "fatal_error"})
        if token == "xoxb-timeout":  # noqa: S105
            await self._sleep(self.timeout_token_delay)
            return _Reply(200, {"ok": False, "error": "request_timeout"})
        return None

    def _take_fault(self, method: str) -> _Fault | None:
        for key in (method, "*"):
            queue = self._faults.get(key)
            if queue:
                fault = queue[0]
                fault.remaining -= 1
                if fault.remaining <= 0:
                    queue.pop(0)
                return fault
        return None

    async def _sleep(self, seconds: float) -> None:
        """Real waiting that ends early if the server is stopped or goes down."""
        abort = self._abort
        try:
            await asyncio.wait_for(abort.wait(), timeout=seconds)
        except TimeoutError:
            return

    def _check_rate_limit(self, params: _Params) -> None:
        rate = self.rate_limit_per_channel
        if rate is None or rate <= 0:
            return
        raw = params.get_str("channel") or ""
        resolved = self._resolve_channel(raw)
        key = resolved.id if resolved else raw
        now = time.monotonic()
        burst = float(max(1, self.rate_limit_burst))
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(tokens=burst, updated=now)
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return
        wait = (1.0 - bucket.tokens) / rate
        raise _ApiError("ratelimited", status=429, headers={"Retry-After": str(max(1, math.ceil(wait)))})
