"""The append-only, hash-chained audit log: who changed what, when, before and after.

Summaries hold ids, kinds, dates and statuses, never free text: the guard below refuses long strings
so a careless caller cannot smuggle a summary or a note into the audit table. The application only
ever inserts; the migrations add database triggers that refuse UPDATE and DELETE as well.

Tamper evidence: each row carries its position in the chain (``seq``), the previous row's hash and its
own, ``sha256(previous hash + canonical JSON of the row)``. Changing, removing or inserting a row
anywhere breaks every link after it, which ``reviewbot audit verify`` finds. A single chain-head row
(:class:`AuditChainHead`, the last position and hash) is locked ``FOR UPDATE`` while rows are appended,
so concurrent units of work on PostgreSQL append one after the other; SQLite has one writer anyway.
The head also shows rows cut off the end.

Rows are sealed when their unit of work commits: :func:`record` adds the row, the session holds it
back from earlier flushes, and just before the commit every other change is flushed, the head locked
(the last lock the transaction takes, so no other lock can wait behind it), the rows chained and
inserted, and the head moved on.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, event, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.clock import Clock
from bot.db.engine import Base, UTCDateTime, insert_for
from bot.observability import request_id_var

MAX_SUMMARY_STRING = 64

Summary = dict[str, Any]


class AuditEvent(Base):
    __tablename__ = "audit_events"
    # A unique index rather than a constraint: SQLite adds one without rebuilding the table (and so
    # without dropping its append-only triggers).
    __table_args__ = (Index("uq_audit_events_seq", "seq", unique=True),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    partnership_id: Mapped[str | None] = mapped_column(String(64), index=True)
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[Summary | None] = mapped_column(JSON)
    after: Mapped[Summary | None] = mapped_column(JSON)
    request_id: Mapped[str | None] = mapped_column(String(64))
    # The chain (empty only on rows the chain has not reached: verify names them).
    seq: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class AuditChainHead(Base):
    """One row: the position and hash of the last audit row. Locked while rows are appended."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


GENESIS = "0" * 64  # the "previous hash" of the first row
HEAD_ID = 1


def canonical(row: AuditEvent) -> str:
    """The row as hashed: its content and position as JSON with sorted keys and no spaces. The
    database's own id is left out (a restore may renumber it); ``seq`` is the position."""
    at = row.at.astimezone(UTC).isoformat(timespec="microseconds") if row.at is not None else None
    content = {
        "seq": row.seq,
        "at": at,
        "actor": row.actor,
        "action": row.action,
        "partnership_id": row.partnership_id,
        "case_id": row.case_id,
        "before": row.before,
        "after": row.after,
        "request_id": row.request_id,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def chain_hash(prev_hash: str, row: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + canonical(row)).encode("utf-8")).hexdigest()


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
    event.__dict__[_ORDER] = next(_added)  # the order rows join the chain in (not a column)
    session.add(event)
    return event


# -- sealing the chain at commit -------------------------------------------------------------------

_HELD = "reviewbot.audit.held"  # session.info key: rows held back until the commit
_ORDER = "_reviewbot_audit_order"
_added = itertools.count()


def _unsealed(session: Session) -> list[AuditEvent]:
    new = [obj for obj in session.new if isinstance(obj, AuditEvent) and obj.hash is None]
    for row in new:  # a row added without record() joins in the order it is found
        row.__dict__.setdefault(_ORDER, next(_added))
    return sorted(new, key=lambda e: int(e.__dict__[_ORDER]))


@event.listens_for(Session, "before_flush")
def _hold_back(session: Session, _context: Any, _instances: Any) -> None:
    """Keep unsealed audit rows out of flushes before the commit (their place in the chain is only
    known then)."""
    unsealed = _unsealed(session)
    if unsealed:
        held: list[AuditEvent] = session.info.setdefault(_HELD, [])
        for row in unsealed:
            session.expunge(row)
            held.append(row)


@event.listens_for(Session, "before_commit")
def _seal(session: Session) -> None:
    if not session.info.get(_HELD) and not _unsealed(session):
        return
    session.flush()  # every other change first: the head is the last lock this transaction takes
    rows: list[AuditEvent] = session.info.pop(_HELD, [])
    if not rows:
        return
    conn = session.connection()
    locked = (
        select(AuditChainHead.seq, AuditChainHead.hash)
        .where(AuditChainHead.id == HEAD_ID)
        .with_for_update()
    )
    head = conn.execute(locked).first()
    if head is None:  # an emptied database (the migration makes the row): the chain starts again
        start = insert_for(conn.dialect.name)(AuditChainHead).values(id=HEAD_ID, seq=0, hash=GENESIS)
        conn.execute(start.on_conflict_do_nothing())
        head = conn.execute(locked).one()
    seq, prev = int(head.seq), str(head.hash)
    for row in rows:
        seq += 1
        row.seq, row.prev_hash = seq, prev
        row.hash = prev = chain_hash(prev, row)
        session.add(row)
    conn.execute(
        update(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ID)
        .values(seq=seq, hash=prev, updated_at=rows[-1].at)
    )


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the unit of work is over (a rollback drops its rows)
        session.info.pop(_HELD, None)
