"""Slack Web API failures as typed exceptions, so callers handle causes, not strings."""

from __future__ import annotations


class SlackError(Exception):
    """A Web API call that Slack answered with ok=false (or failed for good)."""

    def __init__(self, method: str, code: str, *, status: int | None = None) -> None:
        self.method = method
        self.code = code
        self.status = status
        super().__init__(f"{method}: {code}")


class SlackUnavailable(SlackError):
    """Slack could not be reached or kept failing (connection errors, timeouts, 5xx)."""


class RateLimited(SlackError):
    def __init__(self, method: str, retry_after: float) -> None:
        super().__init__(method, "ratelimited", status=429)
        self.retry_after = retry_after


class ChannelNotFound(SlackError):
    pass


class NotInChannel(SlackError):
    pass


class NameTaken(SlackError):
    pass


class TriggerExpired(SlackError):
    pass


class InvalidBlocks(SlackError):
    pass


class MessageNotFound(SlackError):
    pass


_BY_CODE: dict[str, type[SlackError]] = {
    "channel_not_found": ChannelNotFound,
    "not_in_channel": NotInChannel,
    "is_archived": NotInChannel,
    "name_taken": NameTaken,
    "expired_trigger_id": TriggerExpired,
    "trigger_exchanged": TriggerExpired,
    "invalid_trigger_id": TriggerExpired,
    "invalid_blocks": InvalidBlocks,
    "invalid_arguments": InvalidBlocks,
    "message_not_found": MessageNotFound,
}


def error_for(method: str, code: str, status: int | None = None) -> SlackError:
    return _BY_CODE.get(code, SlackError)(method, code, status=status)
