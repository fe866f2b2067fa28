"""The append-only audit log: who changed what, when, before and after.

Summaries hold ids, kinds, dates and statuses, never free text: the guard below refuses long strings
so a careless caller cannot smuggle a summary or a note into the audit table. The application only
ever inserts; the migration adds database triggers that refuse UPDATE and DELETE as well.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from bot.clock import Clock
from bot.db.engine import Base, UTCDateTime
from bot.observability import request_id_var

MAX_SUMMARY_STRING = 64

Summary = dict[str, Any]


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    partnership_id: Mapped[str | None] = mapped_column(String(64), index=True)
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[Summary | None] = mapped_column(JSON)
    after: Mapped[Summary | None] = mapped_column(JSON)
    request_id: Mapped[str | None] = mapped_column(String(64))


def _clean(summary: Summary | None) -> Summary | None:
    if summary is None:
        return None
    return {key: _clean_value(key, value) for key, value in summary.items()}


def _clean_value(key: str, value: Any) -> Any:
    """Ids, kinds, dates, numbers and short codes only; anything longer or stranger is refused."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        if len(value) > MAX_SUMMARY_STRING:
            raise ValueError(f"audit summary field {key!r} looks like free text")
        return value
    if isinstance(value, list | tuple | frozenset | set):
        items = [_clean_value(key, v) for v in value]
        return sorted(items, key=str) if isinstance(value, frozenset | set) else items
    if isinstance(value, dict):
        return {str(k): _clean_value(f"{key}.{k}", v) for k, v in value.items()}
    raise ValueError(f"audit summary field {key!r} has a value of type {type(value).__name__}")


def record(
    session: AsyncSession,
    clock: Clock,
    *,
    actor: str,
    action: str,
    partnership_id: str | None = None,
    case_id: int | None = None,
    before: Summary | None = None,
    after: Summary | None = None,
) -> AuditEvent:
    """Add one audit row to the caller's unit of work (committed with the change it describes)."""
    event = AuditEvent(
        at=clock.now(),
        actor=actor,
        action=action,
        partnership_id=partnership_id,
        case_id=case_id,
        before=_clean(before),
        after=_clean(after),
        request_id=request_id_var.get(),
    )
    session.add(event)
    return event
