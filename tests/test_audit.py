"""The audit log is append-only, in the database too."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot import audit
from bot.clock import FakeClock
from bot.db.engine import Database


async def test_audit_rows_cannot_be_changed_or_deleted(db: Database, clock: FakeClock) -> None:
    async with db.session() as session:
        audit.record(
            session, clock, actor="U0BM00001", action="case.opened", after={"reference": "RR-2026-001"}
        )
    for statement in ("UPDATE audit_events SET actor = 'someone else'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"):
            async with db.session() as session:
                await session.execute(text(statement))
    async with db.session() as session:
        rows = (await session.execute(text("SELECT actor FROM audit_events"))).all()
    assert rows == [("U0BM00001",)]


def test_audit_summaries_refuse_free_text(clock: FakeClock) -> None:
    class _Session:
        def add(self, _obj: object) -> None:
            pass

    with pytest.raises(ValueError, match="free text"):
        audit.record(
            _Session(),  # type: ignore[arg-type]
            clock,
            actor="U0BM00001",
            action="x",
            after={"note": "A long piece of free text that someone typed into a form field here"},
        )
