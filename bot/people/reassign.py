"""What a person has open, and handing it to someone else before they are removed.

"Open items" are every place a record names one person as the one to act: cases they own (not
closed), actions they own (open or in progress), checklist items assigned to them (to do), meetings
they organise or chair (scheduled, not yet started), and reminders still waiting to be sent to them.
Agency returns and sign-offs belong to an agency, not a person, so they need no handing over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.actions.kinds import OPEN_ACTION_STATUSES
from bot.actions.models import Action
from bot.cases.models import Case, CaseMember
from bot.clock import Clock
from bot.meetings.kinds import KIND_LABELS, MeetingKind, MeetingStatus
from bot.meetings.models import Meeting
from bot.rapid_review.models import ChecklistItem
from bot.rapid_review.states import ItemStatus
from bot.reminders.models import Reminder, ReminderStatus


@dataclass
class OpenItems:
    cases: list[tuple[int, str]] = field(default_factory=list)  # (case id, reference)
    actions: list[tuple[int, str]] = field(default_factory=list)  # (action id, case reference or "")
    items: list[tuple[int, str, str]] = field(default_factory=list)  # (item id, title, reference)
    meetings: list[tuple[int, str, str]] = field(default_factory=list)  # (meeting id, kind, reference)
    reminders: int = 0

    @property
    def count(self) -> int:
        return len(self.cases) + len(self.actions) + len(self.items) + len(self.meetings)

    def lines(self, limit: int = 12) -> list[str]:
        out = [f"case {ref} (owner)" for _, ref in self.cases]
        out += [f"action #{i}" + (f" in {ref}" if ref else "") for i, ref in self.actions]
        out += [f"checklist item “{title}” in {ref}" for _, title, ref in self.items]
        out += [f"{kind} meeting in {ref}" for _, kind, ref in self.meetings]
        if len(out) > limit:
            out = [*out[:limit], f"and {len(out) - limit} more"]
        return out


async def open_items(session: AsyncSession, partnership_id: str, user_id: str, now: datetime) -> OpenItems:
    found = OpenItems()
    cases = await session.execute(
        select(Case.id, Case.reference)
        .where(Case.partnership_id == partnership_id, Case.owner_user_id == user_id, Case.closed_at.is_(None))
        .order_by(Case.id)
    )
    found.cases = [(int(i), str(r)) for i, r in cases.all()]
    actions = await session.execute(
        select(Action.id, Case.reference)
        .outerjoin(Case, Case.id == Action.case_id)
        .where(
            Action.partnership_id == partnership_id,
            Action.owner_user_id == user_id,
            Action.status.in_(OPEN_ACTION_STATUSES),
        )
        .order_by(Action.id)
    )
    found.actions = [(int(i), str(r or "")) for i, r in actions.all()]
    items = await session.execute(
        select(ChecklistItem.id, ChecklistItem.title, Case.reference)
        .join(Case, Case.id == ChecklistItem.case_id)
        .where(
            Case.partnership_id == partnership_id,
            ChecklistItem.assignee_user_id == user_id,
            ChecklistItem.status == ItemStatus.TODO,
        )
        .order_by(ChecklistItem.id)
    )
    found.items = [(int(i), str(t), str(r)) for i, t, r in items.all()]
    meetings = await session.execute(
        select(Meeting.id, Meeting.kind, Case.reference)
        .join(Case, Case.id == Meeting.case_id)
        .where(
            Meeting.partnership_id == partnership_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at >= now,
            or_(Meeting.organiser_user_id == user_id, Meeting.chair_user_id == user_id),
        )
        .order_by(Meeting.id)
    )
    found.meetings = [
        (int(i), KIND_LABELS.get(MeetingKind(k), str(k)) if k in set(MeetingKind) else str(k), str(r))
        for i, k, r in meetings.all()
    ]
    waiting = await session.execute(
        select(Reminder.id).where(
            Reminder.partnership_id == partnership_id,
            Reminder.recipient == user_id,
            Reminder.status == ReminderStatus.PENDING,
        )
    )
    found.reminders = len(waiting.all())
    return found


async def reassign(
    session: AsyncSession,
    clock: Clock,
    partnership_id: str,
    *,
    actor: str,
    from_user: str,
    to_user: str,
) -> OpenItems:
    """Hand every open item of ``from_user`` to ``to_user`` (in the caller's unit of work); audited."""
    now = clock.now()
    items = await open_items(session, partnership_id, from_user, now)
    case_ids = [i for i, _ in items.cases]
    if case_ids:
        await session.execute(
            update(Case).where(Case.id.in_(case_ids)).values(owner_user_id=to_user, updated_at=now)
        )
        members = await session.execute(
            select(CaseMember.case_id).where(CaseMember.case_id.in_(case_ids), CaseMember.user_id == to_user)
        )
        already = {int(c) for c in members.scalars()}
        for case_id in case_ids:
            if case_id not in already:
                session.add(CaseMember(case_id=case_id, user_id=to_user, added_at=now))
    if items.actions:
        await session.execute(
            update(Action)
            .where(Action.id.in_([i for i, _ in items.actions]))
            .values(owner_user_id=to_user, updated_at=now)
        )
    if items.items:
        await session.execute(
            update(ChecklistItem)
            .where(ChecklistItem.id.in_([i for i, _, _ in items.items]))
            .values(assignee_user_id=to_user, changed_by=actor, changed_at=now)
        )
    meeting_ids = [i for i, _, _ in items.meetings]
    if meeting_ids:
        for column in (Meeting.organiser_user_id, Meeting.chair_user_id):
            await session.execute(
                update(Meeting)
                .where(Meeting.id.in_(meeting_ids), column == from_user)
                .values({column.key: to_user, "updated_at": now})
            )
    if items.reminders:
        await session.execute(
            update(Reminder)
            .where(
                Reminder.partnership_id == partnership_id,
                Reminder.recipient == from_user,
                Reminder.status == ReminderStatus.PENDING,
            )
            .values(recipient=to_user)
        )
    audit.record(
        session,
        clock,
        actor=actor,
        action="person.items_reassigned",
        partnership_id=partnership_id,
        before={"user": from_user},
        after={
            "user": to_user,
            "cases": case_ids,
            "actions": [i for i, _ in items.actions],
            "checklist_items": [i for i, _, _ in items.items],
            "meetings": meeting_ids,
            "reminders": items.reminders,
        },
    )
    return items
