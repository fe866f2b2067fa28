"""Board summaries, the partnership's statistics and themes: right figures, fixed query counts,
references only."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from bot.actions.findings import FindingForm, record_finding
from bot.actions.typology import FindingKind
from bot.board.service import partnership_board_summary, refresh_board_message, refresh_board_messages
from bot.board.snapshot import load_snapshot
from bot.clock import FakeClock
from bot.errors import BadInput
from bot.sandbox.harness import Harness
from bot.slack.blockkit import validate_message
from bot.statistics.compute import Share, parse_period
from tests.action_helpers import BOARD, board_traffic
from tests.board_helpers import seed_cases
from tests.intake_helpers import BM, CHAIR, POLICE_LEAD, all_cases, notify


async def test_board_summary_and_case_message_queries_do_not_grow_with_cases(harness: Harness) -> None:
    h = harness
    partnership = h.services.config.partnerships[0]

    async def summary_statements() -> int:
        before = h.services.db.statement_count
        summary = await partnership_board_summary(h.services, partnership)
        assert summary.breaches and summary.actions
        return h.services.db.statement_count - before

    async def case_statements(case_id: int) -> int:
        before = h.services.db.statement_count
        async with h.services.db.session() as session:
            snapshot = await load_snapshot(session, partnership.id, case_id=case_id)
        assert list(snapshot.cases) == [case_id]
        return h.services.db.statement_count - before

    ids = await seed_cases(h, 10)
    ten, one_of_ten = await summary_statements(), await case_statements(ids[0])
    ids += await seed_cases(h, 190, first=11)
    assert await summary_statements() == ten
    assert await case_statements(ids[-1]) == one_of_ten


async def test_the_worker_posts_one_message_per_case_and_edits_only_when_it_changes(harness: Harness) -> None:
    h = harness
    await seed_cases(h, 3, pseudonym="Child Q")
    assert await refresh_board_messages(h.services) == 3
    messages = h.fake.messages(BOARD)
    assert len(messages) == 3
    for message in messages:
        assert validate_message(message.blocks, message.text) == []
    assert await refresh_board_messages(h.services) == 0  # checked today already
    updates = len(h.fake.calls("chat.update"))
    async with h.services.db.session() as session:
        case_id = (await load_snapshot(session, "northshire")).cases.popitem()[0]
    await refresh_board_message(h.services, case_id)
    assert len(h.fake.calls("chat.update")) == updates  # nothing it shows changed: no Slack call
    traffic = board_traffic(h)
    assert "Child Q" not in traffic and "Synthetic action" not in traffic
    summary = await partnership_board_summary(h.services, h.services.config.partnerships[0])
    # notification met late (due 9 Nov, met 12 Nov) and rapid review still unmet (due 14 Dec): two per case
    assert len(summary.breaches) == 6
    assert [(a.agency, a.outstanding, a.overdue) for a in summary.actions] == [
        ("Northshire Constabulary", 3, 3)
    ]


async def test_statistics_for_the_annual_report_and_the_csv_export(harness: Harness) -> None:
    h = harness
    await seed_cases(
        h, 3
    )  # aware 2 November 2026; notified late; rapid review overdue; police action overdue
    await notify(h, sent="2026-12-18")  # aware and notified the same day
    [*_, case] = await all_cases(h)
    await h.command("stage decision", user=BM, channel=str(case.channel_id))
    await h.command("stage local_review_commissioned", user=BM, channel=str(case.channel_id))

    reply = (await h.command("stats 2026", user=CHAIR)).json()
    assert validate_message(reply["blocks"], reply["text"]) == []
    text = str(reply["blocks"])
    assert "4 notification(s)" in reply["text"]
    assert "25% (1 of 4)" in text  # notified within 5 working days
    assert "0% (0 of 3)" in text  # rapid reviews within 15 working days
    assert "*Local reviews commissioned*\\n1" in text
    assert "Northshire Constabulary: 0% (0 of 3)" in text

    reply = (await h.command("stats 2026 csv", user=BM)).json()
    assert "northshire-statistics-2026.csv" in reply["text"]
    [upload] = h.fake.files
    assert upload.channel_id == h.fake.dm_channel(BM) and upload.completed
    rows = list(csv.reader(io.StringIO((upload.content or b"").decode())))
    assert ["notifications", "4", "", "", ""] in rows
    assert ["notifications made within 5 working days (%)", "25.0", "1", "4", "0"] in rows
    assert ["local reviews commissioned", "1", "", "", ""] in rows
    assert ["Northshire Constabulary", "3", "0", "0", "3", "0", "0", "0.0"] in rows

    refused = (await h.command("stats", user=POLICE_LEAD)).json()["text"]
    assert refused.startswith("Only")
    assert (await h.command("stats 2026-28", user=BM)).json()["text"].startswith("'2026-28' is not a year")


async def test_themes_count_findings_by_typology_across_cases(harness: Harness) -> None:
    h = harness
    first, second = await seed_cases(h, 2)
    for case_id, typology, kind in [
        (first, "human_tool", FindingKind.RECOMMENDATION),
        (second, "human_tool", FindingKind.BOARD_ISSUE),
        (second, "human_reasoning", FindingKind.BOARD_ISSUE),
    ]:
        await record_finding(
            h.services,
            case_id,
            actor_user_id=BM,
            form=FindingForm(
                typology,
                kind,
                "local" if kind is FindingKind.RECOMMENDATION else None,
                "Synthetic finding text",
            ),
        )
    reply = (await h.command("themes", user=CHAIR)).json()
    assert validate_message(reply["blocks"], reply["text"]) == []
    text = str(reply["blocks"])
    assert (
        "*Human–tool operation*: 2 finding(s) in 2 case(s) · 1 recommendation(s), 1 issue(s) for the board"
        in text
    )
    assert "*Human judgement and reasoning*: 1 finding(s) in 1 case(s)" in text
    assert "*Family–professional interaction*: 0 finding(s)" in text  # verified (CWRC 2013)
    assert "unverified" not in text
    assert "Synthetic finding text" not in text
    assert (await h.command("themes", user=POLICE_LEAD)).json()["text"].startswith("Only")


def test_periods_and_shares() -> None:
    today = date(2026, 12, 18)
    assert parse_period("", today).label == "2026"
    financial = parse_period("2026-27", today)
    assert (financial.start, financial.end, financial.label) == (
        date(2026, 4, 1),
        date(2027, 3, 31),
        "2026–27",
    )
    assert parse_period("2026/2027", today).start == date(2026, 4, 1)
    with pytest.raises(BadInput):
        parse_period("last year", today)
    assert Share(1, 3, 2).words() == "25% (1 of 4), 2 pending"
    assert Share(0, 0, 1).words() == "none decided yet (1 pending)"


async def test_a_board_channel_the_bot_is_not_in_is_retried_after_a_pause(
    harness: Harness, clock: FakeClock
) -> None:
    h = harness
    await seed_cases(h, 2)
    h.fake.channels[BOARD].members.remove(h.fake.bot_user_id)
    assert await refresh_board_messages(h.services) == 0
    attempts = len(h.fake.calls("chat.postMessage"))
    assert attempts == 1  # the first case failed; the second was not tried
    assert await refresh_board_messages(h.services) == 0
    assert len(h.fake.calls("chat.postMessage")) == attempts
    h.fake.channels[BOARD].members.append(h.fake.bot_user_id)
    clock.advance(timedelta(minutes=11))
    assert await refresh_board_messages(h.services) == 2


async def test_two_workers_refreshing_together_leave_one_message_per_case(
    harness: Harness, clock: FakeClock, database_url: str
) -> None:
    import asyncio

    h = harness
    [case_id] = await seed_cases(h, 1)
    second = await Harness.start(database_url=database_url, clock=clock, run_migrations=False, fake=h.fake)
    try:
        await asyncio.gather(
            refresh_board_message(h.services, case_id),
            refresh_board_message(second.services, case_id),
            refresh_board_messages(second.services),
        )
    finally:
        await second.services.tasks.drain()
        await second.http.aclose()
        await second.services.db.dispose()
    assert len(h.fake.messages(BOARD)) == 1


async def test_the_worker_spreads_a_first_run_over_many_cases_across_ticks(harness: Harness) -> None:
    h = harness
    await seed_cases(h, 25)
    assert await refresh_board_messages(h.services, limit=20) == 20
    assert await refresh_board_messages(h.services, limit=20) == 5
    assert await refresh_board_messages(h.services, limit=20) == 0
    assert len(h.fake.messages(BOARD)) == 25
