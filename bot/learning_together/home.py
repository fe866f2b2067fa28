"""The Home tab's "My Learning Together reviews" section: for the lead reviewer and the review team,
each review's upcoming case group meetings and conversations, the key practice episodes no finding
comes from yet, the family's next update, and the holds in force."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from bot.access import can_view_case
from bot.cases.models import Case
from bot.cases.service import facts_of
from bot.learning_together.holds import holds_in_force, line_of
from bot.learning_together.models import FamilyParticipation, FindingEpisode, KeyPracticeEpisode, ReviewPlan
from bot.meetings.blocks import kind_label
from bot.meetings.kinds import MeetingKind, MeetingStatus, is_case_group
from bot.meetings.models import Meeting
from bot.runtime.services import Services
from bot.runtime.wiring import Provisions

LIMIT = 40


@dataclass(frozen=True)
class LearningItem:
    reference: str
    label: str
    due: date | datetime | None
    channel_id: str | None
    status_text: str = ""


async def learning_items(services: Services, user_id: str) -> list[LearningItem]:
    now = services.clock.now()
    out: list[LearningItem] = []
    async with services.db.read() as session:
        plans = [
            (p, c)
            for p, c in (
                await session.execute(
                    select(ReviewPlan, Case).join(Case, Case.id == ReviewPlan.case_id).order_by(Case.id)
                )
            ).all()
            if user_id == p.lead_reviewer_user_id or user_id in (p.review_team or [])
        ]
        for plan, case in plans:
            if case.stage == "closed" or not can_view_case(
                services.actor(user_id, case.partnership_id), facts_of(case)
            ):
                continue
            role = "lead reviewer" if user_id == plan.lead_reviewer_user_id else "review team"
            meetings = (
                await session.execute(
                    select(Meeting)
                    .where(
                        Meeting.case_id == case.id,
                        Meeting.status == MeetingStatus.SCHEDULED.value,
                        Meeting.starts_at > now,
                    )
                    .order_by(Meeting.starts_at)
                )
            ).scalars()
            for m in meetings:
                if not (is_case_group(m.kind) or m.kind == MeetingKind.CONVERSATION.value):
                    continue
                note = role
                if m.kind == MeetingKind.CONVERSATION.value:
                    note = f"{m.practitioner_role or 'practitioner'} ({m.practitioner_agency or 'agency'})"
                out.append(
                    LearningItem(case.reference, kind_label(m.kind), m.starts_at, case.channel_id, note)
                )
            episodes = list(
                (
                    await session.execute(
                        select(KeyPracticeEpisode.id).where(KeyPracticeEpisode.case_id == case.id)
                    )
                ).scalars()
            )
            linked = set(
                (
                    await session.execute(
                        select(FindingEpisode.episode_id).where(
                            FindingEpisode.episode_id.in_(episodes or [0])
                        )
                    )
                ).scalars()
            )
            without = len([e for e in episodes if e not in linked])
            if without:
                out.append(
                    LearningItem(
                        case.reference,
                        f"{without} key practice episode(s) with no finding yet",
                        None,
                        case.channel_id,
                        "`/review episode list`",
                    )
                )
            family = (
                await session.execute(
                    select(FamilyParticipation).where(FamilyParticipation.case_id == case.id)
                )
            ).scalar()
            if family is not None and family.invited and family.next_update_on is not None:
                out.append(
                    LearningItem(
                        case.reference,
                        "Family update due",
                        family.next_update_on,
                        case.channel_id,
                        family.contact_role or "",
                    )
                )
            if family is not None and family.comment_offered and family.comment_by is not None:
                out.append(
                    LearningItem(
                        case.reference,
                        "Family's comments before publication due",
                        family.comment_by,
                        case.channel_id,
                    )
                )
            for hold in await holds_in_force(session, case.id):
                out.append(
                    LearningItem(
                        case.reference,
                        "Hold: " + line_of(hold).text(mrkdwn=False)[:200],
                        hold.review_on,
                        case.channel_id,
                    )
                )
            if len(out) >= LIMIT:
                break
    return out[:LIMIT]


@dataclass(frozen=True)
class LearningOnHome:
    key: str = "learning"

    async def items_for(self, services: Services, user_id: str) -> Sequence[Any]:
        return await learning_items(services, user_id)


def provide(features: Provisions) -> None:
    """What this module provides (called from bot.runtime.features)."""
    features.home_section(LearningOnHome())
