"""Reading the rows the statistics need (a fixed number of queries), and the CSV export."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.models import Finding
from bot.audit import AuditEvent
from bot.board.snapshot import load_snapshot
from bot.cases.models import Case, CaseEvent
from bot.clock import london_date
from bot.config.partnership import Partnership
from bot.deadlines.planning import case_lifecycle
from bot.notifications.form import NOTIFICATION_TYPE_LABELS
from bot.rapid_review.models import RapidReview
from bot.runtime.services import Services
from bot.statistics.compute import (
    AnnualStatistics,
    FindingFacts,
    NotifiedCase,
    Period,
    ReviewFacts,
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
        reviews = await review_facts(session, partnership.id)
    labels = {t.value: label for t, label in NOTIFICATION_TYPE_LABELS.items()}
    return annual_statistics(
        partnership, snapshot, cases, changes, period, london_date(services.clock.now()), labels, reviews
    )


async def review_facts(session: AsyncSession, partnership_id: str) -> list[ReviewFacts]:
    """Each case's decision, Panel reply and the rules its own rule set judges it by (three queries)."""
    cases = list(
        (await session.execute(select(Case).where(Case.partnership_id == partnership_id))).scalars()
    )
    ids = [c.id for c in cases]
    decisions = {
        row.case_id: row
        for row in (
            await session.execute(
                select(CaseEvent).where(CaseEvent.case_id.in_(ids), CaseEvent.event == "decision")
            )
        ).scalars()
    } if ids else {}
    replies = {
        case_id: response
        for case_id, response in await session.execute(
            select(RapidReview.case_id, RapidReview.panel_response).where(RapidReview.case_id.in_(ids))
        )
    } if ids else {}
    facts = []
    for case in cases:
        lifecycle = case_lifecycle(case)
        if lifecycle is None:
            continue
        decision = decisions.get(case.id)
        facts.append(
            ReviewFacts(
                case_id=case.id,
                review_name=lifecycle.review_name,
                decided_on=london_date(decision.occurred_at) if decision else None,
                recommendation=decision.detail if decision else None,
                national_reply=replies.get(case.id),
                decision_rule=lifecycle.decision_rule,
                timescale_rule=lifecycle.timescale_rule,
            )
        )
    return facts


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
        ("decisions made within timescale (%)", stats.rapid_reviews_on_time),
        ("reviews published or completed within timescale (%)", stats.published_on_time),
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
    for name, count in stats.reviews_by_type:
        writer.writerow([f"decisions to hold: {name}", count, "", "", ""])
    writer.writerow(["decisions for another kind of local review", stats.other_reviews, "", "", ""])
    writer.writerow(["decisions not to review", stats.decisions_not_to_review, "", "", ""])
    for label, count in stats.national_replies:
        writer.writerow([f"the Panel {label}", count, "", "", ""])
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
