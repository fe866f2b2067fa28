"""Case references from the partnership's pattern (RR-2026-007), allocated without gaps or clashes."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cases.models import ReferenceCounter
from bot.db.engine import insert_for


async def next_sequence(session: AsyncSession, partnership_id: str, year: int) -> int:
    """Atomically take the next number for this partnership and year (an upsert with RETURNING)."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = insert_for(dialect)
    upsert = (
        insert(ReferenceCounter)
        .values(partnership_id=partnership_id, year=year, last_seq=1)
        .on_conflict_do_update(
            index_elements=[ReferenceCounter.partnership_id, ReferenceCounter.year],
            set_={"last_seq": ReferenceCounter.last_seq + 1},
        )
        .returning(ReferenceCounter.last_seq)
    )
    return int((await session.execute(upsert)).scalar_one())


def format_reference(pattern: str, *, year: int, seq: int) -> str:
    return pattern.format(year=year, seq=seq)


def channel_name_for(reference: str) -> str:
    """Slack channel names are lower case letters, digits, hyphens and underscores, at most 80."""
    name = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in reference.lower())
    return name.strip("-")[:80] or "case"
