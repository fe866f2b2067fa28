"""Logging, request ids and error reference ids.

Privacy rule: logs carry ids, kinds and outcomes, never message text or form values. The Slack
libraries log whole payloads at DEBUG, so their loggers are held at WARNING whatever LOG_LEVEL says.
"""

from __future__ import annotations

import logging
import secrets
import sys
import traceback
from collections.abc import MutableMapping
from contextvars import ContextVar
from typing import Any

import structlog

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

_CHATTY_LIBRARIES = (
    "slack_bolt",
    "slack_sdk",
    "apscheduler",
    "aiosqlite",
    "asyncio",
    "httpx",
    "httpcore",
    "alembic",  # "Context impl SQLiteImpl.", one line per migration: `db upgrade` says where it ended
)


def new_request_id() -> str:
    return "req-" + secrets.token_hex(6)


def new_error_ref() -> str:
    """A short id a person can quote to support; the same id is in the log line."""
    return "ERR-" + secrets.token_hex(3).upper()


def configure_logging(level: str = "INFO", *, json: bool = False) -> None:
    logging.basicConfig(level=level, stream=sys.stderr, format="%(message)s", force=True)
    for name in _CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            _add_request_id,
            _redact_exception,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )


def _add_request_id(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    rid = request_id_var.get()
    if rid and "request_id" not in event:
        event["request_id"] = rid
    return event


def _redact_exception(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Keep where an exception happened, never what it said.

    Exception messages can carry input (``int('...')``, a validation error echoing a value), and the
    input may be about a child. The log gets the type and the stack frames only.
    """
    exc_info = event.pop("exc_info", None)
    if not exc_info:
        return event
    if exc_info is True:
        exc_info = sys.exc_info()
    exc = (
        exc_info
        if isinstance(exc_info, BaseException)
        else exc_info[1]
        if isinstance(exc_info, tuple)
        else None
    )
    if exc is not None:
        frames = traceback.extract_tb(exc.__traceback__)
        event["exception"] = (
            "".join(traceback.format_list(frames)) + f"{type(exc).__name__} (message withheld)"
        )
    return event


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    logger: structlog.stdlib.BoundLogger = structlog.get_logger(name)
    return logger


class _NoTraceback(logging.Filter):
    """Keep a library's log line, drop the traceback (and whatever its exception message echoed)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


class _DropMessages(logging.Filter):
    def __init__(self, messages: frozenset[str]) -> None:
        super().__init__()
        self.messages = messages

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in self.messages


def quiet_library_logger(
    name: str, *, drop: frozenset[str] = frozenset(), tracebacks: bool = True
) -> logging.Logger:
    """A library's logger without the given messages (known noise) and, unless ``tracebacks``, without
    tracebacks. Filters are added once, however often it is asked for."""
    logger = logging.getLogger(name)
    if not tracebacks and not any(isinstance(f, _NoTraceback) for f in logger.filters):
        logger.addFilter(_NoTraceback())
    if drop and not any(isinstance(f, _DropMessages) and f.messages == drop for f in logger.filters):
        logger.addFilter(_DropMessages(drop))
    return logger
