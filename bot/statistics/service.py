"""Reading the rows the statistics need (a fixed number of queries), and the CSV export."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from bot.actions.models import Finding
from bot.audit import AuditEvent
from bot.board.snapshot import load_snapshot
from bot.cases.models import Case
from bot.clock import london_date
from bot.config.partnership import Partnership
from bot.notifications.form import NOTIFICATION_TYPE_LABELS
from bot.runtime.services import Services
from bot.statistics.compute import (
    AnnualStatistics,
    FindingFacts,
    NotifiedCase,
    Period,
    StageChange,
    Theme,
    annual_statistics,
    themes,
)


async def statistics_for(services: Services, partnership: Partnership, period: Period) -> AnnualStatistics:
    async with services.db.session() as session:
        snapshot = await load_snapshot(session, partnership.id)
        cases = [
            NotifiedCase(*row)
            for row in (
                await session.execute(
                    select(Case.id, Case.la_aware_at, Case.notification_type).where(
                        Case.partnership_id == partnership.id
                    )
                )
            ).all()
        ]
        changes = [
            StageChange(int(case_id or 0), at, str((after or {}).get("stage", "")))
            for case_id, at, after in (
                await session.execute(
                    select(AuditEvent.case_id, AuditEvent.at, AuditEvent.after).where(
                        AuditEvent.partnership_id == partnership.id,
                        AuditEvent.action == "case.stage_changed",
                        AuditEvent.case_id.is_not(None),
                    )
                )
            ).all()
        ]
    labels = {t.value: label for t, label in NOTIFICATION_TYPE_LABELS.items()}
    return annual_statistics(
        partnership, snapshot, cases, changes, period, london_date(services.clock.now()), labels
    )


async def themes_for(services: Services, partnership: Partnership, period: Period | None) -> list[Theme]:
    async with services.db.session() as session:
        rows = (
            await session.execute(
                select(Finding.case_id, Finding.typology, Finding.kind, Finding.created_at).where(
                    Finding.partnership_id == partnership.id
                )
            )
        ).all()
    return themes([FindingFacts(*row) for row in rows], period)


def statistics_csv(stats: AnnualStatistics) -> bytes:
    """One table a spreadsheet opens as it is: the headline figures, then actions by agency."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["partnership", stats.partnership_name])
    writer.writerow(
        ["period", stats.period.label, stats.period.start.isoformat(), stats.period.end.isoformat()]
    )
    writer.writerow([])
    writer.writerow(["measure", "value", "on time", "decided", "pending"])
    writer.writerow(["notifications", stats.notifications, "", "", ""])
    for label, count in stats.by_type:
        writer.writerow([f"notifications: {label}", count, "", "", ""])
    for name, share in (
        ("notifications made within 5 working days (%)", stats.notified_on_time),
        ("rapid reviews within 15 working days (%)", stats.rapid_reviews_on_time),
        ("local reviews published within 6 months (%)", stats.published_on_time),
    ):
        writer.writerow(
            [
                name,
                "" if share.percent is None else share.percent,
                share.on_time,
                share.decided,
                share.pending,
            ]
        )
    writer.writerow(["local reviews commissioned", stats.local_reviews_commissioned, "", "", ""])
    writer.writerow([])
    writer.writerow(
        [
            "agency",
            "actions due",
            "completed on time",
            "completed late",
            "overdue",
            "not doing",
            "not yet due",
            "completed on time (%)",
        ]
    )
    for row in stats.actions:
        percent = row.share.percent
        writer.writerow(
            [
                row.agency,
                row.due,
                row.on_time,
                row.late,
                row.overdue,
                row.not_doing,
                row.not_yet_due,
                "" if percent is None else percent,
            ]
        )
    return out.getvalue().encode("utf-8")
