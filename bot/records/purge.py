"""Purging a closed case past its retention period: its content goes, a tombstone stays.

What goes, in one unit of work: the case row and everything that hangs off it (children's pseudonyms,
agencies, members, deadlines, reminders, the rapid review and its checklist, returns, decision and
sign-offs, meetings, actions and their updates, findings, redactions, the board message's record) by
the database's ON DELETE CASCADE, and the idempotency keys that kept a copy of the webhook's answer.
What stays: a :class:`~bot.records.models.CaseTombstone` under the case's id (reference, kind, opened,
closed, who purged it, when and why) and the audit trail, which holds no free text and cannot be
changed. Afterwards, in Slack: the case channel is archived and the case's board message deleted. Slack
being away leaves the tombstone saying the channel is not archived yet; running the purge again for
the same reference finishes that and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.actions.models import Action, ActionUpdate, Finding
from bot.board.models import BoardMessage
from bot.cases.models import Case, CaseAgency, CaseChild, CaseEvent, CaseMember, IdempotencyKey
from bot.cases.states import STAGE_LABELS, Stage
from bot.clock import london_date
from bot.deadlines.models import Deadline
from bot.errors import BadInput
from bot.learning_together.models import CaseHold, FamilyParticipation, KeyPracticeEpisode, ReviewPlan
from bot.meetings.models import Meeting, MeetingInvitee
from bot.observability import get_logger
from bot.rapid_review.models import (
    AgencyReturn,
    ChecklistItem,
    RapidReview,
    RapidReviewDecision,
    SignOff,
)
from bot.records.models import REASON_LIMIT, CaseTombstone, Redaction
from bot.records.reasons import reason_problem
from bot.reminders.models import Reminder
from bot.retention import retention_ends
from bot.runtime.services import Services
from bot.slack.errors import SlackError, SlackUnavailable

log = get_logger(__name__)

# What a purge removes, counted for the person running it (the cascade removes them all).
_CONTENT = (
    ("children", CaseChild, CaseChild.case_id),
    ("agencies", CaseAgency, CaseAgency.case_id),
    ("members", CaseMember, CaseMember.case_id),
    ("events", CaseEvent, CaseEvent.case_id),
    ("deadlines", Deadline, Deadline.case_id),
    ("reminders", Reminder, Reminder.case_id),
    ("rapid review", RapidReview, RapidReview.case_id),
    ("checklist items", ChecklistItem, ChecklistItem.case_id),
    ("agency returns", AgencyReturn, AgencyReturn.case_id),
    ("decision", RapidReviewDecision, RapidReviewDecision.case_id),
    ("sign-offs", SignOff, SignOff.case_id),
    ("meetings", Meeting, Meeting.case_id),
    ("actions", Action, Action.case_id),
    ("findings", Finding, Finding.case_id),
    ("review plan", ReviewPlan, ReviewPlan.case_id),
    ("key practice episodes", KeyPracticeEpisode, KeyPracticeEpisode.case_id),
    ("family participation", FamilyParticipation, FamilyParticipation.case_id),
    ("holds", CaseHold, CaseHold.case_id),
    ("redactions", Redaction, Redaction.case_id),
    ("board message", BoardMessage, BoardMessage.case_id),
    ("idempotency keys", IdempotencyKey, IdempotencyKey.case_id),
)


@dataclass(frozen=True)
class PurgePlan:
    case_id: int
    partnership_id: str
    reference: str
    stage: str
    closed_on: date | None
    retention_years: int | None
    retention_ends_on: date | None
    channel_id: str | None
    counts: dict[str, int]

    def describe(self) -> str:
        parts = [f"{n} {what}" for what, n in self.counts.items() if n]
        return ", ".join(["the case", *parts])


@dataclass
class PurgeOutcome:
    tombstone_case_id: int
    reference: str
    already_purged: bool
    removed: str = ""
    channel: str = "none"  # archived / already archived / none / not archived: <why>
    board_message: str = "none"
    notes: list[str] = field(default_factory=list)


class PurgeRefused(BadInput):
    """The case cannot be purged (not found, not closed, within its retention period...)."""


async def _find(session: AsyncSession, reference: str, partnership_id: str | None) -> list[Case]:
    query = select(Case).where(Case.reference == reference.strip().upper())
    if partnership_id is not None:
        query = query.where(Case.partnership_id == partnership_id)
    return list((await session.scalars(query)).all())


async def plan_purge(
    services: Services, reference: str, *, partnership_id: str | None, today: date, early: bool
) -> PurgePlan:
    """What purging ``reference`` would remove; :class:`PurgeRefused` if it may not be purged."""
    async with services.db.read() as session:
        found = await _find(session, reference, partnership_id)
        if len(found) > 1:
            raise PurgeRefused(
                f"{reference} is a reference in more than one partnership.", "Name one with --partnership."
            )
        if not found:
            raise PurgeRefused(
                f"There is no case {reference}.", "Check the reference (`reviewbot records due`)."
            )
        case = found[0]
        counts = {}
        for what, table, column in _CONTENT:
            counted = select(func.count()).select_from(table).where(column == case.id)
            counts[what] = int(await session.scalar(counted) or 0)
        counts["action updates"] = int(
            await session.scalar(
                select(func.count())
                .select_from(ActionUpdate)
                .join(Action, Action.id == ActionUpdate.action_id)
                .where(Action.case_id == case.id)
            )
            or 0
        )
        counts["meeting invitees"] = int(
            await session.scalar(
                select(func.count())
                .select_from(MeetingInvitee)
                .join(Meeting, Meeting.id == MeetingInvitee.meeting_id)
                .where(Meeting.case_id == case.id)
            )
            or 0
        )
    if case.stage != Stage.CLOSED.value:
        raise PurgeRefused(
            f"{case.reference} is at stage {STAGE_LABELS[Stage(case.stage)]}, not closed.",
            "Only a closed case can be purged: close it first (`/review stage closed` in its channel).",
        )
    retention = services.config.partnership(case.partnership_id).retention
    closed_on = london_date(case.closed_at) if case.closed_at is not None else None
    ends = retention_ends(closed_on, retention) if retention is not None and closed_on is not None else None
    if not early and (ends is None or today < ends):
        why = (
            f"its retention period ({retention.years} years after it closed) ends on {ends:%d/%m/%Y}"
            if ends is not None and retention is not None
            else f"partnership {case.partnership_id} sets no retention period"
        )
        raise PurgeRefused(
            f"{case.reference} is not due for purging: {why}.",
            "Wait until then, or add --before-retention-ends if your records policy says it must go now.",
        )
    return PurgePlan(
        case_id=case.id,
        partnership_id=case.partnership_id,
        reference=case.reference,
        stage=case.stage,
        closed_on=closed_on,
        retention_years=retention.years if retention is not None else None,
        retention_ends_on=ends,
        channel_id=case.channel_id,
        counts=counts,
    )


async def purge_case(services: Services, plan: PurgePlan, *, by: str, reason: str) -> PurgeOutcome:
    """Remove the case's content, leave its tombstone, then archive its channel and delete its board
    message in Slack."""
    problem = reason_problem(services, plan.partnership_id, reason, REASON_LIMIT)
    if problem:
        raise PurgeRefused(f"The reason cannot be stored: {problem}")
    now = services.clock.now()
    async with services.db.session() as session:
        case = await session.get(Case, plan.case_id)
        if case is None or case.stage != Stage.CLOSED.value:
            raise PurgeRefused(f"{plan.reference} changed while it was being purged.", "Run it again.")
        board = (
            await session.execute(
                select(BoardMessage.channel_id, BoardMessage.ts).where(BoardMessage.case_id == case.id)
            )
        ).first()
        session.add(
            CaseTombstone(
                case_id=case.id,
                partnership_id=case.partnership_id,
                reference=case.reference,
                notification_type=case.notification_type,
                opened_at=case.created_at,
                closed_at=case.closed_at,
                retention_years=plan.retention_years,
                purged_at=now,
                purged_by=by,
                reason=reason.strip(),
                channel_id=case.channel_id,
            )
        )
        await session.execute(delete(IdempotencyKey).where(IdempotencyKey.case_id == case.id))
        await session.delete(case)  # and, by ON DELETE CASCADE, everything of the case
        audit.record(
            session,
            services.clock,
            actor=by,
            action="case.purged",
            partnership_id=plan.partnership_id,
            case_id=plan.case_id,
            before={
                "reference": plan.reference,
                "rows": {k.replace(" ", "_"): v for k, v in plan.counts.items()},
            },
            after={"tombstone": plan.case_id},
        )
    log.info("records.purged", case_id=plan.case_id)
    outcome = PurgeOutcome(plan.case_id, plan.reference, already_purged=False, removed=plan.describe())
    async with services.acting_for(plan.partnership_id, force=True):  # the case's own workspace
        if board is not None:
            outcome.board_message = await _delete_board_message(services, str(board[0]), str(board[1]))
        await archive_channel(services, plan.case_id, by=by, outcome=outcome)
    return outcome


async def finish_purge(
    services: Services, reference: str, partnership_id: str | None, *, by: str
) -> PurgeOutcome | None:
    """A case purged before: archive its channel if that did not happen then. None if never purged."""
    async with services.db.read() as session:
        query = select(CaseTombstone).where(CaseTombstone.reference == reference.strip().upper())
        if partnership_id is not None:
            query = query.where(CaseTombstone.partnership_id == partnership_id)
        tombstone = (await session.scalars(query)).first()
    if tombstone is None:
        return None
    outcome = PurgeOutcome(tombstone.case_id, tombstone.reference, already_purged=True)
    if tombstone.channel_archived_at is not None or tombstone.channel_id is None:
        outcome.channel = "already archived" if tombstone.channel_id else "none"
        return outcome
    async with services.acting_for(tombstone.partnership_id, force=True):
        await archive_channel(services, tombstone.case_id, by=by, outcome=outcome)
    return outcome


async def archive_channel(services: Services, case_id: int, *, by: str, outcome: PurgeOutcome) -> None:
    async with services.db.read() as session:
        tombstone = await session.get(CaseTombstone, case_id)
    if tombstone is None or tombstone.channel_id is None:
        return
    try:
        archived = await services.gateway.archive_channel(tombstone.channel_id)
    except SlackUnavailable as exc:
        outcome.channel = f"not archived: Slack did not answer ({exc.code})"
        return
    except SlackError as exc:
        outcome.channel = f"not archived: Slack answered {exc.code}"
        return
    async with services.db.session() as session:
        fresh = await session.get(CaseTombstone, case_id)
        if fresh is not None:
            fresh.channel_archived_at = services.clock.now()
        audit.record(
            session,
            services.clock,
            actor=by,
            action="case.channel_archived",
            partnership_id=tombstone.partnership_id,
            case_id=case_id,
            after={"channel": tombstone.channel_id, "already": not archived},
        )
    outcome.channel = "archived" if archived else "already archived"


async def _delete_board_message(services: Services, channel: str, ts: str) -> str:
    try:
        await services.gateway.delete_message(channel, ts)
    except SlackError as exc:
        if exc.code == "message_not_found":
            return "already gone"
        return f"not deleted: Slack answered {exc.code}"
    return "deleted"
