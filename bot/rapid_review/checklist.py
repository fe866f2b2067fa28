"""A case's rapid review checklist: its items, who may change them, and what the message shows.

Items are copied from the template when the rapid review starts (so a later template change never
rewrites a live case), each with its owner agency resolved from the case and a target date counted
from day 0. Changing an item is one unit of work: the row, who changed it when, and an audit entry.
The message is always rendered from the database afterwards (bot.rapid_review.messages), never
patched, so two people ticking at once both show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.access import can_view_case
from bot.calendar.working_days import WorkingCalendar
from bot.cases.models import Case
from bot.cases.service import facts_of
from bot.clock import london_date
from bot.config.partnership import Partnership
from bot.deadlines.planning import case_anchors, case_calendar
from bot.errors import BadInput, Conflict, NotFound
from bot.rapid_review.free_text import agency_name, checked
from bot.rapid_review.models import AgencyReturn, ChecklistItem, RapidReview
from bot.rapid_review.states import ItemStatus
from bot.rapid_review.views import NOTE_LIMIT, REASON_LIMIT, ChecklistView, Group, ItemLine, ItemOp
from bot.rules.checklist_templates import (
    OWNER_LABELS,
    ChecklistItemTemplate,
    CompletedBy,
    Owner,
    describe_window,
    load_template,
)
from bot.runtime.services import Services

ROLE_GROUP_ORDER = (Owner.BUSINESS_MANAGER, Owner.CHAIR, Owner.SIGNATORY)


# -- creating the items -----------------------------------------------------------------------------


def owner_agency_for(partnership: Partnership, case: Case, owner: Owner) -> str | None:
    """The case's involved agency of that kind, else the partnership's; None for a role's item."""
    if not owner.is_agency_kind:
        return None
    kinds = {a.id: str(a.kind) for a in partnership.agencies}
    involved = [a.agency_id for a in case.agencies if kinds.get(a.agency_id) == owner.value]
    if involved:
        return involved[0]
    return next((a.id for a in partnership.agencies if str(a.kind) == owner.value), None)


def target_date(
    day_zero: date | None, unit: str, calendar: WorkingCalendar, day: int | None, *, before: bool = False
) -> date | None:
    """The date of working (or calendar) day ``day`` after day 0; "before day 0" is due on day 0."""
    if day_zero is None:
        return None
    if before:
        return day_zero
    if day is None:
        return None
    if unit == "calendar_days":
        return day_zero + timedelta(days=day)
    return calendar.add_working_days(day_zero, day)


def new_items(
    templates: list[ChecklistItemTemplate],
    partnership: Partnership,
    case: Case,
    day_zero: date | None,
    unit: str,
    calendar: WorkingCalendar,
    *,
    now: object,
) -> list[ChecklistItem]:
    rows = []
    for position, t in enumerate(templates):
        before = t.day == "before"
        day = t.day if isinstance(t.day, int) else None
        rows.append(
            ChecklistItem(
                case_id=case.id,
                item_id=t.id,
                position=position,
                title=t.title,
                owner=t.owner.value,
                owner_agency=owner_agency_for(partnership, case, t.owner),
                target_day=day,
                from_day=t.from_day,
                before_start=before,
                when_text=t.when,
                target_on=target_date(day_zero, unit, calendar, day, before=before),
                completed_by=t.completed_by.value if t.completed_by else None,
                source=t.source,
                status=ItemStatus.TODO.value,
                created_at=now,
            )
        )
    return rows


async def items_of(session: AsyncSession, case_id: int) -> list[ChecklistItem]:
    rows = await session.execute(
        select(ChecklistItem).where(ChecklistItem.case_id == case_id).order_by(ChecklistItem.position)
    )
    return list(rows.scalars())


async def date_items(
    session: AsyncSession, rr: RapidReview, day_zero: date, calendar: WorkingCalendar
) -> int:
    """Date the items of a checklist started before day 0 was known (e.g. opened lazily)."""
    count = 0
    for item in await items_of(session, rr.case_id):
        if item.target_on is None:
            item.target_on = target_date(
                day_zero, rr.unit, calendar, item.target_day, before=item.before_start
            )
            count += item.target_on is not None
    return count


# -- changing an item -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangedItem:
    case_id: int
    item_id: str
    title: str
    status: str


async def load_item(session: AsyncSession, item_pk: int) -> tuple[ChecklistItem, Case]:
    item = await session.get(ChecklistItem, item_pk)
    case = await session.get(Case, item.case_id) if item is not None else None
    if item is None or case is None:
        raise NotFound(
            "That checklist item no longer exists.", "Run `/review checklist` for the current list."
        )
    return item, case


@dataclass(frozen=True)
class ItemForModal:
    item_id: str
    title: str
    assignee: str | None
    note: str | None


async def item_for_modal(services: Services, item_pk: int) -> ItemForModal:
    """What an item's modal shows (the gate has admitted the person to change the item)."""
    async with services.db.session() as session:
        item, _case = await load_item(session, item_pk)
        return ItemForModal(item.item_id, item.title, item.assignee_user_id, item.note)


async def change_item(
    services: Services, item_pk: int, user_id: str, op: ItemOp, value: str | None = None
) -> ChangedItem:
    """Tick, reopen, mark not applicable (with a reason), assign or annotate one item.

    ``user_id`` has been admitted by the gate (UPDATE_CHECKLIST_ITEM on this item's case and agency).
    """
    now = services.clock.now()
    async with services.db.session() as session:
        item, case = await load_item(session, item_pk)
        partnership = services.config.partnership(case.partnership_id)
        before = {"status": item.status, "assignee": item.assignee_user_id, "note_given": bool(item.note)}
        if op is ItemOp.DONE:
            if item.status == ItemStatus.DONE:
                who = f" by <@{item.changed_by}>" if item.changed_by else ""
                raise Conflict(f"{item.item_id} is already done{who}.")
            item.status, item.done_on, item.na_reason = ItemStatus.DONE.value, london_date(now), None
        elif op is ItemOp.REOPEN:
            if item.status == ItemStatus.TODO:
                raise Conflict(f"{item.item_id} is already open.")
            item.status, item.done_on, item.na_reason = ItemStatus.TODO.value, None, None
        elif op is ItemOp.NOT_APPLICABLE:
            reason = checked(
                partnership,
                value,
                limit=REASON_LIMIT,
                field="reason",
                required=True,
                what="why this item does not apply",
            )
            item.status, item.na_reason, item.done_on = ItemStatus.NOT_APPLICABLE.value, reason, None
        elif op is ItemOp.ASSIGN:
            item.assignee_user_id = _assignable(services, case, value)
        elif op is ItemOp.NOTE:
            item.note = checked(partnership, value, limit=NOTE_LIMIT, field="note")
        item.changed_by, item.changed_at = user_id, now
        audit.record(
            session,
            services.clock,
            actor=user_id,
            action="checklist.item_changed",
            partnership_id=case.partnership_id,
            case_id=case.id,
            before=before,
            after={
                "item": item.item_id,
                "op": op.value,
                "status": item.status,
                "assignee": item.assignee_user_id,
                "note_given": bool(item.note),
            },
        )
        return ChangedItem(case.id, item.item_id, item.title, item.status)


def _assignable(services: Services, case: Case, user_id: str | None) -> str:
    if not user_id:
        raise BadInput("Choose the person to assign it to.", field="assignee")
    person = services.actor(user_id, case.partnership_id)
    if not person.in_partnership:
        raise BadInput(
            f"<@{user_id}> is not in the partnership file, so ReviewBot can't give them items.",
            "Ask the business manager to add them, or choose someone else.",
            field="assignee",
        )
    if not can_view_case(person, facts_of(case)):
        raise BadInput(
            f"<@{user_id}> can't see this case yet.",
            "Ask the business manager to add them to the case, or choose someone else.",
            field="assignee",
        )
    return user_id


# -- items ticked by events elsewhere in the rapid review ----------------------------------------------


async def complete_by_event(
    session: AsyncSession,
    services: Services,
    case: Case,
    event: CompletedBy,
    *,
    actor: str,
    agency_id: str | None = None,
) -> list[str]:
    """Tick the open items that ``event`` completes (an agency's return: only that agency's items)."""
    now = services.clock.now()
    ticked = []
    for item in await items_of(session, case.id):
        if item.completed_by != event.value or item.status != ItemStatus.TODO:
            continue
        if event is CompletedBy.AGENCY_RETURN and item.owner_agency != agency_id:
            continue
        item.status, item.done_on, item.changed_by, item.changed_at = (
            ItemStatus.DONE.value,
            london_date(now),
            actor,
            now,
        )
        ticked.append(item.item_id)
    if ticked:
        audit.record(
            session,
            services.clock,
            actor=actor,
            action="checklist.items_completed",
            partnership_id=case.partnership_id,
            case_id=case.id,
            after={"items": ticked, "event": event.value},
        )
    return ticked


async def reopen_by_event(
    session: AsyncSession, services: Services, case: Case, event: CompletedBy, *, actor: str
) -> list[str]:
    """Undo ``event``'s ticks (sign-offs voided by a changed decision: R20 is open again)."""
    now = services.clock.now()
    reopened = []
    for item in await items_of(session, case.id):
        if item.completed_by == event.value and item.status == ItemStatus.DONE:
            item.status, item.done_on, item.changed_by, item.changed_at = (
                ItemStatus.TODO.value,
                None,
                actor,
                now,
            )
            reopened.append(item.item_id)
    if reopened:
        audit.record(
            session,
            services.clock,
            actor=actor,
            action="checklist.items_reopened",
            partnership_id=case.partnership_id,
            case_id=case.id,
            after={"items": reopened, "event": event.value},
        )
    return reopened


async def repoint_kind_to(
    session: AsyncSession, partnership: Partnership, case: Case, agency_id: str
) -> list[str]:
    """An agency found later: its kind's items that sat with an uninvolved agency become its own."""
    agency = partnership.agency(agency_id)
    if agency is None:
        return []
    involved = {a.agency_id for a in case.agencies} - {agency_id}
    moved = []
    for item in await items_of(session, case.id):
        if (
            item.owner == str(agency.kind)
            and item.owner_agency not in involved
            and item.owner_agency != agency_id
        ):
            item.owner_agency = agency_id
            moved.append(item.item_id)
    return moved


# -- what the message shows (bot.rapid_review.views: plain data for the pure blocks) ---------------------


def group_key(item: ChecklistItem) -> str:
    return item.owner_agency or f"role:{item.owner}"


def group_label(partnership: Partnership, key: str) -> str:
    if key.startswith("role:"):
        owner = key.removeprefix("role:")
        return OWNER_LABELS.get(Owner(owner), owner) if owner in Owner._value2member_map_ else owner
    return agency_name(partnership, key)


def build_groups(partnership: Partnership, items: list[ChecklistItem]) -> list[Group]:
    """Items grouped by owner: agencies in the partnership file's order, then the business unit,
    the chair and the partners."""
    grouped: dict[str, list[ChecklistItem]] = {}
    for item in items:
        grouped.setdefault(group_key(item), []).append(item)
    order = [a.id for a in partnership.agencies] + [f"role:{o.value}" for o in ROLE_GROUP_ORDER]
    keys = sorted(grouped, key=lambda k: (order.index(k) if k in order else len(order), k))
    return [
        Group(
            key,
            group_label(partnership, key),
            [_line(i) for i in sorted(grouped[key], key=lambda i: i.position)],
        )
        for key in keys
    ]


def _line(item: ChecklistItem) -> ItemLine:
    return ItemLine(
        pk=item.id,
        item_id=item.item_id,
        title=item.title,
        window=describe_window(item.target_day, item.from_day, item.when_text, before=item.before_start),
        target_on=item.target_on,
        status=ItemStatus(item.status),
        na_reason=item.na_reason,
        assignee=item.assignee_user_id,
        note=item.note,
        done_on=item.done_on,
        changed_by=item.changed_by,
    )


async def load_view(services: Services, case_id: int) -> ChecklistView | None:
    """The checklist as it is in the database now (None if the case has no checklist)."""
    async with services.db.session() as session:
        rr = await session.get(RapidReview, case_id)
        case = await session.get(Case, case_id)
        if rr is None or case is None:
            return None
        items = await items_of(session, case_id)
        returns = list(
            (await session.execute(select(AgencyReturn).where(AgencyReturn.case_id == case_id))).scalars()
        )
    partnership = services.config.partnership(case.partnership_id)
    template = load_template(rr.template_id)
    day_zero = day_zero_of(case, rr.anchor)
    return ChecklistView(
        case_id=case.id,
        reference=case.reference,
        title=template.title if template else "Rapid review checklist",
        day_zero=day_zero,
        unit=rr.unit,
        today=london_date(services.clock.now()),
        groups=build_groups(partnership, items),
        returns_in=sum(1 for r in returns if not r.outstanding),
        returns_total=len(returns),
        stage=case.stage,
    )


def day_zero_of(case: Case, anchor: str) -> date | None:
    """The UK date of the checklist's anchor event (day 0), once it has happened."""
    at = case_anchors(case).get(anchor)
    return london_date(at) if at is not None else None


def calendar_for(services: Services, case: Case) -> WorkingCalendar:
    return case_calendar(services.config.partnership(case.partnership_id), case)
