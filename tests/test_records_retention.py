"""Retention: `reviewbot records due` lists closed cases past their partnership's period, and
`reviewbot records purge REF --confirm --reason TEXT` leaves a tombstone, archives the case channel
and deletes the board message, through the command line against the Slack stand-in."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
from sqlalchemy import Integer, func, select, text

from bot.audit import AuditEvent
from bot.audit_trail import verify
from bot.cases.models import Case
from bot.cli import main
from bot.db.all_models import metadata
from bot.records.models import CaseTombstone
from bot.retention import Retention, retention_ends
from bot.sandbox.harness import BOT_TOKEN, Harness
from tests.intake_helpers import BM, all_cases, notify

REASON = "Retention period under the partnership records policy has ended"


@pytest.fixture
def cli_env(harness: Harness, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_API_URL", harness.fake.api_url)


async def cli(*args: str) -> int:
    return await asyncio.to_thread(main, list(args))


async def closed_case(harness: Harness) -> Case:
    await notify(harness)
    case = (await all_cases(harness))[-1]
    reply = await harness.command("stage closed", user=BM, channel=str(case.channel_id))
    assert "moved to Closed" in reply.json()["text"]
    async with harness.services.db.read() as session:
        closed = await session.get(Case, case.id)
    assert closed is not None and closed.stage == "closed"
    assert closed.closed_at == harness.services.clock.now()
    return closed


def test_retention_ends_whole_years_after_closure() -> None:
    assert retention_ends(date(2026, 12, 18), Retention(years=7)) == date(2033, 12, 18)
    assert retention_ends(date(2028, 2, 29), Retention(years=1)) == date(2029, 2, 28)


@pytest.mark.usefixtures("cli_env")
async def test_due_lists_closed_cases_past_their_retention(
    harness: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    case = await closed_case(harness)
    assert await cli("records", "due", "--on", "2033-12-17") == 0
    assert "No closed case is past its retention period on 2033-12-17." in capsys.readouterr().out
    assert await cli("records", "due", "--on", "2033-12-18") == 0
    out = capsys.readouterr().out
    assert case.reference in out and "closed 2026-12-18, kept 7 years, due since 2033-12-18" in out


@pytest.mark.usefixtures("cli_env")
async def test_purge_leaves_a_tombstone_archives_the_channel_and_keeps_the_audit_trail(
    harness: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    case = await closed_case(harness)
    assert case.channel_id is not None
    await harness.command("board", user=BM, channel=str(case.channel_id))
    board_channel = harness.services.config.partnership("northshire").channels.board
    assert harness.fake.messages(board_channel)
    async with harness.services.db.session() as session:  # closed eight years ago: past its 7 years
        fresh = await session.get(Case, case.id)
        assert fresh is not None
        fresh.closed_at = harness.services.clock.now() - timedelta(days=8 * 366)

    assert await cli("records", "purge", case.reference, "--reason", REASON) == 0  # without --confirm
    out = capsys.readouterr().out
    assert f"Would purge {case.reference}" in out and "Nothing was removed" in out
    assert len(await all_cases(harness)) == 1

    assert await cli("records", "purge", case.reference, "--reason", REASON, "--confirm", "--by", BM) == 0
    out = capsys.readouterr().out
    assert f"Purged {case.reference}: removed the case" in out and "deadlines" in out
    assert "Case channel: archived. Board message: deleted." in out

    assert await all_cases(harness) == []
    async with harness.services.db.read() as session:
        for table in metadata.sorted_tables:  # nothing of the case is left anywhere but the audit trail
            column = table.c.get("case_id")
            if column is None or table.name in ("audit_events", "case_tombstones"):
                continue
            left = await session.scalar(select(func.count()).select_from(table).where(column == case.id))
            assert left == 0, table.name
        tombstone = await session.get(CaseTombstone, case.id)
        actions = list(
            (await session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case.id))).all()
        )
        left_keys = await session.scalar(
            text("SELECT count(*) FROM idempotency_keys WHERE response IS NOT NULL AND case_id IS NULL")
        )
    assert tombstone is not None
    assert (tombstone.reference, tombstone.purged_by, tombstone.reason) == (case.reference, BM, REASON)
    assert tombstone.opened_at == case.created_at and tombstone.closed_at is not None
    assert tombstone.channel_archived_at is not None and tombstone.retention_years == 7
    assert harness.fake.channels[case.channel_id].is_archived
    assert not harness.fake.messages(board_channel) or all(
        case.reference not in m.text for m in harness.fake.messages(board_channel)
    )
    assert {"case.opened", "case.purged", "case.channel_archived"} <= set(actions)
    assert left_keys == 0
    assert (await verify(harness.services.db)).ok

    assert await cli("records", "purge", case.reference, "--reason", REASON, "--confirm") == 0
    assert "was purged before; its channel: already archived." in capsys.readouterr().out


@pytest.mark.usefixtures("cli_env")
async def test_purge_refuses_open_cases_cases_within_retention_and_identifying_reasons(
    harness: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    await notify(harness)
    open_case = (await all_cases(harness))[-1]
    assert await cli("records", "purge", open_case.reference, "--reason", REASON, "--confirm") == 1
    assert "is at stage Notified, not closed. Fix: Only a closed case" in capsys.readouterr().err

    case = await closed_case(harness)
    assert await cli("records", "purge", case.reference, "--reason", REASON, "--confirm") == 1
    err = capsys.readouterr().err
    assert "retention period (7 years after it closed) ends on 18/12/2033" in err
    assert "--before-retention-ends" in err

    identifying = "Asked for by Jane Smithson on 07700 900123"
    early = ["--confirm", "--before-retention-ends"]
    assert await cli("records", "purge", case.reference, "--reason", identifying, *early) == 1
    err = capsys.readouterr().err
    assert "The reason cannot be stored" in err and "07700" not in err
    assert len(await all_cases(harness)) == 2

    assert await cli("records", "purge", "RR-1999-999", "--reason", REASON, "--confirm") == 1
    assert "There is no case RR-1999-999" in capsys.readouterr().err


@pytest.mark.usefixtures("cli_env")
async def test_purge_while_slack_is_away_archives_the_channel_when_run_again(
    harness: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    case = await closed_case(harness)
    await harness.fake.go_down()
    harness.services.gateway.backoff_seconds = 0.01
    args = ["records", "purge", case.reference, "--reason", REASON, "--confirm", "--before-retention-ends"]
    assert await cli(*args) == 1
    out = capsys.readouterr()
    assert "Case channel: not archived: Slack did not answer" in out.out
    assert "Run the same command again" in out.err
    assert await all_cases(harness) == []  # the content is gone all the same
    await harness.fake.come_back()
    assert await cli(*args) == 0
    assert "was purged before; its channel: archived." in capsys.readouterr().out
    assert harness.fake.channels[str(case.channel_id)].is_archived


def test_tombstone_ids_are_the_purged_cases_ids() -> None:
    column = CaseTombstone.__table__.c.case_id
    assert isinstance(column.type, Integer) and column.primary_key and column.autoincrement is False
