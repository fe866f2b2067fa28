"""Scale: the chair digest and the board's partnership summary for 200 open cases and 5,000 actions,
and ``/review cases`` for 1,000 cases through the real endpoint.

One case is opened through the real webhook (so its row, children, agencies and deadlines are what
the bot makes), then cloned in bulk inserts with new references and channels; 5,000 actions and a
week of audit events are inserted directly. The digest and summary are timed end to end as the bot
runs them (queries plus composition plus Block Kit), and their SQL statements counted with
``services.db.statement_count`` at two sizes: the count must not grow with the data.

Functions timed (by name, so a rename shows up here): ``bot.digest.gather.gather_digest`` +
``bot.digest.blocks.digest_message``, and ``bot.board.service.partnership_board_summary`` +
``bot.board.blocks.partnership_board_message``.
"""

from __future__ import annotations

import importlib
import random
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from benchmarks.common import (
    Figure,
    Report,
    fresh_postgres,
    fresh_sqlite,
    notification_payload,
    percentile,
    say,
    utc_now,
)
from bot.sandbox.harness import Harness, ephemeral_text

PART = "scale"
BM = "U0BM00001"
SUMMARY_TARGET_MS = 250.0
CASES_TARGET_MS = 100.0
OPEN_STAGES = ["notified", "rapid_review", "decision", "local_review_commissioned", "actions"]


async def run(
    report: Report, *, quick: bool, pg_base: str | None, pg_skip_reason: str, workdir: Path
) -> None:
    backends = [("SQLite", await fresh_sqlite(workdir, "scale.sqlite3"))]
    if pg_base:
        backends.append(("PostgreSQL", await fresh_postgres(pg_base)))
    else:
        report.skip(PART, "scale on PostgreSQL", pg_skip_reason)
    repeats = 5 if quick else 20
    for name, url in backends:
        h = await Harness.start(database_url=url, run_migrations=False, over_http=True)
        try:
            await _open_one_case(h)
            await _clone_cases(h, 19)
            await _add_actions(h, 500)
            small = await _summaries(h, 2)
            await _clone_cases(h, 180)
            await _add_actions(h, 4_500)
            await _add_audit(h, 2_000)
            large = await _summaries(h, repeats)
            for what in large:
                ms, statements = large[what]
                _, small_statements = small[what]
                report.add(
                    Figure(
                        PART,
                        f"{name}: {what}, 200 open cases / 5,000 actions",
                        ms,
                        "ms (median)",
                        f"< {SUMMARY_TARGET_MS:.0f} ms, constant statements",
                        ms < SUMMARY_TARGET_MS and statements == small_statements,
                        f"{statements} SQL statements (at 20 cases / 500 actions: {small_statements})",
                    )
                )
            await _clone_cases(h, 800)
            p50, p99, statements = await _review_cases(h, repeats)
            report.add(
                Figure(
                    PART,
                    f"{name}: /review cases, 1,000 cases, request to answer (signed, over loopback HTTP)",
                    p50,
                    "ms (median)",
                    f"< {CASES_TARGET_MS:.0f} ms",
                    p50 < CASES_TARGET_MS,
                    f"p99 {p99:.0f} ms over {repeats}; {statements} SQL statements",
                )
            )
        finally:
            await h.close()


def _function(path: str) -> Callable[..., Any]:
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


async def _summaries(h: Harness, repeats: int) -> dict[str, tuple[float, int]]:
    partnership = h.services.config.partnership("northshire")
    gather_digest = _function("bot.digest.gather.gather_digest")
    digest_message = _function("bot.digest.blocks.digest_message")
    board_summary = _function("bot.board.service.partnership_board_summary")
    board_message = _function("bot.board.blocks.partnership_board_message")

    async def digest() -> None:
        now = h.services.clock.now()
        async with h.services.db.session() as session:
            content = await gather_digest(session, partnership, since=now - timedelta(days=7), now=now)
        digest_message(content)

    async def board() -> None:
        summary = await board_summary(h.services, partnership)
        board_message(summary, h.services.clock.now())

    out = {}
    for what, work in (("chair digest", digest), ("board partnership summary", board)):
        out[what] = await _time(h, work, repeats)
        say(f"    {what}: {out[what][0]:.1f} ms, {out[what][1]} statements")
    return out


async def _time(h: Harness, work: Callable[[], Awaitable[None]], repeats: int) -> tuple[float, int]:
    await work()  # warm caches (compiled SQL, rule sets)
    times, statements = [], 0
    for _ in range(repeats):
        before = h.services.db.statement_count
        started = time.perf_counter()
        await work()
        times.append((time.perf_counter() - started) * 1000)
        statements = h.services.db.statement_count - before
    return percentile(times, 50), statements


async def _review_cases(h: Harness, repeats: int) -> tuple[float, float, int]:
    times: list[float] = []
    statements = 0
    for i in range(repeats + 1):
        request = h.slack.slash_command("/review", "cases", user_id=BM)
        before = h.services.db.statement_count
        started = time.perf_counter()
        # Until the answer is posted through the response_url (the ack itself is empty): the time
        # until the person sees the list.
        response = await h.send(request, drain=True)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200 or "Cases you can see" not in ephemeral_text(response):
            raise RuntimeError(f"/review cases failed: {response.status_code} {response.text[:300]}")
        if i:  # the first one warms up
            times.append(elapsed)
            statements = h.services.db.statement_count - before
    return percentile(times, 50), percentile(times, 99), statements


# --- seeding ---------------------------------------------------------------------------------------


async def _open_one_case(h: Harness) -> None:
    from bot.webhook.tokens import create_token

    token = (await create_token(h.services, "northshire", "scale benchmark (synthetic)")).token
    response = await h.http.post(
        "/api/v1/notifications",
        json=notification_payload(utc_now()),
        headers={"Authorization": f"Bearer {token}"},
    )
    if response.status_code != 201:
        raise RuntimeError(f"opening a case failed: {response.status_code} {response.text[:300]}")
    await h.services.tasks.drain(timeout=30)


async def _clone_cases(h: Harness, n: int) -> None:
    """``n`` more cases like the first one (its children, agencies, members and deadlines too)."""
    from bot.cases.models import Case, CaseAgency, CaseChild, CaseMember
    from bot.deadlines.models import Deadline

    async with h.services.db.session() as session:
        template = (await session.execute(select(Case.__table__).order_by(Case.id).limit(1))).mappings().one()
        top = (await session.execute(select(Case.id).order_by(Case.id.desc()).limit(1))).scalar_one()
        children = {
            table: [
                dict(r)
                for r in (
                    await session.execute(select(table.__table__).where(table.case_id == template["id"]))
                ).mappings()
            ]
            for table in (CaseChild, CaseAgency, CaseMember, Deadline)
        }
        rng = random.Random(top)
        cases = []
        for i in range(top + 1, top + n + 1):
            row = dict(template)
            row.update(
                id=i,
                reference=f"BENCH-{i:05d}",
                channel_id=f"C0BENCH{i:05d}",
                card_ts=None,
                stage=rng.choice(OPEN_STAGES),
                created_at=template["created_at"] - timedelta(days=rng.randint(0, 300)),
            )
            cases.append(row)
        await session.execute(Case.__table__.insert(), cases)
        for table, rows in children.items():
            clones = []
            for case in cases:
                for r in rows:
                    clone = {k: v for k, v in r.items() if k != "id"}
                    clone["case_id"] = case["id"]
                    clones.append(clone)
            for start in range(0, len(clones), 2_000):
                await session.execute(table.__table__.insert(), clones[start : start + 2_000])


async def _add_actions(h: Harness, n: int) -> None:
    from bot.actions.kinds import ActionStatus
    from bot.actions.models import Action

    agencies = [a.id for a in h.services.config.partnership("northshire").agencies]
    now = h.services.clock.now()
    today = now.date()
    async with h.services.db.session() as session:
        case_ids = list((await session.execute(select(_case_id()))).scalars())
        rng = random.Random(n)
        rows = [
            {
                "partnership_id": "northshire",
                "case_id": rng.choice(case_ids),
                "finding_id": None,
                "source": "benchmark",
                "description": f"Synthetic action {i}",
                "owner_agency": rng.choice(agencies),
                "owner_user_id": None,
                "due_on": today + timedelta(days=rng.randint(-90, 180)),
                "success_measure": None,
                "status": rng.choice(list(ActionStatus)).value,
                "not_doing_reason": None,
                "evidence_of_impact": None,
                "completed_on": None,
                "created_by": "benchmark",
                "created_at": now - timedelta(days=rng.randint(1, 300)),
                "updated_at": now,
            }
            for i in range(n)
        ]
        for start in range(0, n, 2_000):
            await session.execute(Action.__table__.insert(), rows[start : start + 2_000])


async def _add_audit(h: Harness, n: int) -> None:
    from bot.audit import AuditEvent

    now = h.services.clock.now()
    async with h.services.db.session() as session:
        case_ids = list((await session.execute(select(_case_id()))).scalars())
        rng = random.Random(n)
        rows = [
            {
                "at": now - timedelta(minutes=rng.randint(1, 60 * 24 * 6)),
                "actor": "benchmark",
                "action": rng.choice(
                    ["action.updated", "deadline.met", "case.stage_changed", "action.created"]
                ),
                "partnership_id": "northshire",
                "case_id": rng.choice(case_ids),
                "before": None,
                "after": {"status": "done"},
                "request_id": None,
            }
            for _ in range(n)
        ]
        await session.execute(AuditEvent.__table__.insert(), rows)


def _case_id() -> Any:
    from bot.cases.models import Case

    return Case.id
