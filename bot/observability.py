"""Logging, request ids and error reference ids.

Privacy rule: logs carry ids, kinds and outcomes, never message text or form values, at every level.

Our own log lines (loggers under ``bot``) are built from ids and kinds, and exceptions in them keep
their frames but never their message. Libraries are another matter: slack_bolt logs whole request
and response bodies at DEBUG ("Responding with status: 200 body: ..." from ``slack_bolt.AsyncApp``,
a logger bolt creates at the root's level, so holding ``slack_bolt`` at WARNING never reached it),
and uvicorn logs every unhandled exception with its message and traceback ("Exception in ASGI
application"). So :class:`LibraryRedaction` sits on every handler configured here and on uvicorn's
own loggers: a library's record below WARNING is dropped whatever LOG_LEVEL says, and one at WARNING
or above keeps its logger name, level, exception type and frames, but its text only for a few
loggers known to write none of ours.
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

_CHATTY_LIBRARIES = ("slack_bolt", "slack_sdk", "apscheduler", "aiosqlite", "asyncio", "httpx", "httpcore")
_OWN_LOGGERS = ("bot",)
# Libraries whose WARNING-and-above text is their own (start-up, scheduling, migrations), never a
# request's: kept as written unless an exception is attached.
_LIBRARY_TEXT_KEPT = ("uvicorn.error", "apscheduler", "alembic")
# uvicorn's loggers do not propagate to the root: the filter goes on each of them as well.
_UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")


def new_request_id() -> str:
    return "req-" + secrets.token_hex(6)


def new_error_ref() -> str:
    """A short id a person can quote to support; the same id is in the log line."""
    return "ERR-" + secrets.token_hex(3).upper()


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def _withheld_exception(exc: BaseException) -> str:
    """Where an exception happened (its frames) and its type, never its message."""
    frames = traceback.extract_tb(exc.__traceback__)
    return "".join(traceback.format_list(frames)) + f"{type(exc).__name__} (message withheld)"


class LibraryRedaction(logging.Filter):
    """Keeps third-party log records from carrying what people typed.

    Records from our structlog processors (marked) or ``bot`` loggers pass untouched (they are built
    to be safe). A library's record below
    WARNING is dropped; at WARNING or above its message is replaced by the logger name and level (kept
    as written only for the loggers in ``_LIBRARY_TEXT_KEPT`` when no exception is attached), and an
    attached exception is reduced to its frames and type.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_reviewbot_own", False) or getattr(record, "_reviewbot_redacted", False):
            return True
        if _under(record.name, _OWN_LOGGERS):
            return True
        if record.levelno < logging.WARNING:
            return False
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None and _under(record.name, _LIBRARY_TEXT_KEPT):
            return True
        text = f"{record.name} {record.levelname.lower()} (library message withheld)"
        if exc is not None:
            text += "\n" + _withheld_exception(exc)
        record.msg, record.args = text, None
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        record._reviewbot_redacted = True
        return True


_REDACTION = LibraryRedaction()


def install_library_redaction() -> None:
    """Put the redaction on the root's handlers and on uvicorn's loggers (idempotent).

    A filter on a logger stays when uvicorn later applies its own logging config, so calling this
    before ``uvicorn.Config`` is enough; calling it again after does no harm.
    """
    for handler in logging.getLogger().handlers:
        if _REDACTION not in handler.filters:
            handler.addFilter(_REDACTION)
    for name in _UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        if _REDACTION not in logger.filters:
            logger.addFilter(_REDACTION)


def configure_logging(level: str = "INFO", *, json: bool = False) -> None:
    logging.basicConfig(level=level, stream=sys.stderr, format="%(message)s", force=True)
    quiet = max(logging.WARNING, logging.getLevelName(level))
    for name in _CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(quiet)
    # Loggers a library already made with a level of their own (bolt copies the root's level into
    # each of its loggers) are held too; any made later are caught by the redaction filter.
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger) and _under(name, _CHATTY_LIBRARIES) and logger.level:
            logger.setLevel(quiet)
    install_library_redaction()
    # When a handler fails (a closed stream), logging prints the failure to stderr with the exception
    # that was being handled chained to it, message and all. Production logging stays quiet instead.
    logging.raiseExceptions = False
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
            _mark_as_ours,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )


def _mark_as_ours(_logger: Any, _name: str, rendered: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Hand the rendered line to stdlib logging with a mark saying it went through these processors."""
    return (rendered,), {"extra": {"_reviewbot_own": True}}


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
        event["exception"] = _withheld_exception(exc)
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
