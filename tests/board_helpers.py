"""Seeding many synthetic cases straight into the database (for query-count and size tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.actions.models import Action
from bot.audit import AuditEvent
from bot.cases.models import Case, CaseAgency, CaseChild, CaseMember
from bot.deadlines.models import Deadline
from bot.sandbox.harness import Harness

OPENED = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


async def seed_cases(
    h: Harness,
    count: int,
    *,
    first: int = 1,
    owner: str = "U0BM00001",
    action_owner: str | None = None,
    actions_per_case: int = 1,
    pseudonym: str = "Child A",
    prefix: str = "RR-2025",
    members: tuple[str, ...] = (),
) -> list[int]:
    """``count`` open cases in Northshire, each with three deadlines (overdue, due soon, met),
    ``actions_per_case`` police actions (one overdue) and an audit row."""
    ids = []
    async with h.services.db.session() as session:
        for n in range(first, first + count):
            case = Case(
                partnership_id="northshire",
                reference=f"{prefix}-{n:03d}",
                nation="england",
                ruleset_id="england-2023",
                ruleset_version=1,
                ruleset_snapshot={},
                notification_type="serious_harm",
                notification_only=False,
                stage="rapid_review",
                la_aware_at=OPENED,
                abuse_or_neglect="suspected",
                police_investigation="yes",
                media_interest=False,
                owner_user_id=owner,
                created_by=owner,
                created_at=OPENED,
                updated_at=OPENED,
                children=[
                    CaseChild(position=0, pseudonym=pseudonym, age_band="5_9", legal_status="child_in_need")
                ],
                agencies=[CaseAgency(agency_id=a, added_at=OPENED) for a in ("la", "police")],
                members=[CaseMember(user_id=u, added_at=OPENED) for u in dict.fromkeys((owner, *members))],
            )
            session.add(case)
            await session.flush()
            ids.append(case.id)
            for position, (rule, due, met) in enumerate(
                [
                    ("serious_incident_notification", date(2026, 11, 9), date(2026, 11, 12)),
                    ("rapid_review", date(2026, 12, 14), None),
                    ("panel_response_chase", date(2026, 12, 22), None),
                ]
            ):
                session.add(
                    Deadline(
                        case_id=case.id,
                        rule_id=rule,
                        label=rule.replace("_", " ").capitalize(),
                        anchor="la_aware",
                        amount=5,
                        unit="working_days",
                        direction="after",
                        status_kind="expected",
                        kind="deadline",
                        responsible_role="police",
                        verification="V E1",
                        position=position,
                        due_on=due,
                        met_on=met,
                        created_at=OPENED,
                        updated_at=OPENED,
                    )
                )
            for k in range(actions_per_case):
                session.add(
                    Action(
                        partnership_id="northshire",
                        case_id=case.id,
                        source="review_recommendation",
                        description=f"Synthetic action {n}-{k}",
                        owner_agency="police",
                        owner_user_id=action_owner,
                        due_on=date(2026, 12, 1) + timedelta(days=k),
                        status="open",
                        created_by=owner,
                        created_at=OPENED,
                        updated_at=OPENED,
                    )
                )
            session.add(
                AuditEvent(
                    at=OPENED,
                    actor=owner,
                    action="case.opened",
                    partnership_id="northshire",
                    case_id=case.id,
                    after={"reference": case.reference},
                )
            )
    return ids
