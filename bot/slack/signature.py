"""Slack request signing (v0): HMAC-SHA256 over the raw bytes, within a 5-minute window.

Written over bytes rather than with slack_sdk's verifier, which decodes the body as UTF-8 first and
raises on bytes that are not; a hostile body must get a 401 or 400, never a 500.
"""

from __future__ import annotations

import hashlib
import hmac

from bot.clock import Clock, SystemClock

MAX_AGE_SECONDS = 300


def signature_for(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode("ascii", "replace") + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def is_valid_request(
    secret: str, body: bytes, timestamp: str | None, signature: str | None, *, clock: Clock | None = None
) -> bool:
    """True only for a correctly signed request whose timestamp is within five minutes of now.

    The window is checked against the real wall clock (Slack's servers sign with theirs), not the
    business clock tests move around.
    """
    if not secret or not timestamp or not signature or not timestamp.isdecimal() or len(timestamp) > 12:
        return False
    now = (clock or SystemClock()).now().timestamp()
    if abs(now - int(timestamp)) > MAX_AGE_SECONDS:
        return False
    return hmac.compare_digest(signature_for(secret, timestamp, body), signature)
