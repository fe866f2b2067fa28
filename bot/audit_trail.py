"""Reading the audit trail back: verifying its hash chain, and exporting a period of it.

:func:`verify` walks the chain from the first row to the head recorded in ``audit_chain_head`` and
stops at the first row that does not hold: a row whose content no longer matches its hash (changed
after it was written), one whose link does not match the row before it, a gap or a duplicate in the
positions (a row removed or inserted), rows the chain never reached, and rows missing from the end
(the head says more were written). It reads in pages of :data:`PAGE` rows, without a lock.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from bot.audit import GENESIS, HEAD_ID, AuditChainHead, AuditEvent, chain_hash
from bot.db.engine import Database

PAGE = 2_000


@dataclass(frozen=True)
class Broken:
    """The first row that does not hold, and why."""

    row_id: int
    seq: int | None
    at: datetime | None
    action: str
    why: str

    def describe(self) -> str:
        position = f"position {self.seq}" if self.seq is not None else "no position"
        when = f", {self.at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC" if self.at is not None else ""
        return f"audit row {self.row_id} ({position}{when}, {self.action}): {self.why}"


@dataclass(frozen=True)
class Verification:
    rows: int
    head_seq: int
    head_hash: str
    broken: Broken | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _broken(row: AuditEvent, why: str) -> Broken:
    return Broken(row.id, row.seq, row.at, row.action, why)


async def verify(db: Database) -> Verification:
    async with db.read() as session:
        # The furthest position first, then the head: the head moves in the same transaction as the rows
        # it counts, so read in this order it can only be ahead of them, never behind.
        furthest = await session.scalar(select(func.max(AuditEvent.seq)))
        head = await session.get(AuditChainHead, HEAD_ID)
        unchained = await session.scalar(
            select(AuditEvent).where(AuditEvent.seq.is_(None)).order_by(AuditEvent.id).limit(1)
        )
        total = int(await session.scalar(select(func.count()).select_from(AuditEvent)) or 0)
    head_seq, head_hash = (head.seq, head.hash) if head is not None else (0, GENESIS)

    def fail(row: AuditEvent | None, why: str) -> Verification:
        broken = _broken(row, why) if row is not None else Broken(0, None, None, "(no row)", why)
        return Verification(total, head_seq, head_hash, broken)

    if unchained is not None:
        return fail(unchained, "it has no place in the chain (no position or hash)")
    if furthest is not None and furthest > head_seq:
        async with db.read() as session:
            beyond = await session.scalar(select(AuditEvent).where(AuditEvent.seq == head_seq + 1))
        return fail(beyond, f"it is past the chain head (position {head_seq}): added afterwards")
    expected, prev, last = 1, GENESIS, None
    async for row in _rows(db, through=head_seq):
        if row.seq != expected:
            return fail(row, f"it is at position {row.seq} but the row at position {expected} is missing")
        if row.prev_hash != prev:
            return fail(row, "its link does not match the row before it")
        if chain_hash(prev, row) != row.hash:
            return fail(row, "its content does not match its hash: it was changed after it was written")
        prev, last, expected = str(row.hash), row, expected + 1
    if head_seq != expected - 1 or head_hash != prev:
        return fail(
            last,
            f"the chain ends at position {expected - 1}, but the chain head says {head_seq} rows were "
            "written (rows after it removed?)",
        )
    return Verification(total, head_seq, head_hash)


async def _rows(db: Database, *, through: int) -> AsyncIterator[AuditEvent]:
    after = 0
    while after < through:
        async with db.read() as session:
            page = (
                await session.scalars(
                    select(AuditEvent)
                    .where(AuditEvent.seq > after, AuditEvent.seq <= through)
                    .order_by(AuditEvent.seq)
                    .limit(PAGE)
                )
            ).all()
        if not page:
            return
        for row in page:
            yield row
        after = int(page[-1].seq or through)


# -- export ------------------------------------------------------------------------------------------

COLUMNS = (
    "id",
    "seq",
    "at",
    "actor",
    "action",
    "partnership_id",
    "case_id",
    "before",
    "after",
    "request_id",
    "prev_hash",
    "hash",
)


def as_dict(row: AuditEvent) -> dict[str, Any]:
    return {
        "id": row.id,
        "seq": row.seq,
        "at": row.at.astimezone(UTC).isoformat(timespec="microseconds") if row.at is not None else None,
        "actor": row.actor,
        "action": row.action,
        "partnership_id": row.partnership_id,
        "case_id": row.case_id,
        "before": row.before,
        "after": row.after,
        "request_id": row.request_id,
        "prev_hash": row.prev_hash,
        "hash": row.hash,
    }


async def rows_between(
    db: Database, start: datetime, end: datetime, *, partnership_id: str | None = None
) -> list[AuditEvent]:
    """Rows written from ``start`` (inclusive) to ``end`` (exclusive), in chain order."""
    query = select(AuditEvent).where(AuditEvent.at >= start, AuditEvent.at < end)
    if partnership_id is not None:
        query = query.where(AuditEvent.partnership_id == partnership_id)
    async with db.read() as session:
        return list((await session.scalars(query.order_by(AuditEvent.seq, AuditEvent.id))).all())


def to_json(rows: list[AuditEvent]) -> str:
    return json.dumps([as_dict(r) for r in rows], indent=1, ensure_ascii=False) + "\n"


def to_csv(rows: list[AuditEvent]) -> str:
    """One line per row; the before and after summaries as compact JSON in their cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        values = as_dict(row)
        for key in ("before", "after"):
            summary = values[key]
            values[key] = json.dumps(summary, sort_keys=True, separators=(",", ":")) if summary else ""
        writer.writerow(["" if values[c] is None else values[c] for c in COLUMNS])
    return out.getvalue()
