"""Commissioning a local review with the Learning Together model, and the plan as it stands.

Commissioning (`/review plan learning-together ...`, once the partners' decision has made the case a
local review) keeps who leads it and the review team (added to the case), seeds the key practice
episodes from the rapid review's list, turns the decision's constraints into holds that act, and fixes
the plan: an introductory case group meeting and (by default, from the model's data) two follow-on
meetings, each with its purpose. The meetings are scheduled with `/review meeting`, which gives each
its purpose from the plan; conversations with practitioners come before the follow-on meetings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.cases.models import Case, CaseMember
from bot.cases.states import Stage
from bot.errors import BadInput, Conflict, NotFound
from bot.learning_together.holds import hold_of
from bot.learning_together.models import CaseHold, FindingEpisode, KeyPracticeEpisode, ReviewPlan
from bot.learning_together.terms import HoldKind, RequestedBy
from bot.meetings.kinds import MeetingKind, MeetingStatus, is_case_group
from bot.meetings.models import Meeting, MeetingRecordComment
from bot.rapid_review.decision_terms import Constraint
from bot.rapid_review.models import RapidReviewDecision
from bot.rules.learning_together import learning_together
from bot.runtime.services import Services

MODEL_ID = "learning_together"


@dataclass(frozen=True)
class Commissioned:
    case_id: int
    reference: str
    lead_reviewer: str
    team: tuple[str, ...]
    purposes: tuple[str, ...]
    episodes_seeded: int
    holds_placed: tuple[str, ...]
    created: bool


async def plan_of(session: AsyncSession, case_id: int) -> ReviewPlan | None:
    return (await session.execute(select(ReviewPlan).where(ReviewPlan.case_id == case_id))).scalar()


async def commission(
    services: Services,
    case_id: int,
    *,
    user_id: str,
    lead: str,
    team: list[str],
    follow_ons: int | None,
) -> Commissioned:
    model = learning_together()
    count = model.case_group.follow_ons_default if follow_ons is None else follow_ons
    if not 0 <= count <= model.case_group.follow_ons_max:
        raise BadInput(f"A plan has between 0 and {model.case_group.follow_ons_max} follow-on meetings.")
    now = services.clock.now()
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        if case is None:
            raise NotFound("That case no longer exists.")
        existing = await plan_of(session, case.id)
        if existing is not None:
            return Commissioned(
                case.id,
                case.reference,
                existing.lead_reviewer_user_id,
                tuple(existing.review_team),
                tuple(model.plan_purposes(existing.follow_ons)),
                0,
                (),
                created=False,
            )
        if case.stage != Stage.LOCAL_REVIEW_COMMISSIONED.value:
            raise Conflict(
                f"{case.reference} is not a local review under way (its stage is "
                f"{case.stage.replace('_', ' ')}).",
                "A Learning Together review is planned once the partners' decision to hold one is made.",
            )
        people = list(dict.fromkeys([lead, *team]))
        for person in people:
            actor = services.actor(person, case.partnership_id)
            if not actor.in_partnership:
                raise BadInput(f"<@{person}> is not in the partnership file, so can't be on the review team.")
        members = {m.user_id for m in case.members}
        for person in people:
            if person not in members:
                case.members.append(CaseMember(user_id=person, added_at=now))
        plan = ReviewPlan(
            case_id=case.id,
            partnership_id=case.partnership_id,
            model=MODEL_ID,
            model_version=model.version,
            lead_reviewer_user_id=lead,
            review_team=[p for p in people if p != lead],
            follow_ons=count,
            commissioned_by=user_id,
            commissioned_at=now,
        )
        session.add(plan)
        decision = await session.get(RapidReviewDecision, case.id)
        seeded = 0
        for number, title in enumerate(
            list(decision.key_practice_episodes or []) if decision else [], start=1
        ):
            session.add(
                KeyPracticeEpisode(
                    case_id=case.id,
                    partnership_id=case.partnership_id,
                    number=number,
                    title=title,
                    agencies=[],
                    contributory_factors=[],
                    source="rapid_review",
                    created_by=user_id,
                    created_at=now,
                    updated_at=now,
                )
            )
            seeded += 1
        holds = await _holds_from_decision(session, services, case, decision, user_id)
        audit.record(
            session,
            services.clock,
            actor=user_id,
            action="review.plan_commissioned",
            partnership_id=case.partnership_id,
            case_id=case.id,
            after={
                "model": MODEL_ID,
                "model_version": model.version,
                "lead_reviewer": lead,
                "review_team": plan.review_team,
                "follow_ons": count,
                "episodes_seeded": seeded,
                "holds": list(holds),
            },
        )
        return Commissioned(
            case.id,
            case.reference,
            lead,
            tuple(plan.review_team),
            tuple(model.plan_purposes(count)),
            seeded,
            holds,
            created=True,
        )


async def _holds_from_decision(
    session: AsyncSession,
    services: Services,
    case: Case,
    decision: RapidReviewDecision | None,
    user_id: str,
) -> tuple[str, ...]:
    """The decision's constraints, which were labels, become holds that act."""
    if decision is None:
        return ()
    constraints = set(decision.constraints or [])
    reason = (decision.constraint_note or "").strip() or "Asked for in the rapid review decision"
    placed: list[str] = []
    wanted: list[tuple[HoldKind, RequestedBy | None]] = []
    if constraints & {Constraint.NOTHING_TO_FAMILY.value, Constraint.NO_PRACTITIONER_CONTACT.value}:
        wanted.append((HoldKind.NO_CONTACT, RequestedBy.POLICE))
    if Constraint.PUBLICATION_ON_HOLD.value in constraints:
        wanted.append((HoldKind.PUBLICATION, None))
    for kind, who in wanted:
        if await hold_of(session, case.id, kind) is not None:
            continue
        session.add(
            CaseHold(
                case_id=case.id,
                partnership_id=case.partnership_id,
                kind=kind.value,
                requested_by=who.value if who else None,
                reason=reason[:300],
                review_on=None,
                placed_by=user_id,
                placed_at=services.clock.now(),
            )
        )
        placed.append(kind.value)
    return tuple(placed)


# -- the plan as it stands --------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedMeeting:
    step: str  # "Introductory case group meeting", "Follow-on case group meeting 1", ...
    purpose: str
    meeting_id: int | None = None
    starts_at: datetime | None = None
    held: bool = False
    attended: int = 0
    invited: int = 0
    absentees_sent: int = 0
    comments: int = 0


@dataclass(frozen=True)
class PlanState:
    reference: str
    lead_reviewer: str
    team: tuple[str, ...]
    model_version: str
    steps: list[PlannedMeeting] = field(default_factory=list)
    conversations_done: int = 0
    conversations_planned: int = 0
    episodes: int = 0
    episodes_without_findings: int = 0


async def plan_state(services: Services, case_id: int) -> PlanState | None:
    model = learning_together()
    async with services.db.read() as session:
        case = await session.get(Case, case_id)
        plan = await plan_of(session, case_id) if case is not None else None
        if case is None or plan is None:
            return None
        meetings = list(
            (
                await session.execute(
                    select(Meeting)
                    .where(Meeting.case_id == case_id, Meeting.status == MeetingStatus.SCHEDULED.value)
                    .order_by(Meeting.starts_at, Meeting.id)
                )
            ).scalars()
        )
        comments = list(
            (
                await session.execute(
                    select(MeetingRecordComment.meeting_id).where(
                        MeetingRecordComment.meeting_id.in_([m.id for m in meetings] or [0])
                    )
                )
            ).scalars()
        )
        episodes = list(
            (
                await session.execute(
                    select(KeyPracticeEpisode.id).where(KeyPracticeEpisode.case_id == case_id)
                )
            ).scalars()
        )
        linked = set(
            (
                await session.execute(
                    select(FindingEpisode.episode_id).where(FindingEpisode.episode_id.in_(episodes or [0]))
                )
            ).scalars()
        )
    intro = [m for m in meetings if m.kind == MeetingKind.CASE_GROUP_INTRODUCTORY.value]
    follow = [m for m in meetings if m.kind == MeetingKind.CASE_GROUP_FOLLOW_ON.value]
    steps = [
        _step(
            "Introductory case group meeting",
            model.case_group.introductory.purpose,
            intro[0] if intro else None,
            comments,
        )
    ]
    for n in range(1, max(plan.follow_ons, len(follow)) + 1):
        steps.append(
            _step(
                f"Follow-on case group meeting {n}",
                model.follow_on_purpose(n),
                follow[n - 1] if n <= len(follow) else None,
                comments,
            )
        )
    talks = [m for m in meetings if m.kind == MeetingKind.CONVERSATION.value]
    return PlanState(
        case.reference,
        plan.lead_reviewer_user_id,
        tuple(plan.review_team),
        plan.model_version,
        steps,
        sum(1 for m in talks if m.done),
        len(talks),
        len(episodes),
        sum(1 for e in episodes if e not in linked),
    )


def _step(name: str, purpose: str, meeting: Meeting | None, comments: list[int]) -> PlannedMeeting:
    if meeting is None or not is_case_group(meeting.kind):
        return PlannedMeeting(name, purpose)
    return PlannedMeeting(
        name,
        meeting.purpose or purpose,
        meeting.id,
        meeting.starts_at,
        meeting.attendance_recorded_at is not None,
        sum(1 for i in meeting.invitees if i.attended),
        len(meeting.invitees),
        sum(1 for i in meeting.invitees if i.attended is False and i.record_sent_at is not None),
        comments.count(meeting.id),
    )
